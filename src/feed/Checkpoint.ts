/**
 * The projector's checkpoint (key `checkpoint` of `<prefix>-projection`):
 * the last log position whose states were published, with the identity of
 * the stream it is a position of — its name and creation time, which a
 * stream deleted and created again does not keep.
 *
 * A stored checkpoint is trusted only when it is readable, names this very
 * stream (same name, same creation time) and lies within it (not past its
 * last sequence); otherwise it is rejected with the reason and the
 * projector rebuilds from the start of the log: publishing a state again
 * is harmless (a subscriber drops a version it has seen), skipping one is not.
 *
 * @since 0.5.0
 */
import { Either, Schema } from "effect"
import { excerpt, thrown } from "./Problems.ts"

/** Which stream a position belongs to. */
export const StreamIdentity = Schema.Struct({
  name: Schema.String,
  /** When the stream was created (the server's `created`). */
  created: Schema.String,
})
/** Which stream a position belongs to. */
export type StreamIdentity = typeof StreamIdentity.Type

/** The checkpoint's JSON: `position` in the stream `stream`. */
export const encode = (position: number, stream: StreamIdentity): string =>
  JSON.stringify({ position, stream })

/** The stream as it is now. */
export interface StreamNow extends StreamIdentity {
  /** Its last sequence (0 when empty). */
  readonly lastSeq: number
}

/** A checkpoint that cannot be trusted: what it claimed, and why. */
export interface Rejected {
  /** The position it claimed (0 when it claims none). */
  readonly position: number
  /** The stored value, in a bounded excerpt. */
  readonly stored: string
  readonly problem: string
}

/** The position to resume after, or why the stored checkpoint `text` cannot be trusted. */
export const check = (text: string, stream: StreamNow): Either.Either<number, Rejected> => {
  const stored = excerpt(text)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return Either.left({ position: 0, stored, problem: `not JSON (${thrown(e)})` })
  }
  const { position, stream: of } = (typeof value === "object" && value !== null ? value : {}) as {
    readonly position?: unknown
    readonly stream?: { readonly name?: unknown; readonly created?: unknown } | null
  }
  const claimed = typeof position === "number" && Number.isFinite(position) ? position : 0
  const reject = (problem: string) => Either.left<Rejected>({ position: claimed, stored, problem })
  if (typeof position !== "number" || !Number.isSafeInteger(position) || position < 0)
    return reject("its position is not a stream sequence (a whole number from 0)")
  if (position > stream.lastSeq)
    return reject(
      `position ${position} is past the end of stream ${stream.name} (last sequence ${stream.lastSeq})`,
    )
  if (typeof of?.name !== "string" || typeof of.created !== "string")
    return reject("it names no stream (a checkpoint is {position, stream: {name, created}})")
  if (of.name !== stream.name)
    return reject(`it is a position in stream ${excerpt(of.name)}, not in ${stream.name}`)
  if (of.created !== stream.created)
    return reject(
      `it is from another incarnation of stream ${stream.name} (created ${excerpt(of.created)}; this one was created ${stream.created})`,
    )
  return Either.right(position)
}
