/**
 * The log as its readers see it: commits, each at its log position (a JSONL
 * line number, a NATS stream sequence), holding the envelopes it appended or
 * why it cannot be read. What the stores deliver and what the projection
 * (`src/app/Projection.ts`) folds, so neither depends on the other; and the
 * ways reading or writing a log fails, which every store adapter and the NATS
 * connection (`src/nats/`, below the stores) raise alike. The stores' port
 * (`src/store/EventStore.ts`) re-exports them.
 *
 * @since 0.4.0
 */
import { hash } from "node:crypto"
import { Schema } from "effect"
import type { EventEnvelope } from "./Event.ts"

/**
 * Where a negotiation's chain starts: what its first commit carries as the
 * digest of the history before it. See {@link chainAfter}.
 */
export const chainStart = (negotiationId: string): string =>
  hash("sha256", `parley chain\n${negotiationId}`, "base64url").slice(0, 32)

/**
 * The chain after a commit: the digest of the chain it carried (the digest
 * of everything before it; `""` for a commit written before commits carried
 * one) and of its events' versions and ids. Ids are digests of the events'
 * content, checked on read, so the chain after a commit covers the content
 * of every chained commit up to it: a commit before it that is edited,
 * removed or reordered no longer chains to what the next one carries.
 */
export const chainAfter = (
  carried: string,
  envelopes: ReadonlyArray<Pick<EventEnvelope, "version" | "eventId">>,
): string => {
  let text = carried
  for (const e of envelopes) text += `\n${e.version} ${e.eventId}`
  return hash("sha256", text, "base64url").slice(0, 32)
}

/** A stored event could not be read: not JSON, the wrong shape, an unknown schema version. */
export class CorruptEvent extends Schema.TaggedError<CorruptEvent>()("CorruptEvent", {
  /** Where: `file.jsonl:12`, or `stream PARLEY sequence 42`. */
  location: Schema.String,
  version: Schema.optional(Schema.Number),
  problem: Schema.String,
  /** The negotiation the event names, when it was read that far (its `problem` names it too). */
  negotiationId: Schema.optional(Schema.String),
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

/** Someone else wrote first: the log is not at the expected version. Nothing was written. */
export class VersionConflict extends Schema.TaggedError<VersionConflict>()("VersionConflict", {
  negotiationId: Schema.String,
  expected: Schema.String,
  actual: Schema.Number,
}) {
  override get message() {
    return `version conflict on negotiation "${this.negotiationId}": expected ${this.expected}, the log is at version ${this.actual}`
  }
}

/**
 * What the server and the client said, kept on the store's errors: the
 * server's error code when it gave one (a JetStream API code such as 10071),
 * and the client's error as it was thrown.
 */
const causeFields = {
  /** The server's error code, when it answered with one. */
  code: Schema.optional(Schema.Number),
  /** The underlying error (e.g. the nats.js error), as it was thrown. */
  cause: Schema.optional(Schema.Defect),
}

/**
 * The store failed for a reason no more specific error names (I/O, an
 * unexpected server reply): the generic member of {@link StoreError}, the
 * union of every way the store can fail.
 */
export class StoreFailure extends Schema.TaggedError<StoreFailure>()("StoreFailure", {
  ...causeFields,
  operation: Schema.String,
  problem: Schema.String,
}) {
  override get message() {
    return `${this.operation} failed: ${this.problem}`
  }
}

/** The store's server cannot be reached (refused, timed out, connection closed). */
export class StoreUnreachable extends Schema.TaggedError<StoreUnreachable>()("StoreUnreachable", {
  ...causeFields,
  operation: Schema.String,
  servers: Schema.String,
  problem: Schema.String,
}) {
  override get message() {
    return `${this.operation} failed: cannot reach ${this.servers} (${this.problem})`
  }
}

/** The server is reachable but cannot store events: JetStream not enabled, the stream missing or unsuitable. */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()("StoreUnavailable", {
  ...causeFields,
  operation: Schema.String,
  problem: Schema.String,
}) {
  override get message() {
    return `${this.operation} failed: ${this.problem}`
  }
}

/** The credentials in use do not allow the operation (authentication or authorisation). */
export class PermissionDenied extends Schema.TaggedError<PermissionDenied>()("PermissionDenied", {
  ...causeFields,
  operation: Schema.String,
  problem: Schema.String,
}) {
  override get message() {
    return `${this.operation} failed: permission denied (${this.problem})`
  }
}

/** An append is larger than the store accepts in one commit. Nothing was written. */
export class EventTooLarge extends Schema.TaggedError<EventTooLarge>()("EventTooLarge", {
  ...causeFields,
  negotiationId: Schema.String,
  bytes: Schema.Number,
  limit: Schema.Number,
}) {
  override get message() {
    return `append to negotiation "${this.negotiationId}" is ${this.bytes} bytes; the store accepts at most ${this.limit}`
  }
}

/** A negotiation id that is not a subject-safe token never reaches the store. */
export class InvalidNegotiationId extends Schema.TaggedError<InvalidNegotiationId>()(
  "InvalidNegotiationId",
  { negotiationId: Schema.String, problem: Schema.String },
) {
  override get message() {
    return `invalid negotiation id ${JSON.stringify(this.negotiationId)}: ${this.problem}`
  }
}

/**
 * The server answered an append as a duplicate of a commit already stored
 * under the same message id, but that commit is not this append's: other
 * event ids, or other versions. Message ids are derived from event ids, which
 * anyone who has seen an earlier run can compute, so a party on the bus can
 * publish first under the id the writer will use; the writer's events were
 * not written. Names what is stored, so an operator can find it.
 */
export class DuplicateConflict extends Schema.TaggedError<DuplicateConflict>()(
  "DuplicateConflict",
  {
    negotiationId: Schema.String,
    /** Where the commit the server matched lies (a NATS stream sequence). */
    location: Schema.String,
    /** This append's events: ids at versions. */
    appended: Schema.String,
    /** The stored commit's events, or why it cannot be read. */
    stored: Schema.String,
  },
) {
  override get message() {
    return `append to negotiation "${this.negotiationId}" was answered as a duplicate of ${this.location}, which is not this append: it holds ${this.stored}, this append is ${this.appended}; nothing was written`
  }
}

/**
 * Every way the store itself can fail: the generic {@link StoreFailure}, and
 * the members that name a cause a caller may want to handle apart.
 */
export type StoreError =
  | StoreFailure
  | StoreUnreachable
  | StoreUnavailable
  | PermissionDenied
  | EventTooLarge
  | InvalidNegotiationId
  | DuplicateConflict
