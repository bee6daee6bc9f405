/**
 * Commits on the wire. One message per append: the JSON array of the
 * envelopes it appended, on the subject of its negotiation,
 * `<prefix>.events.<negotiationId>` (see `nats/Layout.ts`), with a message id derived from the event
 * ids so that a retry is deduplicated by the server.
 *
 * @since 0.1.0
 */
import { hash } from "node:crypto"
import { Either } from "effect"
import type { EventEnvelope, PendingEvent } from "../../domain/Event.ts"
import { chainAfter, chainStart } from "../../domain/Log.ts"
import { type NatsLayout, negotiationOfEventSubject } from "../../nats/Layout.ts"
import { fromJson, parse, storedWithin } from "../Codec.ts"
import { CorruptEvent, type LogEntry } from "../EventStore.ts"
import { defaultLimits, EXCERPT, excerpt, type Limits } from "../Limits.ts"

/** The message id of a commit: a digest of where it goes and of its event ids. */
export const commitId = (negotiationId: string, events: ReadonlyArray<PendingEvent>): string => {
  // One-shot digest: no Hash object per append (a third of the cost of createHash here).
  let text = negotiationId
  for (const e of events) text += `\n${e.eventId}`
  return hash("sha256", text, "base64url").slice(0, 32)
}

/**
 * Whether a stored commit is `planned`: the same event ids, at the same
 * versions unless `anyVersion` (the retry of an append expecting any version
 * finds its events wherever they landed). Stored ids are checked against
 * their content on read, and an id covers its event's version, so the same
 * ids are the same events.
 */
export const sameCommit = (
  stored: ReadonlyArray<EventEnvelope>,
  planned: ReadonlyArray<EventEnvelope>,
  anyVersion: boolean,
): boolean =>
  stored.length === planned.length &&
  stored.every(
    (e, i) =>
      e.eventId === planned[i]?.eventId && (anyVersion || e.version === planned[i]?.version),
  )

/** A commit's events in words, for errors: ids at versions (at most 4, then how many more). */
export const describeCommit = (envelopes: ReadonlyArray<EventEnvelope>): string => {
  const shown = envelopes
    .slice(0, 4)
    .map((e) => `${JSON.stringify(e.eventId)} at version ${e.version}`)
  const more = envelopes.length - shown.length
  return `${envelopes.length === 1 ? "event" : "events"} ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`
}

const text = new TextDecoder()
const bytes = new TextEncoder()

/** A commit as stored: the JSON array of its envelopes. */
export const encode = (envelopes: ReadonlyArray<EventEnvelope>): Uint8Array =>
  bytes.encode(JSON.stringify(envelopes))

/** A stored message as the codec reads it (a `JsMsg` or a direct get's `StoredMsg`). */
export interface Stored {
  readonly seq: number
  readonly subject: string
  readonly data: Uint8Array
  /** A consumed message's headers (`JsMsg`). */
  readonly headers?: { readonly get: (key: string) => string } | undefined
  /** A directly read message's headers (`StoredMsg`). */
  readonly header?: { readonly get: (key: string) => string } | undefined
}

/**
 * The header in which each commit carries the chain digest of its
 * negotiation's history before it (see `chainAfter` in `domain/Log.ts`):
 * kept out of the payload, so the commit's bytes are the envelopes alone,
 * as they were before commits were chained.
 */
export const CHAIN_HEADER = "Parley-Chain"

/** The chain digest a stored commit carries, if any. */
export const chainOf = (m: Stored): string | undefined => {
  const carried = (m.headers ?? m.header)?.get(CHAIN_HEADER)
  return carried === undefined || carried === "" ? undefined : carried
}

/** Where one negotiation's chain stands after the last commit read. */
interface ChainState {
  readonly after: string
  readonly chained: boolean
  readonly seq: number
  readonly version: number
}

/**
 * Follows each negotiation's chain through the commits of one read, in
 * stream order: a commit must carry the chain after the commit before it
 * (or, at version 1, the chain's start). A read that starts mid-log takes
 * the first commit it meets of each negotiation on trust. A commit without
 * a digest is accepted before any chained one (a log written before
 * commits were chained), never after.
 */
export const chainChecker = (stream: string) => {
  const state = new Map<string, ChainState>()
  return (m: Stored, envelopes: ReadonlyArray<EventEnvelope>): CorruptEvent | undefined => {
    const first = envelopes[0]
    const last = envelopes[envelopes.length - 1]
    if (first === undefined || last === undefined) return undefined
    const id = first.negotiationId
    const carried = chainOf(m)
    const before = state.get(id)
    const expected = before?.after ?? (first.version === 1 ? chainStart(id) : undefined)
    const span =
      first === last ? `version ${first.version}` : `versions ${first.version}-${last.version}`
    const after =
      before === undefined
        ? "the chain's start"
        : `the commit before it (version ${before.version}, sequence ${before.seq})`
    const problem =
      carried !== undefined && expected !== undefined && carried !== expected
        ? `negotiation "${id}" ${span}: the commit carries chain digest ${JSON.stringify(carried)}, but ${after} chains to ${JSON.stringify(expected)}: a commit before it was edited, removed or reordered, or this one was not written after it`
        : carried === undefined && before?.chained === true
          ? `negotiation "${id}" ${span}: the commit carries no chain digest, after chained commits (the last at sequence ${before.seq}): not written by this parley's writer`
          : undefined
    if (problem !== undefined)
      return new CorruptEvent({
        location: `stream ${stream} sequence ${m.seq}`,
        version: first.version,
        negotiationId: id,
        problem,
      })
    state.set(id, {
      after: chainAfter(carried ?? "", envelopes),
      chained: carried !== undefined,
      seq: m.seq,
      version: last.version,
    })
    return undefined
  }
}

/** Reads the commits of one stream under one prefix. */
export interface CommitCodec {
  /** The negotiation id of a commit subject. */
  readonly idOfSubject: (subject: string) => string
  /** Decodes one commit, checking that it belongs where it is stored. */
  readonly decode: (m: Stored) => Either.Either<ReadonlyArray<EventEnvelope>, CorruptEvent>
  /** One stored message as a log entry: its commit, or why it cannot be read. */
  readonly entryOf: (m: Stored) => LogEntry
}

/**
 * The codec of the commits of `stream`, on the event subjects of `layout`:
 * each commit checked against `limits` before it is parsed, and each event's
 * id against its content.
 */
export const make = (
  stream: string,
  layout: NatsLayout,
  limits: Limits = defaultLimits,
): CommitCodec => {
  const location = (seq: number) => `stream ${stream} sequence ${seq}`
  const idOfSubject = (subject: string) => negotiationOfEventSubject(layout, subject)
  const options = storedWithin(limits)

  const decode = (m: Stored): Either.Either<ReadonlyArray<EventEnvelope>, CorruptEvent> => {
    // A payload over the limit is not even decoded to text.
    if (m.data.length > limits.maxBytes)
      return Either.left(
        new CorruptEvent({
          location: location(m.seq),
          problem: `refused unparsed: ${m.data.length} bytes, over the limit of ${limits.maxBytes} (starts ${excerpt(
            text.decode(m.data.subarray(0, EXCERPT * 4)),
          )})`,
        }),
      )
    const parsed = parse(text.decode(m.data), location(m.seq), limits)
    if (Either.isLeft(parsed)) return Either.left(parsed.left)
    const value = parsed.right
    if (!Array.isArray(value) || value.length === 0)
      return Either.left(
        new CorruptEvent({
          location: location(m.seq),
          problem: "a commit must be a non-empty JSON array of envelopes",
        }),
      )
    const negotiationId = idOfSubject(m.subject)
    const envelopes: Array<EventEnvelope> = []
    for (let i = 0; i < value.length; i++) {
      const where = value.length === 1 ? location(m.seq) : `${location(m.seq)} event ${i + 1}`
      const decoded = fromJson(value[i], where, options)
      if (Either.isLeft(decoded)) return Either.left(decoded.left)
      const e = decoded.right
      const previous = envelopes[i - 1]
      if (e.negotiationId !== negotiationId)
        return Either.left(
          new CorruptEvent({
            location: where,
            version: e.version,
            problem: `an event of negotiation "${e.negotiationId}" stored under ${m.subject}`,
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

  const entryOf = (m: Stored): LogEntry =>
    Either.match(decode(m), {
      onRight: (envelopes): LogEntry => ({ _tag: "Commit", position: m.seq, envelopes }),
      onLeft: (error): LogEntry => ({
        _tag: "Unreadable",
        position: m.seq,
        negotiationId: idOfSubject(m.subject),
        error,
      }),
    })

  return { idOfSubject, decode, entryOf }
}
