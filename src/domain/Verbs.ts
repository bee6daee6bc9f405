/**
 * What a timeline calls each kind of move: one verb per event type, which the
 * run's trace (`simulation/Trace.ts`) and the report (`report/Model.ts`) both
 * read, and the event each command records, so that a command's move is
 * named by the event it causes.
 *
 * @since 0.4.0
 */
import type { NegotiationCommand } from "./Command.ts"
import type { NegotiationEvent } from "./Event.ts"

/** The verb of each kind of event, as timelines show it. */
export const verbOfEvent: Record<NegotiationEvent["type"], string> = {
  NegotiationOpened: "opened talks",
  OfferMade: "offered",
  OfferConfirmed: "confirmed",
  OfferDenied: "denied",
  OfferAccepted: "accepted",
  OfferRejected: "rejected",
  OfferWithdrawn: "withdrew",
  AgreementRatified: "ratified",
  PositionStated: "stated position",
  PartyWalkedOut: "walked out",
  TalksSuspended: "suspended talks",
  TalksResumed: "resumed talks",
  DeadlinePassed: "deadline passed",
}

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

/**
 * The verb of a command's move. The opening is "opened" in a run's trace
 * (the line that starts it), where the report says "opened talks".
 */
export const verbOfCommand = (type: NegotiationCommand["type"]): string =>
  type === "OpenNegotiation" ? "opened" : verbOfEvent[eventOfCommand[type]]
