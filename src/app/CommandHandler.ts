/**
 * Running commands against the event log: load a negotiation's state, let the
 * decider judge the command, append what it decided with the version the
 * decision was based on. Two writers racing on one negotiation cannot both
 * win: the second gets a {@link VersionConflict} and nothing of it is written.
 *
 * @since 0.1.0
 */

import { Effect, Either } from "effect"
import type { NegotiationCommand } from "../domain/Command.ts"
import { decidedEnvelope, type EnvelopeContext, eventIdFor } from "../domain/Envelope.ts"
import type { EventEnvelope, NegotiationEvent, PendingEvent } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import { applyDecided, decideEvent, isRejection, type State } from "../domain/Negotiation.ts"
import { InvalidSetup, type InvariantViolation, type Rejection } from "../domain/Rejection.ts"
import {
  type CorruptEvent,
  EventStore,
  ExpectedVersion,
  type StoreError,
  type VersionConflict,
} from "../store/EventStore.ts"
import { stateIn } from "./Projection.ts"
import { replayNegotiation } from "./Replay.ts"

/** Optional context recorded in each event's envelope. */
export type CommandContext = EnvelopeContext

/** Re-exported: the event id is the envelope builder's (`src/domain/Envelope.ts`). */
export { eventIdFor }

/** The state after the command, and the events it recorded. */
export interface Handled {
  readonly state: State
  readonly envelopes: ReadonlyArray<EventEnvelope>
}

/** The events of a decision, ready to append after `state`. */
export const pendingEvents = (
  negotiationId: NegotiationId,
  state: State,
  events: ReadonlyArray<NegotiationEvent>,
  at: EventEnvelope["occurredAt"],
  context: CommandContext = {},
): ReadonlyArray<PendingEvent> =>
  events.map((event, i) =>
    decidedEnvelope(negotiationId, state.version + i + 1, at, event, context),
  )

/** Loads a negotiation's current state from the log (through the projection, policy `fail`). */
export const load = (negotiationId: NegotiationId) =>
  Effect.map(replayNegotiation(negotiationId), (projected) => stateIn(projected, negotiationId))

/**
 * Decides a command against a state without touching any store: the events
 * it records, as envelopes numbered after `state.version`, and the state
 * after them. Pure; {@link execute} appends what it returns, and a simulation
 * may buffer several decisions and append them together.
 */
export const decideLocally = (
  negotiationId: NegotiationId,
  state: State,
  command: NegotiationCommand,
  context: CommandContext = {},
): Either.Either<Handled, Rejection> => {
  const decided = decideEvent(command, state)
  if (isRejection(decided)) return Either.left(decided)
  if (command.type === "OpenNegotiation" && command.negotiationId !== negotiationId)
    return Either.left(
      new InvalidSetup({
        problem: `the command opens "${command.negotiationId}" but is addressed to "${negotiationId}"`,
      }),
    )
  // A command records one event; decide checked it against this state.
  const envelope = decidedEnvelope(negotiationId, state.version + 1, command.at, decided, context)
  const next = applyDecided(state, envelope)
  return Either.right({ state: next, envelopes: [envelope] })
}

/**
 * The pending form of envelopes (what an append takes). An envelope already
 * is one — it only has two fields more, which the store sets again.
 */
export const toPending = (envelopes: ReadonlyArray<EventEnvelope>): ReadonlyArray<PendingEvent> =>
  envelopes

/**
 * Runs a command against a state the caller already holds (a simulation, a
 * service with its own cache): decide, append expecting exactly
 * `state.version`.
 */
export const execute = (
  negotiationId: NegotiationId,
  state: State,
  command: NegotiationCommand,
  context: CommandContext = {},
): Effect.Effect<
  Handled,
  Rejection | VersionConflict | StoreError | InvariantViolation,
  EventStore
> =>
  Effect.gen(function* () {
    const handled = yield* decideLocally(negotiationId, state, command, context)
    const store = yield* EventStore
    yield* store.append(
      negotiationId,
      toPending(handled.envelopes),
      ExpectedVersion.Exact(state.version),
    )
    return handled
  })

/**
 * Loads the negotiation, runs the command and appends its events. On a
 * {@link VersionConflict} it reloads and decides again, up to `retries` times.
 */
export const handle = (
  negotiationId: NegotiationId,
  command: NegotiationCommand,
  options: CommandContext & { readonly retries?: number } = {},
): Effect.Effect<
  Handled,
  Rejection | VersionConflict | StoreError | CorruptEvent | InvariantViolation,
  EventStore
> => {
  const attempt = Effect.flatMap(load(negotiationId), (state) =>
    execute(negotiationId, state, command, options),
  )
  const retry = (left: number): typeof attempt =>
    Effect.catchIf(
      attempt,
      (e): e is VersionConflict => e._tag === "VersionConflict" && left > 0,
      () => retry(left - 1),
    )
  return retry(options.retries ?? 0)
}
