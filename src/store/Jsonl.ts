/**
 * Reading JSONL event logs as streams, in constant memory: one envelope per
 * line, each decoded once, each error naming the file and line.
 *
 * @since 0.1.0
 */
import { createReadStream } from "node:fs"
import { Chunk, Effect, Either, Stream } from "effect"
import { messageOf } from "../domain/Errors.ts"
import type { EventEnvelope } from "../domain/Event.ts"
import { decode } from "./Codec.ts"
import { CorruptEvent, type LogEntry, StoreError, unreadable } from "./EventStore.ts"

/** The same error, noting that the line is the last and unterminated. */
const tornLine = (e: CorruptEvent) =>
  new CorruptEvent({
    location: e.location,
    problem: `${e.problem} (the last line has no newline: a torn write?)`,
    ...(e.version === undefined ? {} : { version: e.version }),
  })

/** One non-empty line of a file, with its 1-based number. */
export interface Line {
  readonly number: number
  readonly text: string
  /** Whether the line ended with a newline (a last line without one may be a torn write). */
  readonly terminated: boolean
}

/** Which bytes of a file to read: from `start` (inclusive) to `end` (exclusive). */
export interface Region {
  readonly start?: number | undefined
  readonly end?: number | undefined
  /** How many lines lie before `start`, so that line numbers stay those of the file. */
  readonly linesBefore?: number | undefined
}

/**
 * The lines of a file (or of a region of it that starts at a line boundary),
 * in batches (one per read of the file). Returns the number of the last
 * newline-terminated line.
 */
export async function* lines(
  path: string,
  region: Region = {},
): AsyncGenerator<ReadonlyArray<Line>, number> {
  const start = region.start ?? 0
  if (region.end !== undefined && region.end <= start) return region.linesBefore ?? 0
  let rest = ""
  let number = region.linesBefore ?? 0
  const stream = createReadStream(path, {
    encoding: "utf8",
    highWaterMark: 1 << 20,
    start,
    ...(region.end === undefined ? {} : { end: region.end - 1 }),
  })
  for await (const chunk of stream) {
    const text = rest + (chunk as string)
    const batch: Array<Line> = []
    let start = 0
    for (let nl = text.indexOf("\n", start); nl !== -1; nl = text.indexOf("\n", start)) {
      number++
      const line = text.slice(start, nl)
      if (line.trim() !== "") batch.push({ number, text: line, terminated: true })
      start = nl + 1
    }
    rest = text.slice(start)
    if (batch.length > 0) yield batch
  }
  if (rest.trim() !== "") yield [{ number: number + 1, text: rest, terminated: false }]
  return number
}

const decodeBatch = (path: string, batch: ReadonlyArray<Line>) => {
  const out: Array<EventEnvelope> = []
  for (const line of batch) {
    const decoded = decode(line.text, `${path}:${line.number}`)
    if (Either.isLeft(decoded)) {
      return Effect.fail(line.terminated ? decoded.left : tornLine(decoded.left))
    }
    out.push(decoded.right)
  }
  return Effect.succeed(Chunk.unsafeFromArray(out))
}

const lineBatches = (path: string, region: Region) =>
  Stream.fromAsyncIterable(
    lines(path, region),
    (e) =>
      new StoreError({
        operation: `read ${path}`,
        problem: messageOf(e),
        cause: e,
      }),
  )

/** Every envelope of a JSONL file (or of a region of it), in file order; the first bad line fails the stream. */
export const read = (
  path: string,
  region: Region = {},
): Stream.Stream<EventEnvelope, CorruptEvent | StoreError> =>
  lineBatches(path, region).pipe(
    Stream.mapEffect((batch) => decodeBatch(path, batch)),
    Stream.flattenChunks,
  )

/**
 * Every line of a JSONL file (or of a region of it) as a log entry whose
 * position is the line number: a commit of the one envelope it holds, or an
 * `Unreadable` entry naming the file and line (a last line without its
 * newline is said to be a possibly torn write).
 */
export const entries = (path: string, region: Region = {}): Stream.Stream<LogEntry, StoreError> =>
  lineBatches(path, region).pipe(
    Stream.map((batch) => {
      const out: Array<LogEntry> = []
      for (const line of batch) {
        const decoded = decode(line.text, `${path}:${line.number}`)
        out.push(
          Either.isRight(decoded)
            ? { _tag: "Commit", position: line.number, envelopes: [decoded.right] }
            : unreadable(
                line.number,
                undefined,
                line.terminated ? decoded.left : tornLine(decoded.left),
              ),
        )
      }
      return Chunk.unsafeFromArray(out)
    }),
    Stream.flattenChunks,
  )
