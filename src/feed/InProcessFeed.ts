/**
 * The in-process state feed: folds the events of the {@link EventStore} in
 * context (the embedded default, or any other) through the same projection
 * as the NATS projector. Each watch follows the log from its start, so the
 * first state it gives a negotiation is the one at the version the log had
 * when the watch began (or later), then each new one. A long negotiation's
 * states are cut to its latest offers as the projector cuts them
 * (`./Window.ts`), so a state is the same on either feed.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Stream } from "effect"
import { makeProjection } from "../app/Projection.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import type { State } from "../domain/Negotiation.ts"
import type { StateView } from "../domain/View.ts"
import { EventStore, type EventStoreService, type LogEntry } from "../store/EventStore.ts"
import { newerOnly, StateFeed, StateFeedError, type StateFeedService } from "./StateFeed.ts"
import { Tallies } from "./Window.ts"

const feedError = (operation: string) => (e: { readonly message: string }) =>
  new StateFeedError({ operation, problem: e.message })

/**
 * States of the negotiations `watched` selects, each from the version its log
 * had at `targets` (0 or absent: from its first state).
 */
const watch = (
  store: EventStoreService,
  watched: (negotiationId: string) => boolean,
  targets: ReadonlyMap<string, number>,
): Stream.Stream<StateView, StateFeedError> =>
  Stream.suspend(() => {
    // Policy stop, as the NATS projector: no state derived from an invalid event comes out.
    const projection = makeProjection({ policy: "stop" })
    const tallies = new Tallies()
    const aside = new Set<string>()
    /** The last good state of each watched negotiation (the one it stays at when set aside). */
    const lastGood = new Map<string, State>()
    const caught = new Set<string>()
    const isCaught = (id: string) => caught.has(id) || (targets.get(id) ?? 0) === 0
    const apply = (entry: LogEntry, emit: (state: State) => void) =>
      projection.apply(entry, {
        state: (state, envelope) => {
          const id = state.negotiationId ?? ""
          if (!watched(id)) return
          lastGood.set(id, state)
          tallies.observe(state, envelope)
          if (isCaught(id)) return emit(state)
          if (state.version >= (targets.get(id) ?? 0)) {
            caught.add(id)
            emit(state)
          }
        },
        // A negotiation stopped by an invalid event is caught up when the log reaches its target.
        problem: (p) => {
          const id = p.negotiationId
          if (id === undefined || !watched(id) || isCaught(id) || p.version === undefined) return
          if (p.version < (targets.get(id) ?? 0)) return
          caught.add(id)
          const state = projection.get(id)
          if (state !== undefined && state.version > 0) emit(state)
        },
      })
    return store.subscribeLog().pipe(
      Stream.mapError(feedError("follow the event log")),
      Stream.mapConcat((entry) => {
        const out: Array<StateView> = []
        const emit = (state: State) => out.push(tallies.view(state))
        // A negotiation whose fold threw is set aside, as the projector does; the others go on.
        const id = entry._tag === "Commit" ? entry.envelopes[0]?.negotiationId : undefined
        if (id !== undefined && aside.has(id)) return out
        try {
          apply(entry, emit)
        } catch {
          if (id === undefined) return out
          aside.add(id)
          tallies.forget(id)
          // Caught up at its last good state, as a negotiation stopped by an invalid event is.
          const last = lastGood.get(id)
          if (watched(id) && !isCaught(id) && last !== undefined) {
            caught.add(id)
            out.push(tallies.view(last))
          }
        }
        return out
      }),
      Stream.filter(newerOnly()),
    )
  })

/** The in-process feed over the {@link EventStore} in context. */
export const make: Effect.Effect<StateFeedService, never, EventStore> = Effect.map(
  EventStore,
  (store) =>
    StateFeed.of({
      watchState: (negotiationId) =>
        Stream.unwrap(
          store.version(negotiationId as NegotiationId).pipe(
            Effect.mapError(feedError(`watch ${negotiationId}`)),
            Effect.map((version) =>
              watch(store, (id) => id === negotiationId, new Map([[negotiationId, version]])),
            ),
          ),
        ),
      watchAll: () =>
        Stream.unwrap(
          Effect.gen(function* () {
            const ids = yield* store.list
            const versions = yield* Effect.forEach(ids, (id) =>
              Effect.map(store.version(id), (v) => [id as string, v] as const),
            )
            return watch(store, () => true, new Map(versions))
          }).pipe(Effect.mapError(feedError("watch every negotiation"))),
        ),
    }),
)

/** A layer providing the in-process {@link StateFeed} over the {@link EventStore} in context. */
export const layer: Layer.Layer<StateFeed, never, EventStore> = Layer.effect(StateFeed, make)
