/**
 * The event log port. Every adapter — in memory, JSONL file, NATS JetStream —
 * implements this one interface and passes one contract suite.
 *
 * A negotiation's log is an ordered sequence of envelopes with versions 1, 2,
 * 3, ... Appends are optimistic: the caller says which version it expects the
 * log to be at, and a mismatch is a {@link VersionConflict} that writes
 * nothing. A multi-event append is all-or-nothing. Retrying an append whose
 * events carry the same ids is idempotent: it reports `duplicate` and writes
 * nothing new.
 *
 * @since 0.1.0
 */
import { Context, type Effect, Schema, type Stream } from "effect"
import type { EventEnvelope, PendingEvent } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"

/** What the caller expects the log's version to be before its append. */
export type ExpectedVersion =
  | { readonly _tag: "Any" }
  | { readonly _tag: "NoStream" }
  | { readonly _tag: "Exact"; readonly version: number }

/** Constructors of {@link ExpectedVersion}. */
export const ExpectedVersion = {
  /** Append wherever the log is (imports, administration). */
  Any: { _tag: "Any" } as ExpectedVersion,
  /** The negotiation must have no events yet. */
  NoStream: { _tag: "NoStream" } as ExpectedVersion,
  /** The log must be exactly at `version` (0 = no events). */
  Exact: (version: number): ExpectedVersion => ({ _tag: "Exact", version }),
  /** A readable form, for errors. */
  show: (e: ExpectedVersion): string =>
    e._tag === "Exact" ? `version ${e.version}` : e._tag === "NoStream" ? "no stream" : "any",
  /** Whether a log at `actual` satisfies `expected`. */
  matches: (expected: ExpectedVersion, actual: number): boolean =>
    expected._tag === "Any" ||
    (expected._tag === "NoStream" ? actual === 0 : actual === expected.version),
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

/** The store failed (I/O, the server, permissions). */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  operation: Schema.String,
  problem: Schema.String,
}) {
  override get message() {
    return `${this.operation} failed: ${this.problem}`
  }
}

/** What an append wrote (or, for a retried append, had already written). */
export interface AppendResult {
  readonly envelopes: ReadonlyArray<EventEnvelope>
  /** The log's version after the append. */
  readonly version: number
  /** The same events were already stored: this was a retry and wrote nothing. */
  readonly duplicate: boolean
}

/** Which events to read: versions `from` to `to`, both inclusive. */
export interface ReadRange {
  readonly from?: number | undefined
  readonly to?: number | undefined
}

/** The event log port. */
export interface EventStoreService {
  /** Appends events after checking the expected version; all or nothing. */
  readonly append: (
    negotiationId: NegotiationId,
    events: ReadonlyArray<PendingEvent>,
    expected: ExpectedVersion,
  ) => Effect.Effect<AppendResult, VersionConflict | StoreError>
  /** One negotiation's events in version order. */
  readonly read: (
    negotiationId: NegotiationId,
    range?: ReadRange,
  ) => Stream.Stream<EventEnvelope, CorruptEvent | StoreError>
  /** The version of the negotiation's last event; 0 when it has none. */
  readonly version: (negotiationId: NegotiationId) => Effect.Effect<number, StoreError>
  /** Every negotiation with at least one event, in the order they were started. */
  readonly list: Effect.Effect<ReadonlyArray<NegotiationId>, StoreError>
}

/** The event log. */
export class EventStore extends Context.Tag("parley/EventStore")<EventStore, EventStoreService>() {}

/** What an adapter must do with an append, once checked against the stored event ids. */
export type AppendPlan =
  | { readonly _tag: "Write"; readonly envelopes: ReadonlyArray<EventEnvelope> }
  /** The events are already stored from version `from` on: answer with those copies. */
  | { readonly _tag: "Duplicate"; readonly from: number }
  | { readonly _tag: "Conflict"; readonly error: VersionConflict }

/**
 * Checks an append against a negotiation's stored event ids (in version
 * order). Shared by the adapters that keep that index in memory.
 */
export const planAppend = (
  negotiationId: NegotiationId,
  storedIds: ReadonlyArray<string>,
  events: ReadonlyArray<PendingEvent>,
  expected: ExpectedVersion,
): AppendPlan => {
  const actual = storedIds.length
  if (!ExpectedVersion.matches(expected, actual)) {
    // A retry of an append that already landed finds its own ids right after the expected version.
    const start = expected._tag === "Exact" ? expected.version : 0
    if (events.length > 0 && sameIds(storedIds, start, events))
      return { _tag: "Duplicate", from: start + 1 }
    return {
      _tag: "Conflict",
      error: new VersionConflict({
        negotiationId,
        expected: ExpectedVersion.show(expected),
        actual,
      }),
    }
  }
  if (
    expected._tag === "Any" &&
    events.length > 0 &&
    sameIds(storedIds, actual - events.length, events)
  )
    return { _tag: "Duplicate", from: actual - events.length + 1 }
  return {
    _tag: "Write",
    envelopes: events.map((e, i) => ({ ...e, negotiationId, version: actual + i + 1 })),
  }
}

const sameIds = (
  stored: ReadonlyArray<string>,
  start: number,
  events: ReadonlyArray<PendingEvent>,
) =>
  start >= 0 &&
  start + events.length <= stored.length &&
  events.every((e, i) => stored[start + i] === e.eventId)
