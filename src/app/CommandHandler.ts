/**
 * Running commands against the event log: load a negotiation's state, let the
 * decider judge the command, append what it decided with the version the
 * decision was based on. Two writers racing on one negotiation cannot both
 * win: the second gets a {@link VersionConflict} and nothing of it is written.
 *
 * One command at a time: {@link handle} (load, decide, append, retry) or
 * {@link execute} (from a state the caller holds). Many per commit (a
 * simulation's turn or run): a {@link BufferedWriter}, which decides
 * synchronously and appends its buffer as one commit expecting the version
 * it was decided on. Envelopes are built by `src/domain/Envelope.ts`.
 *
 * @since 0.1.0
 */

import { Effect, Either } from "effect"
import type { NegotiationCommand } from "../domain/Command.ts"
import { decidedEnvelope, type EnvelopeContext, eventIdFor } from "../domain/Envelope.ts"
import type { EventEnvelope, NegotiationEvent, PendingEvent } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import {
  applyDecided,
  decideEvent,
  initialState,
  isRejection,
  type State,
} from "../domain/Negotiation.ts"
import { InvalidSetup, type InvariantViolation, type Rejection } from "../domain/Rejection.ts"
import {
  type CorruptEvent,
  EventStore,
  type EventStoreService,
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

/** What a {@link BufferedWriter} appends at once: its buffered envelopes, expecting the version they were decided on. */
export interface Commit {
  readonly envelopes: ReadonlyArray<EventEnvelope>
  readonly expected: ExpectedVersion
}

/**
 * A writer that holds one negotiation's state and decides commands against
 * it synchronously ({@link decideLocally}), buffering the envelopes they
 * record; {@link BufferedWriter.take} hands the buffer out as one
 * {@link Commit}, expecting exactly the version of the last commit taken, and
 * {@link BufferedWriter.append} appends it. A simulation decides many
 * commands per commit (a turn, a run) through it; {@link execute} decides one.
 *
 * A refused command records nothing and leaves the state and the buffer as
 * they were.
 */
export class BufferedWriter {
  private current: State
  /** The version the next commit expects: the last one taken, or where the writer started. */
  private taken: number
  private buffer: Array<EventEnvelope> = []

  /** A writer of `negotiationId` from `state`, the version the store holds (default: before its first event). */
  constructor(
    readonly negotiationId: NegotiationId,
    state: State = initialState,
  ) {
    this.current = state
    this.taken = state.version
  }

  /** The state after every command decided so far, buffered or not. */
  get state(): State {
    return this.current
  }

  /** The version the next commit expects the store to hold. */
  get committed(): number {
    return this.taken
  }

  /** How many envelopes wait for the next commit. */
  get pending(): number {
    return this.buffer.length
  }

  /**
   * Decides `command` against the current state: the envelopes it records,
   * now buffered and applied to the state, or the rule that refuses it.
   */
  decide(
    command: NegotiationCommand,
    context: CommandContext = {},
  ): Either.Either<ReadonlyArray<EventEnvelope>, Rejection> {
    // Monte Carlo's hot path: no closure per decision, one `Right` (as `Either.map` would make).
    const decided = decideLocally(this.negotiationId, this.current, command, context)
    if (Either.isLeft(decided)) return Either.left(decided.left)
    const { state, envelopes } = decided.right
    this.current = state
    for (const e of envelopes) this.buffer.push(e)
    return Either.right(envelopes)
  }

  /**
   * Starts again from `state`, which the store already holds (e.g. a prefix
   * appended otherwise): nothing buffered, the next commit expecting its
   * version.
   */
  reset(state: State): void {
    this.current = state
    this.taken = state.version
    this.buffer = []
  }

  /**
   * The buffered envelopes as one commit, expecting the version of the last
   * commit taken, or `undefined` when nothing is buffered; the buffer is
   * emptied and the next commit expects this one's last version.
   */
  take(): Commit | undefined {
    if (this.buffer.length === 0) return undefined
    const expected = ExpectedVersion.Exact(this.taken)
    return { envelopes: this.takeBuffer(), expected }
  }

  /**
   * Appends what is buffered as one commit ({@link take}) to `store`; nothing
   * when nothing is. The effect is made once and may be run after every turn:
   * each run appends what is buffered then.
   */
  append(store: EventStoreService): Effect.Effect<void, VersionConflict | StoreError> {
    return Effect.suspend(() => {
      if (this.buffer.length === 0) return Effect.void
      // As `take`, without the commit object: this runs once per simulated turn.
      const expected = ExpectedVersion.Exact(this.taken)
      return Effect.asVoid(store.append(this.negotiationId, toPending(this.takeBuffer()), expected))
    })
  }

  /** Empties the buffer, handing out what it held; the next commit expects its last version. */
  private takeBuffer(): ReadonlyArray<EventEnvelope> {
    const envelopes = this.buffer
    this.buffer = []
    this.taken = envelopes.at(-1)!.version
    return envelopes
  }
}

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
    const writer = new BufferedWriter(negotiationId, state)
    const envelopes = yield* writer.decide(command, context)
    yield* writer.append(yield* EventStore)
    return { state: writer.state, envelopes }
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
