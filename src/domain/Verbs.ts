/**
 * What a timeline calls each kind of move: the verb of each event type (kept in
 * its rule, `negotiation/Events.ts`), which the run's trace (`simulation/Trace.ts`)
 * and the report (`report/Model.ts`) both read, and of each command (the verb of the
 * event it records, `eventOfCommand` in `Command.ts`).
 *
 * @since 0.4.0
 */
import { eventOfCommand, type NegotiationCommand } from "./Command.ts"
import type { NegotiationEvent } from "./Event.ts"
import { eventRules } from "./negotiation/Events.ts"

/** The verb of each kind of event, as timelines show it: each event type's own, in its rule (`negotiation/Events.ts`). */
export const verbOfEvent = Object.fromEntries(
  Object.entries(eventRules).map(([type, rule]) => [type, rule.verb]),
) as Record<NegotiationEvent["type"], string>

/**
 * The verb of a command's move. The opening is "opened" in a run's trace
 * (the line that starts it), where the report says "opened talks".
 */
export const verbOfCommand = (type: NegotiationCommand["type"]): string =>
  type === "OpenNegotiation" ? "opened" : verbOfEvent[eventOfCommand[type]]
