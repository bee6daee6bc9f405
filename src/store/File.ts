/**
 * The JSONL file event log: one envelope per line, appended, never rewritten.
 *
 * Opening the file reads it once to index each negotiation's version and
 * event ids; a line in the middle that does not decode stops the open with an
 * error naming the line, and an unterminated last line (a write torn by a
 * crash) is cut off so that the intact prefix is kept. A batch of events is
 * written with one `write`, after the expected version is checked under a
 * lock. One process at a time may write a file, enforced by the lock file
 * `<log>.lock` its first append takes (`./Lock.ts`); share a log between
 * processes through NATS. Subscriptions see the events appended through the same store
 * instance.
 *
 * @since 0.1.0
 */
import { promises as fs } from "node:fs"
import { dirname } from "node:path"
import { Effect, Either, Layer, Option, Scope, Stream, SubscriptionRef } from "effect"
import { messageOf } from "../domain/Errors.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import { encode, storedWithin } from "./Codec.ts"
import {
  All,
  CorruptEvent,
  EventStore,
  type EventStoreService,
  type LogEntry,
  make as makeEventStore,
  planAppend,
  StoreError,
  validateNegotiationId,
  validateSelector,
} from "./EventStore.ts"
import * as Jsonl from "./Jsonl.ts"
import type { Limits } from "./Limits.ts"
import * as Lock from "./Lock.ts"

/** Options of the JSONL store. */
export interface FileOptions {
  /** How large and deep one line may be (`defaultLimits` of `./Limits.ts` when absent). */
  readonly limits?: Limits | undefined
}

const ioError = (operation: string) => (e: unknown) =>
  new StoreError({ reason: "Failure", operation, problem: messageOf(e), cause: e })

/** How far the intact log reaches: bytes, and newline-terminated lines. */
interface Extent {
  readonly size: number
  readonly lines: number
}

interface Index extends Extent {
  readonly ids: Map<NegotiationId, Array<string>>
  /** The unterminated last line that does not decode (a torn write), if any. */
  readonly torn: number | undefined
  /** The last line decodes but has no newline yet. */
  readonly unterminated: boolean
}

/** The byte offset just past the last newline before `size` (0 when there is none). */
const endOfLastLine = async (path: string, size: number): Promise<number> => {
  const handle = await fs.open(path, "r")
  try {
    const chunk = Buffer.alloc(64 * 1024)
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - chunk.length)
      const { bytesRead } = await handle.read(chunk, 0, end - start, start)
      const nl = chunk.subarray(0, bytesRead).lastIndexOf(10)
      if (nl !== -1) return start + nl + 1
      end = start
    }
    return 0
  } finally {
    await handle.close()
  }
}

const buildIndex = (path: string, limits: Limits | undefined) =>
  Effect.tryPromise({
    try: async (): Promise<Either.Either<Index, CorruptEvent>> => {
      const ids = new Map<NegotiationId, Array<string>>()
      let torn: number | undefined
      let unterminated = false
      const stat = await fs.stat(path).catch(() => undefined)
      if (stat === undefined) return Either.right({ ids, size: 0, lines: 0, torn, unterminated })
      const options = storedWithin(limits)
      const batches = Jsonl.lines(path, {}, limits?.maxBytes)
      let lines = 0
      for (let next = await batches.next(); ; next = await batches.next()) {
        if (next.done) {
          lines = next.value
          break
        }
        for (const line of next.value) {
          const decoded = Jsonl.decodeLine(path, line, options)
          if (Either.isLeft(decoded)) {
            if (!line.terminated) {
              torn = line.number
              continue
            }
            return Either.left(decoded.left)
          }
          if (!line.terminated) unterminated = true
          const e = decoded.right
          let log = ids.get(e.negotiationId)
          if (log === undefined) {
            log = []
            ids.set(e.negotiationId, log)
          }
          if (e.version !== log.length + 1)
            return Either.left(
              new CorruptEvent({
                location: `${path}:${line.number}`,
                version: e.version,
                problem: `negotiation "${e.negotiationId}" jumps from version ${log.length} to ${e.version}`,
              }),
            )
          log.push(e.eventId)
        }
      }
      const size = torn === undefined ? stat.size : await endOfLastLine(path, stat.size)
      return Either.right({ ids, size, lines, torn, unterminated })
    },
    catch: ioError(`open ${path}`),
  }).pipe(Effect.flatten)

/**
 * Opens (or creates) a JSONL event log at `path`.
 * Fails with {@link CorruptEvent} naming the line when the file holds a bad event.
 */
export const make = (
  path: string,
  options: FileOptions = {},
): Effect.Effect<EventStoreService, CorruptEvent | StoreError> =>
  Effect.gen(function* () {
    yield* Effect.tryPromise({
      try: () => fs.mkdir(dirname(path), { recursive: true }),
      catch: ioError(`create the folder of ${path}`),
    })
    const { limits } = options
    const index = yield* buildIndex(path, limits)
    let extent: Extent = { size: index.size, lines: index.lines }
    if (index.torn !== undefined) {
      yield* Effect.tryPromise({
        try: () => fs.truncate(path, index.size),
        catch: ioError(`truncate ${path}`),
      })
      yield* Effect.logWarning(
        `${path}:${index.torn}: cut off a torn last line; the intact prefix is kept`,
      )
    } else if (index.unterminated) {
      // A complete last line without its newline: end it, or the next append would join it.
      yield* Effect.tryPromise({
        try: () => fs.appendFile(path, "\n"),
        catch: ioError(`append to ${path}`),
      })
      extent = { size: index.size + 1, lines: index.lines + 1 }
    }
    const { ids } = index
    const lock = yield* Effect.makeSemaphore(1)
    /** The extent of the log; subscriptions wake up when it grows. */
    const committed = yield* SubscriptionRef.make(extent)
    const scope = yield* Effect.serviceOption(Scope.Scope)
    const lockPath = `${path}.lock`
    let writer = false
    /**
     * Makes this store the log's one writer before its first append (held
     * until its scope closes, or the process exits); a log another process
     * appended to since it was indexed is indexed again.
     */
    const becomeWriter = Effect.gen(function* () {
      if (writer) return
      const held = yield* Effect.try({
        try: () => Lock.acquire(lockPath),
        catch: ioError(`lock ${path} (${lockPath})`),
      })
      if (held !== undefined)
        return yield* new StoreError({
          reason: "Unavailable",
          operation: `append to ${path}`,
          problem: `another process${held.pid === undefined ? "" : ` (pid ${held.pid})`} is writing it (lock file ${lockPath}); a JSONL log has one writer at a time, share a log between processes through NATS`,
        })
      writer = true
      if (Option.isSome(scope))
        yield* Scope.addFinalizer(
          scope.value,
          Effect.sync(() => Lock.release(lockPath)),
        )
      const size = yield* Effect.tryPromise({
        try: () =>
          fs.stat(path).then(
            (s) => s.size,
            (e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? 0 : Promise.reject(e)),
          ),
        catch: ioError(`stat ${path}`),
      })
      if (size === extent.size) return
      const again = yield* buildIndex(path, limits).pipe(
        Effect.mapError((e) =>
          e._tag === "StoreError"
            ? e
            : new StoreError({
                reason: "Failure",
                operation: `append to ${path}`,
                problem: e.message,
              }),
        ),
      )
      if (again.torn !== undefined || again.unterminated)
        return yield* new StoreError({
          reason: "Failure",
          operation: `append to ${path}`,
          problem: `another process left an unterminated last line (line ${again.torn ?? again.lines + 1}); open the log again`,
        })
      ids.clear()
      for (const [id, log] of again.ids) ids.set(id, log)
      extent = { size: again.size, lines: again.lines }
      yield* SubscriptionRef.set(committed, extent)
    })

    const read: EventStoreService["read"] = (negotiationId, range = {}) => {
      const from = range.from ?? 1
      const to = range.to ?? Number.POSITIVE_INFINITY
      return Stream.unwrap(
        Effect.map(validateNegotiationId(negotiationId), (id) =>
          ids.has(id)
            ? Jsonl.read(path, { end: extent.size }, limits).pipe(
                Stream.filter((e) => e.negotiationId === id && e.version >= from),
                Stream.takeWhile((e) => e.version <= to),
              )
            : Stream.empty,
        ),
      )
    }

    /** What the log holds from `region` on, then what each append adds: one cursor, so nothing is skipped or repeated. */
    const follow = <A, E>(
      readRegion: (region: Jsonl.Region) => Stream.Stream<A, E>,
    ): Stream.Stream<A, E> =>
      Stream.suspend(() => {
        let seen: Extent = { size: 0, lines: 0 }
        return committed.changes.pipe(
          Stream.flatMap(
            (now) => {
              const region = { start: seen.size, end: now.size, linesBefore: seen.lines }
              if (now.size > seen.size) seen = now
              return readRegion(region)
            },
            { concurrency: 1 },
          ),
        )
      })

    const belongsTo = (id: NegotiationId) => (entry: LogEntry) =>
      entry._tag === "Unreadable" || entry.envelopes[0]?.negotiationId === id

    return makeEventStore({
      append: (negotiationId, events, expected) =>
        Effect.flatMap(validateNegotiationId(negotiationId), (id) =>
          lock.withPermits(1)(
            Effect.gen(function* () {
              yield* becomeWriter
              const stored = ids.get(id) ?? []
              const plan = planAppend(id, stored, events, expected)
              if (plan._tag === "Conflict") return yield* plan.error
              if (plan._tag === "Duplicate") {
                // Read back the stored copies so the caller sees exactly what is in the log.
                const copies = yield* read(id, {
                  from: plan.from,
                  to: plan.from + events.length - 1,
                }).pipe(
                  Stream.runCollect,
                  Effect.mapError(
                    (e) =>
                      new StoreError({
                        reason: "Failure",
                        operation: `read ${path}`,
                        problem: e.message,
                      }),
                  ),
                )
                return { envelopes: Array.from(copies), version: stored.length, duplicate: true }
              }
              if (plan.envelopes.length === 0)
                return { envelopes: [], version: stored.length, duplicate: false }
              const text = `${plan.envelopes.map(encode).join("\n")}\n`
              yield* Effect.tryPromise({
                try: () => fs.appendFile(path, text),
                catch: ioError(`append to ${path}`),
              })
              extent = {
                size: extent.size + Buffer.byteLength(text),
                lines: extent.lines + plan.envelopes.length,
              }
              const log = ids.get(id) ?? []
              for (const e of plan.envelopes) log.push(e.eventId)
              ids.set(id, log)
              yield* SubscriptionRef.set(committed, extent)
              return { envelopes: plan.envelopes, version: log.length, duplicate: false }
            }),
          ),
        ),
      read,
      version: (negotiationId) =>
        Effect.map(validateNegotiationId(negotiationId), (id) => ids.get(id)?.length ?? 0),
      list: Effect.sync(() =>
        [...ids.entries()].filter(([, log]) => log.length > 0).map(([id]) => id),
      ),
      subscribe: (selector, fromVersion = 1) =>
        Stream.unwrap(
          Effect.map(validateSelector(selector), (selected) =>
            follow((region) => Jsonl.read(path, region, limits)).pipe(
              Stream.filter(
                (e) =>
                  (selected === All || e.negotiationId === selected) && e.version >= fromVersion,
              ),
            ),
          ),
        ),
      // Positions are line numbers; the open refuses a file with an unreadable line inside.
      readLog: (negotiationId) =>
        Stream.unwrap(
          Effect.map(validateNegotiationId(negotiationId), (id) =>
            ids.has(id)
              ? Jsonl.entries(path, { end: extent.size }, limits).pipe(Stream.filter(belongsTo(id)))
              : Stream.empty,
          ),
        ),
      subscribeLog: (fromPosition = 1) =>
        follow((region) => Jsonl.entries(path, region, limits)).pipe(
          Stream.filter((entry) => entry.position >= fromPosition),
        ),
    })
  })

/** A layer providing the JSONL {@link EventStore} at `path`. */
export const layer = (
  path: string,
  options: FileOptions = {},
): Layer.Layer<EventStore, CorruptEvent | StoreError> =>
  Layer.effect(EventStore, make(path, options))
