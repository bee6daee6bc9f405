/**
 * `parley agents --nats URL [--wait MS] [--json]`: the agents on the bus, found
 * through the NATS services discovery (`$SRV.INFO`, `$SRV.STATS`): each
 * service endpoint with its name, version, subject, requests, errors and
 * mean latency. What it runs with is imported when it runs (the help loads
 * none of it).
 *
 * @since 0.3.0
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect } from "effect"
import { described } from "../Help.ts"
import { table } from "../Table.ts"
import { jsonOption, natsOrEnvOption } from "./Shared.ts"

const waitOption = Options.integer("wait").pipe(
  Options.withDescription("how long to wait for services to answer, in ms (default 1000)"),
  Options.withDefault(1000),
)

const config = { nats: natsOrEnvOption, wait: waitOption, json: jsonOption }

/** `parley agents`. */
export const command = Command.make("agents", config, ({ nats, wait, json }) =>
  Effect.gen(function* () {
    const { listAgents } = yield* Effect.promise(() => import("../../remote/Serve.ts"))
    const { AgentTransportError } = yield* Effect.promise(
      () => import("../../remote/TransportError.ts"),
    )
    const { connectToAgentsBus } = yield* Effect.promise(() => import("../RemoteAgents.ts"))
    const { isNoResponders } = yield* Effect.promise(() => import("../../nats/Errors.ts"))
    const { nc, servers } = yield* connectToAgentsBus(nats, "parley agents")
    const agents = yield* Effect.tryPromise({
      try: () =>
        // No service answers discovery: a bus without agents, an empty list (not a failure).
        listAgents(nc, wait).catch((e: unknown) => {
          if (isNoResponders(e)) return []
          throw e
        }),
      catch: (cause) =>
        new AgentTransportError({
          reason: "Failed",
          operation: `discover services on ${servers}`,
          description: String(cause),
          cause,
        }),
    })
    if (json) return yield* Console.log(JSON.stringify(agents, null, 2))
    if (agents.length === 0) return yield* Console.log(`no agents on ${servers}`)
    const rows = agents.map((a) => [
      a.name,
      a.version,
      a.subject,
      String(a.requests),
      String(a.errors),
      a.meanLatencyMs.toFixed(2),
      a.description,
    ])
    yield* Console.log(
      table([["name", "version", "subject", "requests", "errors", "mean ms", "what"], ...rows], {
        indent: "",
        right: [3, 4, 5],
      }).join("\n"),
    )
  }).pipe(Effect.scoped),
).pipe(
  Command.withDescription(
    described("List the agents on the bus (NATS services discovery)", [
      "parley agents --nats nats://127.0.0.1:4222",
      "parley agents --wait 3000 --json",
    ]),
  ),
)
