/**
 * A party's preferences over the terms of an agreement, as a scenario file
 * embeds them, and the compiled utility function simulations call in their
 * hot loops.
 *
 * Three kinds:
 * - {@link LinearAdditive} (a schema, so scenario files can carry it): a weight
 *   per issue and an evaluation per issue; the utility of full terms is the
 *   weighted sum of the evaluations, as in GENIUS / GeniusWeb.
 * - `HyperRectangles` (`Nonlinear.ts`, a schema too): sums of constraints on
 *   ranges of integer issues, GENIUS's non-linear profiles (ANAC 2014).
 * - {@link CustomPreferences} (a TypeScript type only): a scenario module
 *   written in TypeScript supplies its own `(terms) => number`.
 *
 * GENIUS rules applied by {@link utility}:
 * - weights are renormalised to sum to 1 over the issues being negotiated
 *   (some ANAC files sum to 1.00005);
 * - a discrete option's score is divided by the largest score of its issue
 *   (`normalize: "max"`, the default); `normalize: "none"` keeps the scores as
 *   given (GeniusWeb's `valueUtilities` are already utilities in [0, 1]);
 * - numeric issues evaluate linearly between two end points, clamped to [0, 1].
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { IssueId } from "../domain/Ids.ts"
import type { Issue, Terms, TermValue } from "../domain/Issue.ts"
import { HyperRectangles, hyperRectanglesProblem, hyperRectanglesUtility } from "./Nonlinear.ts"
import { Discount, NonNegative, RedLines, UnitInterval } from "./PreferenceFields.ts"

export { Discount, NonNegative, RedLines, UnitInterval } from "./PreferenceFields.ts"

/**
 * Scores per option of a discrete issue (or per integer, keyed by its decimal
 * text, for an integer issue). Options not listed score 0. With
 * `normalize: "max"` (default, the GENIUS rule) each score is divided by the
 * largest score of the issue; with `"none"` scores are used as they are and
 * must lie in [0, 1].
 */
export const OptionsEvaluation = Schema.Struct({
  kind: Schema.Literal("options"),
  scores: Schema.Record({ key: Schema.String, value: NonNegative }),
  normalize: Schema.optionalWith(Schema.Literal("max", "none"), { default: () => "max" as const }),
})
export type OptionsEvaluation = typeof OptionsEvaluation.Type

/**
 * A linear evaluation of an integer or real issue: utility `atLow` at value
 * `low`, `atHigh` at value `high`, linear in between and clamped (to the end
 * utilities outside `[low, high]`, and to [0, 1]). `low` / `high` default to the
 * issue's `min` / `max`. This is GENIUS's linear evaluator (utility of the
 * lowest and of the highest value) and GeniusWeb's `numberutils`.
 */
export const LinearEvaluation = Schema.Struct({
  kind: Schema.Literal("linear"),
  low: Schema.optional(Schema.Finite),
  high: Schema.optional(Schema.Finite),
  atLow: UnitInterval,
  atHigh: UnitInterval,
})
export type LinearEvaluation = typeof LinearEvaluation.Type

/**
 * Shorthand for a linear evaluation over the issue's whole range: `best: "max"`
 * means 0 at `min` and 1 at `max`; `best: "min"` the reverse.
 */
export const MonotoneEvaluation = Schema.Struct({
  kind: Schema.Literal("monotone"),
  best: Schema.Literal("max", "min"),
})
export type MonotoneEvaluation = typeof MonotoneEvaluation.Type

/** How one issue is evaluated. */
export const Evaluation = Schema.Union(OptionsEvaluation, LinearEvaluation, MonotoneEvaluation)
export type Evaluation = typeof Evaluation.Type

/**
 * Linear additive preferences, the form scenario files embed.
 *
 * - `weights`: relative importance per issue (renormalised to sum to 1);
 * - `evaluations`: how each weighted issue is scored;
 * - `reservation`: utility of no agreement (default 0);
 * - `discount`: GENIUS's discount factor, per unit of normalised time:
 *   an agreement at time `t` in [0, 1] is worth `u * discount^t`, whatever the
 *   number of rounds (default 1);
 * - `discountPerRound`: a factor per simulated round, `u * discountPerRound^round`,
 *   as bargaining theory (Rubinstein) discounts (default 1); both may apply;
 * - `redLines`: values the party never accepts, whatever their utility.
 *
 * Decode with `{ onExcessProperty: "error" }`: by default Effect Schema drops
 * record keys that are not valid issue ids instead of failing.
 */
export const LinearAdditive = Schema.Struct({
  kind: Schema.optionalWith(Schema.Literal("linear-additive"), {
    default: () => "linear-additive" as const,
  }),
  weights: Schema.Record({ key: IssueId, value: NonNegative }),
  evaluations: Schema.Record({ key: IssueId, value: Evaluation }),
  reservation: Schema.optionalWith(UnitInterval, { default: () => 0 }),
  discount: Schema.optionalWith(Discount, { default: () => 1 }),
  discountPerRound: Schema.optionalWith(Discount, { default: () => 1 }),
  redLines: Schema.optionalWith(RedLines, { default: () => ({}) }),
})
export type LinearAdditive = typeof LinearAdditive.Type
/** The encoded (file) form of {@link LinearAdditive}: defaults may be omitted. */
export type LinearAdditiveEncoded = typeof LinearAdditive.Encoded

/** Linear additive preferences (the name most of parley uses for them). */
export const Preferences = LinearAdditive
export type Preferences = LinearAdditive

/**
 * Preferences a scenario file may embed: linear additive (the default when
 * `kind` is omitted) or hyper-rectangles (`kind: "hyper-rectangles"`, see
 * `Nonlinear.ts`).
 */
export const FilePreferences = Schema.Union(LinearAdditive, HyperRectangles)
export type FilePreferences = LinearAdditive | HyperRectangles

/** A utility function supplied by code: full terms to a number in [0, 1]. */
export type UtilityFunction = (terms: Terms) => number

/**
 * Preferences a TypeScript scenario module supplies as code. `utility` must be
 * pure, return a number in [0, 1] and should not allocate: simulations call
 * it millions of times.
 */
export interface CustomPreferences {
  readonly kind: "custom"
  readonly utility: UtilityFunction
  readonly reservation?: number | undefined
  readonly discount?: number | undefined
  readonly discountPerRound?: number | undefined
  readonly redLines?: RedLines | undefined
}

/** Any kind of preferences. */
export type PartyPreferences = FilePreferences | CustomPreferences

/** Reservation value of any preferences (0 when not given). */
export const reservationOf = (p: PartyPreferences): number => p.reservation ?? 0

/** GENIUS discount factor of any preferences, per unit of normalised time (1 when not given). */
export const discountOf = (p: PartyPreferences): number => p.discount ?? 1

/** Discount factor per simulated round of any preferences (1 when not given). */
export const discountPerRoundOf = (p: PartyPreferences): number => p.discountPerRound ?? 1

/** When an outcome happens: normalised time in [0, 1] and the simulated round (from 0). */
export interface Moment {
  readonly time: number
  readonly round: number
}

/**
 * The factor an outcome at `at` is multiplied by: `discount^t *
 * discountPerRound^round`. The first is GENIUS's (`UtilitySpace.discount`,
 * `u * d^t` with `t` normalised time, so a domain keeps its meaning whatever
 * the number of rounds); the second is bargaining theory's per-round factor.
 */
export const discountFactor = (p: PartyPreferences, at: Moment): number => {
  const d = p.discount ?? 1
  const r = p.discountPerRound ?? 1
  return (d === 1 ? 1 : d ** at.time) * (r === 1 ? 1 : r ** at.round)
}

/** `u` discounted to `at` (see {@link discountFactor}). */
export const discounted = (p: PartyPreferences, u: number, at: Moment): number =>
  u * discountFactor(p, at)

/**
 * The reservation value discounted to `at`, as GENIUS's
 * `getReservationValueWithDiscount`: what no agreement is worth when talks
 * end at that moment.
 */
export const discountedReservation = (p: PartyPreferences, at: Moment): number =>
  reservationOf(p) * discountFactor(p, at)

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x))

/**
 * `record[key]` when `key` is the record's own: an issue or option named
 * `constructor` or `hasOwnProperty` is not read from `Object.prototype`.
 */
export const own = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined

/** The renormalised weight of each issue in `issues`, in order (zeros if all weights are 0). */
export const normalizedWeights = (
  p: LinearAdditive,
  issues: ReadonlyArray<Issue>,
): Float64Array => {
  const w = new Float64Array(issues.length)
  let sum = 0
  for (let i = 0; i < issues.length; i++) {
    const x = own(p.weights, issues[i]!.id) ?? 0
    w[i] = x
    sum += x
  }
  if (sum > 0) for (let i = 0; i < w.length; i++) w[i] = w[i]! / sum
  return w
}

/**
 * The evaluation (before weighting) of one value of `issue`, in [0, 1]; 0 for
 * a value the evaluation does not cover. Not for hot loops: see {@link utility}.
 */
export const evaluate = (evaluation: Evaluation, issue: Issue, value: TermValue): number => {
  switch (evaluation.kind) {
    case "options": {
      const key = typeof value === "number" ? String(value) : value
      // Own keys only: an option named `constructor` or `__proto__` is an option like any other.
      const raw = own(evaluation.scores, key) ?? 0
      if (evaluation.normalize === "none") return clamp01(raw)
      let max = 0
      for (const k in evaluation.scores) max = Math.max(max, evaluation.scores[k] ?? 0)
      return max > 0 ? raw / max : 0
    }
    case "linear":
    case "monotone": {
      if (typeof value !== "number" || issue.kind === "discrete") return 0
      const { low, high, atLow, atHigh } = linearParams(evaluation, issue)
      return linearAt(value, low, high, atLow, atHigh)
    }
  }
}

const linearParams = (
  e: LinearEvaluation | MonotoneEvaluation,
  issue: { readonly min: number; readonly max: number },
): { low: number; high: number; atLow: number; atHigh: number } =>
  e.kind === "monotone"
    ? {
        low: issue.min,
        high: issue.max,
        atLow: e.best === "max" ? 0 : 1,
        atHigh: e.best === "max" ? 1 : 0,
      }
    : { low: e.low ?? issue.min, high: e.high ?? issue.max, atLow: e.atLow, atHigh: e.atHigh }

const linearAt = (x: number, low: number, high: number, atLow: number, atHigh: number): number => {
  if (high === low) return clamp01(x <= low ? atLow : atHigh)
  const t = (x - low) / (high - low)
  return clamp01(t <= 0 ? atLow : t >= 1 ? atHigh : atLow + (atHigh - atLow) * t)
}

/**
 * Why preferences do not fit the issues, or `undefined` when they do: a weight
 * or evaluation for an unknown issue, a weighted issue with no evaluation, an
 * evaluation of the wrong kind, a score for an unknown option, a red line on an
 * unknown issue, or all weights zero.
 */
export const preferencesProblem = (
  p: FilePreferences,
  issues: ReadonlyArray<Issue>,
): string | undefined => {
  if (p.kind === "hyper-rectangles") return hyperRectanglesProblem(p, issues)
  const byId = new Map(issues.map((i) => [i.id as string, i]))
  for (const id of Object.keys(p.weights))
    if (!byId.has(id)) return `weights: unknown issue ${JSON.stringify(id)}`
  for (const id of Object.keys(p.redLines))
    if (!byId.has(id)) return `redLines: unknown issue ${JSON.stringify(id)}`
  let total = 0
  for (const [id, e] of Object.entries(p.evaluations)) {
    const issue = byId.get(id)
    if (issue === undefined) return `evaluations: unknown issue ${JSON.stringify(id)}`
    if (e.kind === "options") {
      for (const option of Object.keys(e.scores)) {
        const known =
          issue.kind === "discrete"
            ? issue.options.includes(option)
            : issue.kind === "integer" &&
              /^-?\d+$/.test(option) &&
              Number(option) >= issue.min &&
              Number(option) <= issue.max
        if (!known) return `evaluations.${id}: unknown option ${JSON.stringify(option)}`
        if (e.normalize === "none" && (e.scores[option] ?? 0) > 1)
          return `evaluations.${id}: score of ${JSON.stringify(option)} exceeds 1 with normalize "none"`
      }
    } else if (issue.kind === "discrete") {
      return `evaluations.${id}: a ${e.kind} evaluation needs an integer or real issue`
    }
  }
  for (const issue of issues) {
    const w = own(p.weights, issue.id) ?? 0
    total += w
    if (w > 0 && own(p.evaluations, issue.id) === undefined)
      return `evaluations: issue ${JSON.stringify(issue.id)} has a weight but no evaluation`
  }
  if (!Number.isFinite(total))
    return `weights: they add up to more than the largest number (${Number.MAX_VALUE}); scale them down`
  return total > 0 ? undefined : "weights: all weights are zero"
}

const KIND_NONE = 0
const KIND_OPTIONS = 1
const KIND_INT_TABLE = 2
const KIND_LINEAR = 3

/**
 * Compiles preferences into a fast utility function of full terms.
 *
 * Everything is precomputed once (renormalised weights multiplied into
 * per-issue lookup tables and linear coefficients); a call only reads
 * `terms[id]` per issue and adds: no allocation. A missing or unknown value
 * contributes 0, so a partial offer scores what it settles. Red lines and the
 * reservation value are not applied here: see {@link violatesRedLine}.
 * Custom preferences are returned as supplied.
 */
export const utility = (
  p: PartyPreferences,
  issues: ReadonlyArray<Issue>,
): ((terms: Terms) => number) => {
  if (p.kind === "custom") return p.utility
  if (p.kind === "hyper-rectangles") return hyperRectanglesUtility(p, issues)
  const n = issues.length
  const w = normalizedWeights(p, issues)
  const ids: Array<string> = issues.map((i) => i.id)
  const kinds = new Uint8Array(n)
  const maps: Array<Map<TermValue, number> | undefined> = new Array(n)
  const tables: Array<Float64Array | undefined> = new Array(n)
  const lo = new Float64Array(n)
  const hi = new Float64Array(n)
  const uLo = new Float64Array(n)
  const uHi = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const issue = issues[i]!
    const e = own(p.evaluations, issue.id)
    if (e === undefined || w[i] === 0) continue
    if (e.kind === "options") {
      if (issue.kind === "integer") {
        const t = new Float64Array(issue.max - issue.min + 1)
        for (let v = issue.min; v <= issue.max; v++)
          t[v - issue.min] = w[i]! * evaluate(e, issue, v)
        tables[i] = t
        lo[i] = issue.min
        kinds[i] = KIND_INT_TABLE
      } else if (issue.kind === "discrete") {
        const m = new Map<TermValue, number>()
        for (const o of issue.options) m.set(o, w[i]! * evaluate(e, issue, o))
        maps[i] = m
        kinds[i] = KIND_OPTIONS
      }
    } else if (issue.kind === "integer" && issue.max - issue.min < 1_000_000) {
      // same expression as `evaluate`, so table-driven scans agree to the last bit
      const t = new Float64Array(issue.max - issue.min + 1)
      for (let v = issue.min; v <= issue.max; v++) t[v - issue.min] = w[i]! * evaluate(e, issue, v)
      tables[i] = t
      lo[i] = issue.min
      kinds[i] = KIND_INT_TABLE
    } else if (issue.kind !== "discrete") {
      const q = linearParams(e, issue)
      lo[i] = q.low
      hi[i] = q.high
      uLo[i] = q.atLow
      uHi[i] = q.atHigh
      kinds[i] = KIND_LINEAR
    }
  }
  const weight = w
  return (terms: Terms): number => {
    let u = 0
    for (let i = 0; i < n; i++) {
      const k = kinds[i]
      if (k === KIND_NONE) continue
      const v = (terms as Record<string, TermValue | undefined>)[ids[i]!]
      if (v === undefined) continue
      if (k === KIND_OPTIONS) {
        u += maps[i]!.get(v) ?? 0
      } else if (typeof v === "number") {
        if (k === KIND_INT_TABLE) u += tables[i]![v - lo[i]!] ?? 0
        else u += weight[i]! * linearAt(v, lo[i]!, hi[i]!, uLo[i]!, uHi[i]!)
      }
    }
    return u
  }
}

/**
 * Compiles the red lines of preferences into a predicate: `true` when the
 * terms give some issue a value the party never accepts. Allocation-free.
 */
export const violatesRedLine = (
  p: PartyPreferences,
  issues: ReadonlyArray<Issue>,
): ((terms: Terms) => boolean) => {
  const lines = p.redLines ?? {}
  const ids: Array<string> = []
  const sets: Array<Set<TermValue>> = []
  for (const issue of issues) {
    const values = lines[issue.id]
    if (values !== undefined && values.length > 0) {
      ids.push(issue.id)
      sets.push(new Set(values))
    }
  }
  const n = ids.length
  if (n === 0) return () => false
  return (terms: Terms): boolean => {
    for (let i = 0; i < n; i++) {
      const v = (terms as Record<string, TermValue | undefined>)[ids[i]!]
      if (v !== undefined && sets[i]!.has(v)) return true
    }
    return false
  }
}

/**
 * Whether a party would accept full terms at all: no red line crossed and
 * utility at least its reservation value. Compiled once, allocation-free.
 */
export const acceptable = (
  p: PartyPreferences,
  issues: ReadonlyArray<Issue>,
): ((terms: Terms) => boolean) => {
  const u = utility(p, issues)
  const red = violatesRedLine(p, issues)
  const r = reservationOf(p)
  return (terms) => !red(terms) && u(terms) >= r
}
