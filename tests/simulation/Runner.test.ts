import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Stream } from "effect"
import { rubinstein } from "../../src/analysis/Bargaining.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import type { Terms } from "../../src/domain/Issue.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import { simulationThreads } from "../../src/simulation/ThreadPool.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as File from "../../src/store/File.ts"
import * as Memory from "../../src/store/Memory.ts"

const shareOf = (terms: Terms) => (terms as Record<string, unknown>).share as number
const dir = mkdtempSync(join(tmpdir(), "parley-runner-"))
const ceasefire = "scenarios/ceasefire-freeze.ts"
const prepared = (file: string, overrides: Record<string, string> = {}) =>
  Effect.flatMap(loadScenario(file, overrides), prepare)

describe("runner", () => {
  it.effect("the same scenario, seed and parameters give a byte-identical event log", () =>
    Effect.gen(function* () {
      const p = yield* prepared(ceasefire, { protocol: "alternating" })
      const logs = ["a.jsonl", "b.jsonl"].map((f) => join(dir, f))
      for (const log of logs) yield* run(p, { seed: 42 }).pipe(Effect.provide(File.layer(log)))
      const [a, b] = logs.map((l) => readFileSync(l, "utf8"))
      assert.isAbove(a!.split("\n").length, 10)
      assert.strictEqual(a, b)
      yield* run(p, { seed: 43, negotiationId: "other" as NegotiationId }).pipe(
        Effect.provide(File.layer(join(dir, "c.jsonl"))),
      )
    }),
  )

  it.effect(
    "Rubinstein players agree at once on x1 = (1 - d2) / (1 - d1 d2), to 1e-6, for any discount factors",
    () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.double({ min: 0.05, max: 0.98, noNaN: true }),
            fc.double({ min: 0.05, max: 0.98, noNaN: true }),
            async (d1, d2) => {
              const result = await Effect.runPromise(
                Effect.flatMap(
                  prepared("scenarios/rubinstein.ts", { delta1: String(d1), delta2: String(d2) }),
                  (p) => run(p, { seed: 1 }),
                ).pipe(Effect.provide(Memory.layer)),
              )
              const expected = (1 - d2) / (1 - d1 * d2)
              return (
                result.state.status === "agreed" &&
                Math.abs(shareOf(result.state.agreement!.terms) - expected) < 1e-6 &&
                result.state.agreement!.version === 3
              )
            },
          ),
          { numRuns: 25, seed: 7 },
        ),
      ),
  )

  it.effect(
    "Rubinstein with a horizon follows backward induction (delta 0.9, T = 3 gives 0.91)",
    () =>
      Effect.gen(function* () {
        const p = yield* prepared("scenarios/rubinstein.ts", { horizon: "3" })
        const result = yield* run(p, { seed: 1 }).pipe(Effect.provide(Memory.layer))
        assert.closeTo(shareOf(result.state.agreement!.terms), 0.91, 1e-9)
        const fixed = yield* prepared("scenarios/rubinstein.ts", { delta1: "0.9", delta2: "0.8" })
        const r2 = yield* run(fixed, { seed: 1 }).pipe(Effect.provide(Memory.layer))
        const eq = yield* rubinstein(0.9, 0.8)
        assert.closeTo(shareOf(r2.state.agreement!.terms), eq.proposer, 1e-9)
        assert.closeTo(shareOf(r2.state.agreement!.terms), 0.714286, 1e-6)
      }),
  )

  it.effect(
    "a branch replays the recorded prefix under a new id, records where it forked, and plays on",
    () =>
      Effect.gen(function* () {
        const p = yield* prepared(ceasefire, { protocol: "alternating" })
        const original = yield* run(p, { seed: 1 })
        const store = yield* EventStore
        const recorded = yield* Stream.runCollect(store.read(original.negotiationId, { to: 3 }))
        const fork = yield* run(p, {
          seed: 9,
          negotiationId: "fork" as NegotiationId,
          fork: { events: [...recorded], from: `${original.negotiationId}@3` },
        })
        const forked = yield* Stream.runCollect(store.read(fork.negotiationId))
        const events = [...forked]
        assert.deepStrictEqual(
          events.slice(0, 3).map((e) => e.event),
          [...recorded].map((e) => e.event),
        )
        assert.isTrue(events.every((e) => e.metadata?.forkedFrom === `${original.negotiationId}@3`))
        assert.isAbove(events.length, 3)
      }).pipe(Effect.provide(Memory.layer)),
  )
})

describe("Monte Carlo", () => {
  it.effect("worker threads and one thread give the same outcomes for the same seeds", () =>
    Effect.gen(function* () {
      const batch = yield* loadBatch(ceasefire, { protocol: "alternating" })
      const one = yield* simulate(batch, { runs: 40, seed: 5, workers: 0 })
      const two = yield* simulate(batch, { runs: 40, seed: 5, workers: 2 })
      assert.deepStrictEqual(two.outcomes, one.outcomes)
      assert.deepStrictEqual({ ...two.summary, seconds: 0 }, { ...one.summary, seconds: 0 })
      assert.strictEqual(one.summary.runs, 40)
      // Uncertain parameters are drawn per run, so runs differ.
      assert.isAbove(new Set(one.outcomes.map((o) => JSON.stringify(o.drawn))).size, 30)
    }),
  )

  it.effect("worker threads start once and play the next batch too, with the same outcomes", () =>
    Effect.gen(function* () {
      const batch = yield* loadBatch("scenarios/anac-laptop.json", { strategy: "conceder" })
      const one = yield* simulate(batch, { runs: 30, seed: 9, workers: 0 })
      const before = simulationThreads()
      const first = yield* simulate(batch, { runs: 30, seed: 9, workers: 2 })
      const started = simulationThreads()
      const second = yield* simulate(batch, { runs: 30, seed: 9, workers: 2 })
      assert.deepStrictEqual(first.outcomes, one.outcomes)
      assert.deepStrictEqual(second.outcomes, one.outcomes)
      assert.isAtMost(started - before, 2)
      assert.strictEqual(simulationThreads(), started)
      assert.isAtLeast(started, 2)
    }),
  )

  it.effect("--set fixes an uncertain parameter for every run", () =>
    Effect.gen(function* () {
      const batch = yield* loadBatch(ceasefire, { russiaReservation: "0.6" })
      assert.isFalse(batch.uncertain.some((u) => u.name === "russiaReservation"))
      const { outcomes } = yield* simulate(batch, { runs: 5, seed: 1, workers: 0 })
      assert.isTrue(outcomes.every((o) => !("russiaReservation" in o.drawn)))
    }),
  )
})
