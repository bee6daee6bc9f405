/**
 * Deciding a command: the event it asks for ({@link eventFor}), checked
 * against the rules ({@link check}); and the decider as one value.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import type { NegotiationCommand } from "../Command.ts"
import {
  type NegotiationEvent,
  type OfferAccepted,
  type OfferMade,
  type OfferRejected,
  type OpeningRules,
  official,
  type Rules,
  SCHEMA_VERSION,
} from "../Event.ts"
import type { Rejection } from "../Rejection.ts"
import { evolve } from "./Apply.ts"
import { check, isRejection } from "./Rules.ts"
import { initialState, type State } from "./State.ts"

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
 * The event a command asks for, before the rules are checked. Built as plain
 * literals (a spread per optional field would allocate on every command).
 */
const eventFor = (command: NegotiationCommand, state: State): NegotiationEvent => {
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

/**
 * Decides what a command does to a negotiation: the events to record, or the
 * rule that refuses it. A refused command records nothing.
 */
export const decide = (
  command: NegotiationCommand,
  state: State,
): Either.Either<ReadonlyArray<NegotiationEvent>, Rejection> => {
  const decided = decideEvent(command, state)
  return isRejection(decided) ? Either.left(decided) : Either.right([decided])
}

/**
 * {@link decide} for callers that record every event at once (the command
 * handler): the one event every command records, or the rule that refuses
 * it, without the list and the `Either` around them.
 */
export const decideEvent = (
  command: NegotiationCommand,
  state: State,
): NegotiationEvent | Rejection => {
  const event = eventFor(command, state)
  return check(state, event, command.at) ?? event
}

/** The decider, as one value: `{ initialState, decide, evolve }`. */
export const decider = { initialState, decide, evolve } as const
