/**
 * `parley analyze <scenario> [--set k=v]... [--json]`: the outcome space of a
 * scenario's principals and its solution concepts.
 *
 * @since 0.1.0
 */
import { Console, Effect } from "effect"
import { type AnalysisPoint, analyze, renderAnalysis, whatItTakes } from "../analysis/Analyze.ts"
import type { PartyPreferences } from "../analysis/Preferences.ts"
import { loadScenario } from "../scenario/Load.ts"
import { realSteps } from "../scenario/Scenario.ts"
import type { AnalyzeArgs } from "./commands/analyze.ts"
import { UsageError } from "./Errors.ts"
import { overridesOf } from "./Options.ts"

const pointJson = (p: AnalysisPoint | undefined) =>
  p === undefined ? null : { terms: p.terms, utilities: p.utilities }

export const handlers = {
  analyze: ({ scenario, set, json }: AnalyzeArgs) =>
    Effect.gen(function* () {
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
}
