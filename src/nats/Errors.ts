/**
 * How failures of nats.js become the store's typed errors, each keeping
 * `code`, the server's JetStream error code when it gave one (10071, ...),
 * and `cause`, the nats.js error itself. Codes are named as nats.js names
 * them ({@link JetStreamApiCodes}); the few it does not name are named here
 * after the server's own names.
 *
 * @since 0.1.0
 */
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream"
import { errors as natsErrors } from "@nats-io/transport-node"
import { type CorruptEvent, StoreError } from "../domain/Log.ts"

/**
 * JetStream API error codes: nats.js's {@link JetStreamApiCodes} and those the
 * store also meets, named after the server's `JS...Err` constants.
 */
export const ApiCodes = {
  ...JetStreamApiCodes,
  /** `JSStreamNameExistErr`: a stream with that name but other settings exists (a lost creation race). */
  StreamNameExist: 10058,
  /** `JSStreamMessageExceedsMaximumErr`: the message is larger than the stream's `max_msg_size`. */
  StreamMessageExceedsMaximum: 10054,
  /** `JSNotEnabledErr`: JetStream is not enabled on the server. */
  JetStreamNotEnabled: 10076,
} as const

/** The name of a JetStream API code, for messages. */
const codeName = (code: number): string =>
  Object.entries(ApiCodes).find(([, c]) => c === code)?.[0] ?? `error ${code}`

/** Whether `e` is a JetStream API error with `code`. */
export const isApiError = (e: unknown, code: number): e is JetStreamApiError =>
  e instanceof JetStreamApiError && e.code === code

/** The message of a nats.js error, with its cause's when it wraps one. */
export const describe = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e)
  const code = e instanceof JetStreamApiError ? `${codeName(e.code)} (${e.code}): ` : ""
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : ""
  return `${code}${e.message}${cause}`
}

const isPermission = (e: unknown): boolean =>
  e instanceof natsErrors.PermissionViolationError ||
  e instanceof natsErrors.AuthorizationError ||
  e instanceof natsErrors.UserAuthenticationExpiredError ||
  (e instanceof JetStreamApiError && e.status === 403) ||
  // A request refused by the server's permissions arrives wrapped (its reply inbox denied).
  (e instanceof Error && e.cause !== e && isPermission(e.cause))

/** No service answered a request: the subject has no subscriber. */
export const isNoResponders = (e: unknown): boolean =>
  e instanceof natsErrors.NoRespondersError ||
  (e instanceof natsErrors.RequestError && e.cause instanceof natsErrors.NoRespondersError)

const isUnreachable = (e: unknown): boolean =>
  e instanceof natsErrors.ConnectionError ||
  e instanceof natsErrors.ClosedConnectionError ||
  e instanceof natsErrors.DrainingConnectionError ||
  e instanceof natsErrors.TimeoutError ||
  (e instanceof natsErrors.RequestError && e.cause instanceof natsErrors.TimeoutError)

const notEnabled = (servers: string) =>
  `JetStream is not enabled on ${servers} (start nats-server with -js)`

/**
 * Sorts a failure of nats.js into the store's typed errors. At `connect`,
 * a failure that is not a refusal means the servers cannot be reached.
 */
export const classify =
  (operation: string, servers: string, stage: "connect" | "request" = "request") =>
  (cause: unknown): StoreError => {
    const problem = describe(cause)
    const code = cause instanceof JetStreamApiError ? cause.code : undefined
    if (isPermission(cause))
      return new StoreError({ reason: "PermissionDenied", operation, problem, code, cause })
    if (
      code === ApiCodes.JetStreamNotEnabled ||
      code === ApiCodes.JetStreamNotEnabledForAccount ||
      (cause instanceof Error && cause.name === "JetStreamNotEnabled")
    )
      return new StoreError({
        reason: "Unavailable",
        operation,
        problem: notEnabled(servers),
        code,
        cause,
      })
    if (code === ApiCodes.StreamNotFound)
      return new StoreError({ reason: "Unavailable", operation, problem, code, cause })
    if (isNoResponders(cause))
      return new StoreError({
        reason: "Unavailable",
        operation,
        problem: `no JetStream responder on ${servers}: JetStream is not enabled or the stream is missing`,
        cause,
      })
    if (isUnreachable(cause) || stage === "connect")
      return new StoreError({ reason: "Unreachable", operation, servers, problem, cause })
    if (code === ApiCodes.ConsumerNotFound)
      return new StoreError({ reason: "ConsumerGone", operation, problem, code, cause })
    return new StoreError({ reason: "Failure", operation, problem, code, cause })
  }

/**
 * Whether a subscription may retry after `e`: the servers unreachable or
 * timing out, JetStream not answering yet (a server restarting, a stream
 * leader being elected), or its consumer gone. A refusal (permissions), an
 * unreadable commit or any other failure ends the subscription with it:
 * retrying would only repeat it.
 */
export const isTransient = (e: StoreError | CorruptEvent): boolean =>
  e._tag === "StoreError" &&
  (e.reason === "Unreachable" || e.reason === "Unavailable" || e.reason === "ConsumerGone")
