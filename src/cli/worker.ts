/**
 * `parley worker --nats URL [--threads N] [--name NAME]`: a long-running
 * process that plays the work items of distributed batches (`simulate`,
 * `sweep` or `tournament --distributed`) on its threads, on any machine that
 * reaches the server. SIGTERM/SIGINT: the items in hand are finished, the
 * rest handed back, and it exits 0.
 *
 * @since 0.3.0
 */
import { availableParallelism } from "node:os"
import { Effect, Option } from "effect"
import { runWorker } from "../distributed/Worker.ts"
import type { WorkerArgs } from "./commands/worker.ts"
import { UsageError } from "./Errors.ts"

/** What `parley worker` does. */
export const handlers = {
  worker: ({ nats, threads, name }: WorkerArgs) =>
    Effect.gen(function* () {
      if (Option.isNone(nats))
        return yield* new UsageError({ problem: "give --nats URL (or set PARLEY_NATS_URL)" })
      const n = Option.getOrElse(threads, () => availableParallelism())
      if (n < 1) return yield* new UsageError({ problem: "--threads must be at least 1" })
      yield* runWorker({
        nats: nats.value,
        threads: n,
        name: Option.getOrUndefined(name),
        log: (line) => process.stderr.write(`${line}\n`),
      })
    }),
}
