import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { analyze } from "../../src/analysis/Analyze.ts"
import type { HyperRectangles, Rectangle, Ufun } from "../../src/analysis/Nonlinear.ts"
import { utility } from "../../src/analysis/Preferences.ts"
import type { IssueId } from "../../src/domain/Ids.ts"
import type { Issue } from "../../src/domain/Issue.ts"
import { bruteForce, dom } from "./helpers.ts"

const ISSUES: ReadonlyArray<Issue> = ["a", "b", "c", "d"].map((id) => ({
  kind: "integer" as const,
  id: id as IssueId,
  min: 0,
  max: 3,
}))

const bound = fc
  .record({ issue: fc.constantFrom("a", "b", "c", "d"), lo: fc.nat(3), span: fc.nat(3) })
  .map(({ issue, lo, span }) => ({ issue: issue as IssueId, min: lo, max: Math.min(3, lo + span) }))

const rectangle: fc.Arbitrary<Rectangle> = fc
  .record({
    utility: fc.integer({ min: 0, max: 20 }),
    bounds: fc.array(bound, { maxLength: 3 }),
    exclusive: fc.boolean(),
  })
  .map(({ utility, bounds, exclusive }) =>
    exclusive ? { utility, excludes: bounds } : { utility, includes: bounds },
  )

/** Random hyper-rectangle preferences: a root of 1-6 rectangles, sometimes a nested min / max function. */
const preferences: fc.Arbitrary<HyperRectangles> = fc
  .record({
    rectangles: fc.array(rectangle, { minLength: 1, maxLength: 6 }),
    nested: fc.option(
      fc.record({
        aggregation: fc.constantFrom("min" as const, "max" as const),
        weight: fc.constantFrom(0.5, 1),
        rectangles: fc.array(rectangle, { minLength: 1, maxLength: 3 }),
      }),
      { nil: undefined },
    ),
    maxUtility: fc.integer({ min: 10, max: 60 }),
  })
  .map(({ rectangles, nested, maxUtility }) => ({
    kind: "hyper-rectangles" as const,
    maxUtility,
    aggregation: "sum" as const,
    rectangles,
    ufuns: nested === undefined ? [] : [nested as Ufun],
    reservation: 0,
    discount: 1,
    discountPerRound: 1,
    redLines: {},
  }))

describe("approximate analysis on small random non-linear spaces (256 outcomes)", () => {
  it("every point the search reports has the utilities of its terms, and none is dominated by an outcome the search missed", () => {
    fc.assert(
      fc.property(preferences, preferences, (p1, p2) => {
        const profiles = [
          { party: "p1", preferences: p1 },
          { party: "p2", preferences: p2 },
        ]
        const searched = Either.getOrThrow(
          analyze(ISSUES, profiles, { exactLimit: 1, steps: 1500, directions: 8, restarts: 1 }),
        )
        expect(searched.approximate).toBeDefined()
        const all = bruteForce(ISSUES, profiles)
        const fns = [utility(p1, ISSUES), utility(p2, ISSUES)]
        for (const e of searched.paretoFrontier) {
          const u = [e.utilities.p1!, e.utilities.p2!]
          expect(fns.map((f) => f(e.terms))).toEqual(u)
          // the search's incremental sums equal a full evaluation, and the exact frontier agrees
          expect(all.some((o) => dom(o.u, u))).toBe(false)
        }
        const exact = Either.getOrThrow(analyze(ISSUES, profiles))
        expect(searched.paretoFrontier.map((e) => e.utilities)).toEqual(
          exact.paretoFrontier.map((e) => e.utilities),
        )
      }),
      { numRuns: 60, seed: 29 },
    )
  })
})
