/**
 * `simulate`: Monte Carlo of a bilateral 3-issue domain (ANAC Laptop) with
 * time-dependent agents and a 100-round deadline, in memory: negotiations/s
 * and events/s in this thread, then with two worker threads (one per core);
 * the ratio is the scaling of two workers over one thread.
 */
import { Effect } from "effect"
import { loadBatch, simulate } from "../../src/simulation/MonteCarlo.ts"
import { type Benchmark, round } from "./Bench.ts"

const SCENARIO = "scenarios/anac-laptop.json"

export const benchmarks: ReadonlyArray<Benchmark> = [
  {
    name: "simulate",
    run: async () => {
      const batch = await Effect.runPromise(loadBatch(SCENARIO, { strategy: "boulware" }))
      await Effect.runPromise(simulate(batch, { runs: 200, seed: 1, workers: 0 })) // warm-up
      const one = (await Effect.runPromise(simulate(batch, { runs: 2000, seed: 1, workers: 0 })))
        .summary
      const two = (await Effect.runPromise(simulate(batch, { runs: 4000, seed: 1, workers: 2 })))
        .summary
      const rate1 = one.runs / one.seconds
      const rate2 = two.runs / two.seconds
      return [
        {
          name: "simulate-1thread",
          value: Math.round(rate1),
          unit: "negotiations/s",
          goal: ">= 2000 negotiations/s per core",
          extra: {
            eventsPerSecond: Math.round(one.events / one.seconds),
            eventsPerRun: round(one.events / one.runs, 1),
            agreementRate: round(one.agreementRate),
          },
        },
        {
          name: "simulate-2workers",
          value: Math.round(rate2),
          unit: "negotiations/s",
          ref: Math.round(rate1),
          ratio: round(rate2 / rate1),
          goal: "scaling ratio near 2 (wall time, worker start-up included)",
          extra: { eventsPerSecond: Math.round(two.events / two.seconds) },
        },
      ]
    },
  },
]
