/**
 * `parley agent serve <strategy> --nats URL --name NAME [--subject S]`: serves
 * one of parley's strategies as a remote agent on NATS, through the services
 * framework (discoverable with `parley agents`), until SIGINT or SIGTERM,
 * when the service stops and the connection is drained. Any runner — parley's
 * own `{ "kind": "remote" }` parties, or another platform — sends it turns on
 * its subject (default `<prefix>.agents.<NAME>`, `parley.agents.<NAME>` unless
 * `PARLEY_NATS_PREFIX` changes the prefix).
 *
 * @since 0.3.0
 */
import { Console, Effect, Either, Option } from "effect"
import { agentSubject } from "../nats/Layout.ts"
import { serveAgent } from "../remote/Serve.ts"
import { AgentTransportError } from "../remote/TransportError.ts"
import { decodeStrategySpec, make, strategyProblem } from "../simulation/strategies/index.ts"
import type { AgentServeArgs } from "./commands/agent.ts"
import { UsageError } from "./Errors.ts"
import { parseStrategy } from "./Options.ts"
import { connectToAgentsBus } from "./RemoteAgents.ts"

/** What `parley agent serve` does. */
export const handlers = {
  serve: ({ strategy, nats, name, subject }: AgentServeArgs) =>
    Effect.gen(function* () {
      if (!/^[A-Za-z0-9_-]+$/.test(name))
        return yield* new UsageError({
          problem: `--name ${name}: a service name is letters, digits, - and _`,
        })
      const raw = yield* parseStrategy(strategy, `agent serve ${strategy}`)
      const spec = decodeStrategySpec(raw)
      if (Either.isLeft(spec))
        return yield* new UsageError({ problem: `agent serve: ${strategyProblem(spec.left)}` })
      if (spec.right.kind === "remote")
        return yield* new UsageError({
          problem: "agent serve: a remote agent cannot be served again; name a local strategy",
        })
      const { nc, servers, layout } = yield* connectToAgentsBus(nats, `parley agent ${name}`)
      const where = Option.getOrElse(subject, () => agentSubject(layout, name))
      const service = yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: () =>
            serveAgent(nc, make(spec.right), {
              name,
              strategyName: spec.right.kind,
              subject: where,
              version: "0.1.0",
            }),
          catch: (cause) =>
            new AgentTransportError({
              reason: "Failed",
              operation: `serve agent ${name} on ${servers}`,
              description: String(cause),
              cause,
            }),
        }),
        // Stopping drains the service's subscriptions, which waits for the server: bounded, so
        // that SIGTERM stops an agent whose server is gone (the connection is closed after it).
        (s) => Effect.promise(() => s.stop()).pipe(Effect.timeout("1 second"), Effect.ignore),
      )
      yield* Console.error(
        `agent ${name} (${spec.right.kind}) answers turns on ${where} at ${servers} (service id ${service.info().id}); Ctrl-C stops it`,
      )
      return yield* Effect.never
    }).pipe(Effect.scoped),
}
