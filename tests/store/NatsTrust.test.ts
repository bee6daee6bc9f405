/**
 * A deduplication acknowledgement counts only when the stored commit is the
 * writer's own (issue 25 item 1). Message ids are derived from event ids,
 * which anyone who saw an earlier run with the same seed can compute: a
 * party on the bus that publishes first under the id the writer will use
 * made the server drop the real append, and the forgery became the history.
 * And each commit carries the chain digest of the history before it, which
 * every read follows.
 */
import { afterAll, assert, beforeAll, it } from "@effect/vitest"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect, headers } from "@nats-io/transport-node"
import { Chunk, Context, Effect, Layer, Stream } from "effect"
import { makeEnvelope } from "../../src/domain/Envelope.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { chainAfter, chainStart } from "../../src/domain/Log.ts"
import { eventSubject, layoutFor } from "../../src/nats/Layout.ts"
import { EventStore, type EventStoreService, ExpectedVersion } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { CHAIN_HEADER, commitId } from "../../src/store/nats/CommitCodec.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { pendingFor } from "./EventStoreContract.ts"

describeWithNats(
  "NATS commits: deduplication checked against what is stored, and the chain",
  () => {
    let server: NatsServer.NatsServer | undefined
    beforeAll(async () => {
      server = await NatsServer.start()
    })
    afterAll(async () => {
      await server?.stop()
    })
    const url = () => server?.url ?? "nats://127.0.0.1:1"

    /** Publishes `text` on `id`'s subject under message id `msgID`, as a party on the bus could. */
    const publishAs = (
      prefix: string,
      id: NegotiationId,
      msgID: string,
      text: string,
      chain?: string,
    ) =>
      Effect.promise(async () => {
        const nc = await connect({ servers: url() })
        try {
          const h = headers()
          if (chain !== undefined) h.set(CHAIN_HEADER, chain)
          await jetstream(nc).publish(eventSubject(layoutFor(prefix), id), text, {
            msgID,
            headers: h,
          })
        } finally {
          await nc.close()
        }
      })

    it.scopedLive(
      "a commit published first under the writer's message id is a StoreError of reason DuplicateConflict naming it, not the writer's history",
      () =>
        Effect.gen(function* () {
          const prefix = "forged"
          const store = yield* Effect.map(
            Layer.build(Nats.layer({ servers: url(), prefix })),
            Context.get(EventStore),
          )
          const id = "talks" as NegotiationId
          // Creates the stream, on another negotiation.
          yield* store.append(
            "other" as NegotiationId,
            pendingFor(id, 0, "x"),
            ExpectedVersion.NoStream,
          )
          const real = pendingFor(id, 0, "real")
          // The forger's commit: well formed, its id derived from its own content, at version 1.
          const forged = pendingFor(id, 0, "forged").map((e) =>
            makeEnvelope(e.eventId, id, 1, e.occurredAt, e.event, {}),
          )
          yield* publishAs(prefix, id, commitId(id, real), JSON.stringify(forged))
          const error = yield* Effect.flip(store.append(id, real, ExpectedVersion.NoStream))
          assert.deepInclude(error, { _tag: "StoreError", reason: "DuplicateConflict" })
          assert.include(error.message, `negotiation "${id}"`)
          assert.include(error.message, "stream FORGED sequence 2")
          assert.include(error.message, JSON.stringify(forged[0]!.eventId))
          assert.include(error.message, JSON.stringify(real[0]!.eventId))
          // The writer's own retry is still a duplicate.
          const mine = pendingFor(id, 1, "second")
          const first = yield* store.append(id, mine, ExpectedVersion.Exact(1))
          assert.isFalse(first.duplicate)
          const retry = yield* store.append(id, mine, ExpectedVersion.Exact(1))
          assert.isTrue(retry.duplicate)
          assert.deepStrictEqual(retry.envelopes, first.envelopes)
          const stored = yield* Stream.runCollect(store.read(id))
          assert.deepStrictEqual(
            Chunk.toReadonlyArray(stored).map((e) => e.eventId),
            [forged[0]!.eventId, mine[0]!.eventId],
          )
        }),
    )

    /** Every log entry of `id`, as `[position, tag, problem]`. */
    const entriesOf = (store: EventStoreService, id: NegotiationId) =>
      Effect.map(Stream.runCollect(store.readLog(id)), (entries) =>
        Chunk.toReadonlyArray(entries).map((e) =>
          e._tag === "Commit"
            ? ([e.position, "Commit", e.envelopes.map((x) => x.version).join(",")] as const)
            : ([e.position, "Unreadable", e.error.message] as const),
        ),
      )

    const storeOn = (prefix: string) =>
      Effect.map(Layer.build(Nats.layer({ servers: url(), prefix })), Context.get(EventStore))

    it.scopedLive(
      "each commit carries the chain of the history before it; a second writer continues it; the reads follow it",
      () =>
        Effect.gen(function* () {
          const prefix = "chained"
          const id = "talks" as NegotiationId
          const one = yield* storeOn(prefix)
          yield* one.append(id, pendingFor(id, 0, "a", 2), ExpectedVersion.NoStream)
          // Another process: no cached head, the chain read back from the last commit.
          const two = yield* storeOn(prefix)
          yield* two.append(id, pendingFor(id, 2, "b"), ExpectedVersion.Exact(2))
          yield* one.append(id, pendingFor(id, 3, "c"), ExpectedVersion.Exact(3))
          const carried = yield* Effect.promise(async () => {
            const nc = await connect({ servers: url() })
            try {
              const jsm = await jetstreamManager(nc)
              const out: Array<string | undefined> = []
              for (let seq = 1; seq <= 3; seq++) {
                const m = await jsm.direct.getMessage("CHAINED", { seq })
                out.push(m?.header?.get(CHAIN_HEADER))
              }
              return out
            } finally {
              await nc.close()
            }
          })
          assert.strictEqual(carried[0], chainStart(id))
          assert.strictEqual(
            carried[1],
            chainAfter(
              chainStart(id),
              pendingFor(id, 0, "a", 2).map((e, i) => ({ version: i + 1, eventId: e.eventId })),
            ),
          )
          assert.deepStrictEqual(yield* entriesOf(two, id), [
            [1, "Commit", "1,2"],
            [2, "Commit", "3"],
            [3, "Commit", "4"],
          ])
          assert.strictEqual(Chunk.size(yield* Stream.runCollect(two.read(id))), 4)
        }),
    )

    it.scopedLive(
      "a commit published by a party on the bus at the next version, with its ids derived, is named by the chain",
      () =>
        Effect.gen(function* () {
          const prefix = "offchain"
          const id = "talks" as NegotiationId
          const store = yield* storeOn(prefix)
          yield* store.append(id, pendingFor(id, 0, "a"), ExpectedVersion.NoStream)
          const envelope = (tag: string, version: number) =>
            pendingFor(id, version - 1, tag).map((e) =>
              makeEnvelope(e.eventId, id, version, e.occurredAt, e.event, {}),
            )
          // Without a digest, after a chained commit.
          yield* publishAs(prefix, id, "forged-2", JSON.stringify(envelope("forged", 2)))
          // With a digest, but of another history (the chain's start).
          yield* publishAs(
            prefix,
            id,
            "forged-3",
            JSON.stringify(envelope("forged", 3)),
            chainStart(id),
          )
          const entries = yield* entriesOf(store, id)
          assert.deepStrictEqual(entries[0], [1, "Commit", "1"])
          assert.strictEqual(entries[1]?.[1], "Unreadable")
          assert.include(entries[1]?.[2], "stream OFFCHAIN sequence 2 (version 2)")
          assert.include(entries[1]?.[2], "carries no chain digest, after chained commits")
          assert.strictEqual(entries[2]?.[1], "Unreadable")
          assert.include(entries[2]?.[2], "sequence 3 (version 3)")
          assert.include(entries[2]?.[2], "a commit before it was edited, removed or reordered")
          const failed = yield* Effect.flip(Stream.runDrain(store.read(id)))
          assert.include(failed.message, "carries no chain digest")
        }),
    )

    it.scopedLive(
      "a log written before commits were chained still reads, and the chain starts at the next commit",
      () =>
        Effect.gen(function* () {
          const prefix = "unchained"
          const id = "talks" as NegotiationId
          const store = yield* storeOn(prefix)
          yield* store.append(
            "other" as NegotiationId,
            pendingFor(id, 0, "x"),
            ExpectedVersion.NoStream,
          )
          // As an earlier parley wrote them: the envelopes alone, no header.
          const old = pendingFor(id, 0, "old", 2).map((e, i) =>
            makeEnvelope(e.eventId, id, i + 1, e.occurredAt, e.event, {}),
          )
          yield* publishAs(prefix, id, "old-1", JSON.stringify(old))
          const again = yield* storeOn(prefix)
          yield* again.append(id, pendingFor(id, 2, "new"), ExpectedVersion.Exact(2))
          assert.deepStrictEqual(yield* entriesOf(again, id), [
            [2, "Commit", "1,2"],
            [3, "Commit", "3"],
          ])
        }),
    )
  },
)
