/**
 * The one builder of event envelopes: an event with its place in its
 * negotiation's log (id, negotiation, version, time and context). Every
 * envelope that is made rather than read goes through {@link makeEnvelope}:
 * the command handler's decisions ({@link decidedEnvelope}), a fork's
 * recorded prefix copied under its new id ({@link reRecorded}), and the
 * store numbering what it appends (its `envelopeOf`). So the fields come in
 * one canonical order, the optional ones only when set, and an event's id is
 * derived in one way ({@link eventIdFor}).
 *
 * @since 0.4.0
 */
import { hash } from "node:crypto"
import type { EventEnvelope, Instant, Metadata, NegotiationEvent } from "./Event.ts"
import type { EventId, NegotiationId } from "./Ids.ts"

/** Optional context recorded in an event's envelope. */
export interface EnvelopeContext {
  readonly metadata?: Metadata | undefined
  readonly causationId?: string | undefined
  readonly correlationId?: string | undefined
}

/**
 * A deterministic event id: a digest of where the event goes and what it
 * says. Retrying the same decision gives the same ids (so the store can
 * recognise the retry), while two writers deciding different things for the
 * same version get different ids (so neither is mistaken for the other's retry).
 */
export const eventIdFor = (
  negotiationId: NegotiationId,
  version: number,
  occurredAt: string,
  event: NegotiationEvent,
): EventId =>
  // One-shot `hash` costs half of a createHash object for inputs this small.
  hash(
    "sha256",
    `${negotiationId}\n${version}\n${occurredAt}\n${JSON.stringify(event)}`,
    "base64url",
  ).slice(0, 22) as EventId

/**
 * The envelope of `event` at `version`: fields in their canonical order, the
 * optional ones only when set, built as one object (this runs for every
 * event a simulation records).
 */
export const makeEnvelope = (
  eventId: EventId,
  negotiationId: NegotiationId,
  version: number,
  occurredAt: Instant,
  event: NegotiationEvent,
  context: EnvelopeContext,
): EventEnvelope => {
  const out = { eventId, negotiationId, version, occurredAt } as {
    -readonly [K in keyof EventEnvelope]: EventEnvelope[K]
  }
  if (context.causationId !== undefined) out.causationId = context.causationId
  if (context.correlationId !== undefined) out.correlationId = context.correlationId
  if (context.metadata !== undefined) out.metadata = context.metadata
  out.event = event
  return out
}

/** The envelope of an event just decided for `version`, its id derived from what it says ({@link eventIdFor}). */
export const decidedEnvelope = (
  negotiationId: NegotiationId,
  version: number,
  at: Instant,
  event: NegotiationEvent,
  context: EnvelopeContext,
): EventEnvelope =>
  makeEnvelope(
    eventIdFor(negotiationId, version, at, event),
    negotiationId,
    version,
    at,
    event,
    context,
  )

/**
 * A recorded envelope copied into negotiation `negotiationId` at the same
 * version and time (a fork's recorded prefix): a new id, derived as a
 * decision's would be, the same causation and correlation, and `metadata`.
 */
export const reRecorded = (
  negotiationId: NegotiationId,
  envelope: EventEnvelope,
  metadata: Metadata,
): EventEnvelope =>
  makeEnvelope(
    eventIdFor(negotiationId, envelope.version, envelope.occurredAt, envelope.event),
    negotiationId,
    envelope.version,
    envelope.occurredAt,
    envelope.event,
    {
      causationId: envelope.causationId,
      correlationId: envelope.correlationId,
      metadata,
    },
  )
