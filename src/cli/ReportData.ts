/**
 * The data of the report pages where they need the simulation: a scenario
 * run once (seeded, in memory), a scenario prepared for its preferences (the
 * utility charts, the Pareto frontier and the solution points), and a Monte
 * Carlo folder with each run scored under the parameters it drew. `parley
 * report` and `parley serve` gather them here; `src/report/` renders them.
 *
 * @since 0.1.0
 */
import { readdir } from "node:fs/promises"
import { basename, join } from "node:path"
import { Chunk, Effect, Either, Stream } from "effect"
import { termsAt } from "../analysis/OutcomeSpace.ts"
import { reservationOf } from "../analysis/Preferences.ts"
import { binnedRates, prccThreshold } from "../analysis/Statistics.ts"
import { lastGoodState } from "../app/Projection.ts"
import { messageOf } from "../domain/Errors.ts"
import type { EventEnvelope } from "../domain/Event.ts"
import { toView } from "../domain/View.ts"
import type { BatchData, BatchRun, ParameterData } from "../report/BatchPage.ts"
import type { Cloud, Evaluator, Preferences } from "../report/Model.ts"
import { ReportError, runData, type ScenarioData } from "../report/Report.ts"
import {
  type CompiledScenario,
  loadScenario,
  type ScenarioError,
  type Uncertain,
} from "../scenario/Load.ts"
import { loadBatch, preparedFor } from "../simulation/Batch.ts"
import { type Prepared, prepare, run } from "../simulation/Runner.ts"
import { discountedOf, normalisedTime, scoreOutcome } from "../simulation/Scores.ts"
import { frontierOf } from "../simulation/Summary.ts"
import { sensitivityOf } from "../simulation/Sweep.ts"
import { EventStore } from "../store/EventStore.ts"
import * as Jsonl from "../store/Jsonl.ts"
import * as Spec from "../store/Spec.ts"

const overridesText = (overrides: Readonly<Record<string, string>>) => {
  const pairs = Object.entries(overrides)
  return pairs.length === 0 ? "" : ` · ${pairs.map(([k, v]) => `--set ${k}=${v}`).join(" ")}`
}

/** Most outcomes drawn as dots; larger spaces are sampled evenly. */
export const CLOUD_LIMIT = 20_000

/** Each party whose preferences the scenario gives: its utility of any terms and its reservation value. */
export const evaluatorsOf = (prepared: Prepared): ReadonlyArray<Evaluator> =>
  prepared.parties.flatMap((p) =>
    p.preferences === undefined
      ? []
      : [{ party: p.id, utility: p.utility, reservation: reservationOf(p.preferences) }],
  )

/** The utility context of a prepared scenario. */
export const preferencesOf = (prepared: Prepared, limit = CLOUD_LIMIT): Preferences => {
  const evaluators = evaluatorsOf(prepared)
  const space = prepared.space
  let cloud: Cloud | undefined
  if (evaluators.length >= 2 && space.size > 0) {
    const count = Math.min(space.size, limit)
    const stride = space.size / count
    const utilities = evaluators.map(() => new Float64Array(count))
    for (let k = 0; k < count; k++) {
      const terms = termsAt(space, Math.floor(k * stride))
      evaluators.forEach((e, i) => {
        utilities[i]![k] = e.utility(terms)
      })
    }
    cloud = { utilities, outcomes: space.size, sampled: count < space.size }
  }
  return { evaluators, cloud, analysis: frontierOf(prepared) }
}

/** What a run report takes from a prepared scenario: its preferences and the author's assumptions. */
export const scenarioData = (prepared: Prepared): ScenarioData => ({
  preferences: preferencesOf(prepared),
  assumptions: prepared.compiled.scenario.assumptions,
})

/** Runs a scenario once (in memory, seeded) and returns the report data of that run. */
export const fromScenario = (
  file: string,
  options: { readonly seed: number; readonly overrides: Readonly<Record<string, string>> },
) =>
  Effect.gen(function* () {
    const compiled = yield* loadScenario(file, options.overrides)
    const prepared = yield* prepare(compiled)
    const events = yield* Effect.gen(function* () {
      const result = yield* run(prepared, { seed: options.seed })
      const store = yield* EventStore
      return Chunk.toReadonlyArray(yield* Stream.runCollect(store.read(result.negotiationId)))
    }).pipe(Effect.provide(Spec.storeLayer(Spec.memory)))
    return runData(events, scenarioData(prepared), [
      `One run of the scenario ${file} · seed ${options.seed}${overridesText(options.overrides)}`,
    ])
  })

/** Prepares a scenario for its preferences only. */
export const preparedScenario = (
  file: string,
  overrides: Readonly<Record<string, string>>,
): Effect.Effect<Prepared, ScenarioError> =>
  Effect.flatMap(loadScenario(file, overrides), (c: CompiledScenario) => prepare(c))

/** Reads one negotiation of a JSONL log (the first, unless named) and returns its report data. */
export const fromLog = (
  path: string,
  options: {
    readonly negotiation?: string | undefined
    readonly scenario?: string | undefined
    readonly overrides: Readonly<Record<string, string>>
  },
) =>
  Effect.gen(function* () {
    const all = Chunk.toReadonlyArray(yield* Stream.runCollect(Jsonl.read(path)))
    const ids = [...new Set(all.map((e) => e.negotiationId as string))]
    if (ids.length === 0) return yield* new ReportError({ problem: `${path} holds no events` })
    const id = options.negotiation ?? ids[0]!
    if (!ids.includes(id))
      return yield* new ReportError({
        problem: `${path} holds no negotiation "${id}" (it holds ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ", ..." : ""})`,
      })
    const events = all.filter((e) => e.negotiationId === id)
    const prepared =
      options.scenario === undefined
        ? undefined
        : yield* preparedScenario(options.scenario, options.overrides)
    const notices: Array<string> = []
    if (ids.length > 1 && options.negotiation === undefined)
      notices.push(
        `${path} holds ${ids.length} negotiations; this report shows the first, "${id}". Choose another with --negotiation ID.`,
      )
    if (options.scenario === undefined)
      notices.push(
        "No scenario given (--scenario FILE): the log holds no preferences, so the concession curves and the utility space are skipped.",
      )
    return runData(
      events,
      prepared === undefined ? undefined : scenarioData(prepared),
      [
        `Replayed from the log ${path} · negotiation ${id} · ${events.length} events${options.scenario === undefined ? "" : ` · preferences from ${options.scenario}${overridesText(options.overrides)}`}`,
      ],
      notices,
    )
  })

/**
 * How a batch's agreement depends on the parameters drawn per run: runs
 * binned by each drawn value (equal bins of its range, about √runs / 2 of
 * them, 3 to 10) with the Wilson interval of each bin's rate, and the PRCC
 * ranking over the runs whose draws are known.
 */
const drawnParameters = (
  batch: { readonly uncertain: ReadonlyArray<Uncertain>; readonly definition: unknown },
  draws: ReadonlyArray<{ readonly parameters: Record<string, number>; readonly run: BatchRun }>,
): ParameterData => {
  const names = batch.uncertain.map((u) => u.name)
  const parties = Object.keys(draws[0]?.run.utilities ?? {})
  const bins = Math.min(10, Math.max(3, Math.round(Math.sqrt(draws.length) / 2)))
  const declared =
    (batch.definition as { parameters?: Record<string, { default?: unknown }> } | null)
      ?.parameters ?? {}
  const agreed = draws.map((d) => d.run.agreement !== null)
  const sensitivity = sensitivityOf(
    names,
    parties,
    draws.map((d) => ({
      parameters: d.parameters,
      outcome: { agreement: d.run.agreement, utilities: d.run.utilities },
    })),
  )
  return {
    curves: batch.uncertain.map((u) => {
      const fixedAt = declared[u.name]?.default
      return {
        parameter: u.name,
        points: binnedRates(
          draws.map((d) => d.parameters[u.name] ?? Number.NaN),
          agreed,
          u.min,
          u.max,
          bins,
        ),
        how: `runs binned by the value drawn for the parameter (${bins} equal bins of its range), the other uncertain parameters drawn as usual`,
        fixedAt: typeof fixedAt === "number" ? fixedAt : undefined,
      }
    }),
    sensitivity,
    parties,
    significance: prccThreshold(draws.length, sensitivity.length),
    runs: draws.length,
  }
}

/** Reads a `parley simulate --out DIR` folder and returns the batch report data. */
export const fromBatch = (
  dir: string,
  options: {
    readonly scenario?: string | undefined
    readonly overrides?: Readonly<Record<string, string>> | undefined
  },
) =>
  Effect.gen(function* () {
    const names = yield* Effect.tryPromise({
      try: () => readdir(dir),
      catch: (e) =>
        new ReportError({
          problem: `cannot read ${dir}: ${messageOf(e)}`,
        }),
    })
    const files = names.filter((n) => /^run-\d+\.jsonl$/.test(n)).sort()
    if (files.length === 0)
      return yield* new ReportError({
        problem: names.includes("sweep.json")
          ? `${dir} holds a sweep (sweep.json), not a batch of runs: report it with parley report --sweep ${dir}`
          : `${dir} holds no run-NNNNNN.jsonl logs (write them with parley simulate --out ${dir})`,
      })
    const logs: Array<{ file: string; events: ReadonlyArray<EventEnvelope> }> = []
    for (const f of files)
      logs.push({
        file: f,
        events: Chunk.toReadonlyArray(yield* Stream.runCollect(Jsonl.read(join(dir, f)))),
      })
    const opening = logs[0]!.events[0]?.metadata
    const recordedScenario = typeof opening?.scenario === "string" ? opening.scenario : undefined
    const recordedOverrides = (() => {
      if (typeof opening?.overrides !== "string") return undefined
      const parsed = Either.try(() => JSON.parse(opening.overrides as string) as unknown)
      return Either.isRight(parsed) && typeof parsed.right === "object" && parsed.right !== null
        ? (Object.fromEntries(
            Object.entries(parsed.right).filter(([, v]) => typeof v === "string"),
          ) as Record<string, string>)
        : undefined
    })()
    // The strategies `--agent` put in place of the scenario's, as recorded.
    const recordedAgents = (() => {
      if (typeof opening?.agents !== "string") return {}
      const parsed = Either.try(() => JSON.parse(opening.agents as string) as unknown)
      return Either.isRight(parsed) && typeof parsed.right === "object" && parsed.right !== null
        ? (parsed.right as Record<string, unknown>)
        : {}
    })()
    const scenario = options.scenario ?? recordedScenario
    const overrides = options.overrides ?? recordedOverrides ?? {}
    const notices: Array<string> = []
    const batch =
      scenario === undefined
        ? undefined
        : yield* loadBatch(scenario, overrides, recordedAgents).pipe(
            Effect.catchAll((e) => {
              notices.push(
                `The scenario ${scenario} could not be loaded (${e.message}); utilities are skipped.`,
              )
              return Effect.succeed(undefined)
            }),
          )
    if (scenario === undefined)
      notices.push(
        "No scenario given (--scenario FILE) and none recorded in the logs: utilities are skipped.",
      )
    const runs: Array<BatchRun> = []
    /** The uncertain parameters' values of each run whose seed is recorded, with its run. */
    const draws: Array<{ readonly parameters: Record<string, number>; readonly run: BatchRun }> = []
    let redrawn = 0
    for (const log of logs) {
      const state = lastGoodState(log.events)
      const last = [...log.events].reverse().find((e) => e.metadata?.source === "simulation")
      const rounds = typeof last?.metadata?.round === "number" ? last.metadata.round + 1 : 0
      const agreement = state.agreement?.terms ?? null
      const utilities: Record<string, number> = {}
      let drawn: Record<string, number> | undefined
      if (batch !== undefined) {
        const seed = log.events[0]?.metadata?.seed
        // Each run's own parameters when its seed is recorded; the scenario's defaults otherwise.
        const prepared =
          typeof seed === "number"
            ? Either.getOrElse(
                Either.map(preparedFor(batch, seed), (p) => {
                  redrawn++
                  drawn = p.drawn
                  return p.prepared
                }),
                () => batch.base,
              )
            : batch.base
        const limit = prepared.compiled.scenario.protocol.rounds
        const lastRound = Math.max(0, rounds - 1)
        const end = {
          time:
            state.status === "expired" ? 1 : rounds === 0 ? 0 : normalisedTime(lastRound, limit),
          round: lastRound,
        }
        Object.assign(
          utilities,
          discountedOf(scoreOutcome(prepared.parties, agreement ?? undefined, end)),
        )
      }
      const run: BatchRun = { file: log.file, status: state.status, rounds, agreement, utilities }
      runs.push(run)
      if (drawn !== undefined) draws.push({ parameters: drawn, run })
    }
    if (batch !== undefined && batch.uncertain.length > 0 && redrawn < runs.length)
      notices.push(
        `${runs.length - redrawn} of ${runs.length} logs record no seed: their uncertain parameters (${batch.uncertain.map((u) => u.name).join(", ")}) are taken at their defaults.`,
      )
    const lastState = lastGoodState(logs.at(-1)!.events)
    const seeds = logs
      .map((l) => l.events[0]?.metadata?.seed)
      .filter((s): s is number => typeof s === "number")
    const data: BatchData = {
      title: lastState.title || basename(dir),
      dir,
      runs,
      view: toView(lastState),
      preferences: batch === undefined ? undefined : preferencesOf(batch.base),
      parameters:
        batch === undefined || batch.uncertain.length === 0 || draws.length === 0
          ? undefined
          : drawnParameters(batch, draws),
      origin: [
        `${runs.length} runs read from ${dir}${seeds.length > 0 ? ` · seeds ${Math.min(...seeds)}..${Math.max(...seeds)}` : ""}${scenario === undefined ? "" : ` · scenario ${scenario}${options.scenario === undefined ? " (recorded in the logs)" : ""}${overridesText(overrides)}`}`,
      ],
      notices,
    }
    return data
  })
