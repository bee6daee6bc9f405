/**
 * A party's outcomes sorted by its own utility, best first: the "ladder" a
 * conceding strategy walks down. Built once per (outcome space, preferences)
 * and cached across runs, so that a Monte Carlo of thousands of runs sorts the
 * space once; a move then costs a binary search and a few reads.
 *
 * Outcomes crossing the party's red lines are left out of the ladder, so a
 * strategy that bids from it never proposes terms it could not accept.
 *
 * @since 0.1.0
 */
import { digitsAt, type OutcomeSpace, scanUtilities } from "../../analysis/OutcomeSpace.ts"
import type { PartyPreferences } from "../../analysis/Preferences.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import type { PartyView } from "../Strategy.ts"

/** A party's outcomes, best first. */
export interface Ladder {
  readonly space: OutcomeSpace
  /** Outcome indices, own utility descending (ties by index); red-lined outcomes left out. */
  readonly order: Uint32Array
  /** `utilities[k]` is the own utility of outcome `order[k]`. */
  readonly utilities: Float64Array
  /** The number of rungs (`order.length`). */
  readonly length: number
}

const ladders = new WeakMap<OutcomeSpace, WeakMap<object, Ladder>>()
const termsCaches = new WeakMap<OutcomeSpace, Array<Terms | undefined>>()
const digitScratch = new WeakMap<OutcomeSpace, Int32Array>()

/**
 * Builds the ladder of `preferences` over `space`: every outcome no red line
 * of theirs excludes, sorted by utility, best first. Costs one scan and one
 * sort of the space (about 0.3 s for a million outcomes); prefer
 * {@link ladderOf}, which caches.
 */
export const buildLadder = (space: OutcomeSpace, preferences: PartyPreferences): Ladder => {
  const idx = new Uint32Array(space.size)
  const util = new Float64Array(space.size)
  let n = 0
  scanUtilities(space, [preferences], (index, u) => {
    idx[n] = index
    util[index] = u[0]!
    n++
  })
  const order = n === space.size ? idx : idx.slice(0, n)
  order.sort((a, b) => util[b]! - util[a]! || a - b)
  const utilities = new Float64Array(n)
  for (let k = 0; k < n; k++) utilities[k] = util[order[k]!]!
  return { space, order, utilities, length: n }
}

/**
 * The ladder of a party, cached per (space, preferences) across runs: keyed by
 * the preferences object when the scenario gives one, else by the party's
 * utility function (then without red lines).
 */
export const ladderOf = (view: PartyView): Ladder => {
  const key: object = view.preferences ?? view.utility
  let bySpace = ladders.get(view.space)
  if (bySpace === undefined) {
    bySpace = new WeakMap()
    ladders.set(view.space, bySpace)
  }
  let ladder = bySpace.get(key)
  if (ladder === undefined) {
    ladder = buildLadder(view.space, view.preferences ?? { kind: "custom", utility: view.utility })
    bySpace.set(key, ladder)
  }
  return ladder
}

/**
 * A sub-ladder: the rungs whose outcome passes `keep(digits)` (`digits[i]` is
 * the value index of issue `i`; the array is reused between calls). Keeps the
 * order. One pass over the ladder.
 */
export const filterLadder = (ladder: Ladder, keep: (digits: Int32Array) => boolean): Ladder => {
  const digits = new Int32Array(ladder.space.radix.length)
  const order = new Uint32Array(ladder.length)
  const utilities = new Float64Array(ladder.length)
  let n = 0
  for (let k = 0; k < ladder.length; k++) {
    const index = ladder.order[k]!
    if (keep(digitsAt(ladder.space, index, digits))) {
      order[n] = index
      utilities[n] = ladder.utilities[k]!
      n++
    }
  }
  return {
    space: ladder.space,
    order: order.slice(0, n),
    utilities: utilities.slice(0, n),
    length: n,
  }
}

/**
 * The full terms of outcome `index`, built once per space and index and then
 * shared (never mutate them): offering a cached outcome allocates nothing.
 */
export const termsOf = (space: OutcomeSpace, index: number): Terms => {
  let cache = termsCaches.get(space)
  if (cache === undefined) {
    cache = []
    termsCaches.set(space, cache)
  }
  const hit = cache[index]
  if (hit !== undefined) return hit
  let digits = digitScratch.get(space)
  if (digits === undefined) {
    digits = new Int32Array(space.radix.length)
    digitScratch.set(space, digits)
  }
  digitsAt(space, index, digits)
  const terms: Record<string, TermValue> = {}
  for (let i = 0; i < space.issues.length; i++)
    terms[space.issues[i]!.id] = space.values[i]![digits[i]!]!
  const frozen = Object.freeze(terms) as Terms
  cache[index] = frozen
  return frozen
}

/**
 * The last rung whose utility is at least `target` (the cheapest concession
 * that still meets it), or 0 when even the best rung is below it. -1 for an
 * empty ladder. Binary search: O(log n).
 */
export const rungAtOrAbove = (ladder: Ladder, target: number): number => {
  const u = ladder.utilities
  if (ladder.length === 0) return -1
  if (u[0]! < target) return 0
  let lo = 0
  let hi = ladder.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (u[mid]! >= target) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** The number of rungs with utility at least `floor` (binary search). */
export const countAtOrAbove = (ladder: Ladder, floor: number): number => {
  if (ladder.length === 0 || ladder.utilities[0]! < floor) return 0
  return rungAtOrAbove(ladder, floor) + 1
}

/** The first rung whose utility is at most `ceiling` (binary search); `length` if none. */
export const firstAtOrBelow = (ladder: Ladder, ceiling: number): number => {
  const u = ladder.utilities
  let lo = 0
  let hi = ladder.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (u[mid]! <= ceiling) hi = mid
    else lo = mid + 1
  }
  return lo
}
