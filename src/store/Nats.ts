/**
 * The NATS JetStream event log, designed for nats-server 2.9 (no atomic
 * batch publish, no multi-filter consumers) and working on newer servers.
 *
 * Layout: one stream (`PARLEY` for the default prefix `parley`) capturing
 * `<prefix>.events.>`, one concrete subject per negotiation,
 * `<prefix>.events.<negotiationId>`. Negotiation ids are validated tokens, so
 * none can become a wildcard.
 *
 * One message per append: a commit, the JSON array of the envelopes it
 * appended, so that a multi-event decision is visible all-or-nothing. The
 * message id is a digest of the event ids (which are content-derived), so a
 * retry inside the stream's duplicate window is answered by the server's
 * deduplication with the stored copy. Optimistic concurrency maps the
 * expected version to the subject's last stream sequence (the head, read with
 * a direct get and cached per negotiation) and publishes with
 * `expect.lastSubjectSequence`: error 10071 means someone else wrote first,
 * and nothing of the losing append is written.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { readFile } from "node:fs/promises"
import {
  type DirectMsgRequest,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
  type StreamConfig,
  type StreamInfo,
} from "@nats-io/jetstream"
import {
  type ConnectionOptions,
  connect,
  credsAuthenticator,
  type NatsConnection,
  nanos,
  errors as natsErrors,
  nkeyAuthenticator,
} from "@nats-io/transport-node"
import {
  Chunk,
  Config,
  type ConfigError,
  Duration,
  Effect,
  Either,
  Layer,
  Option,
  Redacted,
  Schedule,
  Schema,
  type Scope,
  Stream,
} from "effect"
import type { EventEnvelope, PendingEvent } from "../domain/Event.ts"
import { type NegotiationId, Token } from "../domain/Ids.ts"
import { fromJson } from "./Codec.ts"
import {
  All,
  type AppendResult,
  CorruptEvent,
  EventStore,
  type EventStoreService,
  EventTooLarge,
  type ExpectedVersion,
  type LogEntry,
  PermissionDenied,
  planAppend,
  type StoredIds,
  StoreError,
  StoreUnavailable,
  StoreUnreachable,
  VersionConflict,
  validateNegotiationId,
  validateSelector,
} from "./EventStore.ts"

/** A secret given as text or as a `Redacted` value (as `Config.redacted` reads it). */
export type Secret = string | Redacted.Redacted<string>

/** Where the NATS event log lives and how to connect to it. */
export interface NatsOptions {
  /** One or more server URLs, e.g. `nats://127.0.0.1:4222`. */
  readonly servers: string | ReadonlyArray<string>
  /** Subject prefix (a token); subjects are `<prefix>.events.<negotiationId>`. Default `parley`. */
  readonly prefix?: string | undefined
  /** Stream name; default the prefix in upper case (`PARLEY`). */
  readonly stream?: string | undefined
  readonly user?: string | undefined
  readonly password?: Secret | undefined
  readonly token?: Secret | undefined
  /** An nkey seed (`SU...`). */
  readonly nkeySeed?: Secret | undefined
  /** A `.creds` file (JWT and nkey seed). */
  readonly credsFile?: string | undefined
  /** TLS files: CA, client certificate and key. */
  readonly tls?:
    | {
        readonly caFile?: string | undefined
        readonly certFile?: string | undefined
        readonly keyFile?: string | undefined
      }
    | undefined
  /** Largest commit accepted, in bytes, when the stream is created. Default 1,000,000. */
  readonly maxMessageBytes?: number | undefined
  /** Replicas of the stream when it is created (a cluster: 3). Default 1. */
  readonly replicas?: number | undefined
  /** How long a retried append is recognised by message id. Default 2 minutes. */
  readonly duplicateWindow?: Duration.DurationInput | undefined
  /** Create the stream when it is missing (default); otherwise a missing stream is an error. */
  readonly createStream?: boolean | undefined
  /** Timeout of each request to the server. Default 5 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** The connection name shown by the server. */
  readonly name?: string | undefined
}

/** The existing stream has settings that would break the log's guarantees; it is left as it is. */
export class StreamMismatch extends Schema.TaggedError<StreamMismatch>()("StreamMismatch", {
  stream: Schema.String,
  problems: Schema.Array(Schema.String),
}) {
  override get message() {
    return `stream ${this.stream} exists with incompatible settings (${this.problems.join("; ")}); change it by hand or use another prefix`
  }
}

/** The stream name derived from a prefix: `parley` → `PARLEY`. */
export const streamName = (prefix: string): string => prefix.toUpperCase().replace(/-/g, "_")

/** The subject of one negotiation's commits. */
export const subjectOf = (prefix: string, negotiationId: NegotiationId): string =>
  `${prefix}.events.${negotiationId}`

/** The message id of a commit: a digest of where it goes and of its event ids. */
export const commitId = (negotiationId: string, events: ReadonlyArray<PendingEvent>): string =>
  createHash("sha256")
    .update(`${negotiationId}\n${events.map((e) => e.eventId).join("\n")}`)
    .digest("base64url")
    .slice(0, 32)

const WRONG_LAST_SEQUENCE = 10071
const STREAM_NOT_FOUND = 10059
const STREAM_NAME_IN_USE = 10058
const JETSTREAM_NOT_ENABLED = 10039
const JETSTREAM_NOT_ENABLED_FOR_ACCOUNT = 10076
const MESSAGE_TOO_LARGE = 10054

const describe = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e)
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : ""
  return `${e.message}${cause}`
}

const isApiError = (e: unknown, code: number): boolean =>
  e instanceof JetStreamApiError && e.code === code

/** Sorts a failure of the client into the store's typed errors. */
const classify =
  (operation: string, servers: string) =>
  (e: unknown): StoreError => {
    const problem = describe(e)
    if (
      e instanceof natsErrors.PermissionViolationError ||
      e instanceof natsErrors.AuthorizationError ||
      // A request refused by the server's permissions arrives wrapped (e.g. its reply inbox denied).
      (e instanceof Error && e.cause instanceof natsErrors.PermissionViolationError) ||
      /permissions violation/i.test(problem)
    )
      return new PermissionDenied({ operation, problem })
    if (e instanceof JetStreamApiError) {
      if (e.status === 403 || /permission/i.test(problem))
        return new PermissionDenied({ operation, problem })
      if (e.code === JETSTREAM_NOT_ENABLED || e.code === JETSTREAM_NOT_ENABLED_FOR_ACCOUNT)
        return new StoreUnavailable({
          operation,
          problem: `JetStream is not enabled on ${servers} (start nats-server with -js)`,
        })
      if (e.code === STREAM_NOT_FOUND) return new StoreUnavailable({ operation, problem })
    }
    if (e instanceof Error && e.name === "JetStreamNotEnabled")
      return new StoreUnavailable({
        operation,
        problem: `JetStream is not enabled on ${servers} (start nats-server with -js)`,
      })
    if (
      e instanceof natsErrors.NoRespondersError ||
      (e instanceof natsErrors.RequestError && e.cause instanceof natsErrors.NoRespondersError)
    )
      return new StoreUnavailable({
        operation,
        problem: `no JetStream responder on ${servers}: JetStream is not enabled or the stream is missing`,
      })
    if (
      e instanceof natsErrors.ConnectionError ||
      e instanceof natsErrors.ClosedConnectionError ||
      e instanceof natsErrors.TimeoutError ||
      (e instanceof natsErrors.RequestError && e.cause instanceof natsErrors.TimeoutError)
    )
      return new StoreUnreachable({ operation, servers, problem })
    return new StoreError({ operation, problem })
  }

/** The last commit of a negotiation: where it is, what it holds. */
interface Head {
  /** Stream sequence of the last commit; 0 when the negotiation has none. */
  readonly seq: number
  /** The negotiation's version. */
  readonly version: number
  readonly envelopes: ReadonlyArray<EventEnvelope>
}

const EMPTY: Head = { seq: 0, version: 0, envelopes: [] }

const LATER = Symbol("later")
/** Resolves once the I/O queue has had a turn: anything already buffered settles first. */
const later = () => new Promise<typeof LATER>((resolve) => setImmediate(() => resolve(LATER)))

/**
 * Reads a message iterator in batches: the first message awaited plus
 * whatever is already buffered behind it (up to `max`), so a stream gets one
 * chunk per burst instead of one effect per message. What is buffered is told
 * by racing the next message against setImmediate (the iterator's pending
 * count also counts status callbacks, and waiting on it stalled reads that
 * started mid-log); a next() that lost the race is kept for the following
 * batch, never dropped. `done` is set once the iterator ends or `last` says so.
 */
const batches = (
  iterator: AsyncIterator<JsMsg>,
  max: number,
  last: (m: JsMsg) => boolean = () => false,
) => {
  let carried: Promise<IteratorResult<JsMsg>> | undefined
  const state = { done: false }
  const next = async (): Promise<Array<JsMsg>> => {
    const out: Array<JsMsg> = []
    if (state.done) return out
    let result: IteratorResult<JsMsg> | typeof LATER = await (carried ?? iterator.next())
    carried = undefined
    while (result !== LATER) {
      if (result.done === true) {
        state.done = true
        break
      }
      out.push(result.value)
      if (last(result.value)) {
        state.done = true
        break
      }
      if (out.length >= max) break
      const pending = iterator.next()
      result = await Promise.race([pending, later()])
      if (result === LATER) carried = pending
    }
    return out
  }
  return { next, state }
}

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

const text = new TextDecoder()
const bytes = new TextEncoder()

const secret = (s: Secret | undefined): string | undefined =>
  s === undefined ? undefined : Redacted.isRedacted(s) ? Redacted.value(s) : s

/** The settings the log relies on; any other stream setting is left to the operator. */
const desiredConfig = (
  name: string,
  prefix: string,
  maxMessageBytes: number,
  duplicateWindow: Duration.Duration,
  replicas: number,
) =>
  ({
    name,
    subjects: [`${prefix}.events.>`],
    storage: "file",
    retention: "limits",
    discard: "new",
    deny_delete: true,
    deny_purge: true,
    allow_direct: true,
    max_msg_size: maxMessageBytes,
    duplicate_window: nanos(Duration.toMillis(duplicateWindow)),
    max_age: 0,
    max_msgs: -1,
    max_bytes: -1,
    max_msgs_per_subject: -1,
    num_replicas: replicas,
  }) satisfies Partial<StreamConfig>

const mismatches = (config: StreamConfig, prefix: string): Array<string> => {
  const problems: Array<string> = []
  const want = <K extends keyof StreamConfig>(key: K, value: StreamConfig[K], why: string) => {
    if (config[key] !== value)
      problems.push(
        `${key} is ${JSON.stringify(config[key])}, needs ${JSON.stringify(value)} (${why})`,
      )
  }
  if (!config.subjects?.includes(`${prefix}.events.>`))
    problems.push(`subjects ${JSON.stringify(config.subjects)} do not include ${prefix}.events.>`)
  want("storage", "file", "events must survive a restart")
  want("retention", "limits", "events are never consumed away")
  want("discard", "new", "a full stream must refuse appends, not drop history")
  want("deny_delete", true, "history is append-only")
  want("deny_purge", true, "history is append-only")
  want("allow_direct", true, "heads are read with direct gets")
  if (config.max_age !== 0)
    problems.push(`max_age is ${config.max_age}, needs 0 (events never expire)`)
  if (config.max_msgs_per_subject > 0)
    problems.push(
      `max_msgs_per_subject is ${config.max_msgs_per_subject}, needs -1 (a negotiation keeps all its commits)`,
    )
  return problems
}

/**
 * Connects to the servers of `options` with their credentials and TLS
 * settings; the connection is drained (then closed) when the scope closes.
 * The event log and the state feed open their connections with it.
 */
export const connectScoped = (
  options: NatsOptions,
): Effect.Effect<NatsConnection, StoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const servers = typeof options.servers === "string" ? [options.servers] : [...options.servers]
    const where = servers.join(",")
    const timeout = Duration.toMillis(options.timeout ?? "5 seconds")
    const authenticator =
      options.credsFile !== undefined
        ? credsAuthenticator(
            yield* Effect.tryPromise({
              try: () => readFile(options.credsFile ?? ""),
              catch: (e) =>
                new StoreError({ operation: `read ${options.credsFile}`, problem: describe(e) }),
            }),
          )
        : options.nkeySeed !== undefined
          ? nkeyAuthenticator(bytes.encode(secret(options.nkeySeed)))
          : undefined
    const tls = options.tls
    const connection: ConnectionOptions = {
      servers,
      noAsyncTraces: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout,
      name: options.name ?? "parley",
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.password === undefined ? {} : { pass: secret(options.password) ?? "" }),
      ...(options.token === undefined ? {} : { token: secret(options.token) ?? "" }),
      ...(authenticator === undefined ? {} : { authenticator }),
      ...(tls === undefined
        ? {}
        : {
            tls: {
              ...(tls.caFile === undefined ? {} : { caFile: tls.caFile }),
              ...(tls.certFile === undefined ? {} : { certFile: tls.certFile }),
              ...(tls.keyFile === undefined ? {} : { keyFile: tls.keyFile }),
            },
          }),
    }
    return yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => connect(connection),
        catch: (e) =>
          e instanceof natsErrors.AuthorizationError
            ? new PermissionDenied({ operation: `connect to ${where}`, problem: describe(e) })
            : new StoreUnreachable({ operation: "connect", servers: where, problem: describe(e) }),
      }),
      (nc) =>
        Effect.tryPromise(() => nc.drain()).pipe(
          Effect.timeout("5 seconds"),
          Effect.ignore,
          Effect.zipRight(Effect.promise(() => nc.close().catch(() => undefined))),
        ),
    )
  })

/**
 * Opens the NATS event log: connects (drained when the scope closes), creates
 * or verifies the stream, and returns the {@link EventStore} service.
 */
export const make = (
  options: NatsOptions,
): Effect.Effect<EventStoreService, StoreError | StreamMismatch, Scope.Scope> =>
  Effect.gen(function* () {
    const servers = typeof options.servers === "string" ? [options.servers] : [...options.servers]
    const where = servers.join(",")
    const prefix = options.prefix ?? "parley"
    if (!Schema.is(Token)(prefix))
      return yield* new StoreError({
        operation: "configure NATS",
        problem: `prefix ${JSON.stringify(prefix)} is not a token (letters, digits, '_' or '-')`,
      })
    const stream = options.stream ?? streamName(prefix)
    const timeout = Duration.toMillis(options.timeout ?? "5 seconds")
    const tryNats = <A>(operation: string, f: () => Promise<A>) =>
      Effect.tryPromise({ try: f, catch: classify(operation, where) })

    const nc = yield* connectScoped(options)
    const jsm: JetStreamManager = yield* tryNats("open JetStream", () =>
      jetstreamManager(nc, { timeout }),
    )
    const js: JetStreamClient = jetstream(nc, { timeout })

    // The stream: created if missing, verified (never changed) if present.
    const desired = desiredConfig(
      stream,
      prefix,
      options.maxMessageBytes ?? 1_000_000,
      Duration.decode(options.duplicateWindow ?? "2 minutes"),
      options.replicas ?? 1,
    )
    const info: StreamInfo = yield* tryNats(`create stream ${stream}`, async () => {
      try {
        return await jsm.streams.info(stream)
      } catch (e) {
        if (!isApiError(e, STREAM_NOT_FOUND) || options.createStream === false) throw e
        try {
          return await jsm.streams.add(desired)
        } catch (e) {
          if (isApiError(e, STREAM_NAME_IN_USE)) return await jsm.streams.info(stream)
          throw e
        }
      }
    })
    const problems = mismatches(info.config, prefix)
    if (problems.length > 0) return yield* new StreamMismatch({ stream, problems })
    const limit = Math.min(
      info.config.max_msg_size > 0 ? info.config.max_msg_size : Number.POSITIVE_INFINITY,
      nc.info?.max_payload ?? Number.POSITIVE_INFINITY,
    )

    const location = (seq: number) => `stream ${stream} sequence ${seq}`
    const idOfSubject = (subject: string) => subject.slice(prefix.length + ".events.".length)

    /** Decodes one commit, checking that it belongs where it is stored. */
    const decodeCommit = (
      data: Uint8Array,
      seq: number,
      subject: string,
    ): Either.Either<ReadonlyArray<EventEnvelope>, CorruptEvent> => {
      let value: unknown
      try {
        value = JSON.parse(text.decode(data))
      } catch (e) {
        return Either.left(
          new CorruptEvent({ location: location(seq), problem: `not JSON (${describe(e)})` }),
        )
      }
      if (!Array.isArray(value) || value.length === 0)
        return Either.left(
          new CorruptEvent({
            location: location(seq),
            problem: "a commit must be a non-empty JSON array of envelopes",
          }),
        )
      const negotiationId = idOfSubject(subject)
      const envelopes: Array<EventEnvelope> = []
      for (let i = 0; i < value.length; i++) {
        const where = value.length === 1 ? location(seq) : `${location(seq)} event ${i + 1}`
        const decoded = fromJson(value[i], where)
        if (Either.isLeft(decoded)) return Either.left(decoded.left)
        const e = decoded.right
        const previous = envelopes[i - 1]
        if (e.negotiationId !== negotiationId)
          return Either.left(
            new CorruptEvent({
              location: where,
              version: e.version,
              problem: `an event of negotiation "${e.negotiationId}" stored under ${subject}`,
            }),
          )
        if (previous !== undefined && e.version !== previous.version + 1)
          return Either.left(
            new CorruptEvent({
              location: where,
              version: e.version,
              problem: `the commit jumps from version ${previous.version} to ${e.version}`,
            }),
          )
        envelopes.push(e)
      }
      return Either.right(envelopes)
    }

    const heads = new Map<NegotiationId, Head>()

    /** Reads one stored commit with a direct get. */
    const getCommit = (operation: string, query: DirectMsgRequest) =>
      tryNats(operation, () => jsm.direct.getMessage(stream, query)).pipe(
        Effect.flatMap((m) =>
          m === null
            ? Effect.succeed(undefined)
            : Effect.map(decodeCommit(m.data, m.seq, m.subject), (envelopes) => ({
                seq: m.seq,
                envelopes,
              })),
        ),
      )

    /** The negotiation's head, from the server; refreshes the cache. */
    const fetchHead = (id: NegotiationId) =>
      getCommit(`read the head of ${id}`, { last_by_subj: subjectOf(prefix, id) }).pipe(
        Effect.map((commit): Head => {
          const last = commit?.envelopes[commit.envelopes.length - 1]
          const head =
            commit === undefined || last === undefined
              ? EMPTY
              : { seq: commit.seq, version: last.version, envelopes: commit.envelopes }
          heads.set(id, head)
          return head
        }),
      )

    const asStoreError = (operation: string) => (e: CorruptEvent | StoreError) =>
      e._tag === "CorruptEvent" ? new StoreError({ operation, problem: e.message }) : e

    const conflict = (id: NegotiationId, expected: ExpectedVersion, actual: number) =>
      new VersionConflict({
        negotiationId: id,
        expected:
          expected._tag === "Exact"
            ? `version ${expected.version}`
            : expected._tag === "NoStream"
              ? "no stream"
              : "any",
        actual,
      })

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
          const ack = await js.publish(subjectOf(prefix, id), "[]", {
            msgID,
            expect: { lastSubjectSequence: Number.MAX_SAFE_INTEGER },
          })
          return ack.duplicate ? ack.seq : undefined
        } catch (e) {
          if (isApiError(e, WRONG_LAST_SEQUENCE)) return undefined
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

    const append = (
      id: NegotiationId,
      events: ReadonlyArray<PendingEvent>,
      expected: ExpectedVersion,
      attempt: number,
    ): Effect.Effect<AppendResult, VersionConflict | StoreError> =>
      Effect.gen(function* () {
        // A first append expecting an empty log needs no head: publishing with
        // last sequence 0 lets the server check it (a conflict refetches).
        const cached =
          attempt === 0
            ? (heads.get(id) ??
              (expected._tag === "NoStream" || (expected._tag === "Exact" && expected.version === 0)
                ? EMPTY
                : undefined))
            : undefined
        const head =
          cached ?? (yield* fetchHead(id).pipe(Effect.mapError(asStoreError(`append to ${id}`))))
        const plan = planAppend(id, idsOf(head), events, expected)
        const msgID = commitId(id, events)
        switch (plan._tag) {
          case "Conflict": {
            if (cached !== undefined) return yield* append(id, events, expected, attempt + 1)
            const stored =
              events.length === 0 ? undefined : yield* probeDuplicate(id, events, expected, msgID)
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
          case "Write": {
            const last = plan.envelopes[plan.envelopes.length - 1]
            if (last === undefined)
              return { envelopes: [], version: head.version, duplicate: false }
            const payload = bytes.encode(JSON.stringify(plan.envelopes))
            if (payload.length > limit)
              return yield* new EventTooLarge({ negotiationId: id, bytes: payload.length, limit })
            const ack = yield* Effect.tryPromise({
              try: async () => {
                try {
                  return await js.publish(subjectOf(prefix, id), payload, {
                    msgID,
                    expect: { lastSubjectSequence: head.seq },
                  })
                } catch (e) {
                  if (isApiError(e, WRONG_LAST_SEQUENCE)) return "conflict" as const
                  throw e
                }
              },
              catch: (e) =>
                isApiError(e, MESSAGE_TOO_LARGE)
                  ? new EventTooLarge({ negotiationId: id, bytes: payload.length, limit })
                  : classify(`append to ${id}`, where)(e),
            })
            if (ack === "conflict") {
              heads.delete(id)
              if (attempt >= 10)
                return yield* new StoreError({
                  operation: `append to ${id}`,
                  problem: "the log kept moving; gave up after 10 attempts",
                })
              return yield* append(id, events, expected, attempt + 1)
            }
            if (ack.duplicate) {
              const commit = yield* getCommit(`read the commit of ${id}`, { seq: ack.seq }).pipe(
                Effect.mapError(asStoreError(`append to ${id}`)),
              )
              const fresh = yield* fetchHead(id).pipe(
                Effect.mapError(asStoreError(`append to ${id}`)),
              )
              return {
                envelopes: commit?.envelopes ?? [],
                version: fresh.version,
                duplicate: true,
              }
            }
            heads.set(id, { seq: ack.seq, version: last.version, envelopes: plan.envelopes })
            return { envelopes: plan.envelopes, version: last.version, duplicate: false }
          }
        }
      })

    /**
     * The commits on `filter` from stream sequence `start`, through an ordered
     * consumer pulled in batches (the iterator pulls more only as the stream
     * is read). Ends after the commit at `stop`, or never.
     */
    const commits = (filter: string, start: number, stop: number | undefined) =>
      consume<readonly [number, ReadonlyArray<EventEnvelope>]>(filter, start, stop, (m, out) => {
        const decoded = decodeCommit(m.data, m.seq, m.subject)
        if (Either.isLeft(decoded)) return decoded.left
        out.push([m.seq, decoded.right])
        return undefined
      })

    /** The messages on `filter` from stream sequence `start`, each read by `readMessage`. */
    const consume = <A>(
      filter: string,
      start: number,
      stop: number | undefined,
      /** Reads one message into `out` (zero, one or many items), or says why it cannot. */
      readMessage: (m: JsMsg, out: Array<A>) => CorruptEvent | undefined,
    ) =>
      Stream.unwrapScoped(
        Effect.gen(function* () {
          const consumer = yield* Effect.acquireRelease(
            tryNats(`read ${filter}`, () =>
              js.consumers.get(stream, { filter_subjects: filter, opt_start_seq: start }),
            ),
            (c) =>
              Effect.ignore(
                Effect.timeout(
                  Effect.tryPromise(() => c.delete()),
                  "2 seconds",
                ),
              ),
          )
          const messages = yield* Effect.acquireRelease(
            tryNats(`read ${filter}`, () => consumer.consume({ max_messages: 1000 })),
            (m) => Effect.sync(() => m.stop()),
          )
          const reader = batches(
            messages[Symbol.asyncIterator](),
            1000,
            (m) => stop !== undefined && m.seq >= stop,
          )
          const batch = tryNats(`read ${filter}`, reader.next)
          const pull: Effect.Effect<
            Chunk.Chunk<A>,
            Option.Option<CorruptEvent | StoreError>
          > = Effect.suspend(() =>
            reader.state.done
              ? Effect.fail(Option.none())
              : Effect.flatMap(Effect.mapError(batch, Option.some), (msgs) => {
                  const out: Array<A> = []
                  for (const m of msgs) {
                    const problem = readMessage(m, out)
                    if (problem !== undefined) return Effect.fail(Option.some(problem))
                  }
                  return out.length === 0 && reader.state.done
                    ? Effect.fail(Option.none())
                    : Effect.succeed(Chunk.unsafeFromArray(out))
                }),
          )
          return Stream.repeatEffectChunkOption(pull)
        }),
      )

    const read: EventStoreService["read"] = (negotiationId, range = {}) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const id = yield* validateNegotiationId(negotiationId)
          const head = yield* fetchHead(id)
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
          return consume<EventEnvelope>(subjectOf(prefix, id), 1, head.seq, (m, out) => {
            const decoded = decodeCommit(m.data, m.seq, m.subject)
            if (Either.isLeft(decoded)) return decoded.left
            for (const e of decoded.right) if (e.version >= from) out.push(e)
            return undefined
          }).pipe(Stream.takeWhile((e) => e.version <= to))
        }),
      )

    const list = Effect.gen(function* () {
      const info = yield* tryNats("list negotiations", () =>
        jsm.streams.info(stream, { subjects_filter: `${prefix}.events.>` }),
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
        .map(([, subject]) => idOfSubject(subject) as NegotiationId)
    })

    const subscribe: EventStoreService["subscribe"] = (selector, fromVersion = 1) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const selected = yield* validateSelector(selector)
          const filter = selected === All ? `${prefix}.events.>` : subjectOf(prefix, selected)
          let next = 1
          if (selected !== All && fromVersion > 1) {
            const head = yield* fetchHead(selected)
            const first = head.envelopes[0]?.version ?? 1
            if (fromVersion > head.version) next = head.seq + 1
            else if (fromVersion >= first) next = head.seq
          }
          /** The last version delivered per negotiation: a redelivery is dropped, never repeated. */
          const delivered = new Map<string, number>()
          return Stream.suspend(() => commits(filter, next, undefined)).pipe(
            Stream.tap(([seq]) =>
              Effect.sync(() => {
                next = seq + 1
              }),
            ),
            // A lost connection or a restarted server ends the consumer: resume after the last commit seen.
            Stream.retry(
              Schedule.exponential("100 millis").pipe(
                Schedule.union(Schedule.spaced("2 seconds")),
                Schedule.whileInput((e: CorruptEvent | StoreError) => e._tag !== "CorruptEvent"),
              ),
            ),
            Stream.mapConcat(([, envelopes]) =>
              envelopes.filter((e) => {
                if (e.version < fromVersion || e.version <= (delivered.get(e.negotiationId) ?? 0))
                  return false
                delivered.set(e.negotiationId, e.version)
                return true
              }),
            ),
          )
        }),
      )

    /** One stored message as a log entry: its commit, or why it cannot be read. */
    const entryOf = (m: JsMsg, out: Array<LogEntry>): undefined => {
      const decoded = decodeCommit(m.data, m.seq, m.subject)
      out.push(
        Either.isRight(decoded)
          ? { _tag: "Commit", position: m.seq, envelopes: decoded.right }
          : {
              _tag: "Unreadable",
              position: m.seq,
              negotiationId: idOfSubject(m.subject),
              error: decoded.left,
            },
      )
      return undefined
    }

    const readLog: NonNullable<EventStoreService["readLog"]> = (negotiationId) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const id = yield* validateNegotiationId(negotiationId)
          const subject = subjectOf(prefix, id)
          // The last sequence, read raw: the last commit itself may be the unreadable one.
          const last = yield* tryNats(`read ${subject}`, () =>
            jsm.direct.getMessage(stream, { last_by_subj: subject }),
          )
          return last === null ? Stream.empty : consume(subject, 1, last.seq, entryOf)
        }),
      ).pipe(Stream.mapError((e) => (e._tag === "CorruptEvent" ? asStoreError("read")(e) : e)))

    /**
     * The log from `fromPosition` on through one ordered consumer over every
     * negotiation's subject, message by message (no batching that could wait
     * for messages not yet written); after a lost connection or an ended
     * consumer it resumes after the last commit delivered.
     */
    const subscribeLog: NonNullable<EventStoreService["subscribeLog"]> = (fromPosition = 1) =>
      Stream.suspend(() => {
        let next = Math.max(1, fromPosition)
        const entry = (m: JsMsg): LogEntry => {
          next = m.seq + 1
          const decoded = decodeCommit(m.data, m.seq, m.subject)
          return Either.isRight(decoded)
            ? { _tag: "Commit", position: m.seq, envelopes: decoded.right }
            : {
                _tag: "Unreadable",
                position: m.seq,
                negotiationId: idOfSubject(m.subject),
                error: decoded.left,
              }
        }
        const operation = "follow the log"
        const once = Stream.unwrapScoped(
          Effect.gen(function* () {
            const consumer = yield* Effect.acquireRelease(
              tryNats(operation, () =>
                js.consumers.get(stream, {
                  filter_subjects: `${prefix}.events.>`,
                  opt_start_seq: next,
                }),
              ),
              (c) =>
                Effect.ignore(
                  Effect.timeout(
                    Effect.tryPromise(() => c.delete()),
                    "2 seconds",
                  ),
                ),
            )
            const messages = yield* Effect.acquireRelease(
              tryNats(operation, () => consumer.consume({ max_messages: 1000 })),
              (m) => Effect.sync(() => m.stop()),
            )
            // Not Stream.fromAsyncIterable: its release awaits iterator.return(), which
            // waits on a pending next(); stop() (the release above) ends it instead.
            const reader = batches(messages[Symbol.asyncIterator](), 1000)
            return Stream.repeatEffectChunkOption(
              Effect.flatMap(
                Effect.mapError(tryNats(operation, reader.next), Option.some),
                (msgs) =>
                  msgs.length === 0 && reader.state.done
                    ? Effect.fail(Option.none())
                    : Effect.succeed(Chunk.unsafeFromArray(msgs)),
              ),
            ).pipe(
              Stream.map(entry),
              Stream.concat(
                Stream.fail(new StoreError({ operation, problem: "the consumer ended" })),
              ),
            )
          }),
        )
        return once.pipe(
          Stream.retry(
            Schedule.exponential("100 millis").pipe(Schedule.union(Schedule.spaced("2 seconds"))),
          ),
        )
      })

    return EventStore.of({
      subscribeLog,
      readLog,
      append: (negotiationId, events, expected) =>
        Effect.flatMap(validateNegotiationId(negotiationId), (id) =>
          append(id, events, expected, 0),
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

/** A layer providing the NATS {@link EventStore}; the connection is drained when the layer is released. */
export const layer = (options: NatsOptions): Layer.Layer<EventStore, StoreError | StreamMismatch> =>
  Layer.scoped(EventStore, make(options))

/**
 * Everything but the server URL, from the environment (all optional):
 * `PARLEY_NATS_PREFIX`, `PARLEY_NATS_USER`, `PARLEY_NATS_PASSWORD`,
 * `PARLEY_NATS_TOKEN`, `PARLEY_NATS_NKEY_SEED`, `PARLEY_NATS_CREDS`,
 * `PARLEY_NATS_TLS_CA`, `PARLEY_NATS_TLS_CERT`, `PARLEY_NATS_TLS_KEY`.
 */
export const connectionConfig: Config.Config<Omit<NatsOptions, "servers">> = Config.all({
  prefix: Config.option(Config.string("PARLEY_NATS_PREFIX")),
  user: Config.option(Config.string("PARLEY_NATS_USER")),
  password: Config.option(Config.redacted("PARLEY_NATS_PASSWORD")),
  token: Config.option(Config.redacted("PARLEY_NATS_TOKEN")),
  nkeySeed: Config.option(Config.redacted("PARLEY_NATS_NKEY_SEED")),
  credsFile: Config.option(Config.string("PARLEY_NATS_CREDS")),
  caFile: Config.option(Config.string("PARLEY_NATS_TLS_CA")),
  certFile: Config.option(Config.string("PARLEY_NATS_TLS_CERT")),
  keyFile: Config.option(Config.string("PARLEY_NATS_TLS_KEY")),
}).pipe(
  Config.map((c) => {
    const tls = {
      caFile: Option.getOrUndefined(c.caFile),
      certFile: Option.getOrUndefined(c.certFile),
      keyFile: Option.getOrUndefined(c.keyFile),
    }
    return {
      prefix: Option.getOrUndefined(c.prefix),
      user: Option.getOrUndefined(c.user),
      password: Option.getOrUndefined(c.password),
      token: Option.getOrUndefined(c.token),
      nkeySeed: Option.getOrUndefined(c.nkeySeed),
      credsFile: Option.getOrUndefined(c.credsFile),
      tls: Object.values(tls).some((v) => v !== undefined) ? tls : undefined,
    }
  }),
)

/** The whole configuration from the environment: `PARLEY_NATS_URL` and {@link connectionConfig}. */
export const config: Config.Config<NatsOptions> = Config.map(
  Config.all([Config.string("PARLEY_NATS_URL"), connectionConfig]),
  ([servers, rest]) => ({ ...rest, servers }),
)

/** {@link layer} configured from the environment ({@link config}). */
export const layerConfig: Layer.Layer<
  EventStore,
  StoreError | StreamMismatch | ConfigError.ConfigError
> = Layer.unwrapEffect(Effect.map(config, layer))

/** {@link layer} for the given servers, with credentials and prefix from the environment. */
export const layerAt = (
  servers: string,
): Layer.Layer<EventStore, StoreError | StreamMismatch | ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(connectionConfig, (rest) => layer({ ...rest, servers })))
