/**
 * The wire format of events: one JSON object per envelope, the same in JSONL
 * files and in NATS messages. Decoding validates against the Schemas once, at
 * this boundary, and reads events of an older schema version as the current
 * one (`src/domain/Upcast.ts`); everything behind it trusts the types and sees
 * current events only.
 *
 * @since 0.1.0
 */
import { Either, ParseResult, Schema } from "effect"
import { eventIdFor } from "../domain/Envelope.ts"
import { EventEnvelope, NegotiationEvent, official } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import { upcasters } from "../domain/Upcast.ts"
import { CorruptEvent } from "./EventStore.ts"
import { compileGuard } from "./Guard.ts"
import { defaultLimits, type Limits, refusal } from "./Limits.ts"

/**
 * How a text is read. The stores read with {@link asStored}: every event's
 * id checked against its content, within the default limits. Without
 * `verify` only the shape is checked (an envelope built by hand, a test's).
 */
export interface ReadOptions {
  /** Check that each event's id is the digest of its content (`eventIdFor`). */
  readonly verify?: boolean | undefined
  /** Size and depth bounds checked before parsing; {@link defaultLimits} when absent. */
  readonly limits?: Limits | undefined
}

/** How the stores read what they stored: ids verified, default limits. */
export const asStored: ReadOptions = { verify: true, limits: defaultLimits }

/** With `limits` in place of the default ones. */
export const storedWithin = (limits: Limits | undefined): ReadOptions =>
  limits === undefined ? asStored : { verify: true, limits }

const decodeOptions = { errors: "first", onExcessProperty: "error" } as const
const validate = Schema.decodeUnknownEither(EventEnvelope, decodeOptions)

/** An older version of an event type: the envelope with that version's event, and its step to the next. */
interface OlderVersion {
  readonly guard: (u: unknown) => boolean
  readonly validate: (u: unknown) => Either.Either<unknown, ParseResult.ParseError>
  readonly up: (event: unknown) => unknown
}

/** How to read one event type: its current version, and every older one it can be read from. */
interface Reader {
  readonly version: number
  readonly guard: (u: unknown) => boolean
  /** `older[v - 1]` reads version `v`. */
  readonly older: ReadonlyArray<OlderVersion>
}

const withEvent = (event: Schema.Schema.AnyNoContext) =>
  Schema.Struct({ ...EventEnvelope.fields, event })

/**
 * One reader per event type, chosen by the event's `type`: checking the whole
 * union would try each member in turn, several times the work. Each guard
 * checks the whole envelope.
 */
const readers: ReadonlyMap<unknown, Reader> = new Map(
  NegotiationEvent.members.map((member): [string, Reader] => {
    const type = member.fields.type.literals[0]
    return [
      type,
      {
        version: member.fields.schemaVersion.literals[0],
        guard: compileGuard(withEvent(member)),
        older: (upcasters[type] ?? []).map((step) => ({
          guard: compileGuard(withEvent(step.schema)),
          validate: Schema.decodeUnknownEither(withEvent(step.schema), decodeOptions),
          up: step.up as (event: unknown) => unknown,
        })),
      },
    ]
  }),
)

/** A one-line description of the first schema problem. */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  if (first === undefined) return error.message
  const path = first.path.length === 0 ? "" : `at ${first.path.join(".")}: `
  return `${path}${first.message.split("\n")[0]}`
}

const versionOf = (value: unknown): number | undefined => {
  const v =
    typeof value === "object" && value !== null
      ? (value as { version?: unknown }).version
      : undefined
  return typeof v === "number" ? v : undefined
}

/** Longest problem text an error carries: a schema message can quote the value it refused. */
const PROBLEM_CHARS = 300

/** `problem`, cut to {@link PROBLEM_CHARS} characters. */
export const bounded = (problem: string): string =>
  problem.length > PROBLEM_CHARS ? `${problem.slice(0, PROBLEM_CHARS)}…` : problem

const corrupt = (value: unknown, location: string, problem: string) => {
  const version = versionOf(value)
  return Either.left(
    new CorruptEvent({
      location,
      problem: bounded(problem),
      ...(version === undefined ? {} : { version }),
    }),
  )
}

/** The parts of a stored envelope its id is derived from, once its shape is checked. */
interface Identified {
  readonly eventId: string
  readonly negotiationId: string
  readonly version: number
  readonly occurredAt: string
  readonly event: unknown
}

/** The id `value`'s content digests to, when it differs from the stored one. */
const idMismatch = (value: Identified): string | undefined => {
  const derived = eventIdFor(
    value.negotiationId as NegotiationId,
    value.version,
    value.occurredAt,
    value.event as EventEnvelope["event"],
  )
  return derived === value.eventId ? undefined : derived
}

/**
 * The error for an event whose id is not the digest of its content: what was
 * written there was changed afterwards (its terms, its party, its time...),
 * or it was never written by parley.
 */
const tampered = (value: Identified, derived: string, location: string) =>
  Either.left(
    new CorruptEvent({
      location,
      version: value.version,
      negotiationId: value.negotiationId,
      problem: bounded(
        `negotiation "${value.negotiationId}" version ${value.version}: the event (${String(
          (value.event as { type?: unknown }).type,
        )}) does not match its id: stored id ${JSON.stringify(value.eventId)}, its content digests to ${JSON.stringify(derived)} — changed after it was written, or not written by parley`,
      ),
    }),
  )

/** `value` as read, or why its id does not name its content (when `verify`). */
const checked = (
  value: unknown,
  location: string,
  verify: boolean | undefined,
): Either.Either<EventEnvelope, CorruptEvent> => {
  if (verify !== true) return Either.right(value as EventEnvelope)
  const derived = idMismatch(value as Identified)
  return derived === undefined
    ? Either.right(value as EventEnvelope)
    : tampered(value as Identified, derived, location)
}

/**
 * Reads an envelope whose event is an older version `from` of its type: checks
 * it against the shape that version wrote, then upcasts the event step by step
 * to the current version. The envelope keeps everything else as stored, its
 * `eventId` included: ids are derived from content once, when written, and
 * never recomputed (they name what was stored).
 */
const upcastEnvelope = (
  reader: Reader,
  from: number,
  type: string,
  value: unknown,
  location: string,
  verify: boolean | undefined,
): Either.Either<EventEnvelope, CorruptEvent> => {
  const first = reader.older[from - 1]!
  if (!first.guard(value)) {
    const problem = Either.match(first.validate(value), {
      onLeft: describeParseError,
      onRight: () => "invalid envelope",
    })
    return corrupt(value, location, `${problem} (as schemaVersion ${from} of ${type})`)
  }
  // The id names the event as it was written, in its own version: checked before upcasting.
  if (verify === true) {
    const derived = idMismatch(value as Identified)
    if (derived !== undefined) return tampered(value as Identified, derived, location)
  }
  let event = first.up((value as { event: unknown }).event)
  for (let v = from + 1; v < reader.version; v++) event = reader.older[v - 1]!.up(event)
  const upcast = { ...(value as object), event }
  return reader.guard(upcast)
    ? Either.right(upcast as EventEnvelope)
    : corrupt(
        value,
        location,
        `schemaVersion ${from} of ${type} does not read as version ${reader.version}`,
      )
}

/**
 * Validates a parsed JSON value as an envelope. An event of its type's
 * current version takes the fast path (the version compared, a type guard,
 * no copy); an older one is upcast; only invalid ones pay for a full decode
 * to explain what is wrong. With `verify`, the event's id must be the
 * digest of its content as stored.
 */
export const fromJson = (
  value: unknown,
  location: string,
  options: ReadOptions = {},
): Either.Either<EventEnvelope, CorruptEvent> => {
  const event =
    typeof value === "object" && value !== null ? (value as { event?: unknown }).event : undefined
  let type: unknown
  let v: unknown
  if (typeof event === "object" && event !== null) {
    type = (event as { type?: unknown }).type
    v = (event as { schemaVersion?: unknown }).schemaVersion
  }
  const reader = readers.get(type)
  if (reader !== undefined) {
    if (v === reader.version) {
      if (reader.guard(value)) return checked(value, location, options.verify)
    } else if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v < reader.version)
      return upcastEnvelope(reader, v, type as string, value, location, options.verify)
    else if (typeof v === "number")
      return corrupt(
        value,
        location,
        `unknown schemaVersion ${v} of ${String(type)} (this parley reads ${
          reader.version === 1 ? "version 1" : `versions 1 to ${reader.version}`
        })`,
      )
  }
  return corrupt(
    value,
    location,
    Either.match(validate(value), {
      onLeft: describeParseError,
      onRight: () => "invalid envelope",
    }),
  )
}

/**
 * The envelope a JSON text holds when it parses and is valid at its event
 * type's current version — the common case, checked with nothing made but
 * the parsed value (no location, no result wrapper); `undefined` otherwise,
 * and {@link decode} then reads an older version or says what is wrong. For
 * readers of many texts (a JSONL log) that name a text's location only when
 * it has a problem. A text over the limits, or (with `verify`) whose id does
 * not match its content, is `undefined` too.
 */
export const decodeCurrent = (
  text: string,
  options: ReadOptions = {},
): EventEnvelope | undefined => {
  if (refusal(text, options.limits) !== undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  const event =
    typeof value === "object" && value !== null ? (value as { event?: unknown }).event : undefined
  if (typeof event !== "object" || event === null) return undefined
  const reader = readers.get((event as { type?: unknown }).type)
  if (
    reader === undefined ||
    (event as { schemaVersion?: unknown }).schemaVersion !== reader.version ||
    !reader.guard(value) ||
    (options.verify === true && idMismatch(value as Identified) !== undefined)
  )
    return undefined
  shareCommonParts(event as Record<string, unknown>)
  return value as EventEnvelope
}

/** Single addressees already seen, each as one shared array (bounded, as ids recur). */
const addressees = new Map<unknown, ReadonlyArray<unknown>>()
const ADDRESSEES_KEPT = 4096

/**
 * Replaces the parts of a freshly parsed, valid event that nearly every
 * event repeats by one shared, equal value: an official provenance with no
 * sources by {@link official}, and a list of one addressee by one array per
 * party. The state a replay holds keeps these for every offer and answer, so
 * sharing them shrinks what a whole-log replay holds (and what the collector
 * walks). Events are never changed after decoding, so sharing is safe.
 */
const shareCommonParts = (event: Record<string, unknown>): void => {
  const provenance = event.provenance as Record<string, unknown> | undefined
  // Only a provenance that says nothing else: a hypothetical one keeps its mark.
  if (
    provenance?.status === "official" &&
    !hasOwn.call(provenance, "sources") &&
    !hasOwn.call(provenance, "hypothetical")
  )
    event.provenance = official
  const to = event.to
  if (Array.isArray(to) && to.length === 1) {
    const shared = addressees.get(to[0])
    if (shared !== undefined) event.to = shared
    else if (addressees.size < ADDRESSEES_KEPT) addressees.set(to[0], to)
  }
}

const hasOwn = Object.prototype.hasOwnProperty

/**
 * Parses and validates one JSON text (a JSONL line or a message payload),
 * refusing it first, unparsed, when it is over the limits.
 */
export const decode = (
  text: string,
  location: string,
  options: ReadOptions = {},
): Either.Either<EventEnvelope, CorruptEvent> => {
  const value = parse(text, location, options.limits)
  return Either.isLeft(value) ? Either.left(value.left) : fromJson(value.right, location, options)
}

/**
 * A stored text parsed, or why not: over the size or depth limit (checked
 * before parsing, so no reader of the value recurses into it), or not JSON.
 * Errors quote a bounded excerpt, never the whole text.
 */
export const parse = (
  text: string,
  location: string,
  limits: Limits = defaultLimits,
): Either.Either<unknown, CorruptEvent> => {
  const refused = refusal(text, limits)
  if (refused !== undefined)
    return Either.left(new CorruptEvent({ location, problem: `refused unparsed: ${refused}` }))
  try {
    return Either.right(JSON.parse(text))
  } catch (e) {
    return Either.left(
      new CorruptEvent({
        location,
        problem: bounded(`not JSON (${e instanceof Error ? e.message : String(e)})`),
      }),
    )
  }
}

/** The JSON text of an envelope (no trailing newline). */
export const encode = (envelope: EventEnvelope): string => JSON.stringify(envelope)
