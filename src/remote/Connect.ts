/**
 * A NATS connection for the remote agents of a run, opened before the run
 * starts (so an unreachable server is a clear error then, never a failure
 * mid-run) and drained when the run's scope closes.
 *
 * @since 0.3.0
 */
import { Config, ConfigError, Effect, Either, Option, type Scope } from "effect"
import * as Connection from "../nats/Connection.ts"
import type { RemoteAgents } from "../simulation/RemoteAgents.ts"
import { natsTransport } from "./Nats.ts"
import { REPLY_LIMIT, remoteAgents } from "./Player.ts"
import { AgentTransportError, connectionFailed } from "./TransportError.ts"

/** What this module's errors say was being done. */
const operation = "connect to remote agents"

/**
 * The largest reply a remote agent may give, in bytes: `PARLEY_AGENT_REPLY_LIMIT`
 * (a positive integer), 64 KiB when unset.
 */
export const replyLimitConfig: Config.Config<number> = Config.string(
  "PARLEY_AGENT_REPLY_LIMIT",
).pipe(
  Config.mapOrFail((text) =>
    /^\s*\d+\s*$/.test(text) && Number(text) > 0
      ? Either.right(Number(text))
      : Either.left(
          ConfigError.InvalidData(
            [],
            `PARLEY_AGENT_REPLY_LIMIT: expected a positive number of bytes, got "${text}"`,
          ),
        ),
  ),
  Config.withDefault(REPLY_LIMIT),
)

/**
 * The remote agents reached through `servers` (or `PARLEY_NATS_URL`), when
 * `needed`; `undefined` when not (no connection is opened).
 */
export const agentTransport = (
  needed: boolean,
  servers: Option.Option<string>,
): Effect.Effect<
  RemoteAgents | undefined,
  AgentTransportError | ConfigError.ConfigError,
  Scope.Scope
> =>
  needed
    ? Effect.flatMap(replyLimitConfig, (limit) =>
        Connection.optionsAt(Option.getOrUndefined(servers)).pipe(
          Effect.filterOrFail(
            (options) => String(options.servers).trim() !== "",
            () =>
              new AgentTransportError({
                reason: "NoServer",
                operation,
                description:
                  "a remote agent needs a NATS server: give --nats URL or set PARLEY_NATS_URL",
              }),
          ),
          Effect.flatMap((options) =>
            Connection.connect({ ...options, name: "parley agents" }).pipe(
              Effect.mapError(connectionFailed(operation)),
            ),
          ),
          Effect.map(({ nc }) => remoteAgents(natsTransport(nc, limit), { replyLimit: limit })),
        ),
      )
    : Effect.succeed(undefined)
