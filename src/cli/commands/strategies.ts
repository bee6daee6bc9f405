/**
 * The command line of `parley strategies [--json]`; what it does is in
 * `src/cli/strategies.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command } from "@effect/cli"
import { loadedHandler, type Parsed } from "./Lazy.ts"
import { jsonOption } from "./Shared.ts"

const config = { json: jsonOption }
/** What `parley strategies` is given. */
export type StrategiesArgs = Parsed<typeof config>

/** The `strategies` command. */
export const command = Command.make(
  "strategies",
  config,
  loadedHandler(
    () => import("../strategies.ts"),
    (m) => m.handlers.strategies,
  ),
).pipe(
  Command.withDescription(
    "List every strategy kind with its parameters and the reference it is implemented from",
  ),
)
