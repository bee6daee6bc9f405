import { fileURLToPath } from "node:url"
import { Either } from "effect"
import type { PartyProfile } from "../../src/analysis/Analyze.ts"
import { outcomeSpace, termsAt } from "../../src/analysis/OutcomeSpace.ts"
import { utility } from "../../src/analysis/Preferences.ts"
import type { Issue, Terms } from "../../src/domain/Issue.ts"

/** Absolute path of a file under tests/fixtures. */
export const fixture = (path: string): string =>
  fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url))

/** Every outcome with its utilities, through the per-terms compiled utility (an independent path from scanUtilities). */
export const bruteForce = (
  issues: ReadonlyArray<Issue>,
  profiles: ReadonlyArray<PartyProfile>,
): Array<{ index: number; terms: Terms; u: Array<number> }> => {
  const space = Either.getOrThrow(outcomeSpace(issues))
  const fns = profiles.map((p) => utility(p.preferences, issues))
  const out: Array<{ index: number; terms: Terms; u: Array<number> }> = []
  for (let k = 0; k < space.size; k++) {
    const terms = termsAt(space, k)
    out.push({ index: k, terms, u: fns.map((f) => f(terms)) })
  }
  return out
}

/**
 * Whether `a` dominates `b` (naive), utilities within 1e-12 being equal: no
 * party worse off by more than that, some party better off by more. Two
 * utilities that only rounding tells apart are the same utility, so a point
 * tied on one party and worse on another is dominated whichever way the last
 * bits fell.
 */
export const dom = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => {
  let strict = false
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]! - 1e-12) return false
    if (a[i]! > b[i]! + 1e-12) strict = true
  }
  return strict
}

/** The brute-force Pareto set: every outcome no other dominates (O(n^2), small spaces only). */
export const bruteFrontier = (all: ReadonlyArray<{ u: ReadonlyArray<number> }>) =>
  all.filter((p) => !all.some((q) => dom(q.u, p.u)))
