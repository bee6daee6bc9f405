/**
 * The NATS adapter of the {@link AgentTransport} port: a turn is a core NATS
 * request on the agent's subject, the move its reply. Failures become the
 * reason the fallback moved: no responder on the subject, no reply within
 * the agent's time, a reply longer than the limit (refused before it is
 * decoded), or the request failing otherwise.
 *
 * @since 0.3.0
 */
import { errors, type NatsConnection } from "@nats-io/transport-node"
import { Either } from "effect"
import { messageOf } from "../domain/Errors.ts"
import { type AgentTransport, oversized, REPLY_LIMIT } from "./Player.ts"

/** Why a request got no reply, in words for the event's metadata. */
export const requestProblem = (error: unknown, subject: string, timeoutMs: number): string => {
  if (error instanceof errors.NoRespondersError) return `no agent answers on ${subject}`
  if (error instanceof errors.RequestError && error.isNoResponders())
    return `no agent answers on ${subject}`
  if (error instanceof errors.TimeoutError) return `no reply within ${timeoutMs} ms`
  const cause = error instanceof Error ? error.cause : undefined
  if (cause instanceof errors.TimeoutError) return `no reply within ${timeoutMs} ms`
  if (cause instanceof errors.NoRespondersError) return `no agent answers on ${subject}`
  return `the request failed (${messageOf(error)})`
}

/** Remote agents reached through an open NATS connection; a reply over `replyLimit` bytes is refused unread. */
export const natsTransport = (nc: NatsConnection, replyLimit = REPLY_LIMIT): AgentTransport => ({
  request: (subject, body, timeoutMs) =>
    nc.request(subject, body, { timeout: timeoutMs }).then(
      (reply) => {
        const tooLong = oversized(reply.data.length, replyLimit)
        return tooLong === undefined ? Either.right(reply.string()) : Either.left(tooLong)
      },
      (error: unknown) => Either.left(requestProblem(error, subject, timeoutMs)),
    ),
})
