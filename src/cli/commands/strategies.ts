/**
 * The command line of `parley strategies [--json]`; what it does is in
 * `src/cli/strategies.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import { jsonOption } from "./Shared.ts"

const config = { json: jsonOption }
/** What `parley strategies` is given. */
export type StrategiesArgs = Parsed<typeof config>

/** The `strategies` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<StrategiesArgs, E, R>) =>
  Command.make("strategies", config, handler).pipe(
    Command.withDescription(
      "List every strategy kind with its parameters and the reference it is implemented from",
    ),
  )
