/**
 * The command line of `parley validate <log.jsonl>`; what it does is in
 * `src/cli/validate.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command } from "@effect/cli"
import { loadedHandler, type Parsed } from "./Lazy.ts"

const config = { log: Args.file({ name: "log.jsonl", exists: "yes" }) }
/** What `parley validate` is given. */
export type ValidateArgs = Parsed<typeof config>

export const command = Command.make(
  "validate",
  config,
  loadedHandler(
    () => import("../validate.ts"),
    (m) => m.handlers.validate,
  ),
).pipe(
  Command.withDescription("Check a JSONL event log: every line decodes, every history is possible"),
)
