/**
 * The outcome space of a set of issues: every full package of terms, as a
 * mixed-radix number (issue 0 is the most significant digit, the last issue
 * varies fastest). Discrete and integer issues are enumerated exactly; a real
 * range is discretised as `min, min + step, ...` up to `max` (always
 * included), with `step` given per issue or by default {@link defaultRealStep}
 * (1/100 of the range: 101 values), the one rule scenarios use as well.
 *
 * Outcomes are never materialised as a whole: {@link termsAt} decodes one
 * index, {@link outcomes} streams them, and {@link scanUtilities} walks the
 * space with incremental per-party sums (no allocation per outcome).
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import type { Issue, Terms, TermValue } from "../domain/Issue.ts"
import {
  evaluate,
  normalizedWeights,
  own,
  type PartyPreferences,
  utility,
  violatesRedLine,
} from "./Preferences.ts"

/** How to discretise real issues: one step for all, or a step per issue id. */
export interface SpaceOptions {
  readonly realStep?: number | Readonly<Record<string, number>> | undefined
  /** Largest number of values one issue may enumerate (default 10,000,000). */
  readonly maxValuesPerIssue?: number | undefined
}

/** A finite outcome space. */
export interface OutcomeSpace {
  readonly issues: ReadonlyArray<Issue>
  /** Per issue, the values enumerated, in order. */
  readonly values: ReadonlyArray<ReadonlyArray<TermValue>>
  /** Per issue, the number of values. */
  readonly radix: ReadonlyArray<number>
  /** The number of outcomes (the product of the radices). */
  readonly size: number
}

/**
 * The discretisation step of a real issue when none is given: 1/100 of its
 * range (101 values), or 1 for a range of one value.
 */
export const defaultRealStep = (issue: { readonly min: number; readonly max: number }): number =>
  issue.max > issue.min ? (issue.max - issue.min) / 100 : 1

/** The step of a real issue under `realStep` (one for all, or per issue id), else the default. */
export const realStepOf = (
  issue: { readonly id: string; readonly min: number; readonly max: number },
  realStep: SpaceOptions["realStep"],
): number =>
  typeof realStep === "number" ? realStep : (realStep?.[issue.id] ?? defaultRealStep(issue))

/** Builds the outcome space of `issues`, or says why it cannot (empty range, bad step, too large). */
export const outcomeSpace = (
  issues: ReadonlyArray<Issue>,
  options: SpaceOptions = {},
): Either.Either<OutcomeSpace, string> => {
  const max = options.maxValuesPerIssue ?? 10_000_000
  const values: Array<ReadonlyArray<TermValue>> = []
  let size = 1
  for (const issue of issues) {
    let vs: Array<TermValue>
    if (issue.kind === "discrete") vs = [...issue.options]
    else if (issue.min > issue.max)
      return Either.left(`issue ${issue.id}: min ${issue.min} > max ${issue.max}`)
    else if (issue.kind === "integer") {
      const n = issue.max - issue.min + 1
      if (n > max) return Either.left(`issue ${issue.id}: ${n} values exceed ${max}`)
      vs = new Array<TermValue>(n)
      for (let k = 0; k < n; k++) vs[k] = issue.min + k
    } else {
      const step = realStepOf(issue, options.realStep)
      if (!(step > 0) || !Number.isFinite(step))
        return Either.left(`issue ${issue.id}: step must be a positive number, got ${step}`)
      const n = Math.floor((issue.max - issue.min) / step + 1e-9) + 1
      if (n + 1 > max) return Either.left(`issue ${issue.id}: ${n} values exceed ${max}`)
      vs = []
      for (let k = 0; k < n; k++) vs.push(issue.min + k * step)
      if ((vs[vs.length - 1] as number) < issue.max - 1e-12 * Math.max(1, Math.abs(issue.max)))
        vs.push(issue.max)
    }
    values.push(vs)
    size *= vs.length
  }
  if (!Number.isSafeInteger(size)) return Either.left(`outcome space too large: ${size}`)
  return Either.right({ issues, values, radix: values.map((v) => v.length), size })
}

/** The value index of each issue in outcome `index`, written into `digits`. */
export const digitsAt = (space: OutcomeSpace, index: number, digits: Int32Array): Int32Array => {
  let rest = index
  for (let i = space.radix.length - 1; i >= 0; i--) {
    const r = space.radix[i]!
    digits[i] = rest % r
    rest = Math.floor(rest / r)
  }
  return digits
}

/** The full terms of outcome `index` (0 <= index < size). */
export const termsAt = (space: OutcomeSpace, index: number): Terms => {
  const digits = digitsAt(space, index, new Int32Array(space.radix.length))
  const terms: Record<string, TermValue> = {}
  for (let i = 0; i < space.issues.length; i++)
    terms[space.issues[i]!.id] = space.values[i]![digits[i]!]!
  return terms as Terms
}

/** The index of full terms in the space, or -1 when a value is not one the space enumerates. */
export const indexOf = (space: OutcomeSpace, terms: Terms): number => {
  let index = 0
  for (let i = 0; i < space.issues.length; i++) {
    const v = (terms as Record<string, TermValue | undefined>)[space.issues[i]!.id]
    const k = v === undefined ? -1 : space.values[i]!.indexOf(v)
    if (k < 0) return -1
    index = index * space.radix[i]! + k
  }
  return index
}

/** Streams every outcome as fresh terms, in index order. */
export function* outcomes(space: OutcomeSpace): Generator<Terms, void, undefined> {
  for (let k = 0; k < space.size; k++) yield termsAt(space, k)
}

/**
 * Per issue, the weighted evaluation of each enumerated value (sum over issues
 * of the entries an outcome selects = its utility), for linear additive
 * preferences; `undefined` for other kinds.
 */
export const utilityTables = (
  space: OutcomeSpace,
  p: PartyPreferences,
): ReadonlyArray<Float64Array> | undefined => {
  if (p.kind !== "linear-additive") return undefined
  const w = normalizedWeights(p, space.issues)
  return space.issues.map((issue, i) => {
    const vs = space.values[i]!
    const t = new Float64Array(vs.length)
    const e = own(p.evaluations, issue.id)
    if (e !== undefined && w[i]! > 0)
      for (let k = 0; k < vs.length; k++) t[k] = w[i]! * evaluate(e, issue, vs[k]!)
    return t
  })
}

/**
 * Calls `visit(index, utilities)` for every outcome no party's red line
 * excludes, in index order; `utilities[p]` is party `p`'s utility. The array
 * is reused between calls: copy what you keep. Linear additive parties cost a
 * few additions per outcome (partial sums per digit); custom parties are
 * called with one reused, mutated terms object. Returns the number of outcomes
 * excluded by red lines.
 */
export const scanUtilities = (
  space: OutcomeSpace,
  parties: ReadonlyArray<PartyPreferences>,
  visit: (index: number, utilities: Float64Array) => void,
): number => {
  const n = space.issues.length
  const m = parties.length
  const u = new Float64Array(m)
  if (space.size === 0) return 0
  if (n === 0) {
    const empty = {} as Terms
    for (let p = 0; p < m; p++) {
      const party = parties[p]!
      u[p] = party.kind === "custom" ? party.utility(empty) : 0
    }
    visit(0, u)
    return 0
  }
  const tables = parties.map((p) => utilityTables(space, p))
  // red[i][k] = 1 when value k of issue i crosses some party's red line
  const red = space.values.map((vs) => new Uint8Array(vs.length))
  let anyRed = false
  for (const party of parties) {
    const check = violatesRedLine(party, space.issues)
    for (let i = 0; i < n; i++) {
      const vs = space.values[i]!
      for (let k = 0; k < vs.length; k++) {
        if (check({ [space.issues[i]!.id]: vs[k]! } as Terms)) {
          red[i]![k] = 1
          anyRed = true
        }
      }
    }
  }
  const custom: Array<number> = []
  for (let p = 0; p < m; p++) if (tables[p] === undefined) custom.push(p)
  const customFns = custom.map((p) => utility(parties[p]!, space.issues))
  const terms: Record<string, TermValue> = {}
  const ids = space.issues.map((i) => i.id as string)
  const digits = new Int32Array(n)
  // partial[p * (n + 1) + i] = sum of party p's entries for issues < i
  const partial = new Float64Array(m * (n + 1))
  // blocked[i] = some issue < i holds a red-lined value
  const blocked = new Uint8Array(n + 1)
  const radix = Int32Array.from(space.radix)
  const last = n - 1
  const lastTables: Array<Float64Array | undefined> = tables.map((t) => t?.[last])
  const setPrefix = (from: number) => {
    for (let i = from; i < last; i++) {
      const k = digits[i]!
      for (let p = 0; p < m; p++) {
        const t = tables[p]
        partial[p * (n + 1) + i + 1] = t === undefined ? 0 : partial[p * (n + 1) + i]! + t[i]![k]!
      }
      blocked[i + 1] = blocked[i]! | red[i]![k]!
      if (custom.length > 0) terms[ids[i]!] = space.values[i]![k]!
    }
  }
  setPrefix(0)
  let excluded = 0
  let index = 0
  const lastRed = red[last]!
  const lastValues = space.values[last]!
  const lastRadix = radix[last]!
  for (;;) {
    const prefixBlocked = blocked[last] === 1
    for (let k = 0; k < lastRadix; k++, index++) {
      if (anyRed && (prefixBlocked || lastRed[k] === 1)) {
        excluded++
        continue
      }
      for (let p = 0; p < m; p++) {
        const t = lastTables[p]
        if (t !== undefined) u[p] = partial[p * (n + 1) + last]! + t[k]!
      }
      if (custom.length > 0) {
        terms[ids[last]!] = lastValues[k]!
        for (let c = 0; c < custom.length; c++) u[custom[c]!] = customFns[c]!(terms as Terms)
      }
      visit(index, u)
    }
    // advance the odometer above the last digit
    let i = last - 1
    while (i >= 0) {
      digits[i] = digits[i]! + 1
      if (digits[i]! < radix[i]!) break
      digits[i] = 0
      i--
    }
    if (i < 0) break
    setPrefix(i)
  }
  return excluded
}
