/**
 * `parley agents --nats URL [--wait MS] [--json]`: the agents on the bus, found
 * through the NATS services discovery (`$SRV.INFO`, `$SRV.STATS`): each
 * service endpoint with its name, version, subject, requests, errors and
 * mean latency.
 *
 * @since 0.3.0
 */
import { Console, Effect } from "effect"
import { listAgents } from "../remote/Serve.ts"
import { AgentTransportError } from "../remote/TransportError.ts"
import type { AgentsArgs } from "./commands/agents.ts"
import { connectToAgentsBus } from "./RemoteAgents.ts"
import { table } from "./Table.ts"

/** What `parley agents` does. */
export const handlers = {
  agents: ({ nats, wait, json }: AgentsArgs) =>
    Effect.gen(function* () {
      const { nc, servers } = yield* connectToAgentsBus(nats, "parley agents")
      const agents = yield* Effect.tryPromise({
        try: () => listAgents(nc, wait),
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
}
