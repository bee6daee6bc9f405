/**
 * The command line of `parley worker --nats URL [--threads N] [--name NAME] [--parallel-gc]`;
 * what it does is in `src/cli/worker.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import { natsOrEnvOption } from "./Shared.ts"

const threadsOption = Options.integer("threads").pipe(
  Options.withDescription("items played at once, one thread each (default: one per core)"),
  Options.optional,
)
const nameOption = Options.text("name").pipe(
  Options.withDescription("the name `parley batches` shows (default: host-pid)"),
  Options.optional,
)

/** Read by `bin/parley.js` before the command line is parsed: it decides how the process starts. */
const parallelGcOption = Options.boolean("parallel-gc").pipe(
  Options.withDescription(
    "keep V8's garbage-collector helper threads (default: collect on each playing thread, so workers sharing a machine get a core each)",
  ),
)

const config = {
  nats: natsOrEnvOption,
  threads: threadsOption,
  name: nameOption,
  parallelGc: parallelGcOption,
}
/** What `parley worker` is given. */
export type WorkerArgs = Parsed<typeof config>

/** The `worker` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<WorkerArgs, E, R>) =>
  Command.make("worker", config, handler).pipe(
    Command.withDescription(
      "Play the work items of distributed batches (simulate/sweep/tournament --distributed) until stopped",
    ),
  )
