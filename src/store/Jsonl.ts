/**
 * Reading JSONL event logs as streams, in constant memory: one envelope per
 * line, each decoded once, each error naming the file and line.
 *
 * @since 0.1.0
 */
import { isAscii } from "node:buffer"
import { createReadStream } from "node:fs"
import { Chunk, Effect, Either, Stream } from "effect"
import { messageOf } from "../domain/Errors.ts"
import type { EventEnvelope } from "../domain/Event.ts"
import { decode, decodeCurrent } from "./Codec.ts"
import {
  CorruptEvent,
  type LogEntry,
  type StoreError,
  StoreFailure,
  unreadable,
} from "./EventStore.ts"

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
 * Whether a line holds nothing but white space. A line of a log starts with
 * `{`, so the question is settled by its first character; only a line that
 * starts with white space or a non-ASCII character is trimmed.
 */
const isBlank = (line: string): boolean => {
  if (line.length === 0) return true
  const first = line.charCodeAt(0)
  return (first <= 32 || first >= 127) && line.trim() === ""
}

/**
 * The text of whole lines: the bytes are split on newlines before they are
 * decoded (a newline byte never occurs inside a UTF-8 sequence), so each
 * byte is decoded once, and ASCII (what an event log nearly always holds)
 * is copied into a one-byte string without UTF-8 decoding.
 */
const textOf = (bytes: Buffer, end: number): string => {
  const whole = end === bytes.length ? bytes : bytes.subarray(0, end)
  return whole.toString(isAscii(whole) ? "latin1" : "utf8")
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
  /** Bytes after the last newline read so far: the start of a line. */
  let rest: Buffer | undefined
  let number = region.linesBefore ?? 0
  const stream = createReadStream(path, {
    highWaterMark: 1 << 20,
    start,
    ...(region.end === undefined ? {} : { end: region.end - 1 }),
  })
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const bytes = rest === undefined ? chunk : Buffer.concat([rest, chunk])
    const last = bytes.lastIndexOf(NEWLINE)
    if (last === -1) {
      rest = bytes
      continue
    }
    rest = last + 1 < bytes.length ? bytes.subarray(last + 1) : undefined
    const text = textOf(bytes, last)
    const batch: Array<Line> = []
    let from = 0
    for (;;) {
      const nl = text.indexOf("\n", from)
      const line = text.slice(from, nl === -1 ? text.length : nl)
      number++
      if (!isBlank(line)) batch.push({ number, text: line, terminated: true })
      if (nl === -1) break
      from = nl + 1
    }
    if (batch.length > 0) yield batch
  }
  if (rest !== undefined) {
    const line = textOf(rest, rest.length)
    if (!isBlank(line)) yield [{ number: number + 1, text: line, terminated: false }]
  }
  return number
}

const NEWLINE = 10

/**
 * A line that is not a valid event of its type's current version
 * ({@link decodeCurrent} comes first): read through {@link decode}, which
 * reads an older version or says what is wrong, naming the file and line
 * (only then is the location made).
 */
const decodeLine = (path: string, line: Line): Either.Either<EventEnvelope, CorruptEvent> => {
  const decoded = decode(line.text, `${path}:${line.number}`)
  return Either.isLeft(decoded) && !line.terminated ? Either.left(tornLine(decoded.left)) : decoded
}

const decodeBatch = (path: string, batch: ReadonlyArray<Line>) => {
  const out: Array<EventEnvelope> = []
  for (const line of batch) {
    const current = decodeCurrent(line.text)
    if (current !== undefined) {
      out.push(current)
      continue
    }
    const decoded = decodeLine(path, line)
    if (Either.isLeft(decoded)) return Effect.fail(decoded.left)
    out.push(decoded.right)
  }
  return Effect.succeed(Chunk.unsafeFromArray(out))
}

const lineBatches = (path: string, region: Region) =>
  Stream.fromAsyncIterable(
    lines(path, region),
    (e) =>
      new StoreFailure({
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
        const current = decodeCurrent(line.text)
        if (current !== undefined) {
          out.push({ _tag: "Commit", position: line.number, envelopes: [current] })
          continue
        }
        const decoded = decodeLine(path, line)
        out.push(
          Either.isRight(decoded)
            ? { _tag: "Commit", position: line.number, envelopes: [decoded.right] }
            : unreadable(line.number, undefined, decoded.left),
        )
      }
      return Chunk.unsafeFromArray(out)
    }),
    Stream.flattenChunks,
  )
