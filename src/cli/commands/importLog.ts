/**
 * The command line of `parley import-log <log.jsonl> [--nats URL]`; what it
 * does is in `src/cli/importLog.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import { natsOption } from "./Shared.ts"

const config = { log: Args.file({ name: "log.jsonl", exists: "yes" }), nats: natsOption }
/** What `parley import-log` is given. */
export type ImportLogArgs = Parsed<typeof config>

/** The `import-log` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<ImportLogArgs, E, R>) =>
  Command.make("import-log", config, handler).pipe(
    Command.withDescription("Copy a JSONL event log into NATS, keeping versions"),
  )
