/**
 * Solution concepts over a Pareto frontier (see `Pareto.ts`). Each one is
 * attained on the frontier, so computing it there gives the same utilities as
 * a scan over every outcome (a dominating point scores at least as well);
 * ties go to the first point in frontier order (first utility descending).
 *
 * `d` is the disagreement point: each party's reservation value. An outcome
 * is individually rational when `u_i >= d_i` for every party.
 *
 * Names differ between tools; here:
 * - {@link nashPoint}: max of `prod_i (u_i - d_i)` over individually rational
 *   outcomes (GENIUS and NegMAS agree, GENIUS with `d = 0`).
 * - {@link kalaiSmorodinskyPoint}: max of `min_i (u_i - d_i) / (ideal_i - d_i)`,
 *   `ideal_i` the best utility of party i over individually rational outcomes.
 *   NegMAS's `ks_points` takes `d_i = max(reservation, min utility)`, and its
 *   `kalai_points` maximise the smallest raw utility: both can differ.
 * - {@link egalitarianPoint}: the individually rational Pareto point with the
 *   smallest spread `max_i u_i - min_i u_i` (= `|u_1 - u_2|` for two parties);
 *   this is what GENIUS labels "Kalai-Smorodinsky".
 * - {@link maxWelfarePoint}: max of `sum_i u_i` over all outcomes (not only the
 *   individually rational ones), as NegMAS's `max_welfare_points`.
 * - {@link opposition}: the Euclidean distance from the frontier to the point
 *   of complete satisfaction `(1, ..., 1)`, the opposition measure used to
 *   classify ANAC domains (Baarslag, Hindriks, Jonker et al.); 0 means some
 *   outcome satisfies everyone fully. Not divided by sqrt(n).
 *
 * @since 0.1.0
 */
import type { FrontierPoint } from "./Pareto.ts"

/** Whether utilities are individually rational for disagreement point `d`. */
export const isRational = (u: ArrayLike<number>, d: ArrayLike<number>): boolean => {
  for (let i = 0; i < u.length; i++) if (u[i]! < d[i]!) return false
  return true
}

const argmax = (
  frontier: ReadonlyArray<FrontierPoint>,
  score: (u: ReadonlyArray<number>) => number,
  eligible: (u: ReadonlyArray<number>) => boolean,
): FrontierPoint | undefined => {
  let best: FrontierPoint | undefined
  let bestScore = Number.NEGATIVE_INFINITY
  for (const p of frontier) {
    if (!eligible(p.utilities)) continue
    const s = score(p.utilities)
    if (s > bestScore) {
      best = p
      bestScore = s
    }
  }
  return best
}

/** The best utility of each party over the individually rational frontier points (undefined if none). */
export const idealPoint = (
  frontier: ReadonlyArray<FrontierPoint>,
  d: ReadonlyArray<number>,
): Array<number> | undefined => {
  let ideal: Array<number> | undefined
  for (const p of frontier) {
    if (!isRational(p.utilities, d)) continue
    if (ideal === undefined) ideal = [...p.utilities]
    else for (let i = 0; i < ideal.length; i++) ideal[i] = Math.max(ideal[i]!, p.utilities[i]!)
  }
  return ideal
}

/** The Nash bargaining point: max of `prod_i (u_i - d_i)` with every `u_i >= d_i`. */
export const nashPoint = (
  frontier: ReadonlyArray<FrontierPoint>,
  d: ReadonlyArray<number>,
): FrontierPoint | undefined =>
  argmax(
    frontier,
    (u) => {
      let prod = 1
      for (let i = 0; i < u.length; i++) prod *= u[i]! - d[i]!
      return prod
    },
    (u) => isRational(u, d),
  )

/**
 * The Kalai-Smorodinsky point: max of the smallest normalised gain
 * `min_i (u_i - d_i) / (ideal_i - d_i)` over individually rational outcomes
 * (a party whose ideal equals its reservation is left out of the minimum).
 */
export const kalaiSmorodinskyPoint = (
  frontier: ReadonlyArray<FrontierPoint>,
  d: ReadonlyArray<number>,
): FrontierPoint | undefined => {
  const ideal = idealPoint(frontier, d)
  if (ideal === undefined) return undefined
  return argmax(
    frontier,
    (u) => {
      let min = Number.POSITIVE_INFINITY
      for (let i = 0; i < u.length; i++) {
        const range = ideal[i]! - d[i]!
        if (range > 0) min = Math.min(min, (u[i]! - d[i]!) / range)
      }
      return min === Number.POSITIVE_INFINITY ? 0 : min
    },
    (u) => isRational(u, d),
  )
}

/** The egalitarian point: the individually rational Pareto point with the smallest `max u - min u` (GENIUS's "KS"). */
export const egalitarianPoint = (
  frontier: ReadonlyArray<FrontierPoint>,
  d: ReadonlyArray<number>,
): FrontierPoint | undefined =>
  argmax(
    frontier,
    (u) => {
      let lo = Number.POSITIVE_INFINITY
      let hi = Number.NEGATIVE_INFINITY
      for (let i = 0; i < u.length; i++) {
        lo = Math.min(lo, u[i]!)
        hi = Math.max(hi, u[i]!)
      }
      return lo - hi
    },
    (u) => isRational(u, d),
  )

/** The maximum welfare point: max of `sum_i u_i` over all outcomes. */
export const maxWelfarePoint = (
  frontier: ReadonlyArray<FrontierPoint>,
): FrontierPoint | undefined =>
  argmax(
    frontier,
    (u) => {
      let s = 0
      for (let i = 0; i < u.length; i++) s += u[i]!
      return s
    },
    () => true,
  )

/** Euclidean distance between two utility vectors. */
export const distance = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! - b[i]!
    s += x * x
  }
  return Math.sqrt(s)
}

/** The smallest Euclidean distance from `u` to a frontier point (0 on the frontier; NaN if it is empty). */
export const distanceToFrontier = (
  frontier: ReadonlyArray<FrontierPoint>,
  u: ArrayLike<number>,
): number => {
  let best = Number.NaN
  for (const p of frontier) {
    const x = distance(p.utilities, u)
    if (!(x >= best)) best = x
  }
  return best
}

/** Opposition: the distance from the frontier to complete satisfaction `(1, ..., 1)`. */
export const opposition = (frontier: ReadonlyArray<FrontierPoint>): number => {
  const ones = new Array<number>(frontier[0]?.utilities.length ?? 0).fill(1)
  return distanceToFrontier(frontier, ones)
}
