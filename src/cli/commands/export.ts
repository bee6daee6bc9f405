/**
 * The command line of `parley export [--nats URL] [--negotiation ID]`; what
 * it does is in `src/cli/export.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import { natsOption } from "./Shared.ts"

const negotiationOption = Options.text("negotiation").pipe(
  Options.withAlias("n"),
  Options.withDescription("the negotiation to export (default: every negotiation)"),
  Options.optional,
)

const config = { nats: natsOption, negotiation: negotiationOption }
/** What `parley export` is given. */
export type ExportArgs = Parsed<typeof config>

/** The `export` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<ExportArgs, E, R>) =>
  Command.make("export", config, handler).pipe(
    Command.withDescription("Write an event log (NATS) to stdout as JSONL"),
  )
