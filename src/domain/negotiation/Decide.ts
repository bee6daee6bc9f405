/**
 * Deciding a command: the event it asks for (`eventFor`, beside the commands
 * in `../Command.ts`), checked against the rules ({@link check}); and the
 * decider as one value.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import type { NegotiationCommand } from "../Command.ts"
import { eventFor } from "../Command.ts"
import type { NegotiationEvent } from "../Event.ts"
import type { Rejection } from "../Rejection.ts"
import { evolve } from "./Apply.ts"
import { check, isRejection } from "./Rules.ts"
import { initialState, type State } from "./State.ts"

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
