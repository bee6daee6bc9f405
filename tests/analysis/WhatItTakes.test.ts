/**
 * "What would it take" (`parley analyze`): the largest reservation value at
 * which each party still accepts each Pareto outcome, and which outcomes are
 * individually rational under the current parameters.
 */
import { NodeFileSystem } from "@effect/platform-node"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { analyze, whatItTakes } from "../../src/analysis/Analyze.ts"
import { importGeniusFolder } from "../../src/analysis/Genius.ts"
import { fixture } from "./helpers.ts"

describe("what would it take", () => {
  it("each party accepts a Pareto point while its reservation value is at most its utility there", async () => {
    const laptop = await Effect.runPromise(
      importGeniusFolder(fixture("genius/anac2011/Laptop")).pipe(
        Effect.provide(NodeFileSystem.layer),
      ),
    )
    // The seller asks for 0.85: the buyer's best point (seller 0.815) falls short by 0.035.
    const profiles = laptop.profiles.map((p, i) => ({
      party: p.party,
      preferences: { ...p.preferences, reservation: i === 1 ? 0.85 : 0 },
    }))
    const a = await Effect.runPromise(analyze(laptop.issues, profiles))
    const [buyer, seller] = a.parties
    let rational = 0
    for (const point of a.paretoFrontier) {
      const w = whatItTakes(a, point)
      expect(w.maxReservation).toEqual(point.utilities)
      const u = point.utilities[seller!]!
      expect(w.individuallyRational).toBe(u >= 0.85)
      if (u < 0.85) expect(w.shortBy[seller!]).toBeCloseTo(0.85 - u, 12)
      expect(w.shortBy[buyer!]).toBeUndefined()
      if (w.individuallyRational) rational++
    }
    const best = a.paretoFrontier.find((p) => p.utilities[buyer!] === 1)!
    expect(whatItTakes(a, best).shortBy[seller!]).toBeCloseTo(0.85 - 0.8150631714971639, 12)
    expect(rational).toBeGreaterThan(0)
    expect(rational).toBeLessThan(a.paretoFrontier.length)
  })
})
