/**
 * A Monte Carlo worker thread: loads the scenario itself (functions cannot be
 * sent between threads), runs its share of the seeds and posts the outcomes
 * back in batches.
 *
 * @since 0.1.0
 */
import { parentPort, workerData } from "node:worker_threads"
import { Effect } from "effect"
import { loadScenario } from "../scenario/Load.ts"
import type { RunOutcome, WorkerMessage } from "./MonteCarlo.ts"
import { runRange } from "./MonteCarlo.ts"
import { prepare } from "./Runner.ts"

interface Task {
  readonly file: string
  readonly overrides: Record<string, string>
  readonly seed: number
  readonly from: number
  readonly to: number
  readonly outDir?: string | undefined
}

const task = workerData as Task
const post = (m: WorkerMessage) => parentPort?.postMessage(m)

const program = Effect.gen(function* () {
  const compiled = yield* loadScenario(task.file, task.overrides)
  const prepared = yield* prepare(compiled)
  let batch: Array<RunOutcome> = []
  yield* runRange(prepared, {
    seed: task.seed,
    from: task.from,
    to: task.to,
    outDir: task.outDir,
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

Effect.runPromise(program).catch((e: unknown) =>
  post({ type: "error", message: e instanceof Error ? e.message : String(e) }),
)
