/**
 * Commands: what a party (or a scenario script, or a strategy agent) asks to
 * do. Commands are imperative; the decider turns an accepted command into
 * events. Every command carries `at`, the moment it happens — the domain never
 * reads a clock.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import {
  Criticism,
  Instant,
  type NegotiationEvent,
  Party,
  Provenance,
  Rules,
  Verdict,
} from "./Event.ts"
import { NegotiationId, OfferId, PartyId } from "./Ids.ts"
import { Issue, Terms } from "./Issue.ts"

const command = <Tag extends string, Fields extends Schema.Struct.Fields>(
  type: Tag,
  fields: Fields,
) =>
  Schema.Struct({
    type: Schema.Literal(type),
    at: Instant,
    ...fields,
  }).annotations({ identifier: type })

/** Provenance of a move; official when omitted. */
const provenance = Schema.optional(Provenance)

/** Open a negotiation between parties on issues under rules. */
export const OpenNegotiation = command("OpenNegotiation", {
  negotiationId: NegotiationId,
  title: Schema.String,
  description: Schema.optional(Schema.String),
  parties: Schema.Array(Party),
  issues: Schema.Array(Issue),
  rules: Rules,
})
export type OpenNegotiation = typeof OpenNegotiation.Type

/** Make an offer; `to` defaults to every other present principal. */
export const MakeOffer = command("MakeOffer", {
  offerId: OfferId,
  by: PartyId,
  to: Schema.optional(Schema.Array(PartyId)),
  terms: Terms,
  inReplyTo: Schema.optional(OfferId),
  /** The current single text this one would replace (mediated talks). */
  currentText: Schema.optional(OfferId),
  /** Free text sent with the move, recorded on its event. */
  message: Schema.optional(Schema.String),
  provenance,
})
export type MakeOffer = typeof MakeOffer.Type

/** As the offering party, confirm an offer that was only reported. */
export const ConfirmOffer = command("ConfirmOffer", { offerId: OfferId, by: PartyId, provenance })
export type ConfirmOffer = typeof ConfirmOffer.Type

/** As the offering party, deny an offer that was only reported. */
export const DenyOffer = command("DenyOffer", {
  offerId: OfferId,
  by: PartyId,
  statement: Schema.optional(Schema.String),
  provenance,
})
export type DenyOffer = typeof DenyOffer.Type

/** Accept an offer addressed to you. */
export const AcceptOffer = command("AcceptOffer", {
  offerId: OfferId,
  by: PartyId,
  verdict: Schema.optional(Verdict),
  criticism: Schema.optional(Schema.Array(Criticism)),
  message: Schema.optional(Schema.String),
  provenance,
})
export type AcceptOffer = typeof AcceptOffer.Type

/** Reject an offer addressed to you. */
export const RejectOffer = command("RejectOffer", {
  offerId: OfferId,
  by: PartyId,
  reason: Schema.optional(Schema.String),
  verdict: Schema.optional(Verdict),
  criticism: Schema.optional(Schema.Array(Criticism)),
  /** Free text sent with the move, recorded on its event. */
  message: Schema.optional(Schema.String),
  provenance,
})
export type RejectOffer = typeof RejectOffer.Type

/** Withdraw your own pending offer. */
export const WithdrawOffer = command("WithdrawOffer", { offerId: OfferId, by: PartyId, provenance })
export type WithdrawOffer = typeof WithdrawOffer.Type

/** Ratify the accepted offer (for parties the rules say must ratify). */
export const RatifyAgreement = command("RatifyAgreement", {
  offerId: OfferId,
  by: PartyId,
  provenance,
})
export type RatifyAgreement = typeof RatifyAgreement.Type

/** State your public demands. */
export const StatePosition = command("StatePosition", {
  by: PartyId,
  demands: Terms,
  statement: Schema.optional(Schema.String),
  provenance,
})
export type StatePosition = typeof StatePosition.Type

/** Leave the table. */
export const WalkOut = command("WalkOut", {
  by: PartyId,
  reason: Schema.optional(Schema.String),
  /** Free text sent with the move, recorded on its event. */
  message: Schema.optional(Schema.String),
  provenance,
})
export type WalkOut = typeof WalkOut.Type

/** Suspend the talks. */
export const SuspendTalks = command("SuspendTalks", {
  by: Schema.optional(PartyId),
  reason: Schema.optional(Schema.String),
  provenance,
})
export type SuspendTalks = typeof SuspendTalks.Type

/** Resume suspended talks. */
export const ResumeTalks = command("ResumeTalks", { by: Schema.optional(PartyId), provenance })
export type ResumeTalks = typeof ResumeTalks.Type

/** Record that the deadline has passed (allowed only once it has). */
export const DeclareDeadlinePassed = command("DeclareDeadlinePassed", {})
export type DeclareDeadlinePassed = typeof DeclareDeadlinePassed.Type

/** Every command. */
export const NegotiationCommand = Schema.Union(
  OpenNegotiation,
  MakeOffer,
  ConfirmOffer,
  DenyOffer,
  AcceptOffer,
  RejectOffer,
  WithdrawOffer,
  RatifyAgreement,
  StatePosition,
  WalkOut,
  SuspendTalks,
  ResumeTalks,
  DeclareDeadlinePassed,
)
export type NegotiationCommand = typeof NegotiationCommand.Type

/** The event each command records when the rules accept it. */
export const eventOfCommand: Record<NegotiationCommand["type"], NegotiationEvent["type"]> = {
  OpenNegotiation: "NegotiationOpened",
  MakeOffer: "OfferMade",
  ConfirmOffer: "OfferConfirmed",
  DenyOffer: "OfferDenied",
  AcceptOffer: "OfferAccepted",
  RejectOffer: "OfferRejected",
  WithdrawOffer: "OfferWithdrawn",
  RatifyAgreement: "AgreementRatified",
  StatePosition: "PositionStated",
  WalkOut: "PartyWalkedOut",
  SuspendTalks: "TalksSuspended",
  ResumeTalks: "TalksResumed",
  DeclareDeadlinePassed: "DeadlinePassed",
}
