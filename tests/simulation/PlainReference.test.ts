/**
 * The bench's reference (`scripts/lib/plainNegotiation.ts`) plays the same
 * negotiations as the runner: for the same seeds, the same agreements, rounds
 * and scores, so that the ratio `simulate-1thread` prints is the cost of
 * event sourcing and nothing else.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { plainRun } from "../../scripts/lib/plainNegotiation.ts"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"

describe("the plain-loop reference of the simulation bench", () => {
  it.each(["boulware", "linear", "conceder"])(
    "gives the runner's outcomes on ANAC Laptop, %s against itself",
    async (strategy) => {
      const batch = await Effect.runPromise(loadBatch("scenarios/anac-laptop.json", { strategy }))
      const { outcomes } = await Effect.runPromise(
        simulate(batch, { runs: 20, seed: 11, workers: 0 }),
      )
      for (const o of outcomes) {
        const plain = plainRun(batch.base, o.seed)
        expect(plain.agreement ?? null).toEqual(o.agreement)
        expect(plain.rounds).toBe(o.rounds)
        expect(plain.scores.parties).toEqual(o.scores)
      }
    },
    60_000,
  )
})
