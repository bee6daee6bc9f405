/**
 * An exhaustive, tolerance-aware check of a Pareto frontier against every
 * outcome of its domain: the slow, obviously correct counterpart of the
 * streaming frontier of `Pareto.ts`, for tests and for checking whole
 * benchmark collections.
 *
 * Utilities are recomputed on an independent path (each outcome decoded to
 * terms and scored by the compiled `utility`, not by `scanUtilities`'s
 * partial sums), so the two paths round differently; utilities within
 * {@link UTILITY_TOLERANCE} of each other count as equal (see `Pareto.ts`).
 * The check compares every outcome with every frontier point its utility sum
 * does not rule out (O(outcomes x frontier) at worst) and reports:
 * - `dominated`: frontier points that some outcome dominates;
 * - `missing`: outcomes that no frontier point dominates or equals (the
 *   frontier lacks them);
 * - `duplicates`: pairs of frontier points with equal utilities (one point
 *   reported twice);
 * - `countMismatch`: whether the frontier's `outcomes` counts disagree with
 *   the number of outcomes equal to each point.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import type { Issue } from "../domain/Issue.ts"
import { type Analysis, analyze, type PartyProfile } from "./Analyze.ts"
import { outcomeSpace, type SpaceOptions, termsAt } from "./OutcomeSpace.ts"
import { dominatesWithin, sameWithin, UTILITY_TOLERANCE } from "./Pareto.ts"
import { utility, violatesRedLine } from "./Preferences.ts"

/** A frontier point another outcome dominates, with that outcome. */
export interface DominatedPoint {
  /** Position in `analysis.paretoFrontier`. */
  readonly frontierPosition: number
  readonly utilities: ReadonlyArray<number>
  /** An outcome index that dominates it, and its utilities. */
  readonly by: number
  readonly byUtilities: ReadonlyArray<number>
}

/** The result of {@link checkFrontier}. */
export interface FrontierCheck {
  readonly outcomes: number
  readonly frontier: number
  readonly dominated: ReadonlyArray<DominatedPoint>
  /** Outcome indices neither dominated by nor equal to a frontier point. */
  readonly missing: ReadonlyArray<number>
  /** Pairs of frontier positions whose utilities are equal. */
  readonly duplicates: ReadonlyArray<readonly [number, number]>
  readonly countMismatch: boolean
  /** No dominated, missing or duplicate point and the counts agree. */
  readonly ok: boolean
}

/**
 * Checks `analysis.paretoFrontier` (computed for these issues, profiles and
 * options) against every outcome, within `tolerance` (default
 * {@link UTILITY_TOLERANCE}).
 */
export const checkAnalysisFrontier = (
  analysis: Analysis,
  issues: ReadonlyArray<Issue>,
  profiles: ReadonlyArray<PartyProfile>,
  options: SpaceOptions = {},
  tolerance = UTILITY_TOLERANCE,
): FrontierCheck => {
  const space = Either.getOrThrow(outcomeSpace(issues, options))
  const fns = profiles.map((p) => utility(p.preferences, issues))
  const reds = profiles.map((p) => violatesRedLine(p.preferences, issues))
  const m = profiles.length
  const front = analysis.paretoFrontier.map((e) => analysis.parties.map((p) => e.utilities[p]!))
  const f = front.length
  // Pruning only, never a shortcut: `a` dominates or equals `b` within the
  // tolerance only if sum(a) >= sum(b) - m * tolerance, so frontier points are
  // visited in order of their sums and only where the sums allow it.
  const sum = (u: ArrayLike<number>) => {
    let s = 0
    for (let i = 0; i < u.length; i++) s += u[i]!
    return s
  }
  const slack = (m + 1) * tolerance
  const order = front.map((_, j) => j).sort((a, b) => sum(front[a]!) - sum(front[b]!))
  const sums = order.map((j) => sum(front[j]!))
  // the frontier in `order`, flat: point r at [r * m, r * m + m)
  const flat = Float64Array.from(order.flatMap((j) => front[j]!))
  // number of frontier points (in `order`) whose sum is at most `x`
  const upTo = (x: number): number => {
    let lo = 0
    let hi = sums.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (sums[mid]! <= x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const dominatedBy = new Array<DominatedPoint | undefined>(f)
  const counts = new Array<number>(f).fill(0)
  const missing: Array<number> = []
  const u = new Float64Array(m)
  for (let k = 0; k < space.size; k++) {
    const terms = termsAt(space, k)
    if (reds.some((red) => red(terms))) continue
    for (let p = 0; p < m; p++) u[p] = fns[p]!(terms)
    const s = sum(u)
    // frontier points this outcome may dominate or equal: sum <= s + slack
    let covered = false
    const below = upTo(s + slack)
    for (let r = 0; r < below; r++) {
      // one pass for dominatesWithin(u, fp) and sameWithin(u, fp)
      const base = r * m
      let worse = false
      let better = false
      for (let i = 0; i < m; i++) {
        const d = u[i]! - flat[base + i]!
        if (d < -tolerance) {
          worse = true
          break
        }
        if (d > tolerance) better = true
      }
      if (worse) continue
      const j = order[r]!
      if (better) {
        if (dominatedBy[j] === undefined)
          dominatedBy[j] = { frontierPosition: j, utilities: front[j]!, by: k, byUtilities: [...u] }
      } else {
        counts[j] = counts[j]! + 1
        covered = true
      }
    }
    // frontier points that may dominate it: sum >= s - slack, largest sums first
    const from = upTo(s - slack - tolerance)
    for (let r = f - 1; !covered && r >= from; r--)
      if (dominatesWithin(front[order[r]!]!, u, tolerance)) covered = true
    if (!covered) missing.push(k)
  }
  const duplicates: Array<readonly [number, number]> = []
  for (let i = 0; i < f; i++)
    for (let j = i + 1; j < f; j++)
      if (sameWithin(front[i]!, front[j]!, tolerance)) duplicates.push([i, j])
  const dominated = dominatedBy.filter((d): d is DominatedPoint => d !== undefined)
  const countMismatch =
    duplicates.length === 0 && analysis.paretoFrontier.some((e, j) => e.outcomes !== counts[j])
  return {
    outcomes: space.size,
    frontier: f,
    dominated,
    missing,
    duplicates,
    countMismatch,
    ok: dominated.length === 0 && missing.length === 0 && duplicates.length === 0 && !countMismatch,
  }
}

/** Analyses a domain (see `analyze`) and checks its frontier with {@link checkAnalysisFrontier}. */
export const checkFrontier = (
  issues: ReadonlyArray<Issue>,
  profiles: ReadonlyArray<PartyProfile>,
  options: SpaceOptions = {},
  tolerance = UTILITY_TOLERANCE,
): Either.Either<FrontierCheck, string> =>
  Either.map(
    Either.mapLeft(analyze(issues, profiles, options), (e) => e.reason),
    (a) => checkAnalysisFrontier(a, issues, profiles, options, tolerance),
  )
