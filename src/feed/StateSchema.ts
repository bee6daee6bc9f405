/**
 * The Schema of a published state: the JSON view of `src/domain/View.ts`
 * (what `parley replay --json` prints and what the projector publishes),
 * written as a Schema so that subscribers can validate it and `parley schema
 * state` can print it as JSON Schema.
 *
 * The encoded side is the JSON on the wire; a field that the view leaves
 * `undefined` is absent from the JSON, so it is optional here.
 *
 * @since 0.1.0
 */
import { Either, JSONSchema, ParseResult, Schema } from "effect"
import { EventEnvelope, Instant, Party, Provenance, Rules } from "../domain/Event.ts"
import { IssueId, NegotiationId, OfferId, PartyId } from "../domain/Ids.ts"
import { Issue, Terms, TermValue } from "../domain/Issue.ts"

/** Where a negotiation stands (`Status` of the decider). */
export const Status = Schema.Literal(
  "unopened",
  "open",
  "agreed",
  "collapsed",
  "suspended",
  "expired",
).annotations({ identifier: "Status" })

/** Where an offer stands. */
export const OfferStatus = Schema.Literal(
  "pending",
  "accepted",
  "rejected",
  "withdrawn",
  "superseded",
  "expired",
  "denied",
).annotations({ identifier: "OfferStatus" })

const Version = Schema.Int.pipe(Schema.nonNegative())

/** An answer to an offer. */
export const Response = Schema.Struct({
  by: PartyId,
  answer: Schema.Literal("accepted", "rejected"),
  reason: Schema.optional(Schema.String),
  provenance: Provenance,
  version: Version,
}).annotations({ identifier: "Response" })

/** An offer and everything that happened to it. */
export const Offer = Schema.Struct({
  offerId: OfferId,
  by: PartyId,
  to: Schema.Array(PartyId),
  terms: Terms,
  inReplyTo: Schema.optional(OfferId),
  provenance: Provenance,
  confirmed: Schema.Boolean,
  confirmation: Schema.optional(Provenance),
  status: OfferStatus,
  responses: Schema.Array(Response),
  ratifiedBy: Schema.Array(PartyId),
  complete: Schema.Boolean,
  madeAt: Instant,
  version: Version,
  round: Version,
}).annotations({ identifier: "Offer" })

/** A party's publicly stated demands. */
export const Position = Schema.Struct({
  demands: Terms,
  statement: Schema.optional(Schema.String),
  provenance: Provenance,
  version: Version,
  at: Instant,
}).annotations({ identifier: "Position" })

/** A party, whether it is still at the table, and its latest stated position. */
export const PartyState = Schema.Struct({
  ...Party.fields,
  present: Schema.Boolean,
  position: Schema.optional(Position),
}).annotations({ identifier: "PartyState" })

/** A binding agreement. */
export const Agreement = Schema.Struct({
  offerId: OfferId,
  terms: Terms,
  acceptedBy: Schema.Array(PartyId),
  ratifiedBy: Schema.Array(PartyId),
  version: Version,
  at: Instant,
}).annotations({ identifier: "Agreement" })

/** An issue settled by an accepted partial offer. */
export const PartialAgreement = Schema.Struct({
  value: TermValue,
  offerId: OfferId,
  version: Version,
}).annotations({ identifier: "PartialAgreement" })

/**
 * The published state of one negotiation: exactly `toView(state)` as JSON.
 * `version` is the version of the last event applied — two payloads with the
 * same negotiation id and version are the same state.
 */
export const StateView = Schema.Struct({
  negotiationId: Schema.NullOr(NegotiationId),
  status: Status,
  version: Version,
  round: Version,
  title: Schema.String,
  description: Schema.optionalWith(Schema.String, { exact: true }),
  openedAt: Schema.NullOr(Instant),
  updatedAt: Schema.NullOr(Instant),
  endedBecause: Schema.optionalWith(Schema.String, { exact: true }),
  parties: Schema.Array(PartyState),
  issues: Schema.Array(Issue),
  rules: Rules,
  offers: Schema.Array(Offer),
  pendingOffers: Schema.Array(OfferId),
  acceptedOffer: Schema.NullOr(OfferId),
  agreement: Schema.NullOr(Agreement),
  partialAgreements: Schema.Record({ key: IssueId, value: PartialAgreement }),
}).annotations({
  identifier: "StateView",
  title: "parley negotiation state",
  description:
    "The derived state of one negotiation after the event at `version`, as published on <prefix>.state.<negotiationId> and in the KV bucket parley-state.",
})
/** A published state, decoded. */
export type StateView = typeof StateView.Type

/** One negotiation in the summary: enough for a dashboard to discover and list it. */
export const SummaryEntry = Schema.Struct({
  negotiationId: NegotiationId,
  title: Schema.String,
  status: Status,
  version: Version,
  updatedAt: Schema.NullOr(Instant),
}).annotations({ identifier: "SummaryEntry" })
/** One negotiation in the summary. */
export type SummaryEntry = typeof SummaryEntry.Type

/**
 * Every negotiation the projector knows, with its status and version.
 * `position` is the log position the summary reflects: a summary with a
 * higher position is newer.
 */
export const Summary = Schema.Struct({
  position: Version,
  negotiations: Schema.Array(SummaryEntry),
}).annotations({ identifier: "Summary", title: "parley state summary" })
/** The summary, decoded. */
export type Summary = typeof Summary.Type

const decodeView = Schema.decodeUnknownEither(StateView, {
  errors: "first",
  onExcessProperty: "error",
})

/**
 * Parses and validates one published state payload; the problem (the first
 * schema issue, with its path) when it is not one. Excess fields are refused:
 * the view has no field this Schema does not know.
 */
export const decodeState = (text: string): Either.Either<StateView, string> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return Either.left(`not JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  return Either.mapLeft(decodeView(value), (error) => {
    const first = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
    return first === undefined
      ? error.message
      : `${first.path.length === 0 ? "" : `at ${first.path.join(".")}: `}${first.message.split("\n")[0]}`
  })
}

/** The JSON Schema of a published state (draft-07, from {@link StateView}). */
export const stateJsonSchema = (): JSONSchema.JsonSchema7Root => JSONSchema.make(StateView)

/** The JSON Schema of a stored event envelope (a NATS commit is a JSON array of these). */
export const eventJsonSchema = (): JSONSchema.JsonSchema7Root => JSONSchema.make(EventEnvelope)
