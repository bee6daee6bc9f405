/**
 * The log as its readers see it: commits, each at its log position (a JSONL
 * line number, a NATS stream sequence), holding the envelopes it appended or
 * why it cannot be read. What the stores deliver and what the projection
 * (`src/app/Projection.ts`) folds, so neither depends on the other.
 *
 * @since 0.4.0
 */
import { Schema } from "effect"
import type { EventEnvelope } from "./Event.ts"

/** A stored event could not be read: not JSON, the wrong shape, an unknown schema version. */
export class CorruptEvent extends Schema.TaggedError<CorruptEvent>()("CorruptEvent", {
  /** Where: `file.jsonl:12`, or `stream PARLEY sequence 42`. */
  location: Schema.String,
  version: Schema.optional(Schema.Number),
  problem: Schema.String,
}) {
  override get message() {
    return `${this.location}${this.version === undefined ? "" : ` (version ${this.version})`}: ${this.problem}`
  }
}

/**
 * One commit of the log as an event store's `readLog` and `subscribeLog`
 * deliver it, and as the projection folds it: at `position` (1-based,
 * increasing, possibly with gaps), either the envelopes it appended or why it
 * cannot be read.
 */
export type LogEntry =
  | {
      readonly _tag: "Commit"
      readonly position: number
      readonly envelopes: ReadonlyArray<EventEnvelope>
    }
  | {
      readonly _tag: "Unreadable"
      readonly position: number
      /** The negotiation the commit was stored under, when the store knows it. */
      readonly negotiationId: string | undefined
      readonly error: CorruptEvent
    }
