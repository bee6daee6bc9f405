/**
 * The contract every StateFeed adapter passes, run unchanged against the
 * in-process and the NATS adapters: `testStateFeed(name, makeLayer)`.
 *
 * `makeLayer` gives a fresh, empty event log and a feed over it (for NATS:
 * a store, a running projector and the NATS feed, on a prefix of their own).
 */
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, type Layer, type Scope, Stream } from "effect"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import { StateFeed } from "../../src/feed/StateFeed.ts"
import type { StateView } from "../../src/feed/StateSchema.ts"
import { EventStore, ExpectedVersion } from "../../src/store/EventStore.ts"
import { appendEach, ceasefire, expectedView, impossibleAt, pendingOf } from "./support/Scripted.ts"

/**
 * A view as a subscriber on the wire receives it: the feed's contract is the
 * JSON (a field the domain holds as `undefined` is absent from it).
 */
const published = (view: StateView): unknown => JSON.parse(JSON.stringify(view))

/** States of one watch until `done` holds for one, within 20 s. */
const collectUntil = (
  stream: Stream.Stream<StateView, unknown>,
  done: (view: StateView, all: ReadonlyArray<StateView>) => boolean,
) => {
  const seen: Array<StateView> = []
  return stream.pipe(
    Stream.tap((v) => Effect.sync(() => seen.push(v))),
    Stream.takeUntil((v) => done(v, seen)),
    Stream.runCollect,
    Effect.map(Chunk.toReadonlyArray),
    Effect.timeoutFail({
      duration: "20 seconds",
      onTimeout: () =>
        new Error(`timed out; saw ${seen.map((v) => `${v.negotiationId}@${v.version}`).join(" ")}`),
    }),
  )
}

const versionsOf = (views: ReadonlyArray<StateView>, id: string) =>
  views.filter((v) => v.negotiationId === id).map((v) => v.version)

const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)

/** Runs the contract against the adapter `makeLayer` builds. */
export const testStateFeed = (
  name: string,
  makeLayer: () => Layer.Layer<EventStore | StateFeed, unknown>,
) =>
  describe(`StateFeed contract: ${name}`, () => {
    /** A test on a fresh log and feed. */
    const test = (
      title: string,
      body: () => Effect.Effect<void, unknown, EventStore | StateFeed | Scope.Scope>,
    ) => it.scopedLive(title, () => Effect.provide(body(), makeLayer()))

    test("watchState gives the latest state first, then versions 2..N in order, each equal to the fold of the log at that version", () =>
      Effect.gen(function* () {
        const envelopes = yield* ceasefire("talks")
        const n = envelopes.length
        assert.isAbove(n, 8)
        const store = yield* EventStore
        const feed = yield* StateFeed
        yield* appendEach(store, envelopes.slice(0, 1))
        // Once version 1 is out, a new watch starts at exactly version 1.
        yield* collectUntil(feed.watchState("talks"), (v) => v.version >= 1)
        const watching = yield* Effect.fork(
          collectUntil(feed.watchState("talks"), (v) => v.version >= n),
        )
        // Time for the watch to start (subscribe, read the latest) before the log moves on.
        yield* Effect.sleep("200 millis")
        yield* appendEach(store, envelopes.slice(1))
        const views = yield* Fiber.join(watching)
        assert.deepStrictEqual(
          views.map((v) => v.version),
          range(1, n),
        )
        for (const view of views)
          assert.deepStrictEqual(published(view), expectedView(envelopes, view.version))
        assert.strictEqual(views.at(-1)?.status, expectedView(envelopes, n).status)
      }))

    test("a watch that starts after N events begins with version N", () =>
      Effect.gen(function* () {
        const envelopes = yield* ceasefire("late")
        const store = yield* EventStore
        const feed = yield* StateFeed
        yield* appendEach(store, envelopes)
        const n = envelopes.length
        yield* collectUntil(feed.watchState("late"), (v) => v.version >= n)
        const first = yield* collectUntil(feed.watchState("late"), () => true)
        assert.deepStrictEqual(first.map(published), [expectedView(envelopes, n)])
      }))

    test("watchAll gives every negotiation's latest state first, then each new one, per negotiation in order without duplicates", () =>
      Effect.gen(function* () {
        const a = yield* ceasefire("alpha", 1)
        const b = yield* ceasefire("bravo", 2)
        const store = yield* EventStore
        const feed = yield* StateFeed
        yield* appendEach(store, a)
        yield* appendEach(store, b.slice(0, 3))
        yield* collectUntil(feed.watchState("bravo"), (v) => v.version >= 3)
        yield* collectUntil(feed.watchState("alpha"), (v) => v.version >= a.length)
        const watching = yield* Effect.fork(
          collectUntil(feed.watchAll(), (_, all) => versionsOf(all, "bravo").includes(b.length)),
        )
        yield* Effect.sleep("200 millis")
        yield* appendEach(store, b.slice(3))
        const views = yield* Fiber.join(watching)
        assert.deepStrictEqual(versionsOf(views, "alpha"), [a.length])
        const bravo = versionsOf(views, "bravo")
        assert.deepStrictEqual(bravo, range(bravo[0] ?? 0, b.length))
        assert.isAtMost(bravo[0] ?? 0, 3 + (b.length - 3))
        for (const view of views)
          assert.deepStrictEqual(
            published(view),
            expectedView(view.negotiationId === "alpha" ? a : b, view.version),
          )
      }))

    test("an impossible event stops its negotiation at the last good state; no state derived from it or after it comes out, and others go on", () =>
      Effect.gen(function* () {
        const bad = yield* ceasefire("broken", 3)
        const good = yield* ceasefire("healthy", 4)
        const store = yield* EventStore
        const feed = yield* StateFeed
        const watching = yield* Effect.fork(
          collectUntil(feed.watchAll(), (_, all) =>
            versionsOf(all, "healthy").includes(good.length),
          ),
        )
        yield* Effect.sleep("200 millis")
        yield* appendEach(store, bad.slice(0, 3))
        // Written straight to the log: the store checks versions, not rules.
        const impossible: EventEnvelope = impossibleAt("broken", 4)
        yield* store.append("broken" as never, [pendingOf(impossible)], ExpectedVersion.Exact(3))
        yield* appendEach(
          store,
          bad.slice(4).map((e) => e),
        ).pipe(Effect.ignore)
        yield* appendEach(store, good)
        const views = yield* Fiber.join(watching)
        assert.deepStrictEqual(versionsOf(views, "broken"), [1, 2, 3])
        assert.deepStrictEqual(versionsOf(views, "healthy"), range(1, good.length))
        const latest = yield* collectUntil(feed.watchState("broken"), () => true)
        assert.deepStrictEqual(latest.map(published), [expectedView(bad, 3)])
      }))
  })

/** The envelope type, for adapters' own tests. */
export type { EventEnvelope }
