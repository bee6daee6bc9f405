/**
 * What the batch commands (`simulate`, `sweep`, `tournament`) share about
 * remote agents: the check of `--concurrency N` (the option itself is in
 * `commands/Shared.ts`), and the connection to the agents, opened before
 * anything plays through `--nats URL` or `PARLEY_NATS_URL`. Remote agents
 * play in this process only (a connection cannot cross worker threads nor
 * machines), so `--distributed` with one is refused with the reason. Also
 * the connection of the commands that work on the agents' bus itself
 * (`agent serve`, `agents`).
 *
 * @since 0.3.0
 */
import { type ConfigError, Effect, Option, type Scope } from "effect"
import * as Connection from "../nats/Connection.ts"
import { layoutFor } from "../nats/Layout.ts"
import { agentTransport } from "../remote/Connect.ts"
import { type AgentTransportError, connectionFailed } from "../remote/TransportError.ts"
import type { RemoteAgents } from "../simulation/RemoteAgents.ts"
import { UsageError } from "./Errors.ts"

/** The `--concurrency` value, checked (undefined: the default). */
export const concurrencyOf = (
  concurrency: Option.Option<number>,
): Effect.Effect<number | undefined, UsageError> =>
  Option.isSome(concurrency) && concurrency.value < 1
    ? Effect.fail(new UsageError({ problem: "--concurrency must be at least 1" }))
    : Effect.succeed(Option.getOrUndefined(concurrency))

/**
 * Opens the connection to remote agents when `needed` (see `remote/Connect.ts`),
 * or refuses them when the work would be played elsewhere (`--distributed`).
 */
export const connectAgentsHere =
  (options: { readonly nats: Option.Option<string>; readonly distributed: boolean }) =>
  (
    needed: boolean,
  ): Effect.Effect<
    RemoteAgents | undefined,
    UsageError | AgentTransportError | ConfigError.ConfigError,
    Scope.Scope
  > =>
    needed && options.distributed
      ? Effect.fail(
          new UsageError({
            problem: "remote agents play in this process: drop --distributed (use --concurrency N)",
          }),
        )
      : agentTransport(needed, options.nats)

/**
 * The connection, named `name`, of a command that works on the agents' bus
 * itself (`agent serve`, `agents`), with the layout of the configured prefix:
 * without `--nats` (or `PARLEY_NATS_URL`, which the option falls back to)
 * there is nothing to do, which is said.
 */
export const connectToAgentsBus = (nats: Option.Option<string>, name: string) =>
  Option.isNone(nats)
    ? Effect.fail(
        new UsageError({ problem: "agents live on NATS: give --nats URL or set PARLEY_NATS_URL" }),
      )
    : Effect.flatMap(Connection.optionsAt(nats.value), (options) =>
        Effect.map(
          Connection.connect({ ...options, name }).pipe(
            Effect.mapError(connectionFailed("connect to the agents' bus")),
          ),
          (connection) => ({ ...connection, layout: layoutFor(options.prefix) }),
        ),
      )
