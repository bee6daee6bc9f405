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
import { join } from "node:path"
import type { Worker } from "node:worker_threads"
import { Effect, Either, type Scope } from "effect"
import { type Analysis, analyze } from "../analysis/Analyze.ts"
import { dominatesWithin } from "../analysis/Pareto.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import type { Terms } from "../domain/Issue.ts"
import {
  instantiate,
  readDefinition,
  type ScenarioError,
  type Uncertain,
  uncertainParameters,
} from "../scenario/Load.ts"
import { realSteps } from "../scenario/Scenario.ts"
import { EventStore, type EventStoreService } from "../store/EventStore.ts"
import * as Spec from "../store/Spec.ts"
import { startPlayingThread, type ThreadKind } from "./PlayingThread.ts"
import { seeded } from "./Random.ts"
import type { RemoteAgents } from "./RemoteAgents.ts"
import { type Agents, needsTransport, type Prepared, prepare, run } from "./Runner.ts"
import { discountedOf, type PartyScore } from "./Scores.ts"
import { ThreadFailed } from "./ThreadFailed.ts"

/** The outcome of one run. */
export interface RunOutcome {
  readonly run: number
  readonly seed: number
  readonly status: string
  readonly rounds: number
  readonly events: number
  readonly agreement: Terms | null
  /**
   * Per party with preferences: the agreement's utility discounted to its
   * moment, or the reservation value discounted to the end of talks
   * (`scores[party].discounted`).
   */
  readonly utilities: Readonly<Record<string, number>>
  /** Normalised time of the agreement (null without agreement). */
  readonly agreementTime: number | null
  /** Per party: utility, discounted, reservation, advantage (see `Scores.ts`). */
  readonly scores: Readonly<Record<string, PartyScore>>
  /** The values drawn for the scenario's uncertain parameters in this run. */
  readonly drawn: Readonly<Record<string, number>>
}

/** What a batch of runs shows. */
export interface Summary {
  readonly runs: number
  readonly seed: number
  readonly statuses: Readonly<Record<string, number>>
  readonly agreementRate: number
  /** Rounds to agreement over the agreed runs (null when none agreed). */
  readonly roundsToAgreement: {
    readonly median: number
    readonly p90: number
    readonly mean: number
  } | null
  /** Per issue, per value: the share of agreements that settled on it. */
  readonly optionFrequencies: Readonly<Record<string, Readonly<Record<string, number>>>>
  /** Per party: the mean over runs of its discounted utility (discounted reservation value without agreement). */
  readonly meanUtility: Readonly<Record<string, number>>
  /** Per party: the mean advantage (discounted utility minus discounted reservation; 0 without agreement). */
  readonly meanAdvantage: Readonly<Record<string, number>>
  /** Mean normalised time of the agreements (null when none agreed). */
  readonly meanAgreementTime: number | null
  /** Share of agreements no outcome Pareto-dominates (null when preferences are not all known or nothing agreed). */
  readonly paretoEfficientShare: number | null
  /** Per uncertain parameter: its range and its mean over agreed and over other runs. */
  readonly drawn: Readonly<
    Record<
      string,
      {
        readonly min: number
        readonly max: number
        readonly meanAgreed: number | null
        readonly meanOther: number | null
      }
    >
  >
  readonly events: number
  readonly seconds: number
}

/** A scenario ready for many runs: its definition, the overrides, and what each run draws. */
export interface Batch {
  readonly file: string
  readonly definition: unknown
  readonly overrides: Readonly<Record<string, string>>
  /** Strategies replacing the scenario's, per party (`--agent`). */
  readonly agents: Agents
  readonly uncertain: ReadonlyArray<Uncertain>
  /** The scenario with every parameter at its default or override. */
  readonly base: Prepared
  /** How its remote agents are reached; set only when the batch has one (then it plays in this process). */
  readonly transport?: RemoteAgents | undefined
}

/** Opens the connection to remote agents when `needed` (see `remote/Connect.ts`). */
export type ConnectAgents<E, R> = (needed: boolean) => Effect.Effect<RemoteAgents | undefined, E, R>

/**
 * Reads a scenario once for a batch of runs. With `connect`, a batch whose
 * parties include a remote agent gets its transport from it (without, a
 * remote agent is refused with the reason).
 */
export const loadBatch = <E = never, R = never>(
  file: string,
  overrides: Readonly<Record<string, string>>,
  agents: Agents = {},
  connect?: ConnectAgents<E, R>,
): Effect.Effect<Batch, ScenarioError | E, R> =>
  Effect.gen(function* () {
    const definition = yield* readDefinition(file)
    const uncertain = yield* uncertainParameters(file, definition, overrides)
    const compiled = yield* instantiate(file, definition, overrides)
    const transport =
      connect === undefined ? undefined : yield* connect(needsTransport(compiled, agents))
    const base = yield* prepare(compiled, agents, { transport })
    return transport === undefined
      ? { file, definition, overrides, agents, uncertain, base }
      : { file, definition, overrides, agents, uncertain, base, transport }
  })

/** The scenario of one run: the base, or a fresh instance with its uncertain parameters drawn from `seed`. */
export const preparedFor = (
  batch: Batch,
  seed: number,
): Either.Either<
  { readonly prepared: Prepared; readonly drawn: Record<string, number> },
  ScenarioError
> => {
  if (batch.uncertain.length === 0) return Either.right({ prepared: batch.base, drawn: {} })
  const random = seeded(seed, 1_000_003)
  const drawn: Record<string, number> = {}
  for (const u of batch.uncertain) drawn[u.name] = u.min + (u.max - u.min) * random()
  const overrides = { ...batch.overrides }
  for (const [k, v] of Object.entries(drawn)) overrides[k] = String(v)
  return Either.map(
    Either.flatMap(instantiate(batch.file, batch.definition, overrides), (c) =>
      prepare(c, batch.agents, { transport: batch.transport }),
    ),
    (prepared) => ({
      prepared,
      drawn,
    }),
  )
}

/**
 * What one run of a batch can fail with: drawing its scenario's uncertain
 * parameters, opening its event log, or playing it.
 */
export type RunFailure =
  | ScenarioError
  | Spec.OpenError
  | Effect.Effect.Error<ReturnType<typeof run>>

/**
 * What a batch can fail with when it plays in this process: a run's failure,
 * or a simulation thread's ({@link ThreadFailed}). An {@link RunEngine}'s
 * failures (`EngineError`) are added to these.
 */
export type BatchError = RunFailure | ThreadFailed

/** Runs `[from, to)` of a batch in this thread. */
export const runRange = (
  batch: Batch,
  options: {
    readonly seed: number
    readonly from: number
    readonly to: number
    readonly outDir?: string | undefined
    /** Record every run in this NATS server's log (one connection for the whole range). */
    readonly nats?: string | undefined
    readonly onOutcome?: ((o: RunOutcome) => void) | undefined
    /**
     * How many runs play at once (default 1: one after the other). More only
     * pays when moves wait on something outside (remote agents); the outcomes
     * are returned in run order all the same (`onOutcome` sees them as they end).
     */
    readonly concurrency?: number | undefined
  },
): Effect.Effect<ReadonlyArray<RunOutcome>, RunFailure> =>
  Effect.gen(function* () {
    const nats =
      options.nats === undefined ? undefined : yield* Spec.openStore(Spec.nats(options.nats))
    const runOne = playRun(batch, options, nats)
    const concurrency = options.concurrency ?? 1
    if (concurrency > 1)
      return yield* Effect.forEach(
        Array.from({ length: Math.max(0, options.to - options.from) }, (_, k) => options.from + k),
        runOne,
        { concurrency },
      )
    const outcomes: Array<RunOutcome> = []
    for (let i = options.from; i < options.to; i++) outcomes.push(yield* runOne(i))
    return outcomes
  }).pipe(Effect.scoped)

/** One run of a batch, its outcome handed to `onOutcome` as it ends. */
const playRun =
  (batch: Batch, options: Parameters<typeof runRange>[1], nats: EventStoreService | undefined) =>
  (i: number): Effect.Effect<RunOutcome, RunFailure, Scope.Scope> =>
    Effect.gen(function* () {
      const seed = options.seed + i
      const { prepared, drawn } = yield* preparedFor(batch, seed)
      const { scenario } = prepared.compiled
      const store =
        nats !== undefined
          ? Effect.succeed(nats)
          : Spec.openStore(
              options.outDir === undefined
                ? Spec.memory
                : Spec.jsonl(join(options.outDir, `run-${String(i).padStart(6, "0")}.jsonl`)),
            )
      const played = run(prepared, {
        seed,
        // Nobody watches a batch run live: append its log in one commit.
        appendEvery: nats === undefined ? "run" : "turn",
        negotiationId: `${scenario.id}-run${i}`.slice(0, 64) as NegotiationId,
        // What `parley report --batch` needs to redraw this run's parameters.
        openingMetadata: {
          scenario: batch.file,
          seed,
          overrides: JSON.stringify(batch.overrides),
          ...(Object.keys(batch.agents).length === 0
            ? {}
            : { agents: JSON.stringify(batch.agents) }),
        },
      })
      // A fresh log per run (in memory, or its own file) without building a layer (a scope and a memo map per run).
      const result = yield* Effect.provideServiceEffect(played, EventStore, store)
      const agreement = result.state.agreement?.terms ?? null
      const outcome: RunOutcome = {
        run: i,
        seed,
        status: result.state.status,
        rounds: result.rounds,
        events: result.events,
        agreement,
        utilities: discountedOf(result.scores),
        agreementTime: result.scores.agreementTime,
        scores: result.scores.parties,
        drawn,
      }
      options.onOutcome?.(outcome)
      return outcome
    })

const quantile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!

/** The Pareto analysis of the principals' preferences, when every principal has linear or custom preferences. */
export const frontierOf = (prepared: Prepared): Analysis | undefined => {
  const principals = prepared.compiled.scenario.parties.filter((p) => p.role === "principal")
  const profiles = principals.flatMap((p) => {
    const prepared_ = prepared.parties.find((q) => q.id === p.id)
    return prepared_?.preferences === undefined
      ? []
      : [{ party: p.id as string, preferences: prepared_.preferences }]
  })
  if (profiles.length !== principals.length || profiles.length < 2) return undefined
  if (prepared.space.size > 2_000_000) return undefined
  return Either.getOrUndefined(
    analyze(prepared.compiled.scenario.issues, profiles, {
      realStep: realSteps(prepared.compiled.scenario),
    }),
  )
}

/** Summarises the outcomes of a batch. */
export const summarize = (
  batch: Batch,
  outcomes: ReadonlyArray<RunOutcome>,
  seed: number,
  seconds: number,
): Summary => {
  const prepared = batch.base
  const statuses: Record<string, number> = {}
  const frequencies: Record<string, Record<string, number>> = {}
  const agreedRounds: Array<number> = []
  const totals: Record<string, number> = {}
  const advantages: Record<string, number> = {}
  let agreementTimes = 0
  let events = 0
  const analysis = frontierOf(prepared)
  const principals = analysis?.parties ?? []
  let efficient = 0
  for (const o of outcomes) {
    statuses[o.status] = (statuses[o.status] ?? 0) + 1
    events += o.events
    for (const [p, u] of Object.entries(o.utilities)) totals[p] = (totals[p] ?? 0) + u
    for (const [p, s] of Object.entries(o.scores))
      advantages[p] = (advantages[p] ?? 0) + s.advantage
    if (o.agreement === null) continue
    agreedRounds.push(o.rounds)
    agreementTimes += o.agreementTime ?? 0
    for (const [issue, value] of Object.entries(o.agreement)) {
      const perIssue = frequencies[issue] ?? {}
      frequencies[issue] = perIssue
      perIssue[String(value)] = (perIssue[String(value)] ?? 0) + 1
    }
    if (analysis !== undefined) {
      const u = principals.map((p) =>
        prepared.parties.find((q) => q.id === p)!.utility(o.agreement!),
      )
      // Within rounding: a frontier point tied on one party and better for another dominates.
      const dominated = analysis.paretoFrontier.some((f) =>
        dominatesWithin(
          principals.map((p) => f.utilities[p] ?? 0),
          u,
        ),
      )
      if (!dominated) efficient++
    }
  }
  const agreed = agreedRounds.length
  for (const perIssue of Object.values(frequencies))
    for (const k of Object.keys(perIssue)) perIssue[k] = perIssue[k]! / agreed
  agreedRounds.sort((a, b) => a - b)
  const meanUtility: Record<string, number> = {}
  for (const [p, t] of Object.entries(totals)) meanUtility[p] = t / outcomes.length
  const meanAdvantage: Record<string, number> = {}
  for (const [p, t] of Object.entries(advantages)) meanAdvantage[p] = t / outcomes.length
  const drawn: Record<string, Summary["drawn"][string]> = {}
  for (const u of batch.uncertain) {
    const mean = (agreed: boolean) => {
      const xs = outcomes
        .filter((o) => (o.agreement !== null) === agreed)
        .map((o) => o.drawn[u.name] ?? 0)
      return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length
    }
    drawn[u.name] = { min: u.min, max: u.max, meanAgreed: mean(true), meanOther: mean(false) }
  }
  return {
    runs: outcomes.length,
    seed,
    statuses,
    agreementRate: outcomes.length === 0 ? 0 : agreed / outcomes.length,
    roundsToAgreement:
      agreed === 0
        ? null
        : {
            median: quantile(agreedRounds, 0.5),
            p90: quantile(agreedRounds, 0.9),
            mean: agreedRounds.reduce((s, x) => s + x, 0) / agreed,
          },
    optionFrequencies: frequencies,
    meanUtility,
    meanAdvantage,
    meanAgreementTime: agreed === 0 ? null : agreementTimes / agreed,
    paretoEfficientShare: analysis === undefined || agreed === 0 ? null : efficient / agreed,
    drawn,
    events,
    seconds,
  }
}

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

/** How many simulation threads this process holds (started and kept; see {@link simulate}). */
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

const inWorker = (
  batch: Batch,
  options: SimulateOptions<unknown>,
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
