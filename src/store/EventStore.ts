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
import { Context, Effect, Stream } from "effect"
import { makeEnvelope } from "../domain/Envelope.ts"
import type { EventEnvelope, PendingEvent } from "../domain/Event.ts"
import { NegotiationId } from "../domain/Ids.ts"
import { type CorruptEvent, type LogEntry, StoreError, VersionConflict } from "../domain/Log.ts"
import { compileGuard } from "./Guard.ts"

/**
 * Re-exported: the log's entries, its unreadable commits and the ways reading
 * or writing it fails are the domain's (`src/domain/Log.ts`), shared with the
 * projection and with the NATS connection (`src/nats/`), which sits below the
 * stores.
 */
export {
  CorruptEvent,
  type LogEntry,
  StoreError,
  StoreErrorReason,
  VersionConflict,
} from "../domain/Log.ts"

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
  /**
   * The events of one negotiation (or of all, with {@link All}) from version
   * `fromVersion` on (default 1): first those already stored, then each new
   * one as it is appended, in order, with no gap and no duplicate. With
   * {@link All}, every negotiation's events from `fromVersion` on, in the
   * order the store committed them. The stream never ends by itself.
   */
  readonly subscribe: (
    selector: Selector,
    fromVersion?: number,
  ) => Stream.Stream<EventEnvelope, CorruptEvent | StoreError>
  /**
   * The whole log as the store committed it, from log position
   * `fromPosition` on (default 1), never ending — for projections that keep a
   * checkpoint. Unlike {@link EventStoreService.subscribe} it names each
   * commit's position (the NATS stream sequence, the JSONL line number) and
   * delivers a commit that cannot be read as a {@link LogEntry} of its own
   * instead of failing, so a reader can set it aside and go on.
   */
  readonly subscribeLog: (fromPosition?: number) => Stream.Stream<LogEntry, StoreError>
  /**
   * One negotiation's commits as stored, each with its log position, ending
   * at its last commit. A commit that cannot be read is an `Unreadable` entry
   * instead of a failure, so a replay can name where it lies or set it aside
   * and go on.
   */
  readonly readLog: (negotiationId: NegotiationId) => Stream.Stream<LogEntry, StoreError>
}

/**
 * What an adapter must implement; {@link make} derives the rest of the port
 * from it when the adapter has no better way.
 */
export type EventStoreImpl = Omit<EventStoreService, "readLog" | "subscribeLog"> &
  Partial<Pick<EventStoreService, "readLog" | "subscribeLog">>

/**
 * The whole port from what an adapter implements (as Effect's
 * `KeyValueStore.make` derives `has` and `modify`): a missing `readLog` is
 * `read` with one commit per event at the event's version; a missing
 * `subscribeLog` is `subscribe(All)` with one commit per event, numbered from
 * 1 in commit order. A read that fails on an event it cannot decode ends with
 * that event as an `Unreadable` entry.
 */
export const make = (impl: EventStoreImpl): EventStoreService =>
  EventStore.of({
    ...impl,
    readLog:
      impl.readLog ??
      ((negotiationId) => {
        let position = 0
        return impl.read(negotiationId).pipe(
          Stream.map((envelope): LogEntry => {
            position = envelope.version
            return { _tag: "Commit", position, envelopes: [envelope] }
          }),
          Stream.catchTag("CorruptEvent", (error) =>
            Stream.make(unreadable(position + 1, negotiationId, error)),
          ),
        )
      }),
    subscribeLog:
      impl.subscribeLog ??
      ((fromPosition = 1) =>
        Stream.suspend(() => {
          let position = 0
          return impl.subscribe(All).pipe(
            Stream.map(
              (envelope): LogEntry => ({
                _tag: "Commit",
                position: ++position,
                envelopes: [envelope],
              }),
            ),
            Stream.catchTag("CorruptEvent", (error) =>
              Stream.make(unreadable(++position, undefined, error)),
            ),
            Stream.filter((entry) => entry.position >= fromPosition),
          )
        })),
  })

/** A log entry for a commit that cannot be read. */
export const unreadable = (
  position: number,
  negotiationId: string | undefined,
  error: CorruptEvent,
): LogEntry => ({ _tag: "Unreadable", position, negotiationId, error })

/** Selects every negotiation in {@link EventStoreService.subscribe}; `*` can never be a negotiation id. */
export const All = "*" as const

/** What a subscription follows: one negotiation, or {@link All}. */
export type Selector = NegotiationId | typeof All

/** The event log. */
export class EventStore extends Context.Tag("parley/EventStore")<EventStore, EventStoreService>() {}

/** What an adapter must do with an append, once checked against the stored event ids. */
export type AppendPlan =
  | { readonly _tag: "Write"; readonly envelopes: ReadonlyArray<EventEnvelope> }
  /** The events are already stored from version `from` on: answer with those copies. */
  | { readonly _tag: "Duplicate"; readonly from: number }
  | { readonly _tag: "Conflict"; readonly error: VersionConflict }

/**
 * A negotiation's stored event ids as {@link planAppend} reads them:
 * `at(v - 1)` is the id at version `v`. An array is one; the NATS adapter
 * passes a view that holds only its cached last commit.
 */
export interface StoredIds {
  readonly length: number
  readonly at: (index: number) => string | undefined
  readonly lastIndexOf: (eventId: string) => number
}

/**
 * Checks an append against a negotiation's stored event ids. A retry is
 * recognised by its ids: with an expected version, right after that version;
 * with {@link ExpectedVersion.Any}, wherever they lie (the retry of an `Any`
 * append may come after other appends). The memory and file adapters pass
 * their whole index; the NATS adapter passes its last commit, and older
 * retries are recognised there by the server's message-id deduplication
 * or, beyond its window, by this same check on the ids read back from the
 * expected place.
 */
export const planAppend = (
  negotiationId: NegotiationId,
  storedIds: StoredIds,
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
  const first = events[0]
  if (expected._tag === "Any" && first !== undefined) {
    const start = storedIds.lastIndexOf(first.eventId)
    if (start !== -1 && sameIds(storedIds, start, events))
      return { _tag: "Duplicate", from: start + 1 }
  }
  return {
    _tag: "Write",
    envelopes: events.map((e, i) => {
      // An envelope already numbered for this place is immutable: keep it rather than copy it.
      const given = e as Partial<EventEnvelope>
      return given.negotiationId === negotiationId && given.version === actual + i + 1
        ? (e as EventEnvelope)
        : envelopeOf(e, negotiationId, actual + i + 1)
    }),
  }
}

/** The envelope of a pending event at `version`, fields in their canonical order (the domain's one builder). */
export const envelopeOf = (
  e: PendingEvent,
  negotiationId: NegotiationId,
  version: number,
): EventEnvelope => makeEnvelope(e.eventId, negotiationId, version, e.occurredAt, e.event, e)

const sameIds = (stored: StoredIds, start: number, events: ReadonlyArray<PendingEvent>) =>
  start >= 0 &&
  start + events.length <= stored.length &&
  events.every((e, i) => stored.at(start + i) === e.eventId)

/** Whether an id is a subject-safe token (see {@link validateNegotiationId}); compiled, as it runs on every append. */
export const isNegotiationId = compileGuard(NegotiationId)

/**
 * Checks at run time that an id is a subject-safe token before it reaches a
 * store (a NATS subject, a file): a typed id can still come from an unchecked
 * cast, and `a.*` or `>` must never become a wildcard.
 */
export const validateNegotiationId = (
  negotiationId: string,
): Effect.Effect<NegotiationId, StoreError> =>
  isNegotiationId(negotiationId)
    ? Effect.succeed(negotiationId)
    : Effect.fail(
        new StoreError({
          reason: "InvalidId",
          negotiationId:
            negotiationId.length > 80 ? `${negotiationId.slice(0, 80)}…` : negotiationId,
          problem: "ids are 1 to 64 letters, digits, '_' or '-'",
        }),
      )

/** {@link validateNegotiationId} for a subscription's selector; {@link All} passes. */
export const validateSelector = (selector: string): Effect.Effect<Selector, StoreError> =>
  selector === All ? Effect.succeed(All) : validateNegotiationId(selector)
