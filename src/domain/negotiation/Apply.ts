/**
 * Applying stored or decided events to a negotiation's state
 * ({@link applyTo}, each event's change as `Events.ts` says it), and the ways
 * in: {@link evolve} (a stored event, its history's structure checked), a
 * {@link Folding} (a whole log, one draft changed in place) and
 * {@link applyDecided} (an event `decide` has just emitted).
 *
 * `evolve` trusts a stored history to have been decided under the rules of
 * its day and checks its structure only, so a rule tightened later does not
 * make old logs unreadable, while a damaged log still fails replay with an
 * {@link InvariantViolation} naming the version.
 *
 * @since 0.1.0
 */
import { Either, HashMap } from "effect"
import type { EventEnvelope, Instant, NegotiationEvent } from "../Event.ts"
import { InvariantViolation } from "../Rejection.ts"
import { type Draft, draft } from "./Draft.ts"
import { type EventRule, eventRules } from "./Events.ts"
import { checkStructure } from "./Rules.ts"
import { initialState, type State } from "./State.ts"

/**
 * Applies an event that {@link check} accepted to a draft, in place: the one
 * way each event's change (its entry in `Events.ts`) is made, for
 * {@link evolve}, {@link applyDecided} and a {@link Folding} alike.
 */
const applyTo = (d: Draft, event: NegotiationEvent, version: number, at: Instant): void => {
  d.version = version
  d.updatedAt = at
  ;(eventRules[event.type] as EventRule<NegotiationEvent>).apply(d, event, version, at)
}

// ---------------------------------------------------------------------------
// The decider.
// ---------------------------------------------------------------------------

/**
 * Applies one stored event. Fails with an {@link InvariantViolation} naming the
 * version when the history cannot stand: a gap in versions, an event of
 * another negotiation, or one that breaks its structure
 * ({@link checkStructure}). The rules of the game are not checked again: the
 * event was decided under the rules of its day, and a rule tightened since
 * applies to new commands only.
 */
export const evolve = (
  state: State,
  envelope: EventEnvelope,
): Either.Either<State, InvariantViolation> => {
  const problem = historyProblem(state, envelope)
  if (problem !== undefined) return Either.left(violation(envelope, problem))
  const next = draft(state)
  applyEnvelope(next, envelope)
  return Either.right(next)
}

/** Why a stored event cannot follow `state` in its history, or `undefined` when it can: what {@link evolve} checks. */
const historyProblem = (state: State, envelope: EventEnvelope): string | undefined => {
  if (envelope.version !== state.version + 1)
    return `expected version ${state.version + 1}, found ${envelope.version}`
  if (state.negotiationId !== undefined && envelope.negotiationId !== state.negotiationId)
    return `event belongs to negotiation "${envelope.negotiationId}", not "${state.negotiationId}"`
  return checkStructure(state, envelope.event, envelope.occurredAt)?.message
}

/** Applies a stored event to a draft; the opening names the negotiation. */
const applyEnvelope = (d: Draft, envelope: EventEnvelope): void => {
  applyTo(d, envelope.event, envelope.version, envelope.occurredAt)
  if (envelope.event.type === "NegotiationOpened") d.negotiationId = envelope.negotiationId
}

const violation = (envelope: EventEnvelope, problem: string) =>
  new InvariantViolation({
    negotiationId: envelope.negotiationId,
    version: envelope.version,
    eventType: envelope.event.type,
    problem,
  })

/**
 * One negotiation's state while its stored events are folded one after the
 * other (a whole log replayed): {@link evolve}, with its checks and the same
 * {@link applyTo}, but one draft held across the events, changed in place, and
 * the offers a transient HashMap updated without copying a path per change.
 * `evolve` builds a whole new state per event; a log that interleaves
 * thousands of negotiations keeps each of those alive until its next event,
 * and the collector pays for every one of them.
 *
 * {@link Folding.state} hands out the state reached so far as an ordinary,
 * immutable {@link State}, equal to what `evolve` gives one event at a time
 * (a property test holds the two together): the offers map is sealed and
 * shared with it, and the next event starts a new transient map over it, so
 * a state handed out never changes.
 */
export class Folding {
  private current: Draft
  /** The state handed out last, while no event has been applied since; it shares `current.offers`. */
  private handedOut: State | undefined

  /**
   * Folding from `from` (default: before the first event); `from` itself is
   * never changed. With `inPlace` false, each event gets a fresh copy of the
   * state and the offers stay a persistent map, exactly as {@link evolve}
   * does, down to the map's inner structure: for one negotiation folded on
   * its own, whose states die young, and whose result is compared with states
   * built by `evolve` and `applyDecided`.
   */
  constructor(
    from: State = initialState,
    private readonly inPlace = true,
  ) {
    this.current = draft(from)
    this.handedOut = from
  }

  /** The version of the last event applied. */
  get version(): number {
    return this.current.version
  }

  /**
   * Applies one stored event as {@link evolve} does; when it cannot stand,
   * returns the {@link InvariantViolation} and the state stays as it was.
   */
  add(envelope: EventEnvelope): InvariantViolation | undefined {
    const problem = historyProblem(this.current, envelope)
    if (problem !== undefined) return violation(envelope, problem)
    if (!this.inPlace) {
      // evolve's way: the state reached so far stays as it is, the event goes to a copy.
      const next = draft(this.current)
      applyEnvelope(next, envelope)
      this.current = next
      this.handedOut = next
      return undefined
    }
    const d = this.current
    if (this.handedOut !== undefined) {
      d.offers = HashMap.beginMutation(d.offers)
      this.handedOut = undefined
    }
    applyEnvelope(d, envelope)
    return undefined
  }

  /** The state reached so far; the same object until the next event. */
  get state(): State {
    if (this.handedOut === undefined) {
      const d = this.current
      d.offers = HashMap.endMutation(d.offers)
      this.handedOut = draft(d)
    }
    return this.handedOut
  }
}

/**
 * Applies an event that {@link decide} has just emitted for this very state,
 * without checking the rules a second time: decide checked them, and the
 * property tests prove that evolve accepts every event decide emits. For
 * writers that hold the state (the command handler, simulations); replay of
 * stored events always goes through {@link evolve}.
 */
export const applyDecided = (state: State, envelope: EventEnvelope): State => {
  const next = draft(state)
  applyEnvelope(next, envelope)
  return next
}
