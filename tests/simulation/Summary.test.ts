/**
 * The Monte Carlo summary's share of Pareto-efficient agreements: an agreement
 * counts as efficient unless some frontier point dominates it (within the
 * rounding tolerance of `dominatesWithin`), checked on ANAC Laptop's outcomes
 * against a brute-force dominance test.
 */
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { outcomeSpace, termsAt } from "../../src/analysis/OutcomeSpace.ts"
import type { Terms } from "../../src/domain/Issue.ts"
import { loadBatch, type RunOutcome } from "../../src/simulation/Batch.ts"
import { summarize } from "../../src/simulation/Summary.ts"

const outcome = (run: number, agreement: Terms | null): RunOutcome => ({
  run,
  seed: run,
  status: agreement === null ? "expired" : "agreed",
  rounds: 10,
  events: 20,
  agreement,
  utilities: {},
  agreementTime: agreement === null ? null : 0.5,
  scores: {},
  drawn: {},
})

describe("Monte Carlo summary: Pareto-efficient agreements", () => {
  it("counts exactly the agreements no outcome dominates, over every outcome of Laptop", async () => {
    const batch = await Effect.runPromise(loadBatch("scenarios/anac-laptop.json", {}))
    const parties = batch.base.parties
    const space = Either.getOrThrow(outcomeSpace(batch.base.compiled.scenario.issues))
    const all = Array.from({ length: space.size }, (_, k) => termsAt(space, k))
    const u = all.map((t) => parties.map((p) => p.utility(t)))
    // Brute force: dominated when another outcome is at least as good for all and better for one.
    const dominated = u.map((a) =>
      u.some((b) => b.every((x, i) => x >= a[i]!) && b.some((x, i) => x > a[i]! + 1e-12)),
    )
    const efficient = dominated.filter((d) => !d).length
    expect(efficient).toBeGreaterThan(0)
    expect(efficient).toBeLessThan(all.length)
    const summary = summarize(
      batch,
      [...all.map((t, k) => outcome(k, t)), outcome(all.length, null)],
      1,
      1,
    )
    expect(summary.agreementRate).toBeCloseTo(all.length / (all.length + 1), 12)
    expect(summary.paretoEfficientShare).toBeCloseTo(efficient / all.length, 12)
  })
})
