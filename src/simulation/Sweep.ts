/**
 * Parameter sweeps and sensitivity: a Monte Carlo batch at each point of a
 * set of parameter values, the statistics an analyst reads off each point,
 * and a ranking of the parameters by how strongly they move the outcome.
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
import type { Terms } from "../domain/Issue.ts"
import {
  type BatchError,
  type ConnectAgents,
  loadBatch,
  type RunEngine,
  type RunOutcome,
  type Summary,
  simulate,
} from "./MonteCarlo.ts"
import type { Agents } from "./Runner.ts"

// ---------------------------------------------------------------------------
// Statistics

/** The 97.5% quantile of the standard normal distribution. */
export const Z975 = 1.959963984540054

/**
 * Wilson's score interval for a proportion of `successes` out of `n`
 * (Wilson 1927); `z` = 1.96 gives the 95% interval. `[0, 1]` when `n` is 0.
 */
export const wilson = (successes: number, n: number, z = Z975): readonly [number, number] => {
  if (n <= 0) return [0, 1]
  const p = successes / n
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  // At 0 and n the bound is exactly 0 or 1 (rounding would leave 1e-16).
  return [successes <= 0 ? 0 : centre - half, successes >= n ? 1 : centre + half]
}

const T975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157,
  2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816, 2.100922, 2.093024,
  2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523,
  2.042272,
]

/** The 97.5% quantile of Student's t with `df` degrees of freedom. */
export const t975 = (df: number): number => {
  if (df < 1) return Number.NaN
  if (df <= T975.length) return T975[Math.floor(df) - 1]!
  const z = Z975
  const g1 = (z ** 3 + z) / 4
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4
}

/** A mean and its 95% t interval (null with fewer than two values). */
export interface MeanInterval {
  readonly mean: number
  readonly interval: readonly [number, number] | null
}

/** The mean of `xs` with its 95% Student t interval. */
export const meanInterval = (xs: ReadonlyArray<number>): MeanInterval => {
  const n = xs.length
  if (n === 0) return { mean: Number.NaN, interval: null }
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n < 2) return { mean, interval: null }
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)
  const half = t975(n - 1) * Math.sqrt(variance / n)
  return { mean, interval: [mean - half, mean + half] }
}

/** Ranks 1..n, ties sharing their mean rank. */
export const ranks = (xs: ReadonlyArray<number>): Array<number> => {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0])
  const out = new Array<number>(xs.length)
  let i = 0
  while (i < order.length) {
    let j = i
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) out[order[k]![1]] = rank
    i = j + 1
  }
  return out
}

const constant = (xs: ReadonlyArray<number>) => xs.every((x) => x === xs[0])

/** Solves `a x = b` for several right-hand sides (columns of `b`) by Gaussian elimination; undefined when `a` is singular. */
const solve = (
  a: ReadonlyArray<ReadonlyArray<number>>,
  b: ReadonlyArray<ReadonlyArray<number>>,
): Array<Array<number>> | undefined => {
  const n = a.length
  const scale = Math.max(1e-300, ...a.map((row, i) => Math.abs(row[i]!)))
  const m = a.map((row, i) => [...row, ...b[i]!])
  const width = m[0]?.length ?? 0
  for (let c = 0; c < n; c++) {
    let pivot = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r
    if (Math.abs(m[pivot]![c]!) < 1e-10 * scale) return undefined
    ;[m[c], m[pivot]] = [m[pivot]!, m[c]!]
    const row = m[c]!
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = m[r]![c]! / row[c]!
      if (f === 0) continue
      for (let k = c; k < width; k++) m[r]![k] = m[r]![k]! - f * row[k]!
    }
  }
  return m.map((row, i) => row.slice(n).map((x) => x / row[i]!))
}

/**
 * Partial rank correlation coefficients of each input (a column of values,
 * one per run) with `output` (Marino et al. 2008): the correlation of the
 * residuals of rank(x_j) and rank(y) after a linear regression on the ranks
 * of the other inputs. Computed from the Gram matrix G of the centred ranks:
 * a residual inner product is G_uv − G_uS·G_SS⁻¹·G_Sv. Null for an input or
 * an output that is constant, or when the other inputs explain the input or
 * the output entirely (nothing left to correlate).
 */
export const prcc = (
  inputs: ReadonlyArray<ReadonlyArray<number>>,
  output: ReadonlyArray<number>,
): Array<number | null> => {
  const result: Array<number | null> = inputs.map(() => null)
  const n = output.length
  if (n < 3 || constant(output)) return result
  const used = inputs.flatMap((x, i) => (constant(x) ? [] : [i]))
  if (used.length === 0) return result
  const centred = [...used.map((i) => ranks(inputs[i]!)), ranks(output)].map((c) => {
    const mean = c.reduce((a, b) => a + b, 0) / n
    return c.map((x) => x - mean)
  })
  const gram = centred.map((a) => centred.map((b) => a.reduce((s, x, k) => s + x * b[k]!, 0)))
  const y = used.length
  used.forEach((input, j) => {
    const others = used.map((_, k) => k).filter((k) => k !== j)
    let uu = gram[j]![j]!
    let yy = gram[y]![y]!
    let uy = gram[j]![y]!
    if (others.length > 0) {
      const coefficients = solve(
        others.map((a) => others.map((b) => gram[a]![b]!)),
        others.map((a) => [gram[a]![j]!, gram[a]![y]!]),
      )
      if (coefficients === undefined) return
      const explained = (u: number, v: number) =>
        others.reduce((s, a, i) => s + gram[u]![a]! * coefficients[i]![v]!, 0)
      uu -= explained(j, 0)
      yy -= explained(y, 1)
      uy -= explained(j, 1)
    }
    if (uu <= 1e-9 * gram[j]![j]! || yy <= 1e-9 * gram[y]![y]!) return
    result[input] = Math.max(-1, Math.min(1, uy / Math.sqrt(uu * yy)))
  })
  return result
}

/**
 * The smallest |PRCC| distinguishable from 0 at the 5% level over `runs`
 * runs and `parameters` inputs: under no association PRCC·√((N−2−p)/(1−PRCC²))
 * follows Student's t with N−2−p degrees of freedom (Marino et al. 2008), so
 * the bound is t/√(df + t²). Null when there are too few runs.
 */
export const prccThreshold = (runs: number, parameters: number): number | null => {
  const df = runs - 2 - parameters
  if (df <= 0) return null
  const t = t975(df)
  return t / Math.sqrt(df + t * t)
}

/** One bin (or point) of an agreement-rate curve: where it lies, its runs, its rate and Wilson 95% interval. */
export interface RatePoint {
  readonly x: number
  /** The bin's bounds (a sweep point's are both its value). */
  readonly from: number
  readonly to: number
  readonly runs: number
  readonly agreed: number
  readonly rate: number
  readonly interval: readonly [number, number]
}

/**
 * The agreement rate of runs binned by a parameter drawn from `[lo, hi]`:
 * `bins` equal bins (a value at `hi` goes to the last), each at its centre,
 * with its Wilson interval; empty bins are left out. What a Monte Carlo batch
 * shows instead of a sweep's exact points.
 */
export const binnedRates = (
  values: ReadonlyArray<number>,
  agreed: ReadonlyArray<boolean>,
  lo: number,
  hi: number,
  bins: number,
): Array<RatePoint> => {
  const width = (hi - lo) / bins
  const runs = new Array<number>(bins).fill(0)
  const yes = new Array<number>(bins).fill(0)
  values.forEach((v, i) => {
    // A value on an edge goes to the bin above it, whatever the rounding of (v − lo) / width.
    const b = width > 0 ? Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width + 1e-9))) : 0
    runs[b]!++
    if (agreed[i] === true) yes[b]!++
  })
  const out: Array<RatePoint> = []
  for (let b = 0; b < bins; b++) {
    if (runs[b] === 0) continue
    const from = lo + b * width
    const to = b === bins - 1 ? hi : lo + (b + 1) * width
    out.push({
      x: (from + to) / 2,
      from,
      to,
      runs: runs[b]!,
      agreed: yes[b]!,
      rate: yes[b]! / runs[b]!,
      interval: wilson(yes[b]!, runs[b]!),
    })
  }
  return out
}

/** How often each option of each issue was agreed: issue → option (as text) → agreements. */
export type AgreedTerms = Readonly<Record<string, Readonly<Record<string, number>>>>

/** Counts the agreed option of each issue over the agreements among `agreements` (null: no agreement). */
export const agreedTermsOf = (
  issues: ReadonlyArray<string>,
  agreements: ReadonlyArray<Terms | null>,
): AgreedTerms => {
  const out: Record<string, Record<string, number>> = {}
  for (const issue of issues) out[issue] = {}
  for (const terms of agreements) {
    if (terms === null) continue
    for (const issue of issues) {
      const v = (terms as Readonly<Record<string, unknown>>)[issue]
      if (v === undefined) continue
      const key = String(typeof v === "number" ? Number(v.toFixed(4)) : v)
      out[issue]![key] = (out[issue]![key] ?? 0) + 1
    }
  }
  return out
}

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
 * The per-run rows stay out (`--table` writes them as CSV).
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

// ---------------------------------------------------------------------------
// The table of runs

/** A CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
export const csvField = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return ""
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * One CSV line per run (RFC 4180: a header line, CRLF line ends): the point
 * (in a sweep), run, seed, every parameter, status, rounds, agreement time,
 * the agreed option of each issue, and each party's utility, discounted
 * utility and advantage.
 */
export const runsCsv = (
  rows: ReadonlyArray<Row>,
  columns: {
    readonly parameters: ReadonlyArray<string>
    readonly parties: ReadonlyArray<string>
    readonly issues: ReadonlyArray<string>
    readonly points: boolean
  },
): string => {
  const header = [
    ...(columns.points ? ["point"] : []),
    "run",
    "seed",
    ...columns.parameters,
    "status",
    "rounds",
    "agreementTime",
    ...columns.issues.map((i) => `agreed_${i}`),
    ...columns.parties.flatMap((p) => [`${p}_utility`, `${p}_discounted`, `${p}_advantage`]),
  ]
  const lines = [header.map(csvField).join(",")]
  for (const { point, parameters, outcome: o } of rows) {
    const agreement = o.agreement as Readonly<Record<string, unknown>> | null
    lines.push(
      [
        ...(columns.points ? [point ?? null] : []),
        o.run,
        o.seed,
        ...columns.parameters.map((p) => parameters[p] ?? null),
        o.status,
        o.rounds,
        o.agreementTime,
        ...columns.issues.map((i) =>
          agreement === null || agreement[i] === undefined ? null : String(agreement[i]),
        ),
        ...columns.parties.flatMap((p) => {
          const s = o.scores[p]
          return [s?.utility ?? null, s?.discounted ?? null, s?.advantage ?? null]
        }),
      ]
        .map(csvField)
        .join(","),
    )
  }
  return `${lines.join("\r\n")}\r\n`
}
