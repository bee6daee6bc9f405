/**
 * Why the decider refuses a command. Every rejection is a typed, serialisable
 * error with a readable `message`; a rejected command emits no event.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { IssueId, OfferId, PartyId } from "./Ids.ts"

/** The command needs an opened negotiation, and this one has no events yet. */
export class NotOpened extends Schema.TaggedError<NotOpened>()("NotOpened", {}) {
  override get message() {
    return "the negotiation has not been opened"
  }
}

/** The negotiation is already open; it can be opened only once. */
export class AlreadyOpened extends Schema.TaggedError<AlreadyOpened>()("AlreadyOpened", {}) {
  override get message() {
    return "the negotiation is already open"
  }
}

/** The opening declaration is inconsistent (duplicate ids, unknown parties in rules, ...). */
export class InvalidSetup extends Schema.TaggedError<InvalidSetup>()("InvalidSetup", {
  problem: Schema.String,
}) {
  override get message() {
    return `invalid negotiation setup: ${this.problem}`
  }
}

/** The party is not one of the negotiation's parties. */
export class UnknownParty extends Schema.TaggedError<UnknownParty>()("UnknownParty", {
  party: PartyId,
}) {
  override get message() {
    return `unknown party "${this.party}"`
  }
}

/** The party is not allowed to make this move (an observer offering, ...). */
export class NotAllowed extends Schema.TaggedError<NotAllowed>()("NotAllowed", {
  party: PartyId,
  problem: Schema.String,
}) {
  override get message() {
    return `party "${this.party}" ${this.problem}`
  }
}

/** The party walked out earlier and can no longer move. */
export class PartyAbsent extends Schema.TaggedError<PartyAbsent>()("PartyAbsent", {
  party: PartyId,
}) {
  override get message() {
    return `party "${this.party}" has walked out`
  }
}

/** No offer with that id exists. */
export class UnknownOffer extends Schema.TaggedError<UnknownOffer>()("UnknownOffer", {
  offerId: OfferId,
}) {
  override get message() {
    return `unknown offer "${this.offerId}"`
  }
}

/** An offer with that id already exists. */
export class DuplicateOffer extends Schema.TaggedError<DuplicateOffer>()("DuplicateOffer", {
  offerId: OfferId,
}) {
  override get message() {
    return `offer "${this.offerId}" already exists`
  }
}

/** The offer is no longer pending (accepted, rejected, withdrawn, ...). */
export class OfferNotPending extends Schema.TaggedError<OfferNotPending>()("OfferNotPending", {
  offerId: OfferId,
  status: Schema.String,
}) {
  override get message() {
    return `offer "${this.offerId}" is ${this.status}, not pending`
  }
}

/** The party answering an offer is not one it was addressed to. */
export class NotAddressedToYou extends Schema.TaggedError<NotAddressedToYou>()(
  "NotAddressedToYou",
  { offerId: OfferId, party: PartyId },
) {
  override get message() {
    return `offer "${this.offerId}" is not addressed to "${this.party}"`
  }
}

/** Only the offering party may confirm, deny or withdraw its offer. */
export class NotYourOffer extends Schema.TaggedError<NotYourOffer>()("NotYourOffer", {
  offerId: OfferId,
  party: PartyId,
}) {
  override get message() {
    return `offer "${this.offerId}" was not made by "${this.party}"`
  }
}

/** A reported offer must be confirmed by its party before it can be officially accepted or ratified. */
export class UnconfirmedOffer extends Schema.TaggedError<UnconfirmedOffer>()("UnconfirmedOffer", {
  offerId: OfferId,
}) {
  override get message() {
    return `offer "${this.offerId}" is only reported; its party must confirm it before it can be accepted officially`
  }
}

/** Only a reported offer can be confirmed or denied. */
export class AlreadyOfficial extends Schema.TaggedError<AlreadyOfficial>()("AlreadyOfficial", {
  offerId: OfferId,
}) {
  override get message() {
    return `offer "${this.offerId}" is already official`
  }
}

/** The terms do not fit the issues. */
export class InvalidTerms extends Schema.TaggedError<InvalidTerms>()("InvalidTerms", {
  issue: Schema.optional(IssueId),
  problem: Schema.String,
}) {
  override get message() {
    return this.issue === undefined
      ? `invalid terms: ${this.problem}`
      : `invalid terms for issue "${this.issue}": ${this.problem}`
  }
}

/** The negotiation has ended (agreed, collapsed or expired). */
export class NegotiationClosed extends Schema.TaggedError<NegotiationClosed>()(
  "NegotiationClosed",
  { status: Schema.String },
) {
  override get message() {
    return `the negotiation is ${this.status}`
  }
}

/** Talks are suspended; only resuming (or walking out) is possible. */
export class TalksAreSuspended extends Schema.TaggedError<TalksAreSuspended>()(
  "TalksAreSuspended",
  {},
) {
  override get message() {
    return "talks are suspended"
  }
}

/** Talks are not suspended, so they cannot resume. */
export class TalksNotSuspended extends Schema.TaggedError<TalksNotSuspended>()(
  "TalksNotSuspended",
  {},
) {
  override get message() {
    return "talks are not suspended"
  }
}

/** The deadline (a moment or a number of rounds) has passed. */
export class DeadlineReached extends Schema.TaggedError<DeadlineReached>()("DeadlineReached", {
  deadline: Schema.String,
}) {
  override get message() {
    return `the deadline (${this.deadline}) has passed`
  }
}

/** The deadline has not passed yet, so it cannot be declared passed. */
export class DeadlineNotReached extends Schema.TaggedError<DeadlineNotReached>()(
  "DeadlineNotReached",
  { deadline: Schema.String },
) {
  override get message() {
    return `the deadline (${this.deadline}) has not passed yet`
  }
}

/** An accepted offer awaits ratification; nothing else can move until it is ratified. */
export class AwaitingRatification extends Schema.TaggedError<AwaitingRatification>()(
  "AwaitingRatification",
  { offerId: OfferId },
) {
  override get message() {
    return `offer "${this.offerId}" was accepted and awaits ratification`
  }
}

/** There is no accepted offer to ratify, or not this one. */
export class NothingToRatify extends Schema.TaggedError<NothingToRatify>()("NothingToRatify", {
  offerId: OfferId,
}) {
  override get message() {
    return `offer "${this.offerId}" is not an accepted offer awaiting ratification`
  }
}

/** The party already did this (accepted, ratified). */
export class AlreadyDone extends Schema.TaggedError<AlreadyDone>()("AlreadyDone", {
  party: PartyId,
  what: Schema.String,
}) {
  override get message() {
    return `party "${this.party}" has already ${this.what}`
  }
}

/** Moves are recorded in time order: this one is earlier than the last. */
export class OutOfOrder extends Schema.TaggedError<OutOfOrder>()("OutOfOrder", {
  at: Schema.String,
  last: Schema.String,
}) {
  override get message() {
    return `a move at ${this.at} cannot follow one at ${this.last}`
  }
}

/** Every reason the decider can refuse a command. */
export type Rejection =
  | NotOpened
  | AlreadyOpened
  | InvalidSetup
  | UnknownParty
  | NotAllowed
  | PartyAbsent
  | UnknownOffer
  | DuplicateOffer
  | OfferNotPending
  | NotAddressedToYou
  | NotYourOffer
  | UnconfirmedOffer
  | AlreadyOfficial
  | InvalidTerms
  | NegotiationClosed
  | TalksAreSuspended
  | TalksNotSuspended
  | DeadlineReached
  | DeadlineNotReached
  | AwaitingRatification
  | NothingToRatify
  | AlreadyDone
  | OutOfOrder

/**
 * A stored history that the rules make impossible: replay stops at the
 * offending version and names it.
 */
export class InvariantViolation extends Schema.TaggedError<InvariantViolation>()(
  "InvariantViolation",
  {
    negotiationId: Schema.String,
    version: Schema.Number,
    eventType: Schema.String,
    problem: Schema.String,
  },
) {
  override get message() {
    return `impossible history in negotiation "${this.negotiationId}" at version ${this.version} (${this.eventType}): ${this.problem}`
  }
}
