/**
 * The public view of a negotiation's state, written once as a Schema: what
 * `parley replay --json` prints, what the state feed publishes (validated by
 * subscribers with it), and what `parley schema state` prints as JSON Schema.
 * Plain JSON, stable field names, offers in the order they were made. The
 * domain's own types (`Negotiation.ts`) are checked against it: `toView`
 * returns this type, so a field that drifts fails to compile.
 *
 * A field the domain leaves `undefined` is absent from the JSON, so it is
 * optional here.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import {
  Instant,
  OfferMade,
  OfferRejected,
  Party,
  PositionStated,
  Provenance,
  Rules,
} from "./Event.ts"
import { IssueId, NegotiationId, OfferId, PartyId } from "./Ids.ts"
import { Issue, Terms, TermValue } from "./Issue.ts"
import type * as Negotiation from "./Negotiation.ts"
import { offersInOrder, type State } from "./Negotiation.ts"

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

/** A version or a round: a whole number from 0. */
export const Version = Schema.Int.pipe(Schema.nonNegative())

/** An answer to an offer. */
export const Response = Schema.Struct({
  by: PartyId,
  answer: Schema.Literal("accepted", "rejected"),
  reason: Schema.optional(Schema.String),
  verdict: OfferRejected.fields.verdict,
  criticism: OfferRejected.fields.criticism,
  provenance: Provenance,
  version: Version,
}).annotations({ identifier: "Response" })
/** Response, as the view shows it. */
export type Response = typeof Response.Type

/** What the offer said, as `OfferMade` recorded it. */
const { offerId, by, to, terms, inReplyTo, currentText, provenance } = OfferMade.fields

/** An offer and everything that happened to it. */
export const Offer = Schema.Struct({
  offerId,
  by,
  to,
  terms,
  inReplyTo,
  currentText,
  provenance,
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
/** Offer, as the view shows it. */
export type Offer = typeof Offer.Type

/** A party's publicly stated demands, as `PositionStated` recorded them. */
export const Position = Schema.Struct({
  demands: PositionStated.fields.demands,
  statement: PositionStated.fields.statement,
  provenance,
  version: Version,
  at: Instant,
}).annotations({ identifier: "Position" })
/** Position, as the view shows it. */
export type Position = typeof Position.Type

/** A party, whether it is still at the table, and its latest stated position. */
export const PartyState = Schema.Struct({
  ...Party.fields,
  present: Schema.Boolean,
  position: Schema.optional(Position),
}).annotations({ identifier: "PartyState" })
/** PartyState, as the view shows it. */
export type PartyState = typeof PartyState.Type

/** A binding agreement. */
export const Agreement = Schema.Struct({
  offerId: OfferId,
  terms: Terms,
  acceptedBy: Schema.Array(PartyId),
  ratifiedBy: Schema.Array(PartyId),
  version: Version,
  at: Instant,
}).annotations({ identifier: "Agreement" })
/** Agreement, as the view shows it. */
export type Agreement = typeof Agreement.Type

/** An issue settled by an accepted partial offer. */
export const PartialAgreement = Schema.Struct({
  value: TermValue,
  offerId: OfferId,
  version: Version,
}).annotations({ identifier: "PartialAgreement" })
/** PartialAgreement, as the view shows it. */
export type PartialAgreement = typeof PartialAgreement.Type

/**
 * How a long negotiation's state is cut down for the state feed: the latest
 * offers only, with counts of all of them. Present only when offers were left
 * out; the full history is in the event log (`parley replay <id> --json`).
 */
export const OfferWindow = Schema.Struct({
  offersMade: Version.annotations({ description: "every offer made in the negotiation" }),
  offersShown: Version.annotations({ description: "how many of them `offers` lists" }),
  offersOmitted: Version.annotations({
    description: "how many offers `offers` leaves out (the oldest ones): offersMade - offersShown",
  }),
  byStatus: Schema.Record({ key: OfferStatus, value: Version }).annotations({
    description: "every offer made, counted by where it stands now",
  }),
  byParty: Schema.Record({ key: PartyId, value: Version }).annotations({
    description: "every offer made, counted by the party that made it",
  }),
  history: Schema.Literal("replay").annotations({
    description:
      "where the omitted offers are: the event log, read whole with `parley replay <negotiationId> --json`",
  }),
}).annotations({
  identifier: "OfferWindow",
  description:
    "Set when the state lists only the latest offers (a long negotiation): how many were made, shown and left out, and the tally of all of them.",
})
/** OfferWindow, as the view shows it. */
export type OfferWindow = typeof OfferWindow.Type

/**
 * The published state of one negotiation: `toView(state)` as JSON, its
 * offers cut to the latest ones for a long negotiation (see
 * {@link OfferWindow}). `version` is the version of the last event applied —
 * two payloads with the same negotiation id and version are the same state.
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
  window: Schema.optionalWith(OfferWindow, { exact: true }),
}).annotations({
  identifier: "StateView",
  title: "parley negotiation state",
  description:
    "The derived state of one negotiation after the event at `version`, as published on <prefix>.state.<negotiationId> and in the KV bucket parley-state.",
})
/** A published state, decoded. */
export type StateView = typeof StateView.Type

/**
 * The JSON view of a state. `JSON.stringify` drops the fields that are
 * `undefined`. With `cut`, the view lists `cut.offers` (in the order made)
 * instead of every offer, and says so in `window`.
 */
export const toView = (
  state: State,
  cut?: { readonly offers: ReadonlyArray<Offer>; readonly window: OfferWindow },
): StateView => ({
  negotiationId: state.negotiationId ?? null,
  status: state.status,
  version: state.version,
  round: state.round,
  title: state.title,
  ...(state.description === undefined ? {} : { description: state.description }),
  openedAt: state.openedAt ?? null,
  updatedAt: state.updatedAt ?? null,
  ...(state.endedBecause === undefined ? {} : { endedBecause: state.endedBecause }),
  parties: state.parties,
  issues: state.issues,
  rules: state.rules,
  offers: cut === undefined ? offersInOrder(state) : cut.offers,
  pendingOffers: state.pending,
  acceptedOffer: state.acceptedOffer ?? null,
  agreement: state.agreement ?? null,
  partialAgreements: state.partialAgreements,
  ...(cut === undefined ? {} : { window: cut.window }),
})

/** Both ways: the view's literal unions are exactly the domain's. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const agrees: {
  status: Same<typeof Status.Type, Negotiation.Status>
  offerStatus: Same<typeof OfferStatus.Type, Negotiation.OfferStatus>
} = { status: true, offerStatus: true }
void agrees
