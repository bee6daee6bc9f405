/**
 * `parley worker --nats URL [--threads N] [--name NAME]`: a long-running
 * process that plays the work items of distributed batches (`simulate`,
 * `sweep` or `tournament --distributed`) on its threads, on any machine that
 * reaches the server. SIGTERM/SIGINT: the items in hand are finished, the
 * rest handed back, and it exits 0. What it runs with is imported when it
 * runs (the help loads none of it).
 *
 * @since 0.3.0
 */
import { availableParallelism } from "node:os"
import { Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
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

/** `parley worker`. */
export const command = Command.make("worker", config, ({ nats, threads, name }) =>
  Effect.gen(function* () {
    if (Option.isNone(nats))
      return yield* new UsageError({ problem: "give --nats URL (or set PARLEY_NATS_URL)" })
    const n = Option.getOrElse(threads, () => availableParallelism())
    if (n < 1) return yield* new UsageError({ problem: "--threads must be at least 1" })
    const { runWorker } = yield* Effect.promise(() => import("../../distributed/Worker.ts"))
    yield* runWorker({
      nats: nats.value,
      threads: n,
      name: Option.getOrUndefined(name),
      log: (line) => process.stderr.write(`${line}\n`),
    })
  }),
).pipe(
  Command.withDescription(
    described(
      "Play the work items of distributed batches (simulate/sweep/tournament --distributed) until stopped",
      [
        "parley worker --nats nats://127.0.0.1:4222",
        "parley worker --nats nats://127.0.0.1:4222 --threads 4 --name lab-1",
      ],
    ),
  ),
)
