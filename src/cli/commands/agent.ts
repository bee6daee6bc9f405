/**
 * `parley agent serve <strategy> --nats URL --name NAME [--subject S]`: serves
 * one of parley's strategies as a remote agent on NATS, through the services
 * framework (discoverable with `parley agents`), until SIGINT or SIGTERM,
 * when the service stops and the connection is drained. Any runner — parley's
 * own `{ "kind": "remote" }` parties, or another platform — sends it turns on
 * its subject (default `<prefix>.agents.<NAME>`, `parley.agents.<NAME>` unless
 * `PARLEY_NATS_PREFIX` changes the prefix). What it runs with is imported
 * when it runs (the help loads none of it).
 *
 * @since 0.3.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Either, Option } from "effect"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
import { natsOrEnvOption } from "./Shared.ts"

const strategyArg = Args.text({ name: "strategy" }).pipe(
  Args.withDescription(
    "what it plays: kind[:param=value,...] or a JSON spec, as --agent takes it (see parley strategies)",
  ),
)
const nameOption = Options.text("name").pipe(
  Options.withDescription("the service name other services find it by (letters, digits, - and _)"),
)
const subjectOption = Options.text("subject").pipe(
  Options.withDescription("the subject it answers turns on (default parley.agents.<name>)"),
  Options.optional,
)

const serveConfig = {
  strategy: strategyArg,
  nats: natsOrEnvOption,
  name: nameOption,
  subject: subjectOption,
}

/** `parley agent serve`. */
const serve = Command.make("serve", serveConfig, ({ strategy, nats, name, subject }) =>
  Effect.gen(function* () {
    if (!/^[A-Za-z0-9_-]+$/.test(name))
      return yield* new UsageError({
        problem: `--name ${name}: a service name is letters, digits, - and _`,
      })
    const { agentSubject } = yield* Effect.promise(() => import("../../nats/Layout.ts"))
    const { serveAgent } = yield* Effect.promise(() => import("../../remote/Serve.ts"))
    const { AgentTransportError } = yield* Effect.promise(
      () => import("../../remote/TransportError.ts"),
    )
    const { decodeStrategySpec, make, strategyProblem } = yield* Effect.promise(
      () => import("../../simulation/strategies/index.ts"),
    )
    const { parseStrategy } = yield* Effect.promise(() => import("../Options.ts"))
    const { connectToAgentsBus } = yield* Effect.promise(() => import("../RemoteAgents.ts"))
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
).pipe(
  Command.withDescription(
    described(
      "Serve a strategy as a remote agent on NATS (a discoverable service) until SIGINT/SIGTERM",
      [
        "parley agent serve boulware --name hard-buyer --nats nats://127.0.0.1:4222",
        "parley agent serve 'time-dependent:e=0.2' --name slow --subject lab.agents.slow",
      ],
    ),
  ),
)

/** `parley agent` and its subcommands. */
export const command = Command.make("agent").pipe(
  Command.withDescription(
    described("Remote agents on NATS", [
      "parley agent serve boulware --name hard-buyer",
      "parley agents",
    ]),
  ),
  Command.withSubcommands([serve]),
)
