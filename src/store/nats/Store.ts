/**
 * The NATS JetStream {@link EventStore} on the shared {@link Connection}.
 *
 * Optimistic concurrency maps the expected version to the subject's last
 * stream sequence (the head, read with a direct get and cached per
 * negotiation) and publishes with `expect.lastSubjectSequence`:
 * `StreamWrongLastSequence` (10071) means someone else wrote first, and
 * nothing of the losing append is written.
 *
 * Each commit carries the chain digest of the history before it (the
 * `Parley-Chain` header, see `CommitCodec.ts`), which every read follows, and
 * a deduplicated append counts only when the stored commit is its own.
 *
 * One file, about 600 lines: every operation of the adapter shares the
 * connection, the layout and the cached heads (with their chain digests) in
 * the one closure of `make`; the codec, the chain check and the reader are
 * apart already (`CommitCodec.ts`, `Reader.ts`).
 *
 * @since 0.1.0
 */
import {
  type DirectMsgRequest,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream"
import { headers } from "@nats-io/transport-node"
import { Chunk, Duration, Effect, Either, Layer, Option, Schema, Stream } from "effect"
import type { EventEnvelope, PendingEvent } from "../../domain/Event.ts"
import { type NegotiationId, Token } from "../../domain/Ids.ts"
import { chainAfter, chainStart } from "../../domain/Log.ts"
import { Connection } from "../../nats/Connection.ts"
import { ApiCodes, classify, isApiError } from "../../nats/Errors.ts"
import { DEFAULT_PREFIX, eventSubject, eventSubjects, layoutFor } from "../../nats/Layout.ts"
import {
  All,
  type AppendResult,
  type CorruptEvent,
  EventStore,
  type EventStoreService,
  ExpectedVersion,
  isNegotiationId,
  type LogEntry,
  planAppend,
  type StoredIds,
  StoreError,
  VersionConflict,
  validateNegotiationId,
  validateSelector,
} from "../EventStore.ts"
import type { Limits } from "../Limits.ts"
import * as CommitCodec from "./CommitCodec.ts"
import {
  CHAIN_HEADER,
  chainChecker,
  chainOf,
  commitId,
  describeCommit,
  sameCommit,
} from "./CommitCodec.ts"
import * as LogStream from "./LogStream.ts"
import * as Reader from "./Reader.ts"

/** Where the log lives on the servers, and how its stream is created. */
export interface StoreOptions {
  /** Subject prefix (a token); subjects are `<prefix>.events.<negotiationId>`. Default `parley`. */
  readonly prefix?: string | undefined
  /** Stream name; default the prefix in upper case (`PARLEY`). */
  readonly stream?: string | undefined
  /** Largest commit accepted, in bytes, when the stream is created. Default 1,000,000. */
  readonly maxMessageBytes?: number | undefined
  /** Replicas of the stream when it is created (a cluster: 3). Default 1. */
  readonly replicas?: number | undefined
  /** How long a retried append is recognised by message id. Default 2 minutes. */
  readonly duplicateWindow?: Duration.DurationInput | undefined
  /** Create the stream when it is missing (default); otherwise a missing stream is an error. */
  readonly createStream?: boolean | undefined
  /** How large and deep a stored commit may be before it is parsed (`defaultLimits` of `../Limits.ts`). */
  readonly limits?: Limits | undefined
}

/** The last commit of a negotiation: where it is, what it holds. */
interface Head {
  /** Stream sequence of the last commit; 0 when the negotiation has none. */
  readonly seq: number
  /** The negotiation's version. */
  readonly version: number
  readonly envelopes: ReadonlyArray<EventEnvelope>
  /** The chain after the last commit, which the next one carries; absent when there is none. */
  readonly chain?: string | undefined
}

const EMPTY: Head = { seq: 0, version: 0, envelopes: [] }

/** The ids `planAppend` needs, as a view that holds only the last commit. */
const idsOf = (head: Head): StoredIds => {
  const first = head.envelopes[0]?.version ?? head.version + 1
  const at = (index: number) => head.envelopes[index + 1 - first]?.eventId
  return {
    length: head.version,
    at,
    lastIndexOf: (eventId) => {
      for (let i = head.envelopes.length - 1; i >= 0; i--)
        if (head.envelopes[i]?.eventId === eventId) return first - 1 + i
      return -1
    },
  }
}

const asStoreError = (operation: string) => (e: CorruptEvent | StoreError) =>
  e._tag === "CorruptEvent"
    ? new StoreError({ reason: "Failure", operation, problem: e.message })
    : e

/**
 * Opens the event log on the connection in context: creates or verifies the
 * stream and returns the {@link EventStore} service.
 */
export const make = (
  options: StoreOptions = {},
): Effect.Effect<EventStoreService, StoreError | LogStream.StreamMismatch, Connection> =>
  Effect.gen(function* () {
    const { nc, servers, timeout } = yield* Connection
    const prefix = options.prefix ?? DEFAULT_PREFIX
    if (!Schema.is(Token)(prefix))
      return yield* new StoreError({
        reason: "Failure",
        operation: "configure NATS",
        problem: `prefix ${JSON.stringify(prefix)} is not a token (letters, digits, '_' or '-')`,
      })
    const layout = layoutFor(prefix)
    const stream = options.stream ?? layout.eventStream
    const tryNats = <A>(operation: string, f: () => Promise<A>) =>
      Effect.tryPromise({ try: f, catch: classify(operation, servers) })

    const jsm: JetStreamManager = yield* tryNats("open JetStream", () =>
      jetstreamManager(nc, { timeout }),
    )
    const js: JetStreamClient = jetstream(nc, { timeout })
    const info = yield* LogStream.ensure(
      jsm,
      {
        name: stream,
        prefix,
        maxMessageBytes: options.maxMessageBytes ?? 1_000_000,
        duplicateWindow: Duration.decode(options.duplicateWindow ?? "2 minutes"),
        replicas: options.replicas ?? 1,
        create: options.createStream !== false,
      },
      servers,
    )
    const limit = Math.min(
      info.config.max_msg_size > 0 ? info.config.max_msg_size : Number.POSITIVE_INFINITY,
      nc.info?.max_payload ?? Number.POSITIVE_INFINITY,
    )
    const codec = CommitCodec.make(stream, layout, options.limits)
    const reader = Reader.make(js, stream, servers)
    const heads = new Map<NegotiationId, Head>()

    /** Reads one stored commit with a direct get. */
    const getCommit = (operation: string, query: DirectMsgRequest) =>
      tryNats(operation, () => jsm.direct.getMessage(stream, query)).pipe(
        Effect.flatMap((m) =>
          m === null
            ? Effect.succeed(undefined)
            : Effect.map(codec.decode(m), (envelopes) => ({
                seq: m.seq,
                envelopes,
                chain: chainAfter(chainOf(m) ?? "", envelopes),
              })),
        ),
      )

    /** The negotiation's head, from the server; refreshes the cache. */
    const fetchHead = (id: NegotiationId) =>
      getCommit(`read the head of ${id}`, { last_by_subj: eventSubject(layout, id) }).pipe(
        Effect.map((commit): Head => {
          const last = commit?.envelopes[commit.envelopes.length - 1]
          const head =
            commit === undefined || last === undefined
              ? EMPTY
              : {
                  seq: commit.seq,
                  version: last.version,
                  envelopes: commit.envelopes,
                  chain: commit.chain,
                }
          heads.set(id, head)
          return head
        }),
      )

    const conflict = (id: NegotiationId, expected: ExpectedVersion, actual: number) =>
      new VersionConflict({ negotiationId: id, expected: ExpectedVersion.show(expected), actual })

    /**
     * After a conflict, asks the server whether this exact commit is already
     * stored (a retry whose first attempt landed before others appended): a
     * publish that can only be answered by deduplication, since its expected
     * sequence never matches.
     */
    const probeDuplicate = (
      id: NegotiationId,
      events: ReadonlyArray<PendingEvent>,
      expected: ExpectedVersion,
      msgID: string,
    ) =>
      tryNats(`append to ${id}`, async () => {
        try {
          const ack = await js.publish(eventSubject(layout, id), "[]", {
            msgID,
            expect: { lastSubjectSequence: Number.MAX_SAFE_INTEGER },
          })
          return ack.duplicate ? ack.seq : undefined
        } catch (e) {
          if (isApiError(e, ApiCodes.StreamWrongLastSequence)) return undefined
          throw e
        }
      }).pipe(
        Effect.flatMap((seq) =>
          seq === undefined
            ? Effect.succeed(undefined)
            : getCommit(`read the commit of ${id}`, { seq }).pipe(
                Effect.mapError(asStoreError(`append to ${id}`)),
                Effect.map((commit) => {
                  const first = commit?.envelopes[0]
                  const start = expected._tag === "Exact" ? expected.version : 0
                  const same =
                    commit !== undefined &&
                    commit.envelopes.length === events.length &&
                    commit.envelopes.every((e, i) => e.eventId === events[i]?.eventId)
                  return same && (expected._tag === "Any" || first?.version === start + 1)
                    ? commit.envelopes
                    : undefined
                }),
              ),
        ),
      )

    /**
     * After a conflict the server's deduplication did not answer (the first
     * attempt is older than the duplicate window, or another writer's
     * commits cover the expected place): reads the events stored at the
     * versions this append expected to write and lets {@link planAppend}
     * judge them like any retry — the same ids there make it a duplicate,
     * any other ids keep it a conflict. Ids are content digests, so a run
     * played again (a work item delivered twice, minutes apart) finds its
     * own log and succeeds.
     */
    const storedDuplicate = (
      id: NegotiationId,
      events: ReadonlyArray<PendingEvent>,
      expected: ExpectedVersion,
      head: Head,
    ) =>
      Effect.gen(function* () {
        if (expected._tag === "Any" || events.length === 0) return undefined
        const start = expected._tag === "Exact" ? expected.version : 0
        if (head.version < start + events.length) return undefined
        // Unreadable there (a corrupt commit, the server gone): not provably a duplicate, so the
        // conflict stands — the caller's retry reloads the log and meets the error with its position.
        const found = yield* Effect.option(
          Stream.runCollect(read(id, { from: start + 1, to: start + events.length })),
        )
        if (Option.isNone(found)) return undefined
        const stored = Chunk.toReadonlyArray(found.value)
        const ids: StoredIds = {
          length: head.version,
          at: (index) => stored[index - start]?.eventId,
          lastIndexOf: () => -1,
        }
        return planAppend(id, ids, events, expected)._tag === "Duplicate" ? stored : undefined
      })

    /**
     * What a commit that the server deduplicated had written, and where the
     * log now is — when it is this append's own: the same event ids at the
     * same versions, read back and compared (as KurrentDB treats an
     * idempotent retry). Anything else under the same message id is a
     * {@link StoreError} of reason `DuplicateConflict` naming what is stored.
     */
    const duplicateOf = (
      id: NegotiationId,
      seq: number,
      planned: ReadonlyArray<EventEnvelope>,
      expected: ExpectedVersion,
    ) =>
      Effect.gen(function* () {
        const read = yield* Effect.either(getCommit(`read the commit of ${id}`, { seq }))
        const commit = Either.getOrUndefined(read)
        if (commit === undefined || !sameCommit(commit.envelopes, planned, expected._tag === "Any"))
          return yield* new StoreError({
            reason: "DuplicateConflict",
            negotiationId: id,
            location: `stream ${stream} sequence ${seq}`,
            appended: describeCommit(planned),
            stored: Either.isLeft(read)
              ? `a commit that cannot be read (${read.left.message})`
              : commit === undefined
                ? "nothing (the message is gone)"
                : describeCommit(commit.envelopes),
          })
        const fresh = yield* fetchHead(id).pipe(Effect.mapError(asStoreError(`append to ${id}`)))
        return { envelopes: commit.envelopes, version: fresh.version, duplicate: true }
      })

    /**
     * Publishes a planned commit after `head`: one callback from the
     * acknowledgement to the result, no fiber of its own. A conflict (someone
     * wrote first) drops the cached head and plans again from the server's.
     */
    const write = (
      id: NegotiationId,
      events: ReadonlyArray<PendingEvent>,
      expected: ExpectedVersion,
      head: Head,
      envelopes: ReadonlyArray<EventEnvelope>,
      attempt: number,
    ): Effect.Effect<AppendResult, VersionConflict | StoreError> => {
      const last = envelopes[envelopes.length - 1]
      if (last === undefined)
        return Effect.succeed({ envelopes: [], version: head.version, duplicate: false })
      const payload = CommitCodec.encode(envelopes)
      if (payload.length > limit)
        return Effect.fail(
          new StoreError({ reason: "TooLarge", negotiationId: id, bytes: payload.length, limit }),
        )
      const chain = head.chain ?? chainStart(id)
      const carried = headers()
      carried.set(CHAIN_HEADER, chain)
      const options = {
        msgID: commitId(id, events),
        expect: { lastSubjectSequence: head.seq },
        headers: carried,
      }
      return Effect.async<AppendResult, VersionConflict | StoreError>((resume) => {
        js.publish(eventSubject(layout, id), payload, options).then(
          (ack) => {
            if (ack.duplicate) return resume(duplicateOf(id, ack.seq, envelopes, expected))
            heads.set(id, {
              seq: ack.seq,
              version: last.version,
              envelopes,
              chain: chainAfter(chain, envelopes),
            })
            resume(Effect.succeed({ envelopes, version: last.version, duplicate: false }))
          },
          (cause) => {
            if (isApiError(cause, ApiCodes.StreamWrongLastSequence)) {
              heads.delete(id)
              return resume(
                attempt >= 10
                  ? Effect.fail(
                      new StoreError({
                        reason: "Failure",
                        operation: `append to ${id}`,
                        problem: "the log kept moving; gave up after 10 attempts",
                      }),
                    )
                  : append(id, events, expected, attempt + 1),
              )
            }
            resume(
              Effect.fail(
                isApiError(cause, ApiCodes.StreamMessageExceedsMaximum)
                  ? new StoreError({
                      reason: "TooLarge",
                      negotiationId: id,
                      bytes: payload.length,
                      limit,
                      code: cause.code,
                      cause,
                    })
                  : classify(`append to ${id}`, servers)(cause),
              ),
            )
          },
        )
      })
    }

    /** The cached head, or the empty one when the append expects an empty log (the server checks). */
    const cachedHead = (id: NegotiationId, expected: ExpectedVersion) =>
      heads.get(id) ??
      (expected._tag === "NoStream" || (expected._tag === "Exact" && expected.version === 0)
        ? EMPTY
        : undefined)

    const append = (
      id: NegotiationId,
      events: ReadonlyArray<PendingEvent>,
      expected: ExpectedVersion,
      attempt: number,
    ): Effect.Effect<AppendResult, VersionConflict | StoreError> =>
      Effect.gen(function* () {
        // A first append expecting an empty log needs no head: publishing with
        // last sequence 0 lets the server check it (a conflict refetches).
        const cached = attempt === 0 ? cachedHead(id, expected) : undefined
        const head =
          cached ?? (yield* fetchHead(id).pipe(Effect.mapError(asStoreError(`append to ${id}`))))
        const plan = planAppend(id, idsOf(head), events, expected)
        switch (plan._tag) {
          case "Conflict": {
            if (cached !== undefined) return yield* append(id, events, expected, attempt + 1)
            const stored =
              events.length === 0
                ? undefined
                : ((yield* probeDuplicate(id, events, expected, commitId(id, events))) ??
                  (yield* storedDuplicate(id, events, expected, head)))
            if (stored !== undefined)
              return { envelopes: stored, version: head.version, duplicate: true }
            return yield* conflict(id, expected, head.version)
          }
          case "Duplicate":
            return {
              envelopes: head.envelopes.filter(
                (e) => e.version >= plan.from && e.version < plan.from + events.length,
              ),
              version: head.version,
              duplicate: true,
            }
          case "Write":
            return yield* write(id, events, expected, head, plan.envelopes, attempt)
        }
      })

    /**
     * The common case without a generator: the head is cached and the plan
     * is a write, so the append is one publish. Anything else (no cached
     * head, a conflict, a retry) takes {@link append}.
     */
    const appendNow = (
      id: NegotiationId,
      events: ReadonlyArray<PendingEvent>,
      expected: ExpectedVersion,
    ): Effect.Effect<AppendResult, VersionConflict | StoreError> => {
      const head = cachedHead(id, expected)
      if (head === undefined) return append(id, events, expected, 0)
      const plan = planAppend(id, idsOf(head), events, expected)
      return plan._tag === "Write"
        ? write(id, events, expected, head, plan.envelopes, 0)
        : append(id, events, expected, 0)
    }

    /** Reads a message as its commit's envelopes from version `from` on, following the chain. */
    const envelopesFrom = (from: number): Reader.ReadMessage<EventEnvelope, CorruptEvent> => {
      const chained = chainChecker(stream)
      return (m, out) => {
        const decoded = codec.decode(m)
        if (Either.isLeft(decoded)) return decoded.left
        const broken = chained(m, decoded.right)
        if (broken !== undefined) return broken
        for (const e of decoded.right) if (e.version >= from) out.push(e)
        return undefined
      }
    }

    /** Reads each message as a log entry (an unreadable commit, or one off the chain, is an entry too). */
    const entries = (): Reader.ReadMessage<LogEntry, never> => {
      const chained = chainChecker(stream)
      return (m, out) => {
        const entry = codec.entryOf(m)
        const broken = entry._tag === "Commit" ? chained(m, entry.envelopes) : undefined
        out.push(
          broken === undefined
            ? entry
            : {
                _tag: "Unreadable",
                position: m.seq,
                negotiationId: broken.negotiationId,
                error: broken,
              },
        )
        return undefined
      }
    }

    const read: EventStoreService["read"] = (negotiationId, range = {}) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const id = yield* validateNegotiationId(negotiationId)
          const subject = eventSubject(layout, id)
          const found = yield* Effect.either(fetchHead(id))
          if (Either.isLeft(found)) {
            if (found.left._tag !== "CorruptEvent") return yield* found.left
            // The last commit cannot be read: read in order, so that the first bad commit is named.
            const last = yield* tryNats(`read ${subject}`, () =>
              jsm.direct.getMessage(stream, { last_by_subj: subject }),
            )
            return reader
              .consume(subject, 1, last?.seq ?? 0, envelopesFrom(Math.max(1, range.from ?? 1)))
              .pipe(Stream.takeWhile((e) => e.version <= (range.to ?? Number.POSITIVE_INFINITY)))
          }
          const head = found.right
          const from = Math.max(1, range.from ?? 1)
          const to = Math.min(head.version, range.to ?? head.version)
          if (from > to) return Stream.empty
          const first = head.envelopes[0]?.version ?? 1
          // The tail lies in the head commit: no consumer needed.
          if (from >= first)
            return Stream.fromIterable(
              head.envelopes.filter((e) => e.version >= from && e.version <= to),
            )
          // The envelopes of each batch of commits go straight into one chunk.
          return reader
            .consume(subject, 1, head.seq, envelopesFrom(from))
            .pipe(Stream.takeWhile((e) => e.version <= to))
        }),
      )

    const list = Effect.gen(function* () {
      const info = yield* tryNats("list negotiations", () =>
        jsm.streams.info(stream, { subjects_filter: eventSubjects(layout) }),
      )
      const subjects = Object.keys(info.state.subjects ?? {})
      // In the order they were started: by the sequence of their first commit.
      const firsts = yield* Effect.forEach(
        subjects,
        (subject) =>
          tryNats("list negotiations", () =>
            jsm.direct.getMessage(stream, { next_by_subj: subject, seq: 0 }),
          ).pipe(Effect.map((m) => [m?.seq ?? Number.POSITIVE_INFINITY, subject] as const)),
        { concurrency: 32 },
      )
      return firsts
        .sort((a, b) => a[0] - b[0])
        .map(([, subject]) => codec.idOfSubject(subject) as NegotiationId)
    })

    const subscribe: EventStoreService["subscribe"] = (selector, fromVersion = 1) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const selected = yield* validateSelector(selector)
          const filter = selected === All ? eventSubjects(layout) : eventSubject(layout, selected)
          let start = 1
          if (selected !== All && fromVersion > 1) {
            const head = yield* fetchHead(selected)
            const first = head.envelopes[0]?.version ?? 1
            if (fromVersion > head.version) start = head.seq + 1
            else if (fromVersion >= first) start = head.seq
          }
          /** The last version delivered per negotiation: a redelivery is dropped, never repeated. */
          const delivered = new Map<string, number>()
          const read = envelopesFrom(fromVersion)
          return reader.follow(filter, start, (m, out: Array<EventEnvelope>) => {
            const commit: Array<EventEnvelope> = []
            const problem = read(m, commit)
            if (problem !== undefined) return problem
            for (const e of commit) {
              if (e.version <= (delivered.get(e.negotiationId) ?? 0)) continue
              delivered.set(e.negotiationId, e.version)
              out.push(e)
            }
            return undefined
          })
        }),
      )

    const readLog: NonNullable<EventStoreService["readLog"]> = (negotiationId) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const id = yield* validateNegotiationId(negotiationId)
          const subject = eventSubject(layout, id)
          // The last sequence, read raw: the last commit itself may be the unreadable one.
          const last = yield* tryNats(`read ${subject}`, () =>
            jsm.direct.getMessage(stream, { last_by_subj: subject }),
          )
          return last === null ? Stream.empty : reader.consume(subject, 1, last.seq, entries())
        }),
      )

    /**
     * The log from `fromPosition` on through one ordered consumer over every
     * negotiation's subject; after a lost connection or an ended consumer it
     * resumes after the last commit delivered. A refusal ends it.
     */
    const subscribeLog: NonNullable<EventStoreService["subscribeLog"]> = (fromPosition = 1) =>
      Stream.suspend(() => reader.follow(eventSubjects(layout), fromPosition, entries()))

    return EventStore.of({
      subscribeLog,
      readLog,
      append: (negotiationId, events, expected) =>
        isNegotiationId(negotiationId)
          ? appendNow(negotiationId, events, expected)
          : Effect.flatMap(validateNegotiationId(negotiationId), (id) =>
              appendNow(id, events, expected),
            ),
      read,
      version: (negotiationId) =>
        validateNegotiationId(negotiationId).pipe(
          Effect.flatMap(fetchHead),
          Effect.mapError(asStoreError(`read the version of ${negotiationId}`)),
          Effect.map((head) => head.version),
        ),
      list,
      subscribe,
    })
  })

/** A layer providing the NATS {@link EventStore} on the {@link Connection} in context. */
export const layer = (
  options: StoreOptions = {},
): Layer.Layer<EventStore, StoreError | LogStream.StreamMismatch, Connection> =>
  Layer.effect(EventStore, make(options))
