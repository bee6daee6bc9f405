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
import { decode, decodeCurrent, type ReadOptions, storedWithin } from "./Codec.ts"
import { CorruptEvent, type LogEntry, StoreError, unreadable } from "./EventStore.ts"
import { defaultLimits, EXCERPT, excerpt, type Limits } from "./Limits.ts"

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
  /**
   * Set when the line is longer than the limit: its length in bytes, while
   * `text` holds only its first bytes (the line itself is never held whole).
   */
  readonly bytes?: number | undefined
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
 * The start of a line not yet ended, kept as the chunks read (joined once,
 * when its newline comes, so a long line costs time linear in its length),
 * or, past `maxBytes`, only its first bytes and its length.
 */
class Partial {
  private chunks: Array<Buffer> = []
  length = 0
  /** The first bytes of a line past the limit; its other bytes are dropped as they come. */
  head: Buffer | undefined
  constructor(private readonly maxBytes: number) {}
  add(bytes: Buffer): void {
    if (bytes.length === 0) return
    this.length += bytes.length
    if (this.head !== undefined) return
    this.chunks.push(bytes)
    if (this.length > this.maxBytes) {
      this.head = Buffer.concat(this.chunks).subarray(0, EXCERPT * 4)
      this.chunks = []
    }
  }
  /** The line so far, ending it: its text, or its first bytes and length past the limit. */
  take(number: number, terminated: boolean): Line | undefined {
    const { head, length } = this
    const whole = head === undefined ? Buffer.concat(this.chunks) : undefined
    this.chunks = []
    this.length = 0
    this.head = undefined
    if (head !== undefined)
      return { number, text: head.toString("utf8"), terminated, bytes: length }
    const text = textOf(whole!, whole!.length)
    return isBlank(text) ? undefined : { number, text, terminated }
  }
}

/**
 * The lines of a file (or of a region of it that starts at a line boundary),
 * in batches (one per read of the file). Returns the number of the last
 * newline-terminated line. A line longer than `maxBytes` is not held: it
 * comes as its first bytes and its length ({@link Line.bytes}).
 */
export async function* lines(
  path: string,
  region: Region = {},
  maxBytes: number = defaultLimits.maxBytes,
): AsyncGenerator<ReadonlyArray<Line>, number> {
  const start = region.start ?? 0
  if (region.end !== undefined && region.end <= start) return region.linesBefore ?? 0
  /** Bytes after the last newline read so far: the start of a line. */
  const rest = new Partial(maxBytes)
  let number = region.linesBefore ?? 0
  const stream = createReadStream(path, {
    highWaterMark: 1 << 20,
    start,
    ...(region.end === undefined ? {} : { end: region.end - 1 }),
  })
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const first = chunk.indexOf(NEWLINE)
    if (first === -1) {
      rest.add(chunk)
      continue
    }
    const batch: Array<Line> = []
    // The line begun in earlier chunks ends here.
    rest.add(chunk.subarray(0, first))
    const begun = rest.take(++number, true)
    if (begun !== undefined) batch.push(begun)
    const last = chunk.lastIndexOf(NEWLINE)
    if (last > first) {
      const text = textOf(chunk.subarray(first + 1), last - first - 1)
      let from = 0
      for (;;) {
        const nl = text.indexOf("\n", from)
        const line = text.slice(from, nl === -1 ? text.length : nl)
        number++
        if (line.length > maxBytes)
          batch.push({
            number,
            text: line.slice(0, EXCERPT * 4),
            terminated: true,
            bytes: Buffer.byteLength(line),
          })
        else if (!isBlank(line)) batch.push({ number, text: line, terminated: true })
        if (nl === -1) break
        from = nl + 1
      }
    }
    rest.add(chunk.subarray(last + 1))
    if (batch.length > 0) yield batch
  }
  if (rest.length > 0) {
    const line = rest.take(number + 1, false)
    if (line !== undefined) yield [line]
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
export const decodeLine = (
  path: string,
  line: Line,
  options: ReadOptions,
): Either.Either<EventEnvelope, CorruptEvent> => {
  const decoded =
    line.bytes === undefined
      ? decode(line.text, `${path}:${line.number}`, options)
      : Either.left(
          new CorruptEvent({
            location: `${path}:${line.number}`,
            problem: `refused unparsed: the line is ${line.bytes} bytes, over the limit of ${
              (options.limits ?? defaultLimits).maxBytes
            } (starts ${excerpt(line.text)})`,
          }),
        )
  return Either.isLeft(decoded) && !line.terminated ? Either.left(tornLine(decoded.left)) : decoded
}

const decodeBatch = (path: string, batch: ReadonlyArray<Line>, options: ReadOptions) => {
  const out: Array<EventEnvelope> = []
  for (const line of batch) {
    const current = line.bytes === undefined ? decodeCurrent(line.text, options) : undefined
    if (current !== undefined) {
      out.push(current)
      continue
    }
    const decoded = decodeLine(path, line, options)
    if (Either.isLeft(decoded)) return Effect.fail(decoded.left)
    out.push(decoded.right)
  }
  return Effect.succeed(Chunk.unsafeFromArray(out))
}

const lineBatches = (path: string, region: Region, limits: Limits | undefined) =>
  Stream.fromAsyncIterable(
    lines(path, region, (limits ?? defaultLimits).maxBytes),
    (e) =>
      new StoreError({
        reason: "Failure",
        operation: `read ${path}`,
        problem: messageOf(e),
        cause: e,
      }),
  )

/**
 * Every envelope of a JSONL file (or of a region of it), in file order; the
 * first bad line fails the stream. Each event's id is checked against its
 * content, and each line against `limits` before it is parsed.
 */
export const read = (
  path: string,
  region: Region = {},
  limits?: Limits,
): Stream.Stream<EventEnvelope, CorruptEvent | StoreError> => {
  const options = storedWithin(limits)
  return lineBatches(path, region, limits).pipe(
    Stream.mapEffect((batch) => decodeBatch(path, batch, options)),
    Stream.flattenChunks,
  )
}

/**
 * Every line of a JSONL file (or of a region of it) as a log entry whose
 * position is the line number: a commit of the one envelope it holds, or an
 * `Unreadable` entry naming the file and line (a last line without its
 * newline is said to be a possibly torn write; an event whose id does not
 * match its content names its negotiation, so that only that one is set aside).
 */
export const entries = (
  path: string,
  region: Region = {},
  limits?: Limits,
): Stream.Stream<LogEntry, StoreError> => {
  const options = storedWithin(limits)
  return lineBatches(path, region, limits).pipe(
    Stream.map((batch) => {
      const out: Array<LogEntry> = []
      for (const line of batch) {
        const current = line.bytes === undefined ? decodeCurrent(line.text, options) : undefined
        if (current !== undefined) {
          out.push({ _tag: "Commit", position: line.number, envelopes: [current] })
          continue
        }
        const decoded = decodeLine(path, line, options)
        out.push(
          Either.isRight(decoded)
            ? { _tag: "Commit", position: line.number, envelopes: [decoded.right] }
            : unreadable(line.number, decoded.left.negotiationId, decoded.left),
        )
      }
      return Chunk.unsafeFromArray(out)
    }),
    Stream.flattenChunks,
  )
}
