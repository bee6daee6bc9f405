/**
 * The one error of the remote agents' boundary: reaching the agents' NATS
 * server failed — there is none configured, it cannot be reached, it refuses
 * the credentials, or a request on it failed. It is not a store failure:
 * the agents' bus is not the event log, even when both live on one server.
 *
 * In the style of `@effect/platform`'s `PlatformError`: one tag, and a
 * `reason` saying which of those it was, for a caller that handles one apart.
 * The message reads as the store's did: `<operation> failed: <description>`.
 *
 * @since 0.4.0
 */
import { Schema } from "effect"
import type { StoreError } from "../store/EventStore.ts"

/** Why the agents' server could not be used. */
export const AgentTransportReason = Schema.Literal(
  /** No server given: neither `--nats` nor `PARLEY_NATS_URL`. */
  "NoServer",
  /** The server cannot be reached (refused, timed out, connection closed). */
  "Unreachable",
  /** The credentials in use do not allow it. */
  "PermissionDenied",
  /** Anything else: a request or a service on the bus failed. */
  "Failed",
)
export type AgentTransportReason = typeof AgentTransportReason.Type

/** The remote agents' NATS server could not be used; `reason` says how. */
export class AgentTransportError extends Schema.TaggedError<AgentTransportError>()(
  "AgentTransportError",
  {
    reason: AgentTransportReason,
    /** What was being done: `connect to remote agents`, `serve agent seller on ...`. */
    operation: Schema.String,
    description: Schema.String,
    /** The underlying error, as it was thrown or failed. */
    cause: Schema.optional(Schema.Defect),
  },
) {
  override get message() {
    return `${this.operation} failed: ${this.description}`
  }
}

/**
 * The failure to connect to the agents' server (`Connection.connect` speaks
 * of the store, whose connection it also opens), as an
 * {@link AgentTransportError} of `operation`.
 */
export const connectionFailed =
  (operation: string) =>
  (e: StoreError): AgentTransportError =>
    e.reason === "Unreachable"
      ? new AgentTransportError({
          reason: "Unreachable",
          operation,
          description: `cannot reach ${e.servers} (${e.problem})`,
          cause: e,
        })
      : e.reason === "PermissionDenied"
        ? new AgentTransportError({
            reason: "PermissionDenied",
            operation,
            description: `permission denied (${e.problem})`,
            cause: e,
          })
        : new AgentTransportError({
            reason: "Failed",
            operation,
            description: e.message,
            cause: e,
          })
