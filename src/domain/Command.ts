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
  type OfferAccepted,
  type OfferMade,
  type OfferRejected,
  type OpeningRules,
  official,
  Party,
  Provenance,
  Rules,
  SCHEMA_VERSION,
  Verdict,
} from "./Event.ts"
import { NegotiationId, OfferId, PartyId } from "./Ids.ts"
import { Issue, Terms } from "./Issue.ts"
import type { State } from "./negotiation/State.ts"

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

/** Sets `key` on a fresh event only when it has a value (optional fields stay absent, not `undefined`). */
const optional = <E extends object, K extends string>(event: E, key: K, value: unknown): E => {
  if (value !== undefined) (event as Record<string, unknown>)[key] = value
  return event
}

/** The rules as the opening records them, from the rules a command gives. */
const openingRules = (r: Rules): OpeningRules => {
  const rules: { -readonly [K in keyof OpeningRules]: OpeningRules[K] } = {
    mustAccept: r.mustAccept,
    mustRatify: r.mustRatify,
    partialAgreements: r.partialAgreements,
  }
  if (r.deadline !== undefined || r.maxRounds !== undefined)
    rules.deadline = optional(optional({}, "at", r.deadline), "afterRounds", r.maxRounds)
  if (r.answers !== undefined) rules.answers = r.answers
  return rules
}

/**
 * The event a command asks for, before the decider checks it against the rules
 * (`negotiation/Decide.ts`): a new command's case is here, beside its schema. Built as plain
 * literals (a spread per optional field would allocate on every command).
 */
export const eventFor = (
  command: NegotiationCommand,
  state: Pick<State, "parties">,
): NegotiationEvent => {
  const v = SCHEMA_VERSION
  const provenance = ("provenance" in command ? command.provenance : undefined) ?? official
  switch (command.type) {
    case "OpenNegotiation":
      return optional(
        {
          schemaVersion: 2,
          type: "NegotiationOpened",
          title: command.title,
          parties: command.parties,
          issues: command.issues,
          rules: openingRules(command.rules),
        },
        "description",
        command.description,
      )
    case "MakeOffer": {
      const made: OfferMade = optional(
        {
          schemaVersion: v,
          type: "OfferMade",
          offerId: command.offerId,
          by: command.by,
          to:
            command.to ??
            state.parties
              .filter((p) => p.present && p.role === "principal" && p.id !== command.by)
              .map((p) => p.id),
          terms: command.terms,
          provenance,
        },
        "inReplyTo",
        command.inReplyTo,
      )
      return optional(
        optional(made, "currentText", command.currentText),
        "message",
        command.message,
      )
    }
    case "ConfirmOffer":
      return {
        schemaVersion: v,
        type: "OfferConfirmed",
        offerId: command.offerId,
        by: command.by,
        provenance,
      }
    case "DenyOffer":
      return optional(
        {
          schemaVersion: v,
          type: "OfferDenied",
          offerId: command.offerId,
          by: command.by,
          provenance,
        },
        "statement",
        command.statement,
      )
    case "AcceptOffer": {
      const accepted: OfferAccepted = optional(
        {
          schemaVersion: v,
          type: "OfferAccepted",
          offerId: command.offerId,
          by: command.by,
          provenance,
        },
        "verdict",
        command.verdict,
      )
      return optional(
        optional(accepted, "criticism", command.criticism),
        "message",
        command.message,
      )
    }
    case "RejectOffer": {
      const rejected: OfferRejected = optional(
        {
          schemaVersion: v,
          type: "OfferRejected",
          offerId: command.offerId,
          by: command.by,
          provenance,
        },
        "reason",
        command.reason,
      )
      return optional(
        optional(optional(rejected, "verdict", command.verdict), "criticism", command.criticism),
        "message",
        command.message,
      )
    }
    case "WithdrawOffer":
      return {
        schemaVersion: v,
        type: "OfferWithdrawn",
        offerId: command.offerId,
        by: command.by,
        provenance,
      }
    case "RatifyAgreement":
      return {
        schemaVersion: v,
        type: "AgreementRatified",
        offerId: command.offerId,
        by: command.by,
        provenance,
      }
    case "StatePosition":
      return optional(
        {
          schemaVersion: v,
          type: "PositionStated",
          by: command.by,
          demands: command.demands,
          provenance,
        },
        "statement",
        command.statement,
      )
    case "WalkOut":
      return optional(
        optional(
          { schemaVersion: v, type: "PartyWalkedOut", by: command.by, provenance },
          "reason",
          command.reason,
        ),
        "message",
        command.message,
      )
    case "SuspendTalks":
      return optional(
        optional({ schemaVersion: v, type: "TalksSuspended", provenance }, "by", command.by),
        "reason",
        command.reason,
      )
    case "ResumeTalks":
      return optional({ schemaVersion: v, type: "TalksResumed", provenance }, "by", command.by)
    case "DeclareDeadlinePassed":
      return { schemaVersion: v, type: "DeadlinePassed" }
  }
}
