/**
 * Monte Carlo: many independent runs of one scenario (seeds `seed`,
 * `seed + 1`, ...), each in its own event log, and a summary of the outcomes.
 * Large batches are split across worker threads (one per core); the outcome of
 * each run depends only on its seed, so the summary is the same whatever the
 * split.
 *
 * A batch with remote agents (`{ kind: "remote" }`) plays in this process
 * (its connection cannot cross threads): up to `concurrency` runs at once, so
 * that several negotiations wait on their agents together. Each run still
 * depends only on its seed, and the outcomes are kept in run order, so the
 * summary does not depend on which reply came first.
 *
 * @since 0.1.0
 */
import { mkdirSync } from "node:fs"
import { availableParallelism } from "node:os"
import { Effect } from "effect"
import { type Batch, type RunFailure, type RunOutcome, runRange } from "./Batch.ts"
import { type Summary, summarize } from "./Summary.ts"
import type { ThreadFailed } from "./ThreadFailed.ts"
import { inWorker } from "./ThreadPool.ts"

/**
 * What a batch can fail with when it plays in this process: a run's failure,
 * or a simulation thread's ({@link ThreadFailed}). An {@link RunEngine}'s
 * failures (`EngineError`) are added to these.
 */
export type BatchError = RunFailure | ThreadFailed

/** Options of {@link simulate}. */
export interface SimulateOptions<EngineError = never> {
  readonly runs: number
  readonly seed: number
  readonly outDir?: string | undefined
  /** Record every run in this NATS server's log instead of in memory. */
  readonly nats?: string | undefined
  /** Worker threads to use (default: one per core when runs >= 1000, else none; none with remote agents). */
  readonly workers?: number | undefined
  /** With remote agents: how many runs wait on them at once (default {@link remoteConcurrency}). */
  readonly concurrency?: number | undefined
  readonly onProgress?: ((done: number) => void) | undefined
  /**
   * Plays the runs elsewhere (`--distributed`: on `parley worker`s): the
   * outcomes of runs `0..runs-1` with seeds `seed + run`, handed over as they come.
   */
  readonly engine?: RunEngine<EngineError> | undefined
}

/** How many runs of a batch with remote agents play at once by default. */
export const remoteConcurrency = 8

/** Plays a batch's runs somewhere other than this process's threads; fails with `EngineError`. */
export type RunEngine<EngineError = never> = (
  batch: Batch,
  options: {
    readonly seed: number
    readonly runs: number
    readonly onOutcomes: (outcomes: ReadonlyArray<RunOutcome>) => void
  },
) => Effect.Effect<void, EngineError>

/** Runs a batch and summarises it. */
export const simulate = <EngineError = never>(
  batch: Batch,
  options: SimulateOptions<EngineError>,
): Effect.Effect<
  { readonly summary: Summary; readonly outcomes: ReadonlyArray<RunOutcome> },
  BatchError | EngineError
> =>
  Effect.gen(function* () {
    const started = process.hrtime.bigint()
    if (options.outDir !== undefined) mkdirSync(options.outDir, { recursive: true })
    // Remote agents' connection lives in this process: no worker threads for them.
    const workers =
      batch.transport !== undefined
        ? 0
        : (options.workers ?? (options.runs >= 1000 ? Math.min(availableParallelism(), 8) : 0))
    let done = 0
    const outcomes: Array<RunOutcome> = []
    if (options.engine !== undefined) {
      yield* options.engine(batch, {
        seed: options.seed,
        runs: options.runs,
        onOutcomes: (received) => {
          outcomes.push(...received)
          done += received.length
          options.onProgress?.(done)
        },
      })
      outcomes.sort((a, b) => a.run - b.run)
    } else if (workers <= 1) {
      const all = yield* runRange(batch, {
        seed: options.seed,
        from: 0,
        to: options.runs,
        outDir: options.outDir,
        nats: options.nats,
        onOutcome: () => options.onProgress?.(++done),
        concurrency: batch.transport === undefined ? 1 : (options.concurrency ?? remoteConcurrency),
      })
      outcomes.push(...all)
    } else {
      const size = Math.ceil(options.runs / workers)
      yield* Effect.forEach(
        Array.from(
          { length: workers },
          (_, w) => [w * size, Math.min(options.runs, (w + 1) * size)] as const,
        ).filter(([a, b]) => a < b),
        ([from, to]) =>
          inWorker(batch, options, from, to, (received) => {
            outcomes.push(...received)
            done += received.length
            options.onProgress?.(done)
          }),
        { concurrency: "unbounded" },
      )
      outcomes.sort((a, b) => a.run - b.run)
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    return { summary: summarize(batch, outcomes, options.seed, seconds), outcomes }
  })
