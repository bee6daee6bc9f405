/**
 * A Monte Carlo worker thread. It starts once and stays (see the pool in
 * `MonteCarlo.ts`): its modules are loaded and compiled on the first task and
 * kept for the next ones, so a second batch pays no start-up. Each task names
 * the scenario (functions cannot be sent between threads), which the thread
 * loads itself, runs its share of the seeds and posts the outcomes back in
 * batches, each message tagged with the task's id.
 *
 * @since 0.1.0
 */
import { parentPort } from "node:worker_threads"
import { Effect } from "effect"
import { messageOf } from "../domain/Errors.ts"
import type { RunOutcome } from "./Batch.ts"
import { loadBatch, runRange } from "./Batch.ts"
import type { WorkerMessage, WorkerTask } from "./ThreadPool.ts"

const post = (m: WorkerMessage) => parentPort?.postMessage(m)

const play = (task: WorkerTask) =>
  Effect.gen(function* () {
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
          post({ type: "outcomes", task: task.id, outcomes: batch })
          batch = []
        }
      },
    })
    if (batch.length > 0) post({ type: "outcomes", task: task.id, outcomes: batch })
    post({ type: "done", task: task.id })
  })

// One task at a time: the pool gives a thread its next task only after "done" or "error".
parentPort?.on("message", (task: WorkerTask) => {
  Effect.runPromise(play(task)).catch((e: unknown) =>
    post({ type: "error", task: task.id, message: messageOf(e) }),
  )
})
