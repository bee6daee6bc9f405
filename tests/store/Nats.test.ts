import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { JetStreamApiError, jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Chunk, Context, Effect, Either, Fiber, Layer, Schedule, Stream } from "effect"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { ApiCodes } from "../../src/nats/Errors.ts"
import { EventStore, ExpectedVersion, StoreError } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { eventFor, pendingFor } from "./EventStoreContract.ts"

describeWithNats("NATS event store (private server)", () => {
  let server: NatsServer.NatsServer | undefined
  beforeAll(async () => {
    server = await NatsServer.start()
  })
  afterAll(async () => {
    await server?.stop()
  })
  const url = () => server?.url ?? "nats://127.0.0.1:1"
  let prefixes = 0
  /** A store on a fresh stream of its own. */
  const fresh = (options: Partial<Nats.NatsOptions> = {}) =>
    Nats.layer({ servers: url(), prefix: `t${++prefixes}`, ...options })

  const neg = (s: string) => s as NegotiationId
  /** Two independent stores (two connections, as two processes) on one stream. */
  const twoWriters = (prefix: string) =>
    Effect.all([
      Effect.map(Layer.build(Nats.layer({ servers: url(), prefix })), Context.get(EventStore)),
      Effect.map(Layer.build(Nats.layer({ servers: url(), prefix })), Context.get(EventStore)),
    ])

  /** What the stream holds, read raw: message count and subjects. */
  const rawState = (stream: string) =>
    Effect.promise(async () => {
      const nc = await connect({ servers: url() })
      try {
        const jsm = await jetstreamManager(nc)
        const info = await jsm.streams.info(stream, { subjects_filter: ">" })
        return { messages: info.state.messages, subjects: Object.keys(info.state.subjects ?? {}) }
      } finally {
        await nc.close()
      }
    })

  /** A store (its own connection, no cached heads) on `prefix`'s stream, with a 200 ms duplicate window. */
  const shortWindow = (prefix: string) =>
    Effect.map(
      Layer.build(Nats.layer({ servers: url(), prefix, duplicateWindow: "200 millis" })),
      Context.get(EventStore),
    )

  describe("NATS event store", () => {
    it.scopedLive(
      "a retry older than the duplicate window is a duplicate when the ids stored at its place are its own, a conflict when they are not",
      () =>
        Effect.gen(function* () {
          const prefix = `t${++prefixes}`
          const open = () => shortWindow(prefix)
          const store = yield* open()
          const a = neg("played-twice")
          const run = pendingFor(a, 0, "run", 2)
          const first = yield* store.append(a, run, ExpectedVersion.NoStream)
          const later = yield* store.append(a, pendingFor(a, 2, "more"), ExpectedVersion.Exact(2))
          // Well past the window: the server no longer knows the first commit's message id.
          yield* Effect.sleep("1 second")
          // A second process (no cached head), as a worker playing the same run again.
          const again = yield* open()
          const retry = yield* again.append(a, run, ExpectedVersion.NoStream)
          assert.isTrue(retry.duplicate)
          assert.deepStrictEqual(retry.envelopes, first.envelopes)
          assert.strictEqual(retry.version, 3)
          const exact = yield* again.append(a, later.envelopes, ExpectedVersion.Exact(2))
          assert.isTrue(exact.duplicate)
          assert.deepStrictEqual(exact.envelopes, later.envelopes)
          // Other ids at that place, or more events than it holds the same: a conflict.
          const other = yield* Effect.flip(
            again.append(a, pendingFor(a, 0, "other", 2), ExpectedVersion.NoStream),
          )
          assert.deepStrictEqual(
            { tag: other._tag, actual: (other as { actual?: number }).actual },
            { tag: "VersionConflict", actual: 3 },
          )
          const longer = yield* Effect.flip(
            store.append(a, [...run, ...pendingFor(a, 2, "longer")], ExpectedVersion.Exact(0)),
          )
          assert.strictEqual(longer._tag, "VersionConflict")
          const read = yield* Stream.runCollect(again.read(a))
          assert.deepStrictEqual(
            Chunk.toReadonlyArray(read).map((e) => e.eventId),
            [...first.envelopes, ...later.envelopes].map((e) => e.eventId),
          )
        }),
    )

    it.scopedLive(
      "a retry older than the duplicate window over a log it cannot read there stays a version conflict, and the reload names the corrupt commit",
      () =>
        Effect.gen(function* () {
          const prefix = `t${++prefixes}`
          const open = () => shortWindow(prefix)
          const a = neg("unreadable")
          const run = pendingFor(a, 0, "run", 2)
          // The stream is append-only (no purge, no delete): `a`'s log is written by hand, a
          // commit that does not decode first, then a readable head at version 3 — the third
          // event of the same negotiation, played on a stream of its own.
          const elsewhere = yield* Effect.map(Layer.build(fresh()), Context.get(EventStore))
          yield* elsewhere.append(a, run, ExpectedVersion.NoStream)
          yield* elsewhere.append(a, pendingFor(a, 2, "more"), ExpectedVersion.Exact(2))
          const source = `t${prefixes}`
          yield* open() // creates the stream under test
          const corruptSeq = yield* Effect.promise(async () => {
            const nc = await connect({ servers: url() })
            try {
              const jsm = await jetstreamManager(nc)
              const head = await jsm.streams.getMessage(source.toUpperCase(), {
                last_by_subj: `${source}.events.${a}`,
              })
              const js = jsm.jetstream()
              const subject = `${prefix}.events.${a}`
              const garbage = await js.publish(subject, '[{"not":"an envelope"}]')
              await js.publish(subject, head!.data)
              return garbage.seq
            } finally {
              await nc.close()
            }
          })
          yield* Effect.sleep("1 second")
          // A second process (no cached head) retrying the first commit: it cannot tell its
          // own events from others' at versions 1-2, so the append is refused as a conflict.
          const again = yield* open()
          const retry = yield* Effect.flip(again.append(a, run, ExpectedVersion.NoStream))
          assert.deepStrictEqual(
            { tag: retry._tag, actual: (retry as { actual?: number }).actual },
            { tag: "VersionConflict", actual: 3 },
          )
          // What the caller's reload then meets: the corrupt commit, by its position.
          const reload = yield* Effect.flip(Stream.runCollect(again.read(a)))
          assert.deepInclude(reload, {
            _tag: "CorruptEvent",
            location: `stream ${prefix.toUpperCase()} sequence ${corruptSeq}`,
          })
        }),
    )

    it.scopedLive(
      "a read or a subscription that starts mid-log delivers every later event without waiting for more",
      () =>
        Effect.gen(function* () {
          const store = yield* Effect.map(Layer.build(fresh()), Context.get(EventStore))
          const id = neg("long")
          const total = 1_200
          for (let v = 0; v < total; v++)
            yield* store.append(id, pendingFor(id, v, `e${v}`), ExpectedVersion.Exact(v))
          // One message per event: start well past the first messages of the log.
          const read = yield* Stream.runCollect(store.read(id, { from: 202 })).pipe(
            Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => "read stalled" }),
          )
          assert.strictEqual(read.length, total - 201)
          assert.strictEqual(Chunk.unsafeHead(read).version, 202)
          const live = yield* Stream.runCollect(
            Stream.take(store.subscribe(id, 202), total - 201),
          ).pipe(
            Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => "subscription stalled" }),
          )
          assert.deepStrictEqual(
            Chunk.toReadonlyArray(live).map((e) => e.version),
            Array.from({ length: total - 201 }, (_, i) => 202 + i),
          )
        }),
      30_000,
    )

    it.scopedLive(
      "racing writers on two connections: one wins, the other conflicts and writes nothing",
      () =>
        Effect.gen(function* () {
          const [a, b] = yield* twoWriters("race")
          const id = neg("summit")
          yield* a.append(id, pendingFor(id, 0, "open"), ExpectedVersion.NoStream)
          // Both read version 1 before either writes.
          yield* Effect.all([a.version(id), b.version(id)])
          for (let round = 0; round < 10; round++) {
            const v = yield* a.version(id)
            const [x, y] = yield* Effect.all(
              [
                Effect.either(
                  a.append(id, pendingFor(id, v, `a${round}`, 2), ExpectedVersion.Exact(v)),
                ),
                Effect.either(
                  b.append(id, pendingFor(id, v, `b${round}`, 2), ExpectedVersion.Exact(v)),
                ),
              ],
              { concurrency: 2 },
            )
            const wins = [x, y].filter(Either.isRight)
            assert.strictEqual(wins.length, 1, `round ${round}`)
            const loser = Either.isLeft(x) ? x.left : Either.isLeft(y) ? y.left : undefined
            assert.deepInclude(loser, {
              _tag: "VersionConflict",
              expected: `version ${v}`,
              actual: v + 2,
            })
          }
          const log = Chunk.toReadonlyArray(yield* Stream.runCollect(b.read(id)))
          assert.deepStrictEqual(
            log.map((e) => e.version),
            Array.from({ length: 21 }, (_, i) => i + 1),
          )
          assert.strictEqual((yield* rawState("RACE")).messages, 11)
        }),
    )

    it.scopedLive("the same decision appended twice from two connections leaves one copy", () =>
      Effect.gen(function* () {
        const [a, b] = yield* twoWriters("twice")
        const id = neg("deal")
        const decision = pendingFor(id, 0, "open", 3)
        const [x, y] = yield* Effect.all(
          [
            a.append(id, decision, ExpectedVersion.NoStream),
            b.append(id, decision, ExpectedVersion.NoStream),
          ],
          { concurrency: 2 },
        )
        assert.deepStrictEqual([x.duplicate, y.duplicate].sort(), [false, true])
        assert.deepStrictEqual(x.envelopes, y.envelopes)
        assert.strictEqual((yield* rawState("TWICE")).messages, 1)
        assert.strictEqual(yield* a.version(id), 3)
      }),
    )

    it.scopedLive("hostile negotiation ids are refused before anything is published", () =>
      Effect.gen(function* () {
        const store = yield* Effect.map(
          Layer.build(Nats.layer({ servers: url(), prefix: "hostile" })),
          Context.get(EventStore),
        )
        for (const bad of ["*", ">", "x.>", "a.b", "a b", "x\r\nPUB evil 1"]) {
          const id = neg(bad)
          const error = yield* Effect.flip(
            store.append(id, pendingFor(id, 0, "a"), ExpectedVersion.Any),
          )
          assert.deepInclude(error, { _tag: "StoreError", reason: "InvalidId" })
        }
        assert.deepStrictEqual(yield* rawState("HOSTILE"), { messages: 0, subjects: [] })
      }),
    )

    it.scopedLive(
      "a corrupt message fails the read with a CorruptEvent naming its stream sequence",
      () =>
        Effect.gen(function* () {
          const store = yield* Effect.map(
            Layer.build(Nats.layer({ servers: url(), prefix: "corrupt" })),
            Context.get(EventStore),
          )
          const id = neg("c1")
          yield* store.append(id, pendingFor(id, 0, "a"), ExpectedVersion.NoStream)
          yield* Effect.promise(async () => {
            const nc = await connect({ servers: url() })
            const jsm = await jetstreamManager(nc)
            await jsm.jetstream().publish("corrupt.events.c1", '[{"not":"an envelope"}]')
            await nc.close()
          })
          const error = yield* Effect.flip(Stream.runCollect(store.read(id)))
          assert.deepInclude(error, { _tag: "CorruptEvent", location: "stream CORRUPT sequence 2" })
        }),
    )

    it.scopedLive(
      "an append over the size limit is refused whole with a StoreError of reason TooLarge",
      () =>
        Effect.gen(function* () {
          const store = yield* Effect.map(
            Layer.build(Nats.layer({ servers: url(), prefix: "large", maxMessageBytes: 4096 })),
            Context.get(EventStore),
          )
          const id = neg("big")
          const huge = [
            ...pendingFor(id, 0, "a"),
            { ...pendingFor(id, 1, "b")[0]!, event: eventFor("x".repeat(5000)) },
          ]
          const error = yield* Effect.flip(store.append(id, huge, ExpectedVersion.NoStream))
          assert.deepInclude(error, { _tag: "StoreError", reason: "TooLarge", limit: 4096 })
          assert.strictEqual(yield* store.version(id), 0)
        }),
    )

    it.scopedLive(
      "a missing stream (not created) is a StoreError of reason Unavailable keeping the server's code and the nats.js error",
      () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(
            Layer.build(Nats.layer({ servers: url(), prefix: "absent", createStream: false })),
          )
          assert.instanceOf(error, StoreError)
          assert.strictEqual((error as StoreError).reason, "Unavailable")
          assert.strictEqual((error as StoreError).code, ApiCodes.StreamNotFound)
          assert.instanceOf((error as StoreError).cause, JetStreamApiError)
          assert.notInclude(error.message, "\n")
        }),
    )

    it.scopedLive("a stream with incompatible settings is reported, never changed", () =>
      Effect.gen(function* () {
        yield* Effect.promise(async () => {
          const nc = await connect({ servers: url() })
          const jsm = await jetstreamManager(nc)
          await jsm.streams.add({
            name: "LOSSY",
            subjects: ["lossy.events.>"],
            discard: "old",
            max_age: 60e9,
          })
          await nc.close()
        })
        const error = yield* Effect.flip(
          Layer.build(Nats.layer({ servers: url(), prefix: "lossy" })),
        )
        assert.strictEqual(error._tag, "StreamMismatch")
        if (error._tag === "StreamMismatch") {
          assert.isTrue(error.problems.some((p) => p.startsWith("discard")))
          assert.isTrue(error.problems.some((p) => p.startsWith("max_age")))
        }
      }),
    )

    it.scopedLive("an unreachable server is a StoreError of reason Unreachable", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Layer.build(Nats.layer({ servers: "nats://127.0.0.1:1", timeout: "1 second" })),
        )
        assert.deepInclude(error, { _tag: "StoreError", reason: "Unreachable" })
      }),
    )
  })

  describe("NATS event store across a server crash", () => {
    let own: NatsServer.NatsServer | undefined
    beforeAll(async () => {
      own = await NatsServer.start()
    })
    afterAll(async () => {
      await own?.stop()
    })

    it.scopedLive(
      "kill -9 of the server, then restart: the subscription resumes with no gap and no duplicate",
      () =>
        Effect.gen(function* () {
          const srv = own!
          const store = yield* Effect.map(
            Layer.build(Nats.layer({ servers: srv.url, prefix: "crash" })),
            Context.get(EventStore),
          )
          const id = neg("c")
          const seen: Array<EventEnvelope> = []
          const fiber = yield* Effect.fork(
            Stream.runForEach(store.subscribe(id), (e) => Effect.sync(() => seen.push(e))),
          )
          const appendUntil = (n: number) =>
            Effect.gen(function* () {
              for (let v = yield* store.version(id); v < n; v = yield* store.version(id))
                yield* store.append(id, pendingFor(id, v, `e${v}`), ExpectedVersion.Exact(v))
            }).pipe(Effect.retry(Schedule.spaced("200 millis").pipe(Schedule.upTo("20 seconds"))))
          const waitFor = (n: number) =>
            Effect.gen(function* () {
              while (seen.length < n) yield* Effect.sleep("20 millis")
            }).pipe(Effect.timeout("20 seconds"))
          yield* appendUntil(5)
          yield* waitFor(5)
          yield* Effect.promise(() => srv.kill())
          yield* Effect.promise(() => srv.restart())
          yield* appendUntil(10)
          yield* waitFor(10)
          yield* Effect.sleep("200 millis")
          assert.deepStrictEqual(
            seen.map((e) => e.version),
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
          )
          yield* Fiber.interrupt(fiber)
        }),
      60_000,
    )
  })
})
