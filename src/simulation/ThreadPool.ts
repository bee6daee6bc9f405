/**
 * The pool of simulation threads: a range of a batch's runs played on a
 * worker thread (`Worker.ts`), its outcomes posted back as they come. The
 * threads are started on first use and kept for the next batch.
 *
 * @since 0.1.0
 */
import type { Worker } from "node:worker_threads"
import { Effect } from "effect"
import type { Batch, RunOutcome } from "./Batch.ts"
import { startPlayingThread, type ThreadKind } from "./PlayingThread.ts"
import type { Agents } from "./Runner.ts"
import { ThreadFailed } from "./ThreadFailed.ts"

/** What the pool asks a simulation worker to play: runs `[from, to)` of the batch of `file`. */
export interface WorkerTask {
  readonly id: number
  readonly file: string
  readonly overrides: Readonly<Record<string, string>>
  readonly agents: Agents
  readonly seed: number
  readonly from: number
  readonly to: number
  readonly outDir?: string | undefined
  readonly nats?: string | undefined
}

/** Message a simulation worker posts, tagged with its task's id. */
export type WorkerMessage =
  | {
      readonly type: "outcomes"
      readonly task: number
      readonly outcomes: ReadonlyArray<RunOutcome>
    }
  | { readonly type: "done"; readonly task: number }
  | { readonly type: "error"; readonly task: number; readonly message: string }

/** A Monte Carlo thread (see `PlayingThread.ts`). */
const simulationThread: ThreadKind = {
  module: new URL("./Worker.ts", import.meta.url),
  bundled: "simulation-worker.mjs",
}

/**
 * The simulation threads of this process, started on first use and kept: a
 * thread's start (the loader, every module compiled, the JIT warmed) is paid
 * once per process, not once per batch. An idle thread does not keep the
 * process alive (it is unref'd until its next task).
 */
interface PooledThread {
  readonly worker: Worker
  /** The task it is playing, with how its messages are handled; none when idle. */
  current: ((m: WorkerMessage | ThreadFailed) => void) | undefined
  /** Ends it after {@link idleMs} without a task (a long-lived process does not hold threads for nothing). */
  idle: ReturnType<typeof setTimeout> | undefined
}
const idleMs = 30_000
const threads: Array<PooledThread> = []
let tasks = 0

/** How many simulation threads this process holds (started and kept; see `simulate` in `MonteCarlo.ts`). */
export const simulationThreads = (): number => threads.length

const startThread = (): PooledThread => {
  const thread: PooledThread = {
    worker: startPlayingThread(simulationThread),
    current: undefined,
    idle: undefined,
  }
  const retire = (e: ThreadFailed) => {
    const at = threads.indexOf(thread)
    if (at !== -1) threads.splice(at, 1)
    clearTimeout(thread.idle)
    thread.current?.(e)
  }
  thread.worker.on("message", (m: WorkerMessage) => thread.current?.(m))
  thread.worker.on("error", (e) => retire(new ThreadFailed({ message: e.message, cause: e })))
  thread.worker.on("exit", (code) =>
    retire(new ThreadFailed({ message: `simulation thread exited (code ${code})` })),
  )
  threads.push(thread)
  return thread
}

/** Plays runs `[from, to)` of a batch on an idle pooled thread (or a new one). */
export const inWorker = (
  batch: Batch,
  options: {
    readonly seed: number
    readonly outDir?: string | undefined
    readonly nats?: string | undefined
  },
  from: number,
  to: number,
  onOutcomes: (outcomes: ReadonlyArray<RunOutcome>) => void,
) =>
  Effect.async<void, ThreadFailed>((resume) => {
    const thread = threads.find((t) => t.current === undefined) ?? startThread()
    const id = ++tasks
    clearTimeout(thread.idle)
    const finish = (exit: Effect.Effect<void, ThreadFailed>) => {
      thread.current = undefined
      thread.worker.unref()
      thread.idle = setTimeout(() => {
        if (thread.current !== undefined) return
        const at = threads.indexOf(thread)
        if (at !== -1) threads.splice(at, 1)
        void thread.worker.terminate()
      }, idleMs)
      thread.idle.unref()
      resume(exit)
    }
    thread.current = (m) => {
      if (m instanceof ThreadFailed) finish(Effect.fail(m))
      else if (m.task !== id) return
      else if (m.type === "outcomes") onOutcomes(m.outcomes)
      else if (m.type === "done") finish(Effect.void)
      else finish(Effect.fail(new ThreadFailed({ message: m.message })))
    }
    thread.worker.ref()
    const task: WorkerTask = {
      id,
      file: batch.file,
      overrides: batch.overrides,
      agents: batch.agents,
      seed: options.seed,
      from,
      to,
      outDir: options.outDir,
      nats: options.nats,
    }
    thread.worker.postMessage(task)
    // Interrupted mid-task: the thread cannot be told to stop, so it goes (the next batch starts another).
    return Effect.promise(() => {
      thread.current = undefined
      const at = threads.indexOf(thread)
      if (at !== -1) threads.splice(at, 1)
      return thread.worker.terminate()
    })
  })
