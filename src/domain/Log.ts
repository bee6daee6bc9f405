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
 * Why the event store failed: the {@link StoreError}'s `reason`.
 */
export const StoreErrorReason = Schema.Literal(
  /** Nothing more specific (I/O, an unexpected server reply). */
  "Failure",
  /** The store's server cannot be reached (refused, timed out, connection closed). */
  "Unreachable",
  /** The server is reachable but cannot store events: JetStream not enabled, the stream missing or unsuitable. */
  "Unavailable",
  /** The credentials in use do not allow the operation (authentication or authorisation). */
  "PermissionDenied",
  /**
   * A consumer ended: its connection was lost or closed, or the server deleted
   * it. Transient: a subscription resumes after the last commit it delivered.
   */
  "ConsumerGone",
  /** An append is larger than the store accepts in one commit. Nothing was written. */
  "TooLarge",
  /** A negotiation id that is not a subject-safe token never reaches the store. */
  "InvalidId",
  /**
   * The server answered an append as a duplicate of a commit already stored
   * under the same message id, but that commit is not this append's: other
   * event ids, or other versions. Message ids are derived from event ids, which
   * anyone who has seen an earlier run can compute, so a party on the bus can
   * publish first under the id the writer will use; the writer's events were
   * not written. Names what is stored, so an operator can find it.
   */
  "DuplicateConflict",
)
export type StoreErrorReason = typeof StoreErrorReason.Type

/**
 * The one error of the event store's boundary: every way the store itself
 * can fail, in the style of `@effect/platform`'s `PlatformError` — one tag,
 * and a `reason` for a caller that handles one apart. A log that is not at
 * the expected version ({@link VersionConflict}) and a commit that cannot be
 * read ({@link CorruptEvent}) are not store failures but outcomes a caller
 * handles by their own tags.
 *
 * Each reason fills the fields it needs: `operation` and `problem` (all but
 * `TooLarge` and `DuplicateConflict`), `servers` (`Unreachable`),
 * `negotiationId` (`TooLarge`, `InvalidId`, `DuplicateConflict`), `bytes`
 * and `limit` (`TooLarge`), `location`, `appended` and `stored`
 * (`DuplicateConflict`); `code` and `cause` keep what the server and the
 * client said.
 */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  reason: StoreErrorReason,
  /** What was being done: `append to talks-1`, `connect to nats://...`. */
  operation: Schema.optional(Schema.String),
  /** What went wrong, as the server, the client or the check said it. */
  problem: Schema.optional(Schema.String),
  /** The servers that cannot be reached (`Unreachable`). */
  servers: Schema.optional(Schema.String),
  negotiationId: Schema.optional(Schema.String),
  /** The append's size and the store's limit, in bytes (`TooLarge`). */
  bytes: Schema.optional(Schema.Number),
  limit: Schema.optional(Schema.Number),
  /** Where the commit the server matched lies, a NATS stream sequence (`DuplicateConflict`). */
  location: Schema.optional(Schema.String),
  /** This append's events: ids at versions (`DuplicateConflict`). */
  appended: Schema.optional(Schema.String),
  /** The stored commit's events, or why it cannot be read (`DuplicateConflict`). */
  stored: Schema.optional(Schema.String),
  /** The server's error code, when it answered with one (a JetStream API code such as 10071). */
  code: Schema.optional(Schema.Number),
  /** The underlying error (e.g. the nats.js error), as it was thrown. */
  cause: Schema.optional(Schema.Defect),
}) {
  override get message() {
    switch (this.reason) {
      case "Unreachable":
        return `${this.operation} failed: cannot reach ${this.servers} (${this.problem})`
      case "PermissionDenied":
        return `${this.operation} failed: permission denied (${this.problem})`
      case "TooLarge":
        return `append to negotiation "${this.negotiationId}" is ${this.bytes} bytes; the store accepts at most ${this.limit}`
      case "InvalidId":
        return `invalid negotiation id ${JSON.stringify(this.negotiationId)}: ${this.problem}`
      case "DuplicateConflict":
        return `append to negotiation "${this.negotiationId}" was answered as a duplicate of ${this.location}, which is not this append: it holds ${this.stored}, this append is ${this.appended}; nothing was written`
      default:
        return `${this.operation} failed: ${this.problem}`
    }
  }
}
