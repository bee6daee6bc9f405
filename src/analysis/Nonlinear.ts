/**
 * Non-linear preferences: hyper-rectangle utility functions, the constraint-
 * based utility spaces of Ito, Hattori & Klein ("Multi-issue negotiation
 * protocol for agents: exploring nonlinear utility spaces", IJCAI 2007) that
 * GENIUS reads as `utility_space type="nonlinear"` and ANAC 2014 used, with
 * 10^10 to 10^40 outcomes.
 *
 * A rectangle lists bounds `min <= value <= max` (both inclusive) on integer
 * or real issues:
 * - `includes`: it contributes `utility * weight` when the value of every
 *   bounded issue lies inside its bounds, else 0;
 * - `excludes`: it contributes `utility * weight` when at least one bound is
 *   violated, and 0 when the terms lie inside all of them;
 * - neither (no bound at all): it always contributes.
 * A function aggregates its rectangles, then its nested functions (each
 * multiplied by that function's `weight`), by `sum`, `min` or `max` (an empty
 * `min` starts at 2^31 - 1 and an empty `max` at -(2^31 - 1), as GENIUS's
 * `UtilityFunction` does). The outermost function has no weight (GENIUS never
 * applies it). The utility of full terms is `min(raw / maxUtility, 1)`, with
 * `maxUtility` given, not computed (GENIUS's `maxutility`); parley also
 * clamps below at 0 (GENIUS would return a negative utility for a negative
 * raw sum, which no shipped profile has).
 *
 * A value that is missing (a partial offer) lies outside every bound.
 * Reservation value, discount factor (per unit of normalised time),
 * per-round discount and red lines mean what they mean for linear profiles.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { IssueId } from "../domain/Ids.ts"
import type { Issue, Terms, TermValue } from "../domain/Issue.ts"
import { Discount, RedLines, UnitInterval } from "./PreferenceFields.ts"

/** One bound of a rectangle: `min <= terms[issue] <= max`. */
export const Bound = Schema.Struct({
  issue: IssueId,
  min: Schema.Finite,
  max: Schema.Finite,
})
export type Bound = typeof Bound.Type

/** A hyper-rectangle: a utility and its inclusion or exclusion bounds (not both). */
export const Rectangle = Schema.Struct({
  utility: Schema.Finite,
  /** Multiplies `utility` (default 1). */
  weight: Schema.optional(Schema.Finite),
  includes: Schema.optional(Schema.Array(Bound)),
  excludes: Schema.optional(Schema.Array(Bound)),
})
export type Rectangle = typeof Rectangle.Type

/** How a function combines its parts. */
export const Aggregation = Schema.Literal("sum", "min", "max")
export type Aggregation = typeof Aggregation.Type

/** A nested utility function (GENIUS `ufun`): rectangles and functions, aggregated. */
export interface Ufun {
  readonly aggregation?: Aggregation | undefined
  /** Multiplies this function's value in its parent (default 1). */
  readonly weight?: number | undefined
  readonly rectangles?: ReadonlyArray<Rectangle> | undefined
  readonly ufuns?: ReadonlyArray<Ufun> | undefined
}

/** The file form of {@link Ufun}. */
export interface UfunEncoded {
  readonly aggregation?: Aggregation | undefined
  readonly weight?: number | undefined
  readonly rectangles?: ReadonlyArray<typeof Rectangle.Encoded> | undefined
  readonly ufuns?: ReadonlyArray<UfunEncoded> | undefined
}

export const Ufun: Schema.Schema<Ufun, UfunEncoded> = Schema.Struct({
  aggregation: Schema.optional(Aggregation),
  weight: Schema.optional(Schema.Finite),
  rectangles: Schema.optional(Schema.Array(Rectangle)),
  ufuns: Schema.optional(
    Schema.Array(Schema.suspend((): Schema.Schema<Ufun, UfunEncoded> => Ufun)),
  ),
})

/**
 * Hyper-rectangle preferences as scenario files embed them (JSON / YAML /
 * TypeScript): the outermost function's fields, `maxUtility`, and the fields
 * every kind of preferences has.
 */
export const HyperRectangles = Schema.Struct({
  kind: Schema.Literal("hyper-rectangles"),
  /** The raw value that maps to utility 1 (GENIUS `maxutility`); larger raw values give 1. */
  maxUtility: Schema.Number.pipe(Schema.finite(), Schema.positive()),
  aggregation: Schema.optionalWith(Aggregation, { default: () => "sum" as const }),
  rectangles: Schema.optionalWith(Schema.Array(Rectangle), { default: () => [] }),
  ufuns: Schema.optionalWith(Schema.Array(Ufun), { default: () => [] }),
  reservation: Schema.optionalWith(UnitInterval, { default: () => 0 }),
  discount: Schema.optionalWith(Discount, { default: () => 1 }),
  discountPerRound: Schema.optionalWith(Discount, { default: () => 1 }),
  redLines: Schema.optionalWith(RedLines, { default: () => ({}) }),
})
export type HyperRectangles = typeof HyperRectangles.Type
export type HyperRectanglesEncoded = typeof HyperRectangles.Encoded

const rectangleProblem = (
  r: Rectangle,
  path: string,
  byId: ReadonlyMap<string, Issue>,
): string | undefined => {
  if (r.includes !== undefined && r.excludes !== undefined && r.includes.length > 0)
    if (r.excludes.length > 0) return `${path}: give includes or excludes, not both`
  for (const [key, bounds] of [
    ["includes", r.includes],
    ["excludes", r.excludes],
  ] as const) {
    for (const [k, b] of (bounds ?? []).entries()) {
      const at = `${path}.${key}[${k}]`
      const issue = byId.get(b.issue)
      if (issue === undefined) return `${at}.issue: unknown issue ${JSON.stringify(b.issue)}`
      if (issue.kind === "discrete")
        return `${at}.issue: ${JSON.stringify(b.issue)} is discrete; bounds need an integer or real issue`
      if (b.min > b.max) return `${at}: min ${b.min} is greater than max ${b.max}`
    }
  }
  return undefined
}

const ufunProblem = (
  f: Ufun,
  path: string,
  byId: ReadonlyMap<string, Issue>,
): string | undefined => {
  for (const [k, r] of (f.rectangles ?? []).entries()) {
    const p = rectangleProblem(r, `${path}rectangles[${k}]`, byId)
    if (p !== undefined) return p
  }
  for (const [k, g] of (f.ufuns ?? []).entries()) {
    const p = ufunProblem(g, `${path}ufuns[${k}].`, byId)
    if (p !== undefined) return p
  }
  return undefined
}

/**
 * Why hyper-rectangle preferences do not fit the issues, or `undefined`: a
 * bound on an unknown or discrete issue, `min > max`, a rectangle with both
 * kinds of bounds, a red line on an unknown issue. The text starts with the
 * field's path (`rectangles[3].includes[0].issue: ...`).
 */
export const hyperRectanglesProblem = (
  p: HyperRectangles,
  issues: ReadonlyArray<Issue>,
): string | undefined => {
  const byId = new Map(issues.map((i) => [i.id as string, i]))
  for (const id of Object.keys(p.redLines))
    if (!byId.has(id)) return `redLines: unknown issue ${JSON.stringify(id)}`
  return ufunProblem(p, "", byId)
}

const AGG_SUM = 0
const AGG_MIN = 1
const AGG_MAX = 2
const INT_MAX = 2147483647

/** A rectangle compiled against an issue order: issue positions and bounds in flat arrays. */
export interface CompiledRectangle {
  readonly positions: Int32Array
  readonly min: Float64Array
  readonly max: Float64Array
  /** `excludes` bounds (contributes when some bound is violated). */
  readonly exclusive: boolean
  /** `utility * weight`. */
  readonly value: number
}

/** A function compiled against an issue order. */
export interface CompiledUfun {
  readonly aggregation: number
  readonly weight: number
  readonly rectangles: ReadonlyArray<CompiledRectangle>
  readonly ufuns: ReadonlyArray<CompiledUfun>
}

const compileRectangle = (
  r: Rectangle,
  position: ReadonlyMap<string, number>,
): CompiledRectangle => {
  const exclusive = (r.excludes?.length ?? 0) > 0
  const bounds = (exclusive ? r.excludes : r.includes) ?? []
  const n = bounds.length
  const positions = new Int32Array(n)
  const min = new Float64Array(n)
  const max = new Float64Array(n)
  bounds.forEach((b, k) => {
    positions[k] = position.get(b.issue) ?? -1
    min[k] = b.min
    max[k] = b.max
  })
  return { positions, min, max, exclusive, value: r.utility * (r.weight ?? 1) }
}

const compileUfun = (f: Ufun, position: ReadonlyMap<string, number>): CompiledUfun => ({
  aggregation: f.aggregation === "min" ? AGG_MIN : f.aggregation === "max" ? AGG_MAX : AGG_SUM,
  weight: f.weight ?? 1,
  rectangles: (f.rectangles ?? []).map((r) => compileRectangle(r, position)),
  ufuns: (f.ufuns ?? []).map((g) => compileUfun(g, position)),
})

/** Whether every bound holds for `values` (a NaN or a position -1 never holds). */
const inside = (r: CompiledRectangle, values: ArrayLike<number>): boolean => {
  for (let k = 0; k < r.positions.length; k++) {
    const v = values[r.positions[k]!]!
    if (!(v >= r.min[k]! && v <= r.max[k]!)) return false
  }
  return true
}

/** What one compiled rectangle contributes for `values`. */
export const rectangleValue = (r: CompiledRectangle, values: ArrayLike<number>): number =>
  r.positions.length === 0
    ? r.value
    : r.exclusive
      ? inside(r, values)
        ? 0
        : r.value
      : inside(r, values)
        ? r.value
        : 0

/** The raw (unnormalised) value of a compiled function, as GENIUS's `UtilityFunction.getUtility`. */
export const rawValue = (f: CompiledUfun, values: ArrayLike<number>): number => {
  const agg = f.aggregation
  let acc = agg === AGG_MIN ? INT_MAX : agg === AGG_MAX ? -INT_MAX : 0
  const add = (x: number) => {
    if (agg === AGG_SUM) acc += x
    else if (agg === AGG_MAX) {
      if (acc < x) acc = x
    } else if (acc > x) acc = x
  }
  for (const r of f.rectangles) add(rectangleValue(r, values))
  for (const g of f.ufuns) add(rawValue(g, values) * g.weight)
  return acc
}

/** Hyper-rectangle preferences compiled against an issue order. */
export interface CompiledHyperRectangles {
  readonly root: CompiledUfun
  readonly maxUtility: number
  /** Whether the root sums rectangles only (no nesting): utility changes are local to rectangles. */
  readonly flatSum: boolean
}

/** Compiles hyper-rectangle preferences against `issues` (positions in that order). */
export const compileHyperRectangles = (
  p: HyperRectangles,
  issues: ReadonlyArray<Issue>,
): CompiledHyperRectangles => {
  const position = new Map(issues.map((i, k) => [i.id as string, k]))
  const root = compileUfun({ ...p, weight: 1 }, position)
  return {
    root,
    maxUtility: p.maxUtility,
    flatSum: root.aggregation === AGG_SUM && root.ufuns.length === 0,
  }
}

/** `min(raw / maxUtility, 1)`, clamped below at 0. */
export const normalizeRaw = (raw: number, maxUtility: number): number => {
  const u = raw / maxUtility
  return Math.min(1, Math.max(0, u))
}

/** The utility of numeric values per issue position (NaN for a missing or non-numeric value). */
export const utilityOfValues = (c: CompiledHyperRectangles, values: ArrayLike<number>): number =>
  normalizeRaw(rawValue(c.root, values), c.maxUtility)

/**
 * Compiles hyper-rectangle preferences into a utility function of terms.
 * One reused buffer per compiled function: a call allocates nothing.
 */
export const hyperRectanglesUtility = (
  p: HyperRectangles,
  issues: ReadonlyArray<Issue>,
): ((terms: Terms) => number) => {
  const c = compileHyperRectangles(p, issues)
  const ids = issues.map((i) => i.id as string)
  const values = new Float64Array(ids.length)
  return (terms) => {
    for (let i = 0; i < ids.length; i++) {
      const v = (terms as Record<string, TermValue | undefined>)[ids[i]!]
      values[i] = typeof v === "number" ? v : Number.NaN
    }
    return utilityOfValues(c, values)
  }
}
