/**
 * Parameter sweeps and sensitivity: a Monte Carlo batch at each point of a
 * set of parameter values, the statistics an analyst reads off each point
 * (computed by `src/analysis/Statistics.ts`), and a ranking of the
 * parameters by how strongly they move the outcome.
 *
 * Methods, with what had to be interpreted:
 * - Agreement rate: Wilson's score interval (E. B. Wilson, "Probable
 *   inference, the law of succession, and statistical inference", Journal of
 *   the American Statistical Association 22, 1927), the interval Newcombe
 *   ("Two-sided confidence intervals for the single proportion: comparison of
 *   seven methods", Statistics in Medicine 17, 1998) recommends over the Wald
 *   interval, which collapses at rates of 0 and 1 — common in sweeps.
 * - Mean discounted utility: Student's t interval, mean ± t(0.975, n−1)·s/√n.
 *   The t quantile is tabulated to df 30 and from there taken from the
 *   Cornish–Fisher expansion of t in the normal quantile (Abramowitz & Stegun
 *   26.7.5), accurate to 1e-5 there.
 * - Sensitivity: partial rank correlation coefficients (PRCC) of each input
 *   with each outcome over all runs (S. Marino, I. B. Hogue, C. J. Ray,
 *   D. E. Kirschner, "A methodology for performing global uncertainty and
 *   sensitivity analysis in systems biology", Journal of Theoretical Biology
 *   254, 2008; A. Saltelli et al., "Global Sensitivity Analysis: The Primer",
 *   Wiley, 2008). Inputs and outputs are replaced by their ranks (ties get
 *   the mean rank), and PRCC_j is the correlation of x_j and y once the
 *   linear effect of the other inputs is removed (the residuals of linear
 *   regressions of each on the others' ranks).
 *   Interpreted: agreement is a 0/1 outcome, ranked with ties like any
 *   other; PRCC then measures a monotone association with agreeing, which is
 *   what an analyst asks ("does a higher reservation make agreement less
 *   likely?"). An input that never changes, or an outcome that never
 *   changes, has no PRCC (null).
 * - Points: one at a time by default (each varied parameter over its steps,
 *   every other varied parameter at its default or `--set` value), or the
 *   full grid. A varied parameter is fixed at the point's value, never drawn;
 *   the scenario's other uncertain parameters are drawn per run as in
 *   `simulate`. Every point uses the same seeds (`seed`, `seed + 1`, ...):
 *   common random numbers, so the difference between two points of a curve is
 *   the parameter's effect, not a different draw of the others.
 *
 * A sweep with remote agents connects to them once, before the first point,
 * and plays each point's batch in this process as `simulate` does
 * (`concurrency` runs at once, outcomes in run order).
 *
 * @since 0.3.0
 */
import { Effect, Either, Schema } from "effect"
import {
  type AgreedTerms,
  agreedTermsOf,
  constant,
  type MeanInterval,
  meanInterval,
  prcc,
  prccThreshold,
  wilson,
} from "../analysis/Statistics.ts"
import { type ConnectAgents, loadBatch, type RunOutcome } from "./Batch.ts"
import { type BatchError, type RunEngine, simulate } from "./MonteCarlo.ts"
import type { Agents } from "./Runner.ts"
import type { Summary } from "./Summary.ts"

// ---------------------------------------------------------------------------
// Points

/** `--vary name=min:max:steps`: a parameter swept over `steps` evenly spaced values. */
export interface Vary {
  readonly name: string
  readonly min: number
  readonly max: number
  readonly steps: number
}

/** Parses `name=min:max:steps`; the problem as text when it is not one. */
export const parseVary = (text: string): Either.Either<Vary, string> => {
  const bad = (problem: string) => Either.left(`--vary ${text}: ${problem}`)
  const eq = text.indexOf("=")
  if (eq <= 0) return bad("expected name=min:max:steps, e.g. ukraineReservation=0.2:0.5:4")
  const name = text.slice(0, eq).trim()
  const parts = text.slice(eq + 1).split(":")
  if (parts.length !== 3)
    return bad("expected name=min:max:steps, e.g. ukraineReservation=0.2:0.5:4")
  const [min, max, steps] = parts.map((p) => (p.trim() === "" ? Number.NaN : Number(p)))
  if (!Number.isFinite(min)) return bad(`min ${JSON.stringify(parts[0])} is not a number`)
  if (!Number.isFinite(max)) return bad(`max ${JSON.stringify(parts[1])} is not a number`)
  if (!Number.isInteger(steps))
    return bad(`steps ${JSON.stringify(parts[2])} is not a whole number`)
  if (min! > max!) return bad(`min ${min} is greater than max ${max}`)
  if (steps! < 2) return bad(`steps must be at least 2, got ${steps}`)
  return Either.right({ name, min: min!, max: max!, steps: steps! })
}

/**
 * Checks a sweep against the scenario's declared parameters: each varied
 * parameter exists, is a number, is varied once and is not also `--set`.
 * The problem as text, or undefined.
 */
export const checkVaries = (
  definition: unknown,
  varies: ReadonlyArray<Vary>,
  overrides: Readonly<Record<string, string>>,
): string | undefined => {
  const declared = parametersOf(definition)
  const seen = new Set<string>()
  for (const v of varies) {
    const text = `--vary ${v.name}`
    const p = declared[v.name]
    if (p === undefined) {
      const known = Object.entries(declared)
        .filter(([, q]) => typeof q.default === "number")
        .map(([k]) => k)
      return `${text}: unknown parameter (this scenario's number parameters: ${known.length === 0 ? "none" : known.join(", ")})`
    }
    if (typeof p.default !== "number")
      return `${text}: not a number parameter (its default is ${JSON.stringify(p.default)})`
    if (seen.has(v.name)) return `${text}: varied twice`
    if (v.name in overrides) return `${text}: also fixed by --set`
    seen.add(v.name)
  }
  return undefined
}

const parametersOf = (
  definition: unknown,
): Record<string, { readonly default?: unknown; readonly uncertain?: unknown }> => {
  const p = (definition as { parameters?: unknown } | null)?.parameters
  return typeof p === "object" && p !== null ? (p as Record<string, { default?: unknown }>) : {}
}

/** The `steps` evenly spaced values of a varied parameter, `min` and `max` included. */
export const valuesOf = (v: Vary): Array<number> =>
  Array.from({ length: v.steps }, (_, i) =>
    i === v.steps - 1
      ? v.max
      : Number((v.min + ((v.max - v.min) * i) / (v.steps - 1)).toPrecision(12)),
  )

/**
 * The points of a sweep, each the values it fixes: one at a time (each
 * parameter over its values, alone) or, with `grid`, every combination.
 */
export const pointsOf = (
  varies: ReadonlyArray<Vary>,
  grid: boolean,
): Array<Readonly<Record<string, number>>> => {
  if (!grid) return varies.flatMap((v) => valuesOf(v).map((x) => ({ [v.name]: x })))
  return varies.reduce<Array<Record<string, number>>>(
    (points, v) => points.flatMap((p) => valuesOf(v).map((x) => ({ ...p, [v.name]: x }))),
    [{}],
  )
}

// ---------------------------------------------------------------------------
// The sweep

/** What one point of a sweep shows. */
export interface PointResult {
  /** The parameter values this point fixes. */
  readonly values: Readonly<Record<string, number>>
  readonly runs: number
  readonly agreementRate: number
  /** Wilson 95% score interval of the agreement rate. */
  readonly interval: readonly [number, number]
  /** Per party: mean discounted utility (discounted reservation value without agreement) with its 95% t interval. */
  readonly meanUtility: Readonly<Record<string, MeanInterval>>
  readonly roundsToAgreement: { readonly median: number; readonly mean: number } | null
  readonly paretoEfficientShare: number | null
  /** How often each option of each issue was agreed at this point. */
  readonly agreedTerms: AgreedTerms
}

/** A parameter's partial rank correlation with agreement and with each party's discounted utility. */
export interface Sensitivity {
  readonly parameter: string
  readonly agreement: number | null
  readonly utility: Readonly<Record<string, number | null>>
}

/** One run of a sweep, with every parameter's value in it. */
export interface Row {
  /** The index of the point in `points` (undefined outside a sweep). */
  readonly point?: number | undefined
  /** Every drawn and varied parameter (a varied one at its default where another is swept). */
  readonly parameters: Readonly<Record<string, number>>
  readonly outcome: RunOutcome
}

/** Options of {@link sweep}. */
export interface SweepOptions<E = never, R = never, EngineError = never> {
  readonly varies: ReadonlyArray<Vary>
  readonly grid: boolean
  readonly runs: number
  readonly seed: number
  readonly workers?: number | undefined
  /** Plays each point's runs elsewhere (`--distributed`). */
  readonly engine?: RunEngine<EngineError> | undefined
  /** Called after each point with how many points are done. */
  readonly onPoint?: ((done: number, total: number) => void) | undefined
  /**
   * Opens the connection to remote agents when the scenario has one (once,
   * for every point; see `remote/Connect.ts`); without it, a remote agent is
   * refused with the reason.
   */
  readonly connect?: ConnectAgents<E, R> | undefined
  /** With remote agents: how many runs of a point wait on them at once (default as `simulate`). */
  readonly concurrency?: number | undefined
}

/** What a sweep found. */
export interface SweepResult {
  readonly title: string
  readonly parties: ReadonlyArray<string>
  readonly issues: ReadonlyArray<string>
  /** The parameter columns: varied, then drawn, in the scenario's order. */
  readonly parameters: ReadonlyArray<string>
  readonly points: ReadonlyArray<PointResult>
  readonly sensitivity: ReadonlyArray<Sensitivity>
  readonly rows: ReadonlyArray<Row>
  /** The value each parameter holds where it is neither varied at a point nor drawn (its default or `--set` value). */
  readonly fixed: Readonly<Record<string, number>>
  /** Each issue's label and, for a discrete issue, its options in order. */
  readonly issueInfo: ReadonlyArray<IssueInfo>
}

/** What a sweep's pictures need of an issue. */
export interface IssueInfo {
  readonly id: string
  readonly label?: string | undefined
  readonly options?: ReadonlyArray<string> | undefined
}

/** A point's statistics from its Monte Carlo summary and outcomes. */
export const pointResult = (
  values: Readonly<Record<string, number>>,
  summary: Summary,
  outcomes: ReadonlyArray<RunOutcome>,
  issues: ReadonlyArray<string>,
): PointResult => {
  const agreed = outcomes.filter((o) => o.agreement !== null).length
  const meanUtility: Record<string, MeanInterval> = {}
  for (const party of Object.keys(summary.meanUtility))
    meanUtility[party] = meanInterval(outcomes.map((o) => o.utilities[party] ?? 0))
  return {
    values,
    runs: outcomes.length,
    agreementRate: summary.agreementRate,
    interval: wilson(agreed, outcomes.length),
    meanUtility,
    roundsToAgreement:
      summary.roundsToAgreement === null
        ? null
        : { median: summary.roundsToAgreement.median, mean: summary.roundsToAgreement.mean },
    paretoEfficientShare: summary.paretoEfficientShare,
    agreedTerms: agreedTermsOf(
      issues,
      outcomes.map((o) => o.agreement),
    ),
  }
}

/** The sensitivity ranking over `rows`, strongest association with agreement first. */
export const sensitivityOf = (
  parameters: ReadonlyArray<string>,
  parties: ReadonlyArray<string>,
  rows: ReadonlyArray<{
    readonly parameters: Readonly<Record<string, number>>
    readonly outcome: Pick<RunOutcome, "agreement" | "utilities">
  }>,
): Array<Sensitivity> => {
  const inputs = parameters.map((p) => rows.map((r) => r.parameters[p] ?? Number.NaN))
  const agreement = prcc(
    inputs,
    rows.map((r) => (r.outcome.agreement === null ? 0 : 1)),
  )
  const utility = parties.map((party) =>
    prcc(
      inputs,
      rows.map((r) => r.outcome.utilities[party] ?? 0),
    ),
  )
  const out = parameters
    .map((parameter, i) => ({
      parameter,
      agreement: agreement[i] ?? null,
      utility: Object.fromEntries(parties.map((party, k) => [party, utility[k]![i] ?? null])),
    }))
    .filter((s) => !constant(inputs[parameters.indexOf(s.parameter)]!))
  const strength = (s: Sensitivity) => Math.abs(s.agreement ?? -1)
  return out.sort((a, b) => strength(b) - strength(a))
}

/** Runs a sweep: a Monte Carlo batch of `runs` runs at each point. */
export const sweep = <E = never, R = never, EngineError = never>(
  file: string,
  overrides: Readonly<Record<string, string>>,
  agents: Agents,
  options: SweepOptions<E, R, EngineError>,
): Effect.Effect<SweepResult, BatchError | E | EngineError, R> =>
  Effect.gen(function* () {
    const base = yield* loadBatch(file, overrides, agents, options.connect)
    // Every point reaches the remote agents through the one connection.
    const sameTransport = (needed: boolean) => Effect.succeed(needed ? base.transport : undefined)
    const declared = parametersOf(base.definition)
    const varied = options.varies.map((v) => v.name)
    const drawn = base.uncertain.map((u) => u.name).filter((n) => !varied.includes(n))
    const parameters = [...varied, ...drawn]
    // The value a parameter holds where it is neither varied at the point nor drawn.
    const fixed: Record<string, number> = {}
    for (const name of parameters)
      fixed[name] =
        name in overrides ? Number(overrides[name]) : Number(declared[name]?.default ?? Number.NaN)
    const scenario = base.base.compiled.scenario
    const issues = scenario.issues.map((i) => i.id as string)
    const points = pointsOf(options.varies, options.grid)
    const results: Array<PointResult> = []
    const rows: Array<Row> = []
    let parties: ReadonlyArray<string> = []
    for (const [index, values] of points.entries()) {
      // Every varied parameter is fixed: at the point's value, or at its default.
      const fixedVaried: Record<string, string> = {}
      for (const name of varied) fixedVaried[name] = String(values[name] ?? fixed[name])
      const batch = yield* loadBatch(file, { ...overrides, ...fixedVaried }, agents, sameTransport)
      const { summary, outcomes } = yield* simulate(batch, {
        runs: options.runs,
        seed: options.seed,
        workers: options.workers,
        concurrency: options.concurrency,
        engine: options.engine,
      })
      results.push(pointResult(values, summary, outcomes, issues))
      parties = Object.keys(summary.meanUtility)
      for (const outcome of outcomes) {
        const row: Record<string, number> = {}
        for (const name of parameters)
          row[name] = values[name] ?? outcome.drawn[name] ?? fixed[name] ?? Number.NaN
        rows.push({ point: index, parameters: row, outcome })
      }
      options.onPoint?.(index + 1, points.length)
    }
    return {
      title: scenario.title,
      parties,
      issues,
      fixed,
      issueInfo: scenario.issues.map((i) => ({
        id: i.id as string,
        ...(i.label === undefined ? {} : { label: i.label }),
        ...(i.kind === "discrete" ? { options: i.options as ReadonlyArray<string> } : {}),
      })),
      parameters,
      points: results,
      sensitivity: sensitivityOf(parameters, parties, rows),
      rows,
    } satisfies SweepResult
  })

// ---------------------------------------------------------------------------
// The sweep file

const Finite = Schema.Number.pipe(Schema.finite())
const Interval = Schema.Tuple(Finite, Finite)
const Count = Schema.Int.pipe(Schema.nonNegative())

/**
 * What `parley sweep --out DIR` writes as `DIR/sweep.json` and `parley report
 * --sweep DIR` reads: how the sweep was run, every point's statistics (with
 * its agreed terms), the sensitivity ranking and its 5% significance bound.
 * The per-run rows stay out (`--table` writes them as CSV: `RunsTable.ts`).
 */
export const SweepFile = Schema.Struct({
  format: Schema.Literal("parley-sweep/1"),
  scenario: Schema.String,
  overrides: Schema.Record({ key: Schema.String, value: Schema.String }),
  title: Schema.String,
  varies: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      min: Finite,
      max: Finite,
      steps: Schema.Int.pipe(Schema.greaterThanOrEqualTo(2)),
    }),
  ),
  grid: Schema.Boolean,
  /** Runs at each point. */
  runs: Schema.Int.pipe(Schema.positive()),
  seed: Schema.Number,
  parties: Schema.Array(Schema.String),
  issues: Schema.Array(
    Schema.Struct({
      id: Schema.String,
      label: Schema.optional(Schema.String),
      options: Schema.optional(Schema.Array(Schema.String)),
    }),
  ),
  parameters: Schema.Array(Schema.String),
  fixed: Schema.Record({ key: Schema.String, value: Schema.NullOr(Finite) }),
  points: Schema.Array(
    Schema.Struct({
      values: Schema.Record({ key: Schema.String, value: Finite }),
      runs: Count,
      agreementRate: Finite.pipe(Schema.between(0, 1)),
      interval: Interval,
      meanUtility: Schema.Record({
        key: Schema.String,
        value: Schema.Struct({ mean: Schema.NullOr(Finite), interval: Schema.NullOr(Interval) }),
      }),
      roundsToAgreement: Schema.NullOr(Schema.Struct({ median: Finite, mean: Finite })),
      paretoEfficientShare: Schema.NullOr(Finite),
      agreedTerms: Schema.Record({
        key: Schema.String,
        value: Schema.Record({ key: Schema.String, value: Count }),
      }),
    }),
  ),
  sensitivity: Schema.Array(
    Schema.Struct({
      parameter: Schema.String,
      agreement: Schema.NullOr(Finite),
      utility: Schema.Record({ key: Schema.String, value: Schema.NullOr(Finite) }),
    }),
  ),
  /** The smallest |PRCC| distinguishable from 0 at the 5% level (null with too few runs). */
  significance: Schema.NullOr(Finite),
  /** Runs over all points. */
  totalRuns: Count,
})
export type SweepFile = typeof SweepFile.Type

/** A sweep's result as its file holds it (numbers that are not finite become null, as JSON writes them). */
export const sweepFile = (
  result: SweepResult,
  how: {
    readonly scenario: string
    readonly overrides: Readonly<Record<string, string>>
    readonly varies: ReadonlyArray<Vary>
    readonly grid: boolean
    readonly runs: number
    readonly seed: number
  },
): typeof SweepFile.Encoded => {
  const finite = (x: number) => (Number.isFinite(x) ? x : null)
  return {
    format: "parley-sweep/1",
    scenario: how.scenario,
    overrides: { ...how.overrides },
    title: result.title,
    varies: how.varies.map((v) => ({ ...v })),
    grid: how.grid,
    runs: how.runs,
    seed: how.seed,
    parties: [...result.parties],
    issues: result.issueInfo.map((i) => ({
      id: i.id,
      ...(i.label === undefined ? {} : { label: i.label }),
      ...(i.options === undefined ? {} : { options: [...i.options] }),
    })),
    parameters: [...result.parameters],
    fixed: Object.fromEntries(Object.entries(result.fixed).map(([k, v]) => [k, finite(v)])),
    points: result.points.map((p) => ({
      values: { ...p.values },
      runs: p.runs,
      agreementRate: p.agreementRate,
      interval: [p.interval[0], p.interval[1]] as const,
      meanUtility: Object.fromEntries(
        Object.entries(p.meanUtility).map(([party, m]) => [
          party,
          {
            mean: finite(m.mean),
            interval: m.interval === null ? null : ([m.interval[0], m.interval[1]] as const),
          },
        ]),
      ),
      roundsToAgreement: p.roundsToAgreement,
      paretoEfficientShare: p.paretoEfficientShare,
      agreedTerms: p.agreedTerms,
    })),
    sensitivity: result.sensitivity.map((s) => ({ ...s })),
    significance: prccThreshold(result.rows.length, result.sensitivity.length),
    totalRuns: result.rows.length,
  }
}
