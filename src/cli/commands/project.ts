/**
 * The command line of `parley project [--nats URL] [--rebuild]`; what it does
 * is in `src/cli/project.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import { natsOrEnvOption } from "./Shared.ts"

const rebuildOption = Options.boolean("rebuild").pipe(
  Options.withDescription("ignore the checkpoint: recompute and publish every state from the log"),
)

const config = { nats: natsOrEnvOption, rebuild: rebuildOption }
/** What `parley project` is given. */
export type ProjectArgs = Parsed<typeof config>

/** The `project` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<ProjectArgs, E, R>) =>
  Command.make("project", config, handler).pipe(
    Command.withDescription(
      "Publish the state of every negotiation on NATS for other services (runs until SIGINT/SIGTERM)",
    ),
  )
