/**
 * The rules: whether an event may happen in a state. {@link check} is the one
 * place that says what may happen, in two parts: the structure of a history
 * (versions follow one another, the negotiation is opened once and first,
 * nothing follows its end, time does not go back, what an event refers to
 * exists and is in the state it acts on) and the rules of the game (who may
 * make which move, when). `decide` checks both; `evolve` checks the structure
 * only ({@link checkStructure}). What every event needs is here; what each
 * event type needs besides is its entry in `Events.ts`.
 *
 * @since 0.1.0
 */
import type { Instant, NegotiationEvent } from "../Event.ts"
import {
  AwaitingRatification,
  DeadlineReached,
  NegotiationClosed,
  NotOpened,
  OutOfOrder,
  type Rejection,
  TalksAreSuspended,
} from "../Rejection.ts"
import { type EventRule, eventRules } from "./Events.ts"
import { isTerminal, type State } from "./State.ts"

/** Re-exported: whether a value is a {@link Rejection} (`Problems.ts`). */
export { isRejection } from "./Problems.ts"

/**
 * Whether `event` may happen at `at` in `state`: `undefined` when it may, or
 * the rule it breaks. The single source of what may happen, used by
 * {@link decide} (everything) and {@link evolve} (the structure of a history
 * only, {@link checkStructure}).
 */
export const check = (state: State, event: NegotiationEvent, at: Instant): Rejection | undefined =>
  checkWith(state, event, at, true)

/**
 * Whether `event` can stand at `at` in a stored history that led to `state`:
 * the part of {@link check} that is structure, not rules of the game. A
 * history is trusted to have been decided under the rules of its day; what
 * it cannot be is inconsistent: a gap or a move before the opening or after
 * the end, time going back, an event about an offer, party or issue that does
 * not exist, or about an offer no longer in the state it acts on.
 */
export const checkStructure = (
  state: State,
  event: NegotiationEvent,
  at: Instant,
): Rejection | undefined => checkWith(state, event, at, false)

/**
 * {@link check} (`strict`) or {@link checkStructure}: one walk, the rules of
 * the game guarded by `strict`, so the structure is checked by the same lines
 * for both and a command gives the first problem in the same order.
 */
const checkWith = (
  state: State,
  event: NegotiationEvent,
  at: Instant,
  strict: boolean,
): Rejection | undefined => {
  if (event.type === "NegotiationOpened")
    return eventRules.NegotiationOpened.check(state, event, at, strict)
  if (state.status === "unopened") return new NotOpened()
  if (isTerminal(state.status)) return new NegotiationClosed({ status: state.status })
  if (state.updatedAt !== undefined && at < state.updatedAt)
    return new OutOfOrder({ at, last: state.updatedAt })
  if (event.type === "DeadlinePassed")
    return eventRules.DeadlinePassed.check(state, event, at, strict)
  const rule = eventRules[event.type] as EventRule<NegotiationEvent>
  if (strict) {
    const rules = state.rules
    if (rules.deadline !== undefined && at > rules.deadline)
      return new DeadlineReached({ deadline: rules.deadline })
    if (state.status === "suspended" && !rule.whileSuspended) return new TalksAreSuspended()
    if (state.acceptedOffer !== undefined && state.agreement === undefined && !rule.whileRatifying)
      return new AwaitingRatification({ offerId: state.acceptedOffer })
  }
  return rule.check(state, event, at, strict)
}
