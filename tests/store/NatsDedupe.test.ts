/**
 * A deduplication acknowledgement counts only when the stored commit is the
 * writer's own (issue 25 item 1). Message ids are derived from event ids,
 * which anyone who saw an earlier run with the same seed can compute: a
 * party on the bus that publishes first under the id the writer will use
 * made the server drop the real append, and the forgery became the history.
 */
import { afterAll, assert, beforeAll, it } from "@effect/vitest"
import { jetstream } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Chunk, Context, Effect, Layer, Stream } from "effect"
import { makeEnvelope } from "../../src/domain/Envelope.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { eventSubject, layoutFor } from "../../src/nats/Layout.ts"
import { EventStore, ExpectedVersion } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { commitId } from "../../src/store/nats/CommitCodec.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { pendingFor } from "./EventStoreContract.ts"

describeWithNats("NATS deduplication is checked against what is stored", () => {
  let server: NatsServer.NatsServer | undefined
  beforeAll(async () => {
    server = await NatsServer.start()
  })
  afterAll(async () => {
    await server?.stop()
  })
  const url = () => server?.url ?? "nats://127.0.0.1:1"

  /** Publishes `text` on `id`'s subject under message id `msgID`, as a party on the bus could. */
  const publishAs = (prefix: string, id: NegotiationId, msgID: string, text: string) =>
    Effect.promise(async () => {
      const nc = await connect({ servers: url() })
      try {
        await jetstream(nc).publish(eventSubject(layoutFor(prefix), id), text, { msgID })
      } finally {
        await nc.close()
      }
    })

  it.scopedLive(
    "a commit published first under the writer's message id is a DuplicateConflict naming it, not the writer's history",
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
        assert.strictEqual(error._tag, "DuplicateConflict")
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
})
