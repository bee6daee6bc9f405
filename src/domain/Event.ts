/**
 * The event model: every move in a negotiation, in the past tense, wrapped in
 * an envelope that places it in its negotiation's log.
 *
 * Events are plain JSON on the wire (the encoded and decoded forms are the
 * same), discriminated by `type`, and each carries the `schemaVersion` of its
 * type's shape. The Schemas here are the current version of every type;
 * `Upcast.ts` holds the older ones and reads them as these, at the codec, so
 * the domain only ever sees current events.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { EventId, IssueId, NegotiationId, OfferId, PartyId } from "./Ids.ts"
import { Issue, Terms, TermValue } from "./Issue.ts"

/**
 * The first schema version, which every event type starts at (and most are
 * still at). An event type's current version is {@link schemaVersions}`[type]`.
 */
export const SCHEMA_VERSION = 1

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/**
 * A moment in UTC, as `Date.prototype.toISOString` writes it
 * (`2025-04-22T00:00:00.000Z`). One fixed format makes instants comparable as
 * strings, which keeps replay to a moment free of date parsing.
 */
export const Instant = Schema.String.pipe(
  Schema.filter(
    (s) =>
      (ISO_UTC.test(s) && !Number.isNaN(Date.parse(s))) ||
      `expected a UTC instant like 2025-04-22T09:30:00.000Z, got ${JSON.stringify(s)}`,
    { identifier: "Instant", jsonSchema: { format: "date-time" } },
  ),
  Schema.brand("Instant"),
)
export type Instant = typeof Instant.Type

/**
 * Normalises a date or date-time string (`2025-04-22`, `2025-04-22T10:00Z`,
 * ...) or a `Date` to an {@link Instant}; `undefined` if it is not a date.
 */
export const toInstant = (input: string | Date | number): Instant | undefined => {
  const ms =
    input instanceof Date ? input.getTime() : typeof input === "number" ? input : Date.parse(input)
  return Number.isNaN(ms) ? undefined : (new Date(ms).toISOString() as Instant)
}

/** Where a move is known from: who reported it, where, and when. */
export const Source = Schema.Struct({
  /** Who reported it: an outlet, an agency, a spokesperson. */
  reportedBy: Schema.String,
  /** Where: a publication, a statement, a URL. */
  where: Schema.optional(Schema.String),
  url: Schema.optional(Schema.String),
  /** When it was reported (may differ from when it happened). */
  reportedAt: Schema.optional(Instant),
  /** A short quote or paraphrase of what the source says. */
  quote: Schema.optional(Schema.String),
})
export type Source = typeof Source.Type

/**
 * How a move is known. `official` moves were made or confirmed by the party
 * itself; `reported` moves are claims by third parties about it, which count
 * for nothing binding until the party confirms them. Either may be marked
 * `hypothetical`: not a fact, a development supposed for a what-if.
 */
export const Provenance = Schema.Struct({
  status: Schema.Literal("official", "reported"),
  sources: Schema.optionalWith(Schema.Array(Source), { exact: true }),
  /**
   * A move that did not happen: recorded to ask "what if" (`parley record` of a
   * hypothetical development). It counts in the fold like any other move, and
   * every reader is told it is hypothetical. Absent on moves that happened.
   */
  hypothetical: Schema.optionalWith(Schema.Literal(true), { exact: true }),
})
export type Provenance = typeof Provenance.Type

/** A party's role: principals decide, mediators propose, observers watch. */
export const Role = Schema.Literal("principal", "mediator", "observer")
export type Role = typeof Role.Type

/** A party as declared when the negotiation opens. */
export const Party = Schema.Struct({
  id: PartyId,
  name: Schema.String,
  role: Role,
})
export type Party = typeof Party.Type

/**
 * Who answers an offer before it is settled:
 * - `until-rejected` (the default): an official rejection by any addressee
 *   rejects the offer at once, so later addressees never answer it;
 * - `every-addressee` (mediated single-text talks): every addressee at the
 *   table answers; the offer is rejected once all have answered and one
 *   rejected, and concluded as soon as every party that must accept has.
 */
export const Answers = Schema.Literal("until-rejected", "every-addressee")
export type Answers = typeof Answers.Type

/**
 * How a party judges a text against the current single text it would
 * replace (the offer's `currentText`), or against no agreement when there is
 * none: `better`, `same` or `worse` for it.
 */
export const Verdict = Schema.Literal("better", "same", "worse")
export type Verdict = typeof Verdict.Type

/**
 * One point of a party's criticism of a text (Raiffa's single negotiating
 * text): the issue it wants changed and the value it wants it moved toward;
 * `redLine` when the text's value on that issue crosses one of its red lines
 * (stated in public by saying so).
 */
export const Criticism = Schema.Struct({
  issue: IssueId,
  toward: TermValue,
  redLine: Schema.optional(Schema.Boolean),
}).annotations({ identifier: "Criticism" })
export type Criticism = typeof Criticism.Type

/**
 * The rules of a negotiation, fixed when it opens, as commands give them and
 * the derived state holds them. The opening event records them as
 * {@link OpeningRules}.
 */
export const Rules = Schema.Struct({
  /** Who must accept an offer for it to be agreed (the offering party counts as accepting). */
  mustAccept: Schema.Array(PartyId),
  /** Who must ratify an accepted offer before it is an agreement (may be empty). */
  mustRatify: Schema.Array(PartyId),
  /** No move is allowed after this moment. */
  deadline: Schema.optional(Instant),
  /** No offer is allowed once this many have been made. */
  maxRounds: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /** Whether offers may cover only some issues, and accepted ones bind those issues. */
  partialAgreements: Schema.Boolean,
  /** Who answers an offer before it is settled (default `until-rejected`). */
  answers: Schema.optional(Answers),
})
export type Rules = typeof Rules.Type

/**
 * When talks expire without agreement: at a moment, after a number of rounds
 * (offers made), or whichever of the two comes first. At least one is given.
 */
export const Deadline = Schema.Struct({
  at: Schema.optional(Instant),
  afterRounds: Schema.optional(Schema.Int.pipe(Schema.positive())),
}).pipe(
  Schema.filter(
    (d) =>
      d.at !== undefined ||
      d.afterRounds !== undefined ||
      "a deadline needs at, afterRounds or both",
    {
      identifier: "Deadline",
      jsonSchema: { minProperties: 1 },
    },
  ),
)
export type Deadline = typeof Deadline.Type

/**
 * The rules as the opening event records them (`NegotiationOpened` version 2):
 * the {@link Rules}, with when the talks expire as one {@link Deadline}.
 */
export const OpeningRules = Schema.Struct({
  mustAccept: Rules.fields.mustAccept,
  mustRatify: Rules.fields.mustRatify,
  deadline: Schema.optional(Deadline),
  partialAgreements: Rules.fields.partialAgreements,
  answers: Rules.fields.answers,
})
export type OpeningRules = typeof OpeningRules.Type

const event = <Tag extends string, Version extends number, Fields extends Schema.Struct.Fields>(
  type: Tag,
  version: Version,
  fields: Fields,
) =>
  Schema.Struct({
    type: Schema.Literal(type),
    schemaVersion: Schema.Literal(version),
    ...fields,
  }).annotations({ identifier: type })

/**
 * The negotiation was opened: who, about what, under which rules.
 *
 * Version 2 records when the talks expire as one `rules.deadline` (`{ at?,
 * afterRounds? }`); version 1 had two unrelated fields, `rules.deadline` (a
 * moment) and `rules.maxRounds`, for what is one rule.
 */
export const NegotiationOpened = event("NegotiationOpened", 2, {
  title: Schema.String,
  description: Schema.optional(Schema.String),
  parties: Schema.Array(Party),
  issues: Schema.Array(Issue),
  rules: OpeningRules,
})
export type NegotiationOpened = typeof NegotiationOpened.Type

/** A party made an offer (or was reported to have made one). */
export const OfferMade = event("OfferMade", 1, {
  offerId: OfferId,
  by: PartyId,
  to: Schema.Array(PartyId),
  terms: Terms,
  inReplyTo: Schema.optional(OfferId),
  /** In mediated talks, the current single text this one would replace: answers' verdicts compare with it. */
  currentText: Schema.optional(OfferId),
  /** Free text sent with the move (an agent's or a person's words to the other parties). */
  message: Schema.optional(Schema.String),
  provenance: Provenance,
})
export type OfferMade = typeof OfferMade.Type

/** The offering party confirmed an offer that had only been reported. */
export const OfferConfirmed = event("OfferConfirmed", 1, {
  offerId: OfferId,
  by: PartyId,
  provenance: Provenance,
})
export type OfferConfirmed = typeof OfferConfirmed.Type

/** The offering party denied an offer that had only been reported. */
export const OfferDenied = event("OfferDenied", 1, {
  offerId: OfferId,
  by: PartyId,
  statement: Schema.optional(Schema.String),
  provenance: Provenance,
})
export type OfferDenied = typeof OfferDenied.Type

/** What an answer to a mediator's text may carry besides yes or no (all optional). */
const judgement = {
  /** The text against the current one (or no agreement), for the answering party. */
  verdict: Schema.optional(Verdict),
  /** What the answering party wants changed, most wanted first. */
  criticism: Schema.optional(Schema.Array(Criticism)),
}

/** An addressee accepted an offer. */
export const OfferAccepted = event("OfferAccepted", 1, {
  offerId: OfferId,
  by: PartyId,
  ...judgement,
  /** Free text sent with the move (an agent's or a person's words to the other parties). */
  message: Schema.optional(Schema.String),
  provenance: Provenance,
})
export type OfferAccepted = typeof OfferAccepted.Type

/** An addressee rejected an offer. */
export const OfferRejected = event("OfferRejected", 1, {
  offerId: OfferId,
  by: PartyId,
  reason: Schema.optional(Schema.String),
  ...judgement,
  /** Free text sent with the move (an agent's or a person's words to the other parties). */
  message: Schema.optional(Schema.String),
  provenance: Provenance,
})
export type OfferRejected = typeof OfferRejected.Type

/** The offering party withdrew its offer. */
export const OfferWithdrawn = event("OfferWithdrawn", 1, {
  offerId: OfferId,
  by: PartyId,
  provenance: Provenance,
})
export type OfferWithdrawn = typeof OfferWithdrawn.Type

/** A party that must ratify ratified the accepted offer. */
export const AgreementRatified = event("AgreementRatified", 1, {
  offerId: OfferId,
  by: PartyId,
  provenance: Provenance,
})
export type AgreementRatified = typeof AgreementRatified.Type

/** A party stated its public demands (possibly on only some issues). */
export const PositionStated = event("PositionStated", 1, {
  by: PartyId,
  demands: Terms,
  statement: Schema.optional(Schema.String),
  provenance: Provenance,
})
export type PositionStated = typeof PositionStated.Type

/** A party left the table. A party that must accept or ratify leaving collapses the talks. */
export const PartyWalkedOut = event("PartyWalkedOut", 1, {
  by: PartyId,
  reason: Schema.optional(Schema.String),
  /** Free text sent with the move (an agent's or a person's words to the other parties). */
  message: Schema.optional(Schema.String),
  provenance: Provenance,
})
export type PartyWalkedOut = typeof PartyWalkedOut.Type

/** Talks were suspended; no move but resuming is allowed until they resume. */
export const TalksSuspended = event("TalksSuspended", 1, {
  by: Schema.optional(PartyId),
  reason: Schema.optional(Schema.String),
  provenance: Provenance,
})
export type TalksSuspended = typeof TalksSuspended.Type

/** Suspended talks resumed. */
export const TalksResumed = event("TalksResumed", 1, {
  by: Schema.optional(PartyId),
  provenance: Provenance,
})
export type TalksResumed = typeof TalksResumed.Type

/** The deadline (a moment or a number of rounds) passed without an agreement. */
export const DeadlinePassed = event("DeadlinePassed", 1, {})
export type DeadlinePassed = typeof DeadlinePassed.Type

/** Every event of a negotiation. */
export const NegotiationEvent = Schema.Union(
  NegotiationOpened,
  OfferMade,
  OfferConfirmed,
  OfferDenied,
  OfferAccepted,
  OfferRejected,
  OfferWithdrawn,
  AgreementRatified,
  PositionStated,
  PartyWalkedOut,
  TalksSuspended,
  TalksResumed,
  DeadlinePassed,
)
export type NegotiationEvent = typeof NegotiationEvent.Type

/** The names of every event type. */
export type EventType = NegotiationEvent["type"]

/** The schema version this code writes and reads as current, per event type. */
export const schemaVersions: { readonly [T in EventType]: number } = Object.fromEntries(
  NegotiationEvent.members.map((m) => [
    m.fields.type.literals[0],
    m.fields.schemaVersion.literals[0],
  ]),
) as { readonly [T in EventType]: number }

/**
 * Free-form metadata: who or what wrote an event (a scenario, a strategy, a
 * seed). Numbers are finite: JSON writes NaN and infinities as `null`.
 */
export const Metadata = Schema.Record({
  key: Schema.String,
  value: Schema.Union(Schema.String, Schema.Finite, Schema.Boolean),
})
export type Metadata = typeof Metadata.Type

/** The event types past version 1, as `NegotiationOpened 2, ...`. */
const revised = Object.entries(schemaVersions)
  .filter(([, v]) => v > 1)
  .map(([type, v]) => `${type} ${v}`)
  .join(", ")

/**
 * An event as stored: its place in its negotiation's log (`version`, 1-based
 * and contiguous) and when it happened (`occurredAt`, taken from the command).
 */
export const EventEnvelope = Schema.Struct({
  eventId: EventId,
  negotiationId: NegotiationId,
  version: Schema.Int.pipe(Schema.positive()),
  occurredAt: Instant,
  causationId: Schema.optional(Schema.String),
  correlationId: Schema.optional(Schema.String),
  metadata: Schema.optional(Metadata),
  event: NegotiationEvent,
}).annotations({
  identifier: "EventEnvelope",
  description: `An event as stored. Each event type has its own schemaVersion; this schema describes the current one (${revised}, every other type 1). Events of an older version are still read: parley upcasts them to the current version as it reads them (src/domain/Upcast.ts), keeping their eventId as stored, and never rewrites them.`,
})
export type EventEnvelope = typeof EventEnvelope.Type

/** An event ready to append: the store gives it its negotiation and version. */
export type PendingEvent = Omit<EventEnvelope, "negotiationId" | "version">

/** The official provenance of a move made by the party itself. */
export const official: Provenance = { status: "official" }
