/**
 * Running a tournament: load the file and its scenarios once, plan every
 * negotiation, play them (in this thread or across worker threads; each
 * negotiation depends only on its own seed, so the split changes nothing),
 * score and rank, and write `logs/`, `negotiations.csv`, `scores.csv` and
 * `tournament.json` under the output folder.
 *
 * With `resume`, a negotiation whose log already holds a terminal state is
 * not played into its log again; an incomplete log is deleted and played
 * again. The result equals an uninterrupted run's.
 *
 * With `nats`, the logs go to the NATS event stream instead of `logs/` (one
 * connection per thread for the whole tournament; the results still go under
 * the output folder when there is one, else they are only returned). The
 * stream is append-only: an incomplete history is finished, not replaced —
 * the negotiation is replayed from its seed, its stored events must be a
 * prefix of the replay's, and only the rest is appended (see `Play.ts`).
 *
 * A tournament with remote competitors (`{ kind: "remote" }`) plays in this
 * process (their connection cannot cross threads): up to `concurrency`
 * negotiations at once, so that several wait on their agents together, by
 * the same bounded `Effect.forEach` as a Monte Carlo batch with remote agents
 * (`runRange` in `simulation/Batch.ts`). Each negotiation still depends
 * only on its seed and its result is kept at its place in the plan, so the
 * result does not depend on which reply came first.
 *
 * @since 0.2.0
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { join } from "node:path"
import type { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { Effect, type Scope } from "effect"
import type { ScenarioError } from "../scenario/Load.ts"
import type { ConnectAgents } from "../simulation/Batch.ts"
import { remoteConcurrency } from "../simulation/MonteCarlo.ts"
import { startPlayingThread, type ThreadKind } from "../simulation/PlayingThread.ts"
import { ThreadFailed } from "../simulation/ThreadFailed.ts"
import * as Spec from "../store/Spec.ts"
import { negotiationsCsv, rank, scoresCsv } from "./Aggregate.ts"
import { loadTournament, type Tournament } from "./Definition.ts"
import { type PlannedNegotiation, planOf } from "./Plan.ts"
import {
  arenaOf,
  hasRemoteCompetitor,
  type PlayError,
  playNegotiation,
  type Resumed,
} from "./Play.ts"
import type { NegotiationResult, TournamentResult } from "./Result.ts"

/** Options of {@link runTournament}. */
export interface TournamentOptions<E = never, R = never, EngineError = never> {
  /** Where to write the logs and results (default: nothing written, logs in memory). */
  readonly outDir?: string | undefined
  /** Worker threads (default: none under 200 negotiations, else one per core but one, up to 8). */
  readonly workers?: number | undefined
  readonly resume?: boolean | undefined
  /** Log every negotiation in the event stream of this NATS server instead of under `outDir/logs`. */
  readonly nats?: string | undefined
  /** Replaces the file's seed. */
  readonly seed?: number | undefined
  readonly onProgress?: ((done: number, total: number) => void) | undefined
  /** Plays the negotiations elsewhere (`--distributed`: on `parley worker`s), handing each result over. */
  readonly engine?: TournamentEngine<EngineError> | undefined
  /**
   * Opens the connection to remote competitors when the tournament has one
   * (see `remote/Connect.ts`); without it, a remote competitor is refused
   * with the reason before anything plays.
   */
  readonly connect?: ConnectAgents<E, R> | undefined
  /** With remote competitors: how many negotiations wait on them at once (default {@link remoteConcurrency}). */
  readonly concurrency?: number | undefined
}

/** Plays a tournament's plan somewhere other than this process's threads; fails with `EngineError`. */
export type TournamentEngine<EngineError = never> = (
  tournament: Tournament,
  plan: ReadonlyArray<PlannedNegotiation>,
  onResult: (index: number, result: NegotiationResult) => void,
) => Effect.Effect<void, EngineError>

/** What a run of a tournament gives. */
export interface TournamentRun {
  readonly result: TournamentResult
  readonly plan: ReadonlyArray<PlannedNegotiation>
  /** Negotiations played now, found complete, or played again after an incomplete log. */
  readonly counts: Readonly<Record<Resumed, number>>
  readonly seconds: number
  /** With remote competitors: how many negotiations played at once (in this process); else undefined. */
  readonly remote: number | undefined
}

/** What a worker is asked to do. */
export interface WorkerTask {
  readonly file: string
  readonly seed?: number | undefined
  readonly indices: ReadonlyArray<number>
  readonly outDir?: string | undefined
  readonly resume?: boolean | undefined
  readonly nats?: string | undefined
}

/** What a worker posts. */
export type WorkerMessage =
  | {
      readonly type: "result"
      readonly index: number
      readonly result: NegotiationResult
      readonly resumed: Resumed
    }
  | { readonly type: "done" }
  | { readonly type: "error"; readonly message: string }

/** A tournament thread (see `simulation/PlayingThread.ts`). */
const tournamentThread: ThreadKind = {
  module: new URL("./Worker.ts", import.meta.url),
  bundled: "tournament-worker.mjs",
}

const inWorker = (
  task: WorkerTask,
  onResult: (index: number, result: NegotiationResult, resumed: Resumed) => void,
) =>
  Effect.async<void, ThreadFailed>((resume) => {
    const worker = startPlayingThread(tournamentThread, task)
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "result") onResult(m.index, m.result, m.resumed)
      else if (m.type === "done") resume(Effect.void)
      else resume(Effect.fail(new ThreadFailed({ message: m.message })))
    })
    worker.on("error", (e) =>
      resume(Effect.fail(new ThreadFailed({ message: e.message, cause: e }))),
    )
    return Effect.promise(() => worker.terminate())
  })

/**
 * What a tournament can fail with when it plays in this process: its file,
 * a negotiation ({@link PlayError}), opening the event stream of `nats`, or a
 * tournament thread ({@link ThreadFailed}). The connection to remote
 * competitors' failures (`E`) and an engine's (`EngineError`) are added to these.
 */
export type TournamentError =
  | ScenarioError
  | PlayError
  | Spec.OpenError<Spec.NatsSpec>
  | ThreadFailed

/** Runs the tournament of `file`. */
export const runTournament = <E = never, R = never, EngineError = never>(
  file: string,
  options: TournamentOptions<E, R, EngineError> = {},
): Effect.Effect<
  TournamentRun,
  TournamentError | E | EngineError,
  Exclude<Exclude<R, Scope.Scope>, FileSystem.FileSystem>
> =>
  Effect.gen(function* () {
    const started = process.hrtime.bigint()
    const tournament = yield* loadTournament(file, { seed: options.seed })
    const transport =
      options.connect === undefined
        ? undefined
        : yield* options.connect(hasRemoteCompetitor(tournament))
    const arena = yield* arenaOf(tournament, transport)
    const plan = planOf(tournament)
    const d = tournament.definition
    if (options.outDir !== undefined)
      mkdirSync(options.nats === undefined ? join(options.outDir, "logs") : options.outDir, {
        recursive: true,
      })
    // Remote competitors' connection lives in this process: no worker threads for them.
    const workers =
      transport !== undefined
        ? 0
        : Math.min(
            plan.length,
            // A worker costs a loader start and its own scenario preparation: worth it on big plans only.
            options.workers ?? (plan.length >= 200 ? Math.min(availableParallelism() - 1, 8) : 0),
          )
    const results: Array<NegotiationResult | undefined> = new Array(plan.length)
    const counts: Record<Resumed, number> = { new: 0, complete: 0, restarted: 0 }
    let done = 0
    const record = (index: number, result: NegotiationResult, resumed: Resumed) => {
      results[index] = result
      counts[resumed]++
      options.onProgress?.(++done, plan.length)
    }
    if (options.engine !== undefined) {
      yield* options.engine(tournament, plan, (index, result) => {
        // Each index counts once, however often its item was delivered.
        if (results[index] === undefined) record(index, result, "new")
      })
    } else if (workers <= 1) {
      const concurrency = transport === undefined ? 1 : (options.concurrency ?? remoteConcurrency)
      const store =
        options.nats === undefined ? undefined : yield* Spec.openStore(Spec.nats(options.nats))
      yield* Effect.forEach(
        plan,
        (planned) =>
          Effect.map(
            playNegotiation(arena, planned, { ...options, store }),
            ({ result, resumed }) => record(planned.index, result, resumed),
          ),
        { concurrency, discard: true },
      )
    } else {
      yield* Effect.forEach(
        Array.from({ length: workers }, (_, w) => plan.filter((p) => p.index % workers === w)),
        (share) =>
          inWorker(
            {
              file,
              seed: options.seed,
              indices: share.map((p) => p.index),
              outDir: options.outDir,
              resume: options.resume,
              nats: options.nats,
            },
            record,
          ),
        { concurrency: "unbounded" },
      )
    }
    const negotiations = results.map((r, i) => {
      if (r === undefined) throw new Error(`negotiation ${plan[i]!.id} gave no result`)
      return r
    })
    const result: TournamentResult = {
      id: d.id,
      seed: d.seed,
      score: d.score,
      definition: d,
      scenarios: arena.scenarios.map((s, i) => ({
        name: s.name,
        parties: tournament.scenarios[i]!.seats,
        outcomes: s.base.space.size,
      })),
      negotiations,
      ranking: rank(
        d.competitors.map((c) => c.name),
        negotiations,
        d.score,
      ),
    }
    if (options.outDir !== undefined) writeResult(options.outDir, result)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const remote = transport === undefined ? undefined : (options.concurrency ?? remoteConcurrency)
    return { result, plan, counts, seconds, remote } satisfies TournamentRun
  }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))

/** Writes `tournament.json`, `negotiations.csv` and `scores.csv` under `outDir`. */
export const writeResult = (outDir: string, result: TournamentResult): void => {
  writeFileSync(join(outDir, "tournament.json"), `${JSON.stringify(result, null, 2)}\n`)
  writeFileSync(join(outDir, "negotiations.csv"), negotiationsCsv(result))
  writeFileSync(join(outDir, "scores.csv"), scoresCsv(result))
}
