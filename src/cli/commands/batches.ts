/**
 * The command line of `parley batches --nats URL [--json]`; what it does is
 * in `src/cli/batches.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import { jsonOption, natsOrEnvOption } from "./Shared.ts"

const config = { nats: natsOrEnvOption, json: jsonOption }
/** What `parley batches` is given. */
export type BatchesArgs = Parsed<typeof config>

/** The `batches` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<BatchesArgs, E, R>) =>
  Command.make("batches", config, handler).pipe(
    Command.withDescription(
      "List distributed batches: progress, failed items, workers holding items, malformed messages",
    ),
  )
