/**
 * The command line of `parley watch <negotiationId> [--nats URL] [--json]`;
 * what it does is in `src/cli/watch.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command } from "@effect/cli"
import { loadedHandler, type Parsed } from "./Lazy.ts"
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

/** The `watch` command. */
export const command = Command.make(
  "watch",
  config,
  loadedHandler(
    () => import("../watch.ts"),
    (m) => m.handlers.watch,
  ),
).pipe(
  Command.withDescription(
    "Print each new state of a negotiation as it arrives (needs NATS and a running `parley project`)",
  ),
)
