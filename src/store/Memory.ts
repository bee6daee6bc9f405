/**
 * The in-memory event log: the embedded default for simulations and tests.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Stream } from "effect"
import type { EventEnvelope } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import {
  type AppendResult,
  EventStore,
  type EventStoreService,
  planAppend,
  type VersionConflict,
} from "./EventStore.ts"

/** A fresh, empty in-memory event log. */
export const make: Effect.Effect<EventStoreService> = Effect.sync(() => {
  const logs = new Map<NegotiationId, { envelopes: Array<EventEnvelope>; ids: Array<string> }>()
  const logOf = (id: NegotiationId) => {
    let log = logs.get(id)
    if (log === undefined) {
      log = { envelopes: [], ids: [] }
      logs.set(id, log)
    }
    return log
  }
  return EventStore.of({
    // Synchronous from check to write: no other fiber can interleave.
    append: (negotiationId, events, expected) =>
      Effect.suspend((): Effect.Effect<AppendResult, VersionConflict> => {
        const log = logOf(negotiationId)
        const plan = planAppend(negotiationId, log.ids, events, expected)
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
            for (const e of plan.envelopes) {
              log.envelopes.push(e)
              log.ids.push(e.eventId)
            }
            return Effect.succeed({
              envelopes: plan.envelopes,
              version: log.ids.length,
              duplicate: false,
            })
        }
      }),
    read: (negotiationId, range = {}) =>
      Stream.suspend(() => {
        const envelopes = logs.get(negotiationId)?.envelopes ?? []
        const from = Math.max(1, range.from ?? 1)
        const to = Math.min(envelopes.length, range.to ?? envelopes.length)
        return Stream.fromIterable(envelopes.slice(from - 1, Math.max(from - 1, to)))
      }),
    version: (negotiationId) => Effect.sync(() => logs.get(negotiationId)?.ids.length ?? 0),
    list: Effect.sync(() =>
      [...logs.entries()].filter(([, l]) => l.ids.length > 0).map(([id]) => id),
    ),
  })
})

/** A layer providing a fresh in-memory {@link EventStore}. */
export const layer: Layer.Layer<EventStore> = Layer.effect(EventStore, make)
