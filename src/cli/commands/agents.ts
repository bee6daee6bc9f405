/**
 * The command line of `parley agents --nats URL [--wait MS] [--json]`; what
 * it does is in `src/cli/agents.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import { jsonOption, natsOrEnvOption } from "./Shared.ts"

const waitOption = Options.integer("wait").pipe(
  Options.withDescription("how long to wait for services to answer, in ms (default 1000)"),
  Options.withDefault(1000),
)

const config = { nats: natsOrEnvOption, wait: waitOption, json: jsonOption }
/** What `parley agents` is given. */
export type AgentsArgs = Parsed<typeof config>

/** The `agents` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<AgentsArgs, E, R>) =>
  Command.make("agents", config, handler).pipe(
    Command.withDescription("List the agents on the bus (NATS services discovery)"),
  )
