/**
 * The command line of `parley agent serve <strategy> --nats URL --name NAME
 * [--subject S]`; what it does is in `src/cli/agent.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
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
/** What `parley agent serve` is given. */
export type AgentServeArgs = Parsed<typeof serveConfig>

/** The `agent serve` command, running `handler`. */
const serve = <E, R>(handler: Handler<AgentServeArgs, E, R>) =>
  Command.make("serve", serveConfig, handler).pipe(
    Command.withDescription(
      "Serve a strategy as a remote agent on NATS (a discoverable service) until SIGINT/SIGTERM",
    ),
  )

/** The `agent` command and its subcommands, running `handlers` (`../Commands.ts` gives them, loaded when one runs). */
export const command = <E, R>(handlers: { readonly serve: Handler<AgentServeArgs, E, R> }) =>
  Command.make("agent").pipe(
    Command.withDescription("Remote agents on NATS"),
    Command.withSubcommands([serve(handlers.serve)]),
  )
