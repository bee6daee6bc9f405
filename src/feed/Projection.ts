/**
 * The projection of the event log into negotiation states: pure, synchronous
 * and shared by the NATS projector and the in-process state feed.
 *
 * It folds the commits of the whole log, in log order, through the decider's
 * `evolve`. An entry it cannot use is set aside as a typed
 * {@link ProjectionProblem} naming its log position (the NATS stream
 * sequence) and version; a negotiation whose event is impossible stops at its
 * last good state, so no state derived from an invalid event ever comes out.
 *
 * @since 0.1.0
 */
import { Either, Schema, Stream } from "effect"
import type { EventEnvelope } from "../domain/Event.ts"
import { evolve, initialState, type State } from "../domain/Negotiation.ts"
import {
  All,
  type CorruptEvent,
  type EventStoreService,
  type LogEntry,
  type StoreError,
} from "../store/EventStore.ts"

/** A commit that could not be read (not JSON, the wrong shape, stored under the wrong subject). */
export class CorruptCommit extends Schema.TaggedClass<CorruptCommit>()("CorruptCommit", {
  /** Log position (NATS stream sequence) of the commit. */
  position: Schema.Number,
  /** The negotiation it was stored under, when known. */
  negotiationId: Schema.optional(Schema.String),
  /** The version it claims, when it names one. */
  version: Schema.optional(Schema.Number),
  problem: Schema.String,
}) {
  /** One line for logs. */
  get message(): string {
    return `corrupt commit at log position ${this.position}${this.negotiationId === undefined ? "" : ` (negotiation "${this.negotiationId}")`}: ${this.problem}`
  }
}

/** A well-formed event the rules make impossible (a gap, a repeat, a forbidden move). */
export class ImpossibleEvent extends Schema.TaggedClass<ImpossibleEvent>()("ImpossibleEvent", {
  position: Schema.Number,
  negotiationId: Schema.String,
  version: Schema.Number,
  eventType: Schema.String,
  problem: Schema.String,
  /** The version the negotiation's published state stays at. */
  lastGoodVersion: Schema.Number,
}) {
  /** One line for logs. */
  get message(): string {
    return `impossible event at log position ${this.position}: negotiation "${this.negotiationId}" version ${this.version} (${this.eventType}): ${this.problem}; its state stays at version ${this.lastGoodVersion}`
  }
}

/** An event of a negotiation that already stopped at an invalid event: it is not projected. */
export class AfterInvalid extends Schema.TaggedClass<AfterInvalid>()("AfterInvalid", {
  position: Schema.Number,
  negotiationId: Schema.String,
  version: Schema.Number,
  /** Log position of the invalid event that stopped the negotiation. */
  stoppedAt: Schema.Number,
  lastGoodVersion: Schema.Number,
}) {
  /** One line for logs. */
  get message(): string {
    return `event at log position ${this.position} (negotiation "${this.negotiationId}" version ${this.version}) not projected: the negotiation stopped at version ${this.lastGoodVersion} after the invalid event at position ${this.stoppedAt}`
  }
}

/** Everything the projection sets aside. */
export const ProjectionProblem = Schema.Union(CorruptCommit, ImpossibleEvent, AfterInvalid)
/** Everything the projection sets aside. */
export type ProjectionProblem = typeof ProjectionProblem.Type

/** Where a stopped negotiation stopped. */
export interface Stopped {
  readonly negotiationId: string
  /** Version of its last good state (0: none). */
  readonly lastGoodVersion: number
  /** Log position of the invalid event. */
  readonly position: number
}

/** Receives what one log entry produced. */
export interface ProjectionSink {
  /** A new state, derived from valid events only; `position` is that of its commit. */
  readonly state: (state: State, position: number) => void
  readonly problem: (problem: ProjectionProblem) => void
}

/** The mutable fold of the whole log. */
export interface Projection {
  /** Applies one log entry, reporting each new state and each problem to `sink`, in order. */
  readonly apply: (entry: LogEntry, sink: ProjectionSink) => void
  /** The current state of a negotiation, if it has one. */
  readonly get: (negotiationId: string) => State | undefined
  /** Every negotiation's current state, in the order they first appeared. */
  readonly states: () => IterableIterator<State>
  /** Negotiations stopped by an invalid event. */
  readonly stopped: () => ReadonlyArray<Stopped>
}

/** A fresh projection (no negotiation yet). */
export const makeProjection = (): Projection => {
  const states = new Map<string, State>()
  const stopped = new Map<string, Stopped>()
  const applyEnvelope = (envelope: EventEnvelope, position: number, sink: ProjectionSink) => {
    const id = envelope.negotiationId
    const halt = stopped.get(id)
    if (halt !== undefined) {
      sink.problem(
        new AfterInvalid({
          position,
          negotiationId: id,
          version: envelope.version,
          stoppedAt: halt.position,
          lastGoodVersion: halt.lastGoodVersion,
        }),
      )
      return
    }
    const current = states.get(id) ?? initialState
    const next = evolve(current, envelope)
    if (Either.isLeft(next)) {
      stopped.set(id, { negotiationId: id, lastGoodVersion: current.version, position })
      sink.problem(
        new ImpossibleEvent({
          position,
          negotiationId: id,
          version: envelope.version,
          eventType: envelope.event.type,
          problem: next.left.problem,
          lastGoodVersion: current.version,
        }),
      )
      return
    }
    states.set(id, next.right)
    sink.state(next.right, position)
  }
  return {
    apply: (entry, sink) => {
      if (entry._tag === "Unreadable") {
        const e: CorruptEvent = entry.error
        sink.problem(
          new CorruptCommit({
            position: entry.position,
            ...(entry.negotiationId === undefined ? {} : { negotiationId: entry.negotiationId }),
            ...(e.version === undefined ? {} : { version: e.version }),
            problem: e.problem,
          }),
        )
        return
      }
      for (const envelope of entry.envelopes) applyEnvelope(envelope, entry.position, sink)
    },
    get: (id) => states.get(id),
    states: () => states.values(),
    stopped: () => [...stopped.values()],
  }
}

/**
 * The whole log from `fromPosition` on, as {@link LogEntry}s: through the
 * store's `subscribeLog` when it has one (NATS: positions are stream
 * sequences, unreadable commits are entries), else through `subscribe(All)`
 * with one entry per event numbered from 1 (the memory and file stores).
 */
export const followLog = (
  store: EventStoreService,
  fromPosition = 1,
): Stream.Stream<LogEntry, StoreError | CorruptEvent> => {
  if (store.subscribeLog !== undefined) return store.subscribeLog(fromPosition)
  return Stream.suspend(() => {
    let position = 0
    return store.subscribe(All).pipe(
      Stream.map(
        (envelope): LogEntry => ({ _tag: "Commit", position: ++position, envelopes: [envelope] }),
      ),
      Stream.filter((entry) => entry.position >= fromPosition),
    )
  })
}
