/**
 * The command line of `parley watch <negotiationId> [--nats URL] [--json]`;
 * what it does is in `src/cli/watch.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import { jsonOption, natsOrEnvOption } from "./Shared.ts"

const config = {
  negotiation: Args.text({ name: "negotiationId" }).pipe(
    Args.withDescription("the negotiation to follow"),
  ),
  nats: natsOrEnvOption,
  json: jsonOption,
}
/** What `parley watch` is given. */
export type WatchArgs = Parsed<typeof config>

/** The `watch` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<WatchArgs, E, R>) =>
  Command.make("watch", config, handler).pipe(
    Command.withDescription(
      "Print each new state of a negotiation as it arrives (needs NATS and a running `parley project`)",
    ),
  )
