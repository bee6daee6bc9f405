import { assert, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Stream } from "effect"
import * as InProcessFeed from "../../src/feed/InProcessFeed.ts"
import { StateFeed } from "../../src/feed/StateFeed.ts"
import { EventStore, type LogEntry } from "../../src/store/EventStore.ts"
import * as Memory from "../../src/store/Memory.ts"
import { testStateFeed } from "./StateFeedContract.ts"
import { appendEach, ceasefire } from "./support/Scripted.ts"

testStateFeed("in-process over the memory store", () =>
  Layer.provideMerge(InProcessFeed.layer, Memory.layer),
)

/** The log as read: version 4 of `id` throws when the fold reads its event. */
const throwingAt4 =
  (id: string) =>
  (entry: LogEntry): LogEntry =>
    entry._tag === "Commit" && entry.envelopes.some((e) => e.negotiationId === id)
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

it.scopedLive(
  "in-process feed: a negotiation whose fold throws stops at its last good state; the others' states go on",
  () =>
    Effect.gen(function* () {
      const cursed = yield* ceasefire("cursed", 5)
      const healthy = yield* ceasefire("healthy", 6)
      const store = yield* EventStore
      yield* appendEach(store, cursed)
      yield* appendEach(store, healthy)
      const feed = yield* StateFeed
      const views = yield* feed.watchAll().pipe(
        Stream.takeUntil((v) => v.negotiationId === "healthy" && v.version === healthy.length),
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray),
        Effect.timeout("20 seconds"),
      )
      const versions = (id: string) =>
        views.filter((v) => v.negotiationId === id).map((v) => v.version)
      assert.deepStrictEqual(versions("cursed"), [3])
      assert.deepStrictEqual(versions("healthy"), [healthy.length])
    }).pipe(
      Effect.provide(
        Layer.provideMerge(
          InProcessFeed.layer,
          Layer.effect(
            EventStore,
            Effect.map(EventStore, (store) =>
              EventStore.of({
                ...store,
                subscribeLog: (from) => Stream.map(store.subscribeLog(from), throwingAt4("cursed")),
              }),
            ),
          ).pipe(Layer.provideMerge(Memory.layer)),
        ),
      ),
    ),
)
