/**
 * The wire format of events: one JSON object per envelope, the same in JSONL
 * files and in NATS messages. Decoding validates against the Schemas once, at
 * this boundary; everything behind it trusts the types.
 *
 * @since 0.1.0
 */
import { Either, ParseResult, Schema } from "effect"
import { EventEnvelope, NegotiationEvent, SCHEMA_VERSION } from "../domain/Event.ts"
import { CorruptEvent } from "./EventStore.ts"
import { compileGuard } from "./Guard.ts"

const validate = Schema.decodeUnknownEither(EventEnvelope, {
  errors: "first",
  onExcessProperty: "error",
})
/**
 * One type guard per event type, chosen by the event's `type`: checking the
 * whole union would try each member in turn, several times the work.
 */
const guards: ReadonlyMap<unknown, (u: unknown) => boolean> = new Map(
  NegotiationEvent.members.map((member) => [
    member.fields.type.literals[0],
    compileGuard(Schema.Struct({ ...EventEnvelope.fields, event: member })),
  ]),
)

const isEnvelope = (value: unknown): value is EventEnvelope => {
  const event =
    typeof value === "object" && value !== null ? (value as { event?: unknown }).event : undefined
  const type =
    typeof event === "object" && event !== null ? (event as { type?: unknown }).type : undefined
  const guard = guards.get(type)
  return guard?.(value) === true
}

/** A one-line description of the first schema problem. */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  if (first === undefined) return error.message
  const path = first.path.length === 0 ? "" : `at ${first.path.join(".")}: `
  return `${path}${first.message.split("\n")[0]}`
}

const unknownVersion = (value: unknown): string | undefined => {
  if (typeof value !== "object" || value === null) return undefined
  const event = (value as { event?: unknown }).event
  if (typeof event !== "object" || event === null) return undefined
  const v = (event as { schemaVersion?: unknown }).schemaVersion
  const type = (event as { type?: unknown }).type
  return typeof v === "number" && v !== SCHEMA_VERSION
    ? `unknown schemaVersion ${v} of ${String(type)} (this parley reads version ${SCHEMA_VERSION})`
    : undefined
}

const versionOf = (value: unknown): number | undefined => {
  const v =
    typeof value === "object" && value !== null
      ? (value as { version?: unknown }).version
      : undefined
  return typeof v === "number" ? v : undefined
}

/**
 * Validates a parsed JSON value as an envelope. Valid envelopes take a fast
 * path (a type guard, no copy); only invalid ones pay for a full decode to
 * explain what is wrong.
 */
export const fromJson = (
  value: unknown,
  location: string,
): Either.Either<EventEnvelope, CorruptEvent> => {
  if (isEnvelope(value)) return Either.right(value)
  const version = versionOf(value)
  const problem =
    unknownVersion(value) ??
    Either.match(validate(value), {
      onLeft: describeParseError,
      onRight: () => "invalid envelope",
    })
  return Either.left(
    new CorruptEvent({ location, problem, ...(version === undefined ? {} : { version }) }),
  )
}

/** Parses and validates one JSON text (a JSONL line or a message payload). */
export const decode = (
  text: string,
  location: string,
): Either.Either<EventEnvelope, CorruptEvent> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return Either.left(
      new CorruptEvent({
        location,
        problem: `not JSON (${e instanceof Error ? e.message : String(e)})`,
      }),
    )
  }
  return fromJson(value, location)
}

/** The JSON text of an envelope (no trailing newline). */
export const encode = (envelope: EventEnvelope): string => JSON.stringify(envelope)
