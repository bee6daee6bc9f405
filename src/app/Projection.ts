/**
 * The projection: the one fold of an event log into negotiation states.
 * Every reader goes through it — file and NATS replay, `parley validate`, the
 * report, the live page, the state feeds, the scenario loader's dry run,
 * `run --from` — so that a log means the same thing wherever it is read.
 *
 * It folds {@link LogEntry}s (commits with their log position: a JSONL line
 * number, a NATS stream sequence) through the decider's `evolve`, with an
 * explicit {@link InvalidPolicy} for input it cannot use:
 *
 * - `fail`: the first unreadable commit or impossible event fails the fold
 *   with a {@link CorruptEvent} naming its position and version;
 * - `stop`: an impossible event stops its negotiation at its last good
 *   state, and the negotiation's later events are reported as not applied
 *   ({@link AfterInvalid}); other negotiations go on;
 * - `skip`: an impossible event is reported and set aside, and its
 *   negotiation goes on with the events that still fit its state (a repeated
 *   line, a stray event).
 *
 * Under `stop` and `skip` an unreadable entry is reported and set aside: it
 * holds no event the fold could apply, and if it hid a real commit, the next
 * event of that negotiation does not follow on its version and is itself
 * impossible.
 *
 * No state derived from an invalid event ever comes out of it.
 *
 * The ways in, and the only folds of stored events besides the decider's own
 * (`evolve`, one event; `Folding`, the engine this runs per negotiation):
 *
 * - {@link makeProjection}: entry by entry, for readers that follow a log
 *   (the feeds, the live page);
 * - {@link project}: a whole stream of log entries (replay of a file or of a
 *   store, in `./Replay.ts`; a fork's prefix, in `./Fork.ts`);
 * - {@link foldState}, {@link foldStateStream}, {@link lastGoodState}: one
 *   negotiation's own envelopes, held in memory or streamed;
 * - {@link stateIn}: one negotiation's state out of a fold.
 *
 * It knows no store: it folds the domain's {@link LogEntry}s and envelopes,
 * whatever delivers them (`./Replay.ts` adapts files and event stores).
 *
 * @since 0.2.0
 */
import { Effect, Either, Schema, Stream } from "effect"
import type { EventEnvelope } from "../domain/Event.ts"
import { CorruptEvent, type LogEntry } from "../domain/Log.ts"
import { Folding, initialState, type State } from "../domain/Negotiation.ts"
import { toEnd, type Until, within } from "../domain/Replay.ts"

/** What the fold does with input it cannot use; see the module documentation. */
export type InvalidPolicy = "fail" | "stop" | "skip"

/** The policies, for command-line choices. */
export const invalidPolicies: ReadonlyArray<InvalidPolicy> = ["fail", "stop", "skip"]

/** A commit that could not be read (not JSON, the wrong shape, stored under the wrong subject). */
export class CorruptCommit extends Schema.TaggedClass<CorruptCommit>()("CorruptCommit", {
  /** Log position of the commit (NATS stream sequence, JSONL line). */
  position: Schema.Number,
  /** Where it lies, in words: `log.jsonl:12`, `stream PARLEY sequence 42`. */
  location: Schema.String,
  /** The negotiation it was stored under, when known. */
  negotiationId: Schema.optional(Schema.String),
  /** The version it claims, when it names one. */
  version: Schema.optional(Schema.Number),
  problem: Schema.String,
}) {
  /** One line for logs. */
  get message(): string {
    return `corrupt commit at log position ${this.position} (${this.location})${this.negotiationId === undefined ? "" : ` (negotiation "${this.negotiationId}")`}: ${this.problem}`
  }
}

/** A well-formed event the rules make impossible (a gap, a repeat, a forbidden move). */
export class ImpossibleEvent extends Schema.TaggedClass<ImpossibleEvent>()("ImpossibleEvent", {
  position: Schema.Number,
  location: Schema.String,
  negotiationId: Schema.String,
  version: Schema.Number,
  eventType: Schema.String,
  problem: Schema.String,
  /** The version the negotiation's state stays at. */
  lastGoodVersion: Schema.Number,
}) {
  /** One line for logs. */
  get message(): string {
    return `impossible event at ${this.location}: negotiation "${this.negotiationId}" version ${this.version} (${this.eventType}): ${this.problem}; its state stays at version ${this.lastGoodVersion}`
  }
}

/** An event of a negotiation that already stopped at an invalid entry (policy `stop`): not applied. */
export class AfterInvalid extends Schema.TaggedClass<AfterInvalid>()("AfterInvalid", {
  position: Schema.Number,
  location: Schema.String,
  negotiationId: Schema.String,
  version: Schema.Number,
  /** Log position of the invalid entry that stopped the negotiation. */
  stoppedAt: Schema.Number,
  lastGoodVersion: Schema.Number,
}) {
  /** One line for logs. */
  get message(): string {
    return `event at ${this.location} (negotiation "${this.negotiationId}" version ${this.version}) not applied: the negotiation stopped at version ${this.lastGoodVersion} after the invalid entry at log position ${this.stoppedAt}`
  }
}

/** Everything the projection sets aside. */
export const ProjectionProblem = Schema.Union(CorruptCommit, ImpossibleEvent, AfterInvalid)
/** Everything the projection sets aside. */
export type ProjectionProblem = typeof ProjectionProblem.Type

/** The problem as the typed error of policy `fail` (and of one-line reports). */
export const asCorruptEvent = (problem: ProjectionProblem): CorruptEvent =>
  new CorruptEvent({
    location: problem.location,
    ...(problem.version === undefined ? {} : { version: problem.version }),
    problem:
      problem._tag === "CorruptCommit"
        ? problem.problem
        : problem._tag === "ImpossibleEvent"
          ? `impossible history in negotiation "${problem.negotiationId}" at version ${problem.version} (${problem.eventType}): ${problem.problem}`
          : problem.message,
  })

/** Where a stopped negotiation stopped. */
export interface Stopped {
  readonly negotiationId: string
  /** Version of its last good state (0: none). */
  readonly lastGoodVersion: number
  /** Log position of the invalid entry. */
  readonly position: number
}

/** Receives what one log entry produced, in order. */
export interface ProjectionSink {
  /**
   * A new state, derived from valid events only, after `envelope` (of the
   * commit at `position`). Without it, no state is made per event: each
   * negotiation's state is then made when asked for (`get`, `states`, the
   * result of a fold), which is what lets a whole log fold in place.
   */
  readonly state?: ((state: State, envelope: EventEnvelope, position: number) => void) | undefined
  readonly problem: (problem: ProjectionProblem) => void
}

/** Options of {@link makeProjection}. */
export interface ProjectionOptions {
  /** What to do with input the fold cannot use. Default `fail`. */
  readonly policy?: InvalidPolicy | undefined
  /** How far to fold each negotiation; events past it are left out (not problems). Default: to the end. */
  readonly until?: Until | undefined
  /** Fold only this negotiation (an unreadable entry of unknown negotiation still counts). */
  readonly only?: string | undefined
  /** How a problem names a log position. Default `log position N`. */
  readonly locate?: ((position: number) => string) | undefined
  /**
   * Fold every envelope into one state, from `from` (a negotiation's own log,
   * where an envelope of another negotiation is an impossible event, not a
   * second negotiation).
   */
  readonly single?: { readonly from?: State | undefined } | undefined
}

/** The mutable fold of a log. */
export interface Projection {
  /**
   * Applies one log entry, reporting each new state and each problem to
   * `sink`. Under policy `fail`, returns the first problem as the typed error
   * (the projection must then not be used further).
   */
  readonly apply: (entry: LogEntry, sink?: ProjectionSink) => CorruptEvent | undefined
  /** The current state of a negotiation, if it has one. */
  readonly get: (negotiationId: string) => State | undefined
  /** Every negotiation's current state, by id, in the order they first appeared (as of this read). */
  readonly states: ReadonlyMap<string, State>
  /** Negotiations stopped by an invalid entry (policy `stop`). */
  readonly stopped: () => ReadonlyArray<Stopped>
  /** How many envelopes were read (applied or not). */
  readonly events: () => number
}

const quiet: ProjectionSink = { problem: () => {} }

const logPosition = (position: number) => `log position ${position}`

/**
 * A fresh projection (no negotiation yet). Each negotiation is folded by its
 * own {@link Folding} (the decider's `evolve`, one draft changed in place), so
 * a state is made only when a sink, `get` or `states` asks for it.
 */
export const makeProjection = (options: ProjectionOptions = {}): Projection => {
  const policy = options.policy ?? "fail"
  const inside = within(options.until ?? toEnd)
  const only = options.only
  const locate = options.locate ?? logPosition
  const folds = new Map<string, Folding>()
  const stopped = new Map<string, Stopped>()
  let events = 0
  const single = options.single
  const from = single?.from !== undefined && single.from.version > 0 ? single.from : undefined
  // One negotiation (its own log, or one picked from a log) folds as evolve does, copy per
  // event, to states built exactly as evolve builds them; every negotiation of a log in place.
  const inPlace = single === undefined && only === undefined
  if (from !== undefined) folds.set(from.negotiationId ?? "", new Folding(from, inPlace))
  /** With `single`, the one key every envelope folds into: the start's, else the first envelope's. */
  let singleKey: string | undefined = from?.negotiationId
  const keyOf =
    single === undefined
      ? (envelope: EventEnvelope): string => envelope.negotiationId
      : (envelope: EventEnvelope): string => (singleKey ??= envelope.negotiationId)

  const applyEnvelope = (
    envelope: EventEnvelope,
    position: number,
    sink: ProjectionSink,
  ): CorruptEvent | undefined => {
    events++
    const id = keyOf(envelope)
    if (only !== undefined && id !== only) return undefined
    const halt = stopped.get(id)
    if (halt !== undefined) {
      sink.problem(
        new AfterInvalid({
          position,
          location: locate(position),
          negotiationId: id,
          version: envelope.version,
          stoppedAt: halt.position,
          lastGoodVersion: halt.lastGoodVersion,
        }),
      )
      return undefined
    }
    if (!inside(envelope)) return undefined
    let fold = folds.get(id)
    const fresh = fold === undefined
    fold ??= new Folding(initialState, inPlace)
    const violation = fold.add(envelope)
    if (violation !== undefined) {
      const problem = new ImpossibleEvent({
        position,
        location: locate(position),
        negotiationId: id,
        version: envelope.version,
        eventType: envelope.event.type,
        problem: violation.problem,
        lastGoodVersion: fold.version,
      })
      sink.problem(problem)
      if (policy === "fail") return asCorruptEvent(problem)
      if (policy === "stop")
        stopped.set(id, { negotiationId: id, lastGoodVersion: fold.version, position })
      return undefined
    }
    if (fresh) folds.set(id, fold)
    sink.state?.(fold.state, envelope, position)
    return undefined
  }

  const states = (): Map<string, State> => {
    const out = new Map<string, State>()
    for (const [id, fold] of folds) out.set(id, fold.state)
    return out
  }

  const apply = (entry: LogEntry, sink: ProjectionSink = quiet): CorruptEvent | undefined => {
    if (entry._tag === "Unreadable") {
      const id = entry.negotiationId
      if (only !== undefined && id !== undefined && id !== only) return undefined
      const e = entry.error
      const problem = new CorruptCommit({
        position: entry.position,
        location: e.location,
        ...(id === undefined ? {} : { negotiationId: id }),
        ...(e.version === undefined ? {} : { version: e.version }),
        problem: e.problem,
      })
      sink.problem(problem)
      return policy === "fail" ? e : undefined
    }
    for (const envelope of entry.envelopes) {
      const failure = applyEnvelope(envelope, entry.position, sink)
      if (failure !== undefined) return failure
    }
    return undefined
  }
  return new Projecting(
    apply,
    (id) => folds.get(id)?.state,
    states,
    () => [...stopped.values()],
    () => events,
  )
}

/**
 * A projection's face. `states` is a getter on a class, not on the object
 * literal the closures could return: a literal with an accessor is built
 * slowly and left in a shape every `apply` call site then looks up the slow
 * way — measured at ~40% of `foldState`'s time on the `replay-fold` logs.
 */
class Projecting implements Projection {
  constructor(
    readonly apply: Projection["apply"],
    readonly get: Projection["get"],
    private readonly all: () => Map<string, State>,
    readonly stopped: Projection["stopped"],
    readonly events: Projection["events"],
  ) {}
  get states(): ReadonlyMap<string, State> {
    return this.all()
  }
}

/** What a whole fold found. */
export interface Projected {
  /** Each negotiation's state, in the order the negotiations first appear. */
  readonly states: ReadonlyMap<string, State>
  /** Everything set aside (policies `stop` and `skip`). */
  readonly problems: ReadonlyArray<ProjectionProblem>
  /** Negotiations stopped by an invalid entry (policy `stop`). */
  readonly stopped: ReadonlyArray<Stopped>
  /** How many envelopes were read. */
  readonly events: number
}

/** The state of one negotiation in a fold (the initial state when it has no event there). */
export const stateIn = (projected: Projected, negotiationId: string): State =>
  projected.states.get(negotiationId) ?? initialState

const collecting = (
  problems: Array<ProjectionProblem>,
  observer: ProjectionSink | undefined,
): ProjectionSink =>
  observer === undefined
    ? { problem: (p) => problems.push(p) }
    : {
        state: observer.state,
        problem: (p) => {
          problems.push(p)
          observer.problem(p)
        },
      }

const result = (projection: Projection, problems: ReadonlyArray<ProjectionProblem>): Projected => ({
  states: projection.states,
  problems,
  stopped: projection.stopped(),
  events: projection.events(),
})

/**
 * Folds a log, read chunk by chunk in constant memory per negotiation. Under
 * policy `fail` the first problem fails the fold as a {@link CorruptEvent}.
 * An `observer` sees each state and problem as it comes.
 */
export const project = <E, R>(
  log: Stream.Stream<LogEntry, E, R>,
  options: ProjectionOptions = {},
  observer?: ProjectionSink,
): Effect.Effect<Projected, E | CorruptEvent, R> =>
  Effect.suspend(() => {
    const projection = makeProjection(options)
    const problems: Array<ProjectionProblem> = []
    const sink = collecting(problems, observer)
    return Stream.runForEachChunk(log, (chunk) =>
      Effect.suspend(() => {
        for (const entry of chunk) {
          const failure = projection.apply(entry, sink)
          if (failure !== undefined) return Effect.fail(failure)
        }
        return Effect.void
      }),
    ).pipe(Effect.map(() => result(projection, problems)))
  })

/**
 * Folds envelopes held in memory (a run's log, a report's events), each its
 * own commit positioned at its version.
 */
const projectEnvelopes = (
  envelopes: Iterable<EventEnvelope>,
  options: ProjectionOptions = {},
): Either.Either<Projected, CorruptEvent> => {
  const projection = makeProjection({
    ...options,
    locate: options.locate ?? ((v) => `version ${v}`),
  })
  const problems: Array<ProjectionProblem> = []
  const sink = collecting(problems, undefined)
  for (const envelope of envelopes) {
    const failure = projection.apply(
      { _tag: "Commit", position: envelope.version, envelopes: [envelope] },
      sink,
    )
    if (failure !== undefined) return Either.left(failure)
  }
  return Either.right(result(projection, problems))
}

const onlyState = (projected: Projected, from: State | undefined): State =>
  projected.states.values().next().value ?? from ?? initialState

/**
 * One negotiation's state from its own events held in memory, up to `until`,
 * from `from` (default: before its first event), under policy `fail`: an
 * envelope that does not fit — a gap, a repeat, another negotiation's, a
 * forbidden move — is a {@link CorruptEvent} naming its version.
 */
export const foldState = (
  envelopes: Iterable<EventEnvelope>,
  until: Until = toEnd,
  from?: State,
): Either.Either<State, CorruptEvent> =>
  Either.map(projectEnvelopes(envelopes, { until, single: { from } }), (p) => onlyState(p, from))

/** {@link foldState} of a stream of one negotiation's events, read in constant memory. */
export const foldStateStream = <E, R>(
  envelopes: Stream.Stream<EventEnvelope, E, R>,
  until: Until = toEnd,
  from?: State,
): Effect.Effect<State, E | CorruptEvent, R> =>
  Effect.map(
    project(
      Stream.map(
        until._tag === "End" ? envelopes : Stream.takeWhile(envelopes, within(until)),
        (e): LogEntry => ({ _tag: "Commit", position: e.version, envelopes: [e] }),
      ),
      { until, single: { from }, locate: (v) => `version ${v}` },
    ),
    (p) => onlyState(p, from),
  )

/**
 * The last good state of one negotiation's events held in memory (policy
 * `stop`: the fold keeps the state before the first event that does not fit).
 */
export const lastGoodState = (envelopes: Iterable<EventEnvelope>): State =>
  Either.match(projectEnvelopes(envelopes, { policy: "stop", single: {} }), {
    onLeft: () => initialState,
    onRight: (p) => onlyState(p, undefined),
  })
