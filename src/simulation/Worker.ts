/**
 * A Monte Carlo worker thread: loads the scenario itself (functions cannot be
 * sent between threads), runs its share of the seeds and posts the outcomes
 * back in batches.
 *
 * @since 0.1.0
 */
import { parentPort, workerData } from "node:worker_threads"
import { Effect } from "effect"
import { messageOf } from "../domain/Errors.ts"
import type { RunOutcome, WorkerMessage } from "./MonteCarlo.ts"
import { loadBatch, runRange } from "./MonteCarlo.ts"

interface Task {
  readonly file: string
  readonly overrides: Record<string, string>
  readonly agents: Record<string, unknown>
  readonly seed: number
  readonly from: number
  readonly to: number
  readonly outDir?: string | undefined
  readonly nats?: string | undefined
}

const task = workerData as Task
const post = (m: WorkerMessage) => parentPort?.postMessage(m)

const program = Effect.gen(function* () {
  const scenario = yield* loadBatch(task.file, task.overrides, task.agents)
  let batch: Array<RunOutcome> = []
  yield* runRange(scenario, {
    seed: task.seed,
    from: task.from,
    to: task.to,
    outDir: task.outDir,
    nats: task.nats,
    onOutcome: (o) => {
      batch.push(o)
      if (batch.length >= 100) {
        post({ type: "outcomes", outcomes: batch })
        batch = []
      }
    },
  })
  if (batch.length > 0) post({ type: "outcomes", outcomes: batch })
  post({ type: "done" })
})

Effect.runPromise(program).catch((e: unknown) => post({ type: "error", message: messageOf(e) }))
