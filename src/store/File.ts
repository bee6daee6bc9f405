/**
 * The JSONL file event log: one envelope per line, appended, never rewritten.
 *
 * Opening the file reads it once to index each negotiation's version and
 * event ids; a line in the middle that does not decode stops the open with an
 * error naming the line, and an unterminated last line (a write torn by a
 * crash) is cut off so that the intact prefix is kept. A batch of events is
 * written with one `write`, after the expected version is checked under a
 * lock. One process at a time may write a file; share a log between processes
 * through NATS.
 *
 * @since 0.1.0
 */
import { promises as fs } from "node:fs"
import { dirname } from "node:path"
import { Effect, Either, Layer, Stream } from "effect"
import type { NegotiationId } from "../domain/Ids.ts"
import { decode, encode } from "./Codec.ts"
import {
  CorruptEvent,
  EventStore,
  type EventStoreService,
  planAppend,
  StoreError,
} from "./EventStore.ts"
import * as Jsonl from "./Jsonl.ts"

const ioError = (operation: string) => (e: unknown) =>
  new StoreError({ operation, problem: e instanceof Error ? e.message : String(e) })

interface Index {
  readonly ids: Map<NegotiationId, Array<string>>
  /** Bytes of the intact prefix. */
  size: number
  /** The unterminated last line that was cut off, if any. */
  readonly torn: number | undefined
}

const buildIndex = (path: string) =>
  Effect.tryPromise({
    try: async (): Promise<Either.Either<Index, CorruptEvent>> => {
      const ids = new Map<NegotiationId, Array<string>>()
      let torn: number | undefined
      let tornBytes = 0
      const stat = await fs.stat(path).catch(() => undefined)
      if (stat === undefined) return Either.right({ ids, size: 0, torn })
      for await (const batch of Jsonl.lines(path)) {
        for (const line of batch) {
          const decoded = decode(line.text, `${path}:${line.number}`)
          if (Either.isLeft(decoded)) {
            if (!line.terminated) {
              torn = line.number
              tornBytes = Buffer.byteLength(line.text)
              continue
            }
            return Either.left(decoded.left)
          }
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
      return Either.right({ ids, size: stat.size - tornBytes, torn })
    },
    catch: ioError(`open ${path}`),
  }).pipe(Effect.flatten)

/**
 * Opens (or creates) a JSONL event log at `path`.
 * Fails with {@link CorruptEvent} naming the line when the file holds a bad event.
 */
export const make = (path: string): Effect.Effect<EventStoreService, CorruptEvent | StoreError> =>
  Effect.gen(function* () {
    yield* Effect.tryPromise({
      try: () => fs.mkdir(dirname(path), { recursive: true }),
      catch: ioError(`create the folder of ${path}`),
    })
    const index = yield* buildIndex(path)
    if (index.torn !== undefined) {
      yield* Effect.tryPromise({
        try: () => fs.truncate(path, index.size),
        catch: ioError(`truncate ${path}`),
      })
      yield* Effect.logWarning(
        `${path}:${index.torn}: cut off a torn last line; the intact prefix is kept`,
      )
    }
    const lock = yield* Effect.makeSemaphore(1)

    const read: EventStoreService["read"] = (negotiationId, range = {}) => {
      const from = range.from ?? 1
      const to = range.to ?? Number.POSITIVE_INFINITY
      return Stream.suspend(() =>
        index.ids.has(negotiationId) ? Jsonl.read(path) : Stream.empty,
      ).pipe(
        Stream.filter((e) => e.negotiationId === negotiationId && e.version >= from),
        Stream.takeWhile((e) => e.version <= to),
      )
    }

    return EventStore.of({
      append: (negotiationId, events, expected) =>
        lock.withPermits(1)(
          Effect.gen(function* () {
            const stored = index.ids.get(negotiationId) ?? []
            const plan = planAppend(negotiationId, stored, events, expected)
            if (plan._tag === "Conflict") return yield* plan.error
            if (plan._tag === "Duplicate") {
              // Read back the stored copies so the caller sees exactly what is in the log.
              const copies = yield* read(negotiationId, {
                from: plan.from,
                to: plan.from + events.length - 1,
              }).pipe(
                Stream.runCollect,
                Effect.mapError(
                  (e) => new StoreError({ operation: `read ${path}`, problem: e.message }),
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
            index.size += Buffer.byteLength(text)
            const ids = index.ids.get(negotiationId) ?? []
            for (const e of plan.envelopes) ids.push(e.eventId)
            index.ids.set(negotiationId, ids)
            return { envelopes: plan.envelopes, version: ids.length, duplicate: false }
          }),
        ),
      read,
      version: (negotiationId) => Effect.sync(() => index.ids.get(negotiationId)?.length ?? 0),
      list: Effect.sync(() =>
        [...index.ids.entries()].filter(([, ids]) => ids.length > 0).map(([id]) => id),
      ),
    })
  })

/** A layer providing the JSONL {@link EventStore} at `path`. */
export const layer = (path: string): Layer.Layer<EventStore, CorruptEvent | StoreError> =>
  Layer.effect(EventStore, make(path))
