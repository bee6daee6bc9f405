/**
 * Scripted negotiations for the feed tests: the ceasefire-freeze scenario
 * (alternating protocol) played once into a memory log, its envelopes kept
 * so a test can append them one by one into the store under test.
 */
import { Chunk, Effect, Either, Stream } from "effect"
import { foldState as fold } from "../../../src/app/Projection.ts"
import { eventIdFor } from "../../../src/domain/Envelope.ts"
import type {
  EventEnvelope,
  Instant,
  NegotiationEvent,
  PendingEvent,
} from "../../../src/domain/Event.ts"
import { official, SCHEMA_VERSION } from "../../../src/domain/Event.ts"
import type { NegotiationId, OfferId, PartyId } from "../../../src/domain/Ids.ts"
import type { State } from "../../../src/domain/Negotiation.ts"
import { untilVersion } from "../../../src/domain/Replay.ts"
import { toView } from "../../../src/domain/View.ts"
import { decodeState, type StateView } from "../../../src/feed/StateSchema.ts"
import { loadScenario } from "../../../src/scenario/Load.ts"
import { prepare, run } from "../../../src/simulation/Runner.ts"
import {
  EventStore,
  type EventStoreService,
  ExpectedVersion,
} from "../../../src/store/EventStore.ts"
import * as Memory from "../../../src/store/Memory.ts"

/** The envelopes of one scripted ceasefire negotiation under `id`. */
export const ceasefire = (id: string, seed = 42) =>
  Effect.gen(function* () {
    const prepared = yield* Effect.flatMap(
      loadScenario("scenarios/ceasefire-freeze.ts", { protocol: "alternating" }),
      prepare,
    )
    const result = yield* run(prepared, { seed, negotiationId: id as NegotiationId })
    const store = yield* EventStore
    return Chunk.toReadonlyArray(yield* Stream.runCollect(store.read(result.negotiationId)))
  }).pipe(Effect.provide(Memory.layer), Effect.orDie)

/** The pending form of a stored envelope (to append it again elsewhere). */
export const pendingOf = (e: EventEnvelope): PendingEvent => {
  const { negotiationId: _, version: __, ...pending } = e
  return pending
}

/** Appends envelopes one commit each, expecting exactly the version before each. */
export const appendEach = (store: EventStoreService, envelopes: ReadonlyArray<EventEnvelope>) =>
  Effect.forEach(
    envelopes,
    (e) => store.append(e.negotiationId, [pendingOf(e)], ExpectedVersion.Exact(e.version - 1)),
    { discard: true },
  )

/** The state after the first `version` envelopes, as a subscriber decodes it. */
export const expectedView = (
  envelopes: ReadonlyArray<EventEnvelope>,
  version: number,
): StateView => {
  const state: State = Either.getOrThrow(fold(envelopes, untilVersion(version)))
  return Either.getOrThrow(decodeState(JSON.stringify(toView(state))))
}

/** A well-formed event no negotiation at that point allows: accepting an offer that was never made. */
export const impossibleAt = (
  negotiationId: string,
  version: number,
  by = "ukraine",
): EventEnvelope => {
  const event: NegotiationEvent = {
    type: "OfferAccepted",
    schemaVersion: SCHEMA_VERSION,
    offerId: "no-such-offer" as OfferId,
    by: by as PartyId,
    provenance: official,
  }
  const occurredAt = "2031-01-01T00:00:00.000Z" as Instant
  return {
    // Derived from its content as a writer's is, so readers judge the event, not its id.
    eventId: eventIdFor(negotiationId as NegotiationId, version, occurredAt, event),
    negotiationId: negotiationId as NegotiationId,
    version,
    occurredAt,
    event,
  }
}
