/**
 * The in-memory event log: the embedded default for simulations and tests.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Stream, SubscriptionRef } from "effect"
import type { EventEnvelope } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import {
  All,
  type AppendResult,
  EventStore,
  type EventStoreService,
  make as makeEventStore,
  planAppend,
  type StoreError,
  type VersionConflict,
  validateNegotiationId,
  validateSelector,
} from "./EventStore.ts"

/** A fresh, empty in-memory event log. */
export const make: Effect.Effect<EventStoreService> = Effect.gen(function* () {
  const logs = new Map<NegotiationId, { envelopes: Array<EventEnvelope>; ids: Array<string> }>()
  /** Every envelope in commit order, for subscriptions to all negotiations. */
  const all: Array<EventEnvelope> = []
  /** How many envelopes are stored; subscriptions wake up when it changes. */
  const committed = yield* SubscriptionRef.make(0)
  return makeEventStore({
    // Synchronous from check to write: no other fiber can interleave.
    append: (negotiationId, events, expected) =>
      Effect.flatMap(
        validateNegotiationId(negotiationId),
        (id): Effect.Effect<AppendResult, VersionConflict | StoreError> => {
          const log = logs.get(id) ?? { envelopes: [], ids: [] }
          const plan = planAppend(id, log.ids, events, expected)
          switch (plan._tag) {
            case "Conflict":
              return Effect.fail(plan.error)
            case "Duplicate":
              return Effect.succeed({
                envelopes: log.envelopes.slice(plan.from - 1, plan.from - 1 + events.length),
                version: log.ids.length,
                duplicate: true,
              })
            case "Write":
              if (plan.envelopes.length > 0) logs.set(id, log)
              for (const e of plan.envelopes) {
                log.envelopes.push(e)
                log.ids.push(e.eventId)
                all.push(e)
              }
              return Effect.as(SubscriptionRef.set(committed, all.length), {
                envelopes: plan.envelopes,
                version: log.ids.length,
                duplicate: false,
              })
          }
        },
      ),
    read: (negotiationId, range = {}) =>
      Stream.unwrap(
        Effect.map(validateNegotiationId(negotiationId), (id) => {
          const envelopes = logs.get(id)?.envelopes ?? []
          const from = Math.max(1, range.from ?? 1)
          const to = Math.min(envelopes.length, range.to ?? envelopes.length)
          return Stream.fromIterable(envelopes.slice(from - 1, Math.max(from - 1, to)))
        }),
      ),
    version: (negotiationId) =>
      Effect.map(validateNegotiationId(negotiationId), (id) => logs.get(id)?.ids.length ?? 0),
    list: Effect.sync(() =>
      [...logs.entries()].filter(([, l]) => l.ids.length > 0).map(([id]) => id),
    ),
    // A cursor into the stored array: each wake-up emits what lies past it, so
    // catch-up and live delivery can neither skip nor repeat an event.
    subscribe: (selector, fromVersion = 1) =>
      Stream.unwrap(
        Effect.map(validateSelector(selector), (selected) => {
          const source = () => (selected === All ? all : (logs.get(selected)?.envelopes ?? []))
          let cursor = selected === All ? 0 : Math.max(0, fromVersion - 1)
          return committed.changes.pipe(
            Stream.mapConcat(() => {
              const envelopes = source()
              const next = envelopes.slice(cursor)
              cursor = Math.max(cursor, envelopes.length)
              return selected === All ? next.filter((e) => e.version >= fromVersion) : next
            }),
          )
        }),
      ),
  })
})

/** A layer providing a fresh in-memory {@link EventStore}. */
export const layer: Layer.Layer<EventStore> = Layer.effect(EventStore, make)
