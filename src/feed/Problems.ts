/**
 * What the projector sets aside and reports on `<prefix>.state-problems`,
 * one JSON object each: the projection's own problems (a corrupt commit, an
 * impossible event, an event after one), and the feed's — a negotiation
 * whose fold failed, a state too large for any message, a checkpoint it
 * could not trust. Each names the log position it concerns.
 *
 * @since 0.5.0
 */
import { Schema } from "effect"
import { AfterInvalid, CorruptCommit, ImpossibleEvent } from "../app/Projection.ts"
import { messageOf } from "../domain/Errors.ts"

/** At most this many characters of anything quoted in a problem. */
const EXCERPT = 200

/** A bounded, one-line excerpt of `text`. */
export const excerpt = (text: string): string => {
  const line = text.replace(/\s+/g, " ")
  return line.length <= EXCERPT ? line : `${line.slice(0, EXCERPT)}… (${line.length} characters)`
}

/** What was thrown, in a bounded excerpt (never the value it was about). */
export const thrown = (e: unknown): string => {
  let text: string
  try {
    text = e instanceof Error ? `${e.name}: ${e.message}` : messageOf(e)
  } catch {
    text = "an unprintable value"
  }
  return excerpt(text)
}

/**
 * Folding a commit threw (a value the fold cannot handle): its negotiation
 * is set aside at its last good state, and nothing more of it is published
 * until the projector is rebuilt; every other negotiation goes on.
 */
export class FoldFailed extends Schema.TaggedClass<FoldFailed>()("FoldFailed", {
  position: Schema.Number,
  location: Schema.String,
  negotiationId: Schema.String,
  problem: Schema.String,
  /** The version its published state stays at. */
  lastGoodVersion: Schema.Number,
}) {
  /** One line for logs. */
  get message(): string {
    return `negotiation "${this.negotiationId}" set aside at ${this.location}: folding it failed (${this.problem}); its state stays at version ${this.lastGoodVersion}`
  }
}

/** A state that fits in no message of the server, even listing no offer: not published. */
export class StateTooLarge extends Schema.TaggedClass<StateTooLarge>()("StateTooLarge", {
  position: Schema.Number,
  negotiationId: Schema.String,
  version: Schema.Number,
  /** Its size in bytes with no offer listed but those it names. */
  bytes: Schema.Number,
  /** The most a message may hold (the server's max_payload, less the room for headers). */
  limit: Schema.Number,
}) {
  /** One line for logs. */
  get message(): string {
    return `state of negotiation "${this.negotiationId}" at version ${this.version} (log position ${this.position}) not published: ${this.bytes} bytes even listing no offer, over the ${this.limit} a message may hold`
  }
}

/**
 * The stored checkpoint cannot be trusted (past the end of the stream, from
 * another incarnation of it, unreadable): the projector rebuilds every
 * state from the start of the log.
 */
export class CheckpointRejected extends Schema.TaggedClass<CheckpointRejected>()(
  "CheckpointRejected",
  {
    /** The position the checkpoint claimed (0 when unreadable). */
    position: Schema.Number,
    /** The stored value, in a bounded excerpt. */
    stored: Schema.String,
    problem: Schema.String,
  },
) {
  /** One line for logs. */
  get message(): string {
    return `checkpoint rejected (${this.problem}; stored: ${this.stored}): rebuilding every state from the start of the log`
  }
}

/** Everything the projector sets aside, as published on `<prefix>.state-problems`. */
export const FeedProblem = Schema.Union(
  CorruptCommit,
  ImpossibleEvent,
  AfterInvalid,
  FoldFailed,
  StateTooLarge,
  CheckpointRejected,
).annotations({
  identifier: "FeedProblem",
  title: "parley projector problem",
  description:
    "Something the projector set aside, tagged by kind, with the log position (stream sequence) it concerns.",
})
/** A problem the projector reports. */
export type FeedProblem = typeof FeedProblem.Type
