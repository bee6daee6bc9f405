/**
 * `parley analyze <scenario> [--set k=v]... [--json]`: the outcome space of a
 * scenario's principals and its solution concepts. What it runs with is
 * imported when it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Command } from "@effect/cli"
import { Console, Effect } from "effect"
import type { AnalysisPoint } from "../../analysis/Analyze.ts"
import type { PartyPreferences } from "../../analysis/Preferences.ts"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
import { jsonOption, scenarioArg, setOption } from "./Shared.ts"

const config = { scenario: scenarioArg, set: setOption, json: jsonOption }

const pointJson = (p: AnalysisPoint | undefined) =>
  p === undefined ? null : { terms: p.terms, utilities: p.utilities }

/** `parley analyze`. */
export const command = Command.make("analyze", config, ({ scenario, set, json }) =>
  Effect.gen(function* () {
    const { analyze, renderAnalysis, whatItTakes } = yield* Effect.promise(
      () => import("../../analysis/Analyze.ts"),
    )
    const { loadScenario } = yield* Effect.promise(() => import("../../scenario/Load.ts"))
    const { realSteps } = yield* Effect.promise(() => import("../../scenario/Scenario.ts"))
    const { overridesOf } = yield* Effect.promise(() => import("../Options.ts"))
    const compiled = yield* loadScenario(scenario, yield* overridesOf(set))
    const { issues, parties } = compiled.scenario
    const principals = parties.filter((p) => p.role === "principal")
    const missing = principals.filter((p) => p.preferences === undefined).map((p) => p.id)
    if (missing.length > 0)
      return yield* new UsageError({
        problem: `${scenario}: no preferences for ${missing.join(", ")}: nothing to analyse`,
      })
    const analysis = yield* analyze(
      issues,
      principals.map((p) => ({
        party: p.id as string,
        preferences: p.preferences as PartyPreferences,
      })),
      { realStep: realSteps(compiled.scenario) },
    ).pipe(Effect.mapError((e) => new UsageError({ problem: `${scenario}: ${e.reason}` })))
    if (!json) return yield* Console.log(renderAnalysis(analysis, { issues }))
    yield* Console.log(
      JSON.stringify(
        {
          parties: analysis.parties,
          outcomes: analysis.outcomes,
          individuallyRational: analysis.individuallyRational,
          reservations: analysis.reservations,
          paretoFrontier: analysis.paretoFrontier.map((e) => ({
            ...pointJson(e),
            ...whatItTakes(analysis, e),
          })),
          nash: pointJson(analysis.nash),
          kalaiSmorodinsky: pointJson(analysis.kalaiSmorodinsky),
          egalitarian: pointJson(analysis.egalitarian),
          maxWelfare: pointJson(analysis.maxWelfare),
          opposition: analysis.opposition,
          approximate: analysis.approximate ?? null,
        },
        null,
        2,
      ),
    )
  }),
).pipe(
  Command.withDescription(
    described(
      "Analyse a scenario: Pareto frontier, Nash, Kalai-Smorodinsky, egalitarian, max welfare",
      [
        "parley analyze scenarios/anac-laptop.json",
        "parley analyze scenarios/ceasefire-freeze.ts --set russiaReservation=0.4 --json",
      ],
    ),
  ),
)
