/**
 * What every ANAC champion's tests check on the same pool: it agrees with a
 * Conceder on Laptop, Amsterdam, Camera and England-Zimbabwe in both roles,
 * and it beats `conceder` and `random` on mean advantage over that pool and
 * Car, three seeds, both roles.
 */
import { expect, it } from "vitest"
import type { Strategy } from "../../../src/simulation/Strategy.ts"
import { headToHead, importDomain } from "./Play.ts"

const POOL = [
  "anac2011/Laptop",
  "anac2011/Amsterdam",
  "anac2011/Camera",
  "anac2010/EnglandZimbabwe",
]

/** Registers the two tests for the agent `label` playing `strategy`. */
export const againstBaselines = (label: string, strategy: Strategy | object) => {
  it("reaches agreement with a conceder on Laptop, Amsterdam, Camera and EnglandZimbabwe, in both roles", async () => {
    const domains = await Promise.all(POOL.map(importDomain))
    const { agreements, runs } = headToHead(domains, strategy, { kind: "conceder" }, [1, 2])
    expect(agreements).toBe(runs)
  })

  it("beats conceder and random on mean advantage over the pool, seeds and roles", async () => {
    const domains = await Promise.all([...POOL, "anac2011/Car"].map(importDomain))
    for (const opponent of [{ kind: "conceder" }, { kind: "random" }]) {
      const t = headToHead(domains, strategy, opponent, [1, 2, 3])
      console.log(
        `${label} vs ${opponent.kind} over ${t.runs} runs (5 domains × 2 roles × 3 seeds): mean advantage ${t.mine.toFixed(3)} vs ${t.theirs.toFixed(3)}, ${t.agreements} agreements`,
      )
      expect(t.mine).toBeGreaterThan(t.theirs)
    }
  })
}
