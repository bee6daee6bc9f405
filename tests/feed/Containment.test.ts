/**
 * The projector on a real nats-server against what used to stop the feed of
 * every negotiation: a hostile commit that makes decoding throw (nested
 * 100,000 deep), a commit whose fold throws, a negotiation whose full state
 * passes 1 MB, and a checkpoint past the end of the stream or from another
 * incarnation of it. Each time the bad part is set aside and reported on the
 * problems subject, and every other negotiation's states keep flowing.
 */
import { readFileSync } from "node:fs"
import { assert, it } from "@effect/vitest"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { Kvm } from "@nats-io/kv"
import { Chunk, Effect, Either, Fiber, Layer, Stream } from "effect"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import * as NatsFeed from "../../src/feed/NatsFeed.ts"
import * as Projector from "../../src/feed/Projector.ts"
import { StateFeed } from "../../src/feed/StateFeed.ts"
import { decodeState } from "../../src/feed/StateSchema.ts"
import { EventStore, ExpectedVersion, type LogEntry } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { longNegotiation } from "./support/Long.ts"
import {
  child,
  cliArgs,
  eventually,
  rawClient,
  storeWithProjector,
  withServer,
} from "./support/Nats.ts"
import { appendEach, ceasefire, pendingOf } from "./support/Scripted.ts"

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** Every state and problem published under `prefix`, as a plain subscriber sees them. */
const listen = (url: string, prefix: string) =>
  Effect.gen(function* () {
    const nc = yield* rawClient(url)
    const versions = new Map<string, Array<number>>()
    const sizes = new Map<string, number>()
    const problems: Array<{ _tag: string; position: number; [k: string]: unknown }> = []
    nc.subscribe(`${prefix}.state.*`, {
      callback: (_, m) => {
        const s = m.json<{ negotiationId: string; version: number }>()
        versions.set(s.negotiationId, [...(versions.get(s.negotiationId) ?? []), s.version])
        sizes.set(s.negotiationId, Math.max(sizes.get(s.negotiationId) ?? 0, m.data.length))
      },
    })
    nc.subscribe(`${prefix}.state-problems`, {
      callback: (_, m) => {
        problems.push(m.json())
      },
    })
    yield* Effect.promise(() => nc.flush())
    const of = (id: string) => versions.get(id) ?? []
    return { nc, of, sizes, problems }
  })

/** The last stream sequence of `prefix`'s event log. */
const lastSeq = (nc: { readonly info?: unknown }, prefix: string) =>
  Effect.promise(async () => {
    const jsm = await jetstreamManager(nc as never)
    return (await jsm.streams.info(prefix.toUpperCase())).state.last_seq
  })

/** A commit nested `depth` deep: valid JSON, a few hundred KB, that a recursive reader cannot walk. */
const deepCommit = (depth: number) => `[${"[".repeat(depth)}${"]".repeat(depth)}]`

/** Appends `envelopes` in commits of `size` events. */
const appendInCommits = (envelopes: ReadonlyArray<EventEnvelope>, size: number) =>
  Effect.flatMap(EventStore, (store) =>
    Effect.forEach(
      range(0, Math.ceil(envelopes.length / size) - 1),
      (i) => {
        const part = envelopes.slice(i * size, (i + 1) * size)
        return store.append(
          part[0]!.negotiationId,
          part.map(pendingOf),
          ExpectedVersion.Exact(part[0]!.version - 1),
        )
      },
      { discard: true },
    ),
  )

withServer("projector containment", (url) => {
  let prefixes = 0
  const fresh = () => {
    const prefix = `contain${++prefixes}`
    return { prefix, nats: { servers: url(), prefix } }
  }

  it.scopedLive(
    "a commit nested 100,000 deep on one negotiation's subject is reported as unreadable with its stream sequence; the projector goes on and every other negotiation's states arrive",
    () =>
      Effect.gen(function* () {
        const { prefix, nats } = fresh()
        const before = yield* ceasefire("before", 3)
        const after = yield* ceasefire("after", 4)
        const bus = yield* listen(url(), prefix)
        const js = jetstream(bus.nc)
        yield* Effect.gen(function* () {
          const store = yield* EventStore
          const projector = yield* Projector.make({ prefix })
          yield* appendEach(store, before.slice(0, 6))
          const poison = yield* Effect.promise(() =>
            js.publish(`${prefix}.events.victim`, deepCommit(100_000)),
          )
          yield* appendEach(store, before.slice(6))
          yield* appendEach(store, after)
          const last = yield* lastSeq(bus.nc, prefix)
          yield* projector.awaitCheckpoint(last).pipe(
            Effect.timeoutFail({
              duration: "30 seconds",
              onTimeout: () => new Error("the projector stopped at the hostile commit"),
            }),
          )
          const report = yield* projector.report
          const found = report.problems.find((p) => p.position === poison.seq)
          assert.deepInclude(found, { _tag: "CorruptCommit", negotiationId: "victim" })
          assert.include(found?.message ?? "", `sequence ${poison.seq}`)
          // A bounded excerpt, never the value.
          assert.isBelow(found?.message.length ?? 0, 600)
          assert.strictEqual(report.problemCount, 1)
          yield* eventually(
            "every state and the problem are published",
            () => bus.of("after").includes(after.length) && bus.problems.length >= 1,
          )
        }).pipe(Effect.provide(Nats.layer(nats)))
        assert.deepStrictEqual(bus.of("before"), range(1, before.length))
        assert.deepStrictEqual(bus.of("after"), range(1, after.length))
        assert.deepStrictEqual(
          bus.problems.map((p) => [p._tag, p.negotiationId]),
          [["CorruptCommit", "victim"]],
        )
      }),
    { timeout: 60_000 },
  )

  it.scopedLive(
    "a commit whose fold throws sets only its negotiation aside at its last good state (FoldFailed, then AfterInvalid for its later commits); the others go on",
    () =>
      Effect.gen(function* () {
        const { prefix, nats } = fresh()
        const cursed = yield* ceasefire("cursed", 5)
        const healthy = yield* ceasefire("healthy", 6)
        const bus = yield* listen(url(), prefix)
        // The log as read: version 4 of "cursed" throws when the fold reads its event.
        const throwing = (entry: LogEntry): LogEntry =>
          entry._tag === "Commit" && entry.envelopes.some((e) => e.negotiationId === "cursed")
            ? {
                ...entry,
                envelopes: entry.envelopes.map((e) =>
                  e.version === 4
                    ? Object.defineProperty({ ...e }, "event", {
                        get: () => {
                          throw new RangeError("Maximum call stack size exceeded")
                        },
                      })
                    : e,
                ),
              }
            : entry
        const natsLayer = Nats.layer(nats)
        const cursedStore = Layer.effect(
          EventStore,
          Effect.map(EventStore, (store) =>
            EventStore.of({
              ...store,
              subscribeLog: (from) => Stream.map(store.subscribeLog(from), throwing),
            }),
          ),
        ).pipe(Layer.provideMerge(natsLayer))
        yield* Effect.gen(function* () {
          const store = yield* EventStore
          const projector = yield* Projector.make({ prefix })
          yield* appendEach(store, cursed)
          yield* appendEach(store, healthy)
          const last = yield* lastSeq(bus.nc, prefix)
          yield* projector.awaitCheckpoint(last).pipe(Effect.timeout("30 seconds"))
          const report = yield* projector.report
          assert.deepInclude(report.problems[0], {
            _tag: "FoldFailed",
            negotiationId: "cursed",
            lastGoodVersion: 3,
          })
          assert.include(report.problems[0]?.message ?? "", "Maximum call stack size exceeded")
          assert.deepStrictEqual(
            report.problems.slice(1).map((p) => p._tag),
            Array.from({ length: cursed.length - 4 }, () => "AfterInvalid"),
          )
          assert.deepInclude(
            report.stopped.map(({ negotiationId, lastGoodVersion }) => ({
              negotiationId,
              lastGoodVersion,
            })),
            { negotiationId: "cursed", lastGoodVersion: 3 },
          )
          yield* eventually("the healthy negotiation's states arrive", () =>
            bus.of("healthy").includes(healthy.length),
          )
        }).pipe(Effect.provide(cursedStore))
        assert.deepStrictEqual(bus.of("cursed"), [1, 2, 3])
        assert.deepStrictEqual(bus.of("healthy"), range(1, healthy.length))
        assert.strictEqual(bus.problems[0]?._tag, "FoldFailed")
        const kv = yield* Effect.promise(() => new Kvm(bus.nc).open(`${prefix}-state`))
        const stored = yield* Effect.promise(() => kv.get("cursed"))
        assert.strictEqual(stored?.json<{ version: number }>().version, 3)
      }),
    { timeout: 60_000 },
  )

  it.scopedLive(
    "a negotiation of 6,000 versions, whose full state passes 1.5 MB, is published whole in version order, every state under max_payload, cut to its latest offers with the counts of all; the projector process stays small and another negotiation's states follow",
    () =>
      Effect.gen(function* () {
        const { prefix, nats } = fresh()
        const big = longNegotiation("big", 6_000)
        const other = yield* ceasefire("other", 8)
        yield* Effect.gen(function* () {
          yield* appendInCommits(big, 250)
        }).pipe(Effect.provide(Nats.layer(nats)))
        const bus = yield* listen(url(), prefix)
        const maxPayload = bus.nc.info?.max_payload ?? 0
        assert.isAbove(maxPayload, 0)
        const projector = yield* child("node", cliArgs("project", "--nats", url()), {
          PARLEY_NATS_PREFIX: prefix,
        })
        yield* eventually(
          "the long negotiation's last state",
          () => bus.of("big").includes(big.length),
          120_000,
          () => `received ${bus.of("big").length}; projector: ${projector.out.stderr.slice(-2000)}`,
        )
        yield* Effect.flatMap(EventStore, (store) => appendEach(store, other)).pipe(
          Effect.provide(Nats.layer(nats)),
        )
        yield* eventually("the other negotiation's states", () =>
          bus.of("other").includes(other.length),
        )
        // Peak resident memory of the projector process (Linux), for docs/RELIABILITY.md.
        const status = (() => {
          try {
            return readFileSync(`/proc/${projector.proc.pid}/status`, "utf8")
          } catch {
            return ""
          }
        })()
        const peak = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
        if (peak !== undefined) {
          console.log(
            `projector peak RSS serving a 6,000-version negotiation: ${Math.round(Number(peak) / 1024)} MB; largest state ${bus.sizes.get("big")} bytes`,
          )
          assert.isBelow(Number(peak) * 1024, 1_000_000_000)
        }
        assert.deepStrictEqual(bus.of("big"), range(1, big.length))
        assert.deepStrictEqual(bus.of("other"), range(1, other.length))
        assert.isAtMost(bus.sizes.get("big") ?? 0, maxPayload)
        assert.deepStrictEqual(bus.problems, [])
        const kv = yield* Effect.promise(() => new Kvm(bus.nc).open(`${prefix}-state`))
        const text = (yield* Effect.promise(() => kv.get("big")))?.string() ?? ""
        const decoded = decodeState(text)
        if (Either.isLeft(decoded)) return assert.fail(decoded.left)
        const view = decoded.right
        assert.strictEqual(view.version, big.length)
        const made = big.filter((e) => e.event.type === "OfferMade").length
        assert.deepInclude(view.window, { offersMade: made, history: "replay" })
        assert.strictEqual(view.window!.offersOmitted, made - view.offers.length)
        assert.isAtMost(view.offers.length, 101)
        assert.strictEqual(
          Object.values(view.window!.byStatus).reduce((a, b) => a + b, 0),
          made,
        )
        const lastOffer = [...big].reverse().find((e) => e.event.type === "OfferMade")
        assert.strictEqual(
          view.offers.at(-1)?.offerId,
          (lastOffer!.event as { offerId: string }).offerId,
        )
        projector.proc.kill("SIGTERM")
        const exit = yield* Effect.promise(() => projector.exit)
        assert.strictEqual(exit.code, 0, projector.out.stderr.slice(-2000))
      }),
    { timeout: 240_000 },
  )

  it.scopedLive(
    "a checkpoint past the end of the stream is reported on the problems subject and the projector rebuilds every state from the start",
    () =>
      Effect.gen(function* () {
        const { prefix, nats } = fresh()
        const talks = yield* ceasefire("talks", 9)
        const more = yield* ceasefire("more", 10)
        const bus = yield* listen(url(), prefix)
        yield* Effect.gen(function* () {
          const projector = yield* Projector.make({ prefix })
          yield* appendEach(yield* EventStore, talks)
          yield* projector.awaitCheckpoint(talks.length).pipe(Effect.timeout("20 seconds"))
        }).pipe(Effect.scoped, Effect.provide(Nats.layer(nats)))
        yield* eventually("the first run's states", () => bus.of("talks").length === talks.length)
        const projection = yield* Effect.promise(() => new Kvm(bus.nc).open(`${prefix}-projection`))
        yield* Effect.promise(() => projection.put("checkpoint", JSON.stringify({ position: 1e9 })))
        yield* Effect.gen(function* () {
          const projector = yield* Projector.make({ prefix })
          yield* appendEach(yield* EventStore, more)
          const last = yield* lastSeq(bus.nc, prefix)
          yield* projector.awaitCheckpoint(last).pipe(
            Effect.timeoutFail({
              duration: "20 seconds",
              onTimeout: () => new Error("the projector published nothing after the checkpoint"),
            }),
          )
          const report = yield* projector.report
          assert.strictEqual(report.resumedAfter, 0)
          assert.deepInclude(report.problems[0], { _tag: "CheckpointRejected", position: 1e9 })
          assert.include(report.problems[0]?.message ?? "", "past the end of stream")
          yield* eventually(
            "the rebuilt states and the new ones",
            () =>
              bus.of("more").includes(more.length) && bus.of("talks").length === 2 * talks.length,
          )
        }).pipe(Effect.scoped, Effect.provide(Nats.layer(nats)))
        assert.deepStrictEqual(bus.of("talks"), [
          ...range(1, talks.length),
          ...range(1, talks.length),
        ])
        assert.deepStrictEqual(bus.of("more"), range(1, more.length))
        assert.deepStrictEqual(
          bus.problems.map((p) => p._tag),
          ["CheckpointRejected"],
        )
        const stored = yield* Effect.promise(() => projection.get("checkpoint"))
        assert.deepInclude(stored?.json<{ position: number; stream: { name: string } }>(), {
          position: talks.length + more.length,
        })
      }),
    { timeout: 60_000 },
  )

  it.scopedLive(
    "a checkpoint from another incarnation of the stream (deleted and created again) is reported and the projector rebuilds: the new log's states are all published and the old log's states are cleared from the KV",
    () =>
      Effect.gen(function* () {
        const { prefix, nats } = fresh()
        const old = yield* ceasefire("old", 11)
        const fresh2 = yield* ceasefire("renewed", 12)
        assert.isAtLeast(fresh2.length, old.length)
        const bus = yield* listen(url(), prefix)
        yield* Effect.gen(function* () {
          const projector = yield* Projector.make({ prefix })
          yield* appendEach(yield* EventStore, old)
          yield* projector.awaitCheckpoint(old.length).pipe(Effect.timeout("20 seconds"))
        }).pipe(Effect.scoped, Effect.provide(Nats.layer(nats)))
        const jsm = yield* Effect.promise(() => jetstreamManager(bus.nc))
        yield* Effect.promise(() => jsm.streams.delete(prefix.toUpperCase()))
        yield* Effect.gen(function* () {
          // A new stream, a new history; the checkpoint of the old one is still stored.
          yield* appendEach(yield* EventStore, fresh2)
          const projector = yield* Projector.make({ prefix })
          yield* projector.awaitCheckpoint(fresh2.length).pipe(
            Effect.timeoutFail({
              duration: "20 seconds",
              onTimeout: () => new Error("the projector did not rebuild"),
            }),
          )
          const report = yield* projector.report
          assert.strictEqual(report.resumedAfter, 0)
          assert.deepInclude(report.problems[0], {
            _tag: "CheckpointRejected",
            position: old.length,
          })
          assert.include(report.problems[0]?.message ?? "", "another incarnation")
          yield* eventually("every state of the new log", () =>
            bus.of("renewed").includes(fresh2.length),
          )
        }).pipe(Effect.scoped, Effect.provide(Nats.layer(nats)))
        assert.deepStrictEqual(bus.of("renewed"), range(1, fresh2.length))
        const kv = yield* Effect.promise(() => new Kvm(bus.nc).open(`${prefix}-state`))
        const stale = yield* Effect.promise(() => kv.get("old"))
        assert.notStrictEqual(stale?.operation, "PUT")
      }),
    { timeout: 60_000 },
  )
  it.scopedLive(
    "a payload nested 100,000 deep published on a negotiation's state subject is dropped by a watcher of the NATS feed, which goes on with the states that follow",
    () =>
      Effect.gen(function* () {
        const { prefix } = fresh()
        const talks = yield* ceasefire("watched", 13)
        const nc = yield* rawClient(url())
        yield* Effect.gen(function* () {
          const feed = yield* StateFeed
          const watching = yield* Effect.fork(
            feed.watchState("watched").pipe(
              Stream.takeUntil((v) => v.version >= talks.length),
              Stream.runCollect,
              Effect.map(Chunk.toReadonlyArray),
              Effect.timeout("30 seconds"),
            ),
          )
          yield* Effect.sleep("300 millis")
          nc.publish(`${prefix}.state.watched`, deepCommit(100_000))
          yield* Effect.promise(() => nc.flush())
          yield* appendEach(yield* EventStore, talks)
          const views = yield* Fiber.join(watching)
          assert.deepStrictEqual(
            views.map((v) => v.version),
            range(1, talks.length),
          )
        }).pipe(
          Effect.provide(
            Layer.provideMerge(NatsFeed.layer({ prefix }), storeWithProjector(url(), prefix)),
          ),
        )
      }),
    { timeout: 60_000 },
  )
})
