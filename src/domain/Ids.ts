/**
 * Branded identifiers. Every id is a subject-safe token — letters, digits,
 * `_` and `-` only, bounded in length — so that it can be used verbatim as a
 * NATS subject token without turning into a wildcard (`*`, `>`) or a
 * separator (`.`).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** Longest id accepted, in characters. */
export const MAX_ID_LENGTH = 64

const TOKEN = /^[A-Za-z0-9_-]+$/

/**
 * The one token that is not an id: as a key (issue ids key terms and partial
 * agreements) it is dropped by decoding or replaces an object's prototype.
 */
const RESERVED = "__proto__"

/** A subject-safe token: 1 to {@link MAX_ID_LENGTH} letters, digits, `_` or `-`, except `__proto__`. */
export const Token = Schema.String.pipe(
  Schema.filter(
    (s) =>
      s.length === 0
        ? "must not be empty"
        : s.length > MAX_ID_LENGTH
          ? `must be at most ${MAX_ID_LENGTH} characters (got ${s.length})`
          : !TOKEN.test(s)
            ? `must contain only letters, digits, '_' or '-' (got ${JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s)})`
            : s === RESERVED
              ? `must not be ${RESERVED}, which a JavaScript object cannot hold as a plain key`
              : true,
    { identifier: "Token", jsonSchema: { pattern: "^[A-Za-z0-9_-]{1,64}$" } },
  ),
)

/** The id of one negotiation; also its subject token on NATS. */
export const NegotiationId = Token.pipe(Schema.brand("NegotiationId"))
export type NegotiationId = typeof NegotiationId.Type

/** The id of a party (a delegation, a company, a mediator...). */
export const PartyId = Token.pipe(Schema.brand("PartyId"))
export type PartyId = typeof PartyId.Type

/** The id of an issue under negotiation. */
export const IssueId = Token.pipe(Schema.brand("IssueId"))
export type IssueId = typeof IssueId.Type

/** The id of an offer; unique within its negotiation. */
export const OfferId = Token.pipe(Schema.brand("OfferId"))
export type OfferId = typeof OfferId.Type

/** The id of a stored event; unique across the log. */
export const EventId = Token.pipe(Schema.brand("EventId"))
export type EventId = typeof EventId.Type

/** Whether `s` is a valid token, without allocating an error. */
export const isToken = (s: string): boolean =>
  s.length <= MAX_ID_LENGTH && TOKEN.test(s) && s !== RESERVED
