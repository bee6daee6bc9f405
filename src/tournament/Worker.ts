/**
 * A tournament worker thread: loads the tournament itself (strategies are
 * functions and cannot be sent between threads), plays its share of the plan
 * (on a NATS connection of its own with `nats`) and posts each negotiation's result back.
 *
 * @since 0.2.0
 */
import { parentPort, workerData } from "node:worker_threads"
import { NodeFileSystem } from "@effect/platform-node"
import { Effect } from "effect"
import { messageOf } from "../domain/Errors.ts"
import * as Spec from "../store/Spec.ts"
import { loadTournament } from "./Definition.ts"
import { planOf } from "./Plan.ts"
import { arenaOf, playNegotiation } from "./Play.ts"
import type { WorkerMessage, WorkerTask } from "./Tournament.ts"

const task = workerData as WorkerTask
const post = (m: WorkerMessage) => parentPort?.postMessage(m)

const program = Effect.gen(function* () {
  const tournament = yield* loadTournament(task.file, { seed: task.seed })
  const arena = yield* arenaOf(tournament)
  const plan = planOf(tournament)
  // One connection for this thread's whole share.
  const store = task.nats === undefined ? undefined : yield* Spec.openStore(Spec.nats(task.nats))
  for (const i of task.indices) {
    const { result, resumed } = yield* playNegotiation(arena, plan[i]!, { ...task, store })
    post({ type: "result", index: i, result, resumed })
  }
  post({ type: "done" })
}).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))

Effect.runPromise(program).catch((e: unknown) => post({ type: "error", message: messageOf(e) }))
