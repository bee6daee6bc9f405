/**
 * The command line of `parley validate <log.jsonl>`; what it does is in
 * `src/cli/validate.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"

const config = { log: Args.file({ name: "log.jsonl", exists: "yes" }) }
/** What `parley validate` is given. */
export type ValidateArgs = Parsed<typeof config>

/** The `validate` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<ValidateArgs, E, R>) =>
  Command.make("validate", config, handler).pipe(
    Command.withDescription(
      "Check a JSONL event log: every line decodes, every history is possible",
    ),
  )
