import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { forkFromFile, resumeOf } from "../../src/app/Fork.ts"
import { replayFile } from "../../src/app/Replay.ts"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as File from "../../src/store/File.ts"

// Issue 27 item 2: a what-if branch of the ceasefire run (default seed) at version 10, where the
// envoy's third text us-3 has just been put and neither side has answered it.
const dir = mkdtempSync(join(tmpdir(), "parley-branch-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ceasefire = "scenarios/ceasefire-freeze.ts"
const at = 10

const key = (terms: unknown) =>
  JSON.stringify(
    Object.entries(terms as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
  )

/** Terms of every offer rejected by anyone in `events`. */
const rejectedTerms = (events: ReadonlyArray<EventEnvelope>): Set<string> => {
  const terms = new Map<string, string>()
  const rejected = new Set<string>()
  for (const { event } of events) {
    if (event.type === "OfferMade") terms.set(event.offerId, key(event.terms))
    if (event.type === "OfferRejected") rejected.add(terms.get(event.offerId)!)
  }
  return rejected
}

describe("a branch carries the negotiation on", () => {
  it.effect(
    "answers the pending text first, keeps the round and time, repeats no rejected text, and two named branches coexist",
    () =>
      Effect.gen(function* () {
        const log = join(dir, "cf.jsonl")
        const p = yield* Effect.flatMap(loadScenario(ceasefire, {}), prepare)
        const source = yield* run(p, { seed: 1 }).pipe(Effect.provide(File.layer(log)))
        const fork = yield* forkFromFile(log, source.negotiationId, at)
        const point = fork.events.at(-1)!
        // The branch point is as the issue describes it: the envoy's text us-3 just put.
        assert.strictEqual(point.event.type, "OfferMade")
        const pending = point.event.type === "OfferMade" ? point.event.offerId : undefined
        assert.strictEqual(pending, "us-3")
        const resume = resumeOf(fork.events)!
        assert.deepStrictEqual<unknown>(resume, {
          round: 2,
          by: "us",
          opener: "us",
          offers: 3,
          rejected: undefined,
        })

        const branches = ["what-if-a", "what-if-b"] as Array<NegotiationId>
        for (const [i, id] of branches.entries())
          yield* run(p, { seed: 1 + i, negotiationId: id, fork }).pipe(
            Effect.provide(File.layer(log)),
          )

        const rejectedBefore = rejectedTerms(fork.events)
        assert.isAtLeast(rejectedBefore.size, 2)
        for (const id of branches) {
          const events = yield* Effect.flatMap(EventStore, (store) =>
            Stream.runCollect(store.read(id)),
          ).pipe(Effect.provide(File.layer(log)))
          const played = [...events].slice(at)
          assert.isAbove(played.length, 2)
          // What was pending at the branch point is answered first, by both sides, in its round.
          const [first, second] = played
          for (const [e, by] of [
            [first!, "russia"],
            [second!, "ukraine"],
          ] as const) {
            assert.strictEqual(e.event.type, "OfferRejected")
            if (e.event.type === "OfferRejected") {
              assert.strictEqual(e.event.offerId, "us-3")
              assert.strictEqual<string>(e.event.by, by)
            }
            assert.strictEqual(e.metadata?.round, resume.round)
          }
          // The clock and each party's own time go on from the source's.
          assert.isAbove(Date.parse(first!.occurredAt), Date.parse(point.occurredAt))
          assert.isAbove(first!.metadata?.time as number, point.metadata?.time as number)
          for (const e of played)
            assert.isAtLeast(
              (e.metadata?.round as number | undefined) ?? resume.round,
              resume.round,
            )
          // No text of the envoy repeats one rejected before the branch point.
          const texts = played.flatMap((e) =>
            e.event.type === "OfferMade" && e.event.by === "us" ? [e.event] : [],
          )
          assert.isAbove(texts.length, 0)
          for (const t of texts)
            assert.isFalse(
              rejectedBefore.has(key(t.terms)),
              `${t.offerId} repeats a text rejected before version ${at}`,
            )
        }

        // Both branches, and the source, replay from the one file.
        const projected = yield* replayFile(log)
        for (const id of [source.negotiationId, ...branches]) {
          const state = projected.states.get(id)
          assert.isDefined(state, id)
          assert.isAbove(state!.version, at)
        }
      }),
    120_000,
  )

  it.effect(
    "in alternating offers, a branch with the source's seed plays on as the source did: players rebuilt from the record, offer ids and rounds going on",
    () =>
      Effect.gen(function* () {
        const log = join(dir, "alternating.jsonl")
        const p = yield* Effect.flatMap(
          loadScenario(ceasefire, { protocol: "alternating" }),
          prepare,
        )
        const source = yield* run(p, { seed: 1 }).pipe(Effect.provide(File.layer(log)))
        const read = (id: string) =>
          Effect.flatMap(EventStore, (store) =>
            Stream.runCollect(store.read(id as NegotiationId)),
          ).pipe(
            Effect.map((c) => [...c]),
            Effect.provide(File.layer(log)),
          )
        const recorded = yield* read(source.negotiationId)
        const played = (e: EventEnvelope) => ({
          event: e.event,
          at: e.occurredAt,
          round: e.metadata?.round,
          time: e.metadata?.time,
        })
        const fork = yield* forkFromFile(log, source.negotiationId, at)
        yield* run(p, { seed: 1, negotiationId: "same-seed" as NegotiationId, fork }).pipe(
          Effect.provide(File.layer(log)),
        )
        const branch = yield* read("same-seed")
        assert.isAbove(recorded.length, at + 10)
        assert.deepStrictEqual(branch.map(played), recorded.map(played))
        // Cut inside a move (a rejection on record, its counter-offer not): the mover finishes its turn.
        const cut = recorded.findIndex(
          (e, i) =>
            i > 2 &&
            e.event.type === "OfferRejected" &&
            recorded[i + 1]?.event.type === "OfferMade",
        )
        const inside = yield* forkFromFile(log, source.negotiationId, cut + 1)
        yield* run(p, { seed: 1, negotiationId: "inside" as NegotiationId, fork: inside }).pipe(
          Effect.provide(File.layer(log)),
        )
        const next = (yield* read("inside"))[cut + 1]!
        const expected = recorded[cut + 1]!
        assert.strictEqual(next.event.type, "OfferMade")
        if (next.event.type === "OfferMade" && expected.event.type === "OfferMade") {
          assert.strictEqual(next.event.offerId, expected.event.offerId)
          assert.strictEqual(next.event.by, expected.event.by)
          assert.strictEqual(next.occurredAt, expected.occurredAt)
          assert.strictEqual(next.event.inReplyTo, expected.event.inReplyTo)
        }
      }),
    120_000,
  )
})
