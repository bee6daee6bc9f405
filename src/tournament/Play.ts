/**
 * Playing one negotiation of a tournament through the real runner, into its
 * own event log (`logs/<id>.jsonl`, the NATS event stream, or memory), and scoring it: each party's
 * utility, discounted utility, reservation and advantage (the runner's
 * `scores`), social welfare, and the distances of the outcome to the Pareto
 * frontier, the Nash and the Kalai-Smorodinsky points of the scenario's
 * analysis, which is computed once per scenario.
 *
 * Interpreted: distances are measured in undiscounted utility space (where
 * the frontier lives), from the agreement's utilities, or from the
 * disagreement point (the reservation values) when there is no agreement;
 * `paretoOptimal` is null without agreement.
 *
 * @since 0.2.0
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Chunk, Data, Effect, Either, Stream } from "effect"
import type { Analysis } from "../analysis/Analyze.ts"
import { distance, distanceToFrontier } from "../analysis/Solutions.ts"
import { toPending } from "../app/CommandHandler.ts"
import { stateIn } from "../app/Projection.ts"
import { replayFile, replayNegotiation } from "../app/Replay.ts"
import type { EventEnvelope } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import type { Terms } from "../domain/Issue.ts"
import { isTerminal } from "../domain/Negotiation.ts"
import { ScenarioError } from "../scenario/Load.ts"
import type { RemoteAgents } from "../simulation/RemoteAgents.ts"
import { isRemoteSpec, type Prepared, prepare, type RunResult, run } from "../simulation/Runner.ts"
import type { AsyncPlayer, Strategy } from "../simulation/Strategy.ts"
import { frontierOf } from "../simulation/Summary.ts"
import { decodeStrategySpec, make, type StrategySpec } from "../simulation/strategies/index.ts"
import { EventStore, type EventStoreService, ExpectedVersion } from "../store/EventStore.ts"
import * as Spec from "../store/Spec.ts"
import type { Tournament } from "./Definition.ts"
import type { PlannedNegotiation } from "./Plan.ts"
import type { NegotiationResult, PartyResult } from "./Result.ts"

/** What every negotiation of one scenario shares: prepared once. */
export interface ScenarioContext {
  readonly name: string
  readonly base: Prepared
  readonly analysis: Analysis | undefined
  readonly frontier: ReadonlyArray<{
    readonly index: number
    readonly utilities: Array<number>
    readonly count: number
  }>
}

/** A tournament ready to play: its scenarios prepared and analysed, its competitors decoded. */
export interface Arena {
  readonly tournament: Tournament
  readonly scenarios: ReadonlyArray<ScenarioContext>
  readonly specs: ReadonlyArray<StrategySpec>
  /** How its remote competitors are reached; set only when it has one (then it plays in this process). */
  readonly transport?: RemoteAgents | undefined
}

/** Whether any competitor of the tournament is a remote agent (which needs a connection). */
export const hasRemoteCompetitor = (tournament: Tournament): boolean =>
  tournament.definition.competitors.some((c) => isRemoteSpec(c.strategy))

/**
 * Prepares every scenario once (outcome space, analysis) and decodes the
 * competitors. A remote competitor needs `transport` (see `remote/Connect.ts`).
 */
export const arenaOf = (
  tournament: Tournament,
  transport?: RemoteAgents | undefined,
): Either.Either<Arena, ScenarioError> =>
  Either.gen(function* () {
    const remoteAt = tournament.definition.competitors.findIndex((c) => isRemoteSpec(c.strategy))
    if (remoteAt >= 0 && transport === undefined)
      return yield* Either.left(
        new ScenarioError({
          file: tournament.file,
          path: `competitors[${remoteAt}].strategy`,
          problem:
            "a remote agent needs a connection to its agent: parley tournament gives it one (--nats URL or PARLEY_NATS_URL), in this process only",
        }),
      )
    const scenarios: Array<ScenarioContext> = []
    for (const s of tournament.scenarios) {
      const base = yield* prepare(s.compiled, {}, { transport })
      const analysis = frontierOf(base)
      scenarios.push({
        name: s.name,
        base,
        analysis,
        frontier:
          analysis === undefined
            ? []
            : analysis.paretoFrontier.map((e, index) => ({
                index,
                utilities: analysis.parties.map((p) => e.utilities[p] ?? 0),
                count: e.outcomes,
              })),
      })
    }
    // Decoding was checked when the file was loaded.
    const specs = tournament.definition.competitors.map((c) =>
      Either.getOrThrow(decodeStrategySpec(c.strategy)),
    )
    return transport === undefined
      ? { tournament, scenarios, specs }
      : { tournament, scenarios, specs, transport }
  })

/** A fresh strategy of a competitor: its spec made, or its remote agent with its fallback. */
const strategyOf = (arena: Arena, competitor: number): Strategy<AsyncPlayer> => {
  const spec = arena.specs[competitor]!
  return spec.kind === "remote" && arena.transport !== undefined
    ? arena.transport.strategy(spec)
    : make(spec)
}

/** The log of a negotiation under `outDir`. */
export const logPath = (outDir: string, id: string) => join(outDir, "logs", `${id}.jsonl`)

const preparedFor = (arena: Arena, planned: PlannedNegotiation): Prepared => {
  const base = arena.scenarios[planned.scenario]!.base
  const seats = new Map(planned.assignment)
  return {
    ...base,
    parties: base.parties.map((p) => {
      const c = seats.get(p.id)
      return c === undefined ? p : { ...p, strategy: strategyOf(arena, c) }
    }),
  }
}

/** Scores a finished run. */
export const scoreRun = (
  arena: Arena,
  planned: PlannedNegotiation,
  result: RunResult,
): NegotiationResult => {
  const context = arena.scenarios[planned.scenario]!
  const names = arena.tournament.definition.competitors.map((c) => c.name)
  const assignment: Record<string, string> = {}
  const parties: Record<string, PartyResult> = {}
  let socialWelfare = 0
  for (const [seat, c] of planned.assignment) {
    assignment[seat] = names[c]!
    const s = result.scores.parties[seat]
    const party: PartyResult = {
      competitor: names[c]!,
      utility: s?.utility ?? null,
      discounted: s?.discounted ?? 0,
      reservation: s?.reservation ?? 0,
      advantage: s?.advantage ?? 0,
    }
    parties[seat] = party
    socialWelfare += party.discounted
  }
  const agreement = (result.state.agreement?.terms ?? null) as Terms | null
  const a = context.analysis
  let distanceToPareto: number | null = null
  let distanceToNash: number | null = null
  let distanceToKS: number | null = null
  let paretoOptimal: boolean | null = null
  if (a !== undefined) {
    const u =
      agreement === null
        ? a.parties.map((p) => a.reservations[p] ?? 0)
        : a.parties.map((p) => context.base.parties.find((q) => q.id === p)!.utility(agreement))
    const dp = distanceToFrontier(context.frontier, u)
    distanceToPareto = Number.isFinite(dp) ? dp : null
    distanceToNash =
      a.nash === undefined
        ? null
        : distance(
            u,
            a.parties.map((p) => a.nash!.utilities[p] ?? 0),
          )
    distanceToKS =
      a.kalaiSmorodinsky === undefined
        ? null
        : distance(
            u,
            a.parties.map((p) => a.kalaiSmorodinsky!.utilities[p] ?? 0),
          )
    paretoOptimal = agreement === null ? null : dp <= 1e-9
  }
  return {
    id: planned.id,
    scenario: planned.scenarioName,
    repetition: planned.repetition,
    seed: planned.seed,
    assignment,
    status: result.state.status,
    rounds: result.rounds,
    agreementTime: result.scores.agreementTime,
    agreement: agreement as Record<string, string | number> | null,
    parties,
    socialWelfare,
    distanceToPareto,
    distanceToNash,
    distanceToKS,
    paretoOptimal,
  }
}

/** Where a negotiation's scores are kept once its log is complete (so `--resume` need not play it again). */
export const resultPath = (outDir: string, id: string) => join(outDir, "results", `${id}.json`)

const writeAtomically = (path: string, text: string) => {
  mkdirSync(join(path, ".."), { recursive: true })
  writeFileSync(`${path}.tmp`, text)
  renameSync(`${path}.tmp`, path)
}

/** The kept scores of a negotiation, if they are those of this plan entry and its logged outcome. */
const keptResult = (
  outDir: string,
  planned: PlannedNegotiation,
  status: string,
): NegotiationResult | undefined => {
  const path = resultPath(outDir, planned.id)
  if (!existsSync(path)) return undefined
  try {
    const kept = JSON.parse(readFileSync(path, "utf8")) as NegotiationResult
    return kept.id === planned.id &&
      kept.seed === planned.seed &&
      kept.scenario === planned.scenarioName &&
      kept.status === status
      ? kept
      : undefined
  } catch {
    return undefined
  }
}

/** What became of a negotiation's log on `--resume`. */
export type Resumed = "complete" | "restarted" | "new"

/** Whether the log at `path` holds negotiation `id` in a terminal state (an unreadable log is not complete). */
export const isComplete = (path: string, id: string): Effect.Effect<boolean> =>
  existsSync(path)
    ? replayFile(path, { negotiation: id }).pipe(
        Effect.map((projected) => isTerminal(stateIn(projected, id).status)),
        Effect.catchAll(() => Effect.succeed(false)),
      )
    : Effect.succeed(false)

/**
 * The largest commit the tournament appends to a stream, in characters of
 * JSON (well below NATS' default 1 MB payload, leaving room for non-ASCII
 * text); a single larger event is a commit of its own.
 */
const COMMIT_BYTES = 400_000

/**
 * Appends `envelopes` (versions `from + 1` on) in as few commits as fit in
 * {@link COMMIT_BYTES}, each expecting exactly the version before it: a
 * negotiation of ordinary size is one commit, on the stream whole or not at
 * all; a larger one is a prefix of commits, finished by `--resume`.
 */
const appendInCommits = (
  store: EventStoreService,
  id: NegotiationId,
  envelopes: ReadonlyArray<EventEnvelope>,
  from: number,
) =>
  Effect.gen(function* () {
    let version = from
    let start = 0
    while (start < envelopes.length) {
      let end = start
      // The commit's JSON array: its brackets, its envelopes and the commas between them.
      let bytes = 1
      while (end < envelopes.length) {
        const size = JSON.stringify(envelopes[end]).length + 1
        if (end > start && bytes + size > COMMIT_BYTES) break
        bytes += size
        end++
      }
      const commit = envelopes.slice(start, end)
      yield* store.append(id, toPending(commit), ExpectedVersion.Exact(version))
      version += commit.length
      start = end
    }
  })

const collect = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

/**
 * A negotiation's log from an earlier run cannot be kept: it is on the event
 * stream and this run has no `--resume`, or it differs from its replay (another
 * version or tournament file played it).
 */
export class ExistingLogConflict extends Data.TaggedError("ExistingLogConflict")<{
  readonly negotiationId: string
  readonly message: string
}> {}

/**
 * What playing one negotiation can fail with: its run (the negotiation, its
 * strategies, its event log) or a log of it from an earlier run.
 */
export type PlayError = Effect.Effect.Error<ReturnType<typeof run>> | ExistingLogConflict

/**
 * Plays one planned negotiation into the event stream `store` (NATS):
 * played in memory from its seed, then appended after what the stream
 * already holds of it. The stream is append-only, so a negotiation is never
 * logged again under another id nor twice under its own: the store's
 * history of the id must be a prefix of the replayed run's events (same
 * event ids: they derive from the id, the version, the simulated clock and
 * the event), and only the missing tail is appended, expecting exactly the
 * stored version (a concurrent writer makes it conflict, not duplicate).
 * A complete history is kept as it is. Without `resume`, any history of the
 * id is an error: the tournament was played into this stream already.
 */
const playOnStream = (
  arena: Arena,
  planned: PlannedNegotiation,
  prepared: Prepared,
  runOptions: Parameters<typeof run>[1],
  store: EventStoreService,
  options: { readonly outDir?: string | undefined; readonly resume?: boolean | undefined },
): Effect.Effect<{ readonly result: NegotiationResult; readonly resumed: Resumed }, PlayError> =>
  Effect.gen(function* () {
    const id = planned.id as NegotiationId
    const head = yield* store.version(id)
    if (head > 0 && options.resume !== true)
      return yield* new ExistingLogConflict({
        negotiationId: id,
        message: `negotiation ${id} is on the event stream already (${head} events): pass --resume to keep what is complete and finish the rest, or give the tournament another id`,
      })
    if (head > 0 && options.outDir !== undefined) {
      const logged = stateIn(
        yield* replayNegotiation(id).pipe(Effect.provideService(EventStore, store)),
        id,
      )
      if (isTerminal(logged.status)) {
        const kept = keptResult(options.outDir, planned, logged.status)
        if (kept !== undefined) return { result: kept, resumed: "complete" as Resumed }
      }
    }
    const memory = yield* Spec.openStore(Spec.memory)
    const result = yield* run(prepared, runOptions).pipe(Effect.provideService(EventStore, memory))
    const played = yield* collect(memory.read(id))
    let resumed: Resumed = "new"
    if (head > 0) {
      const stored = yield* collect(store.read(id))
      const differs = stored.findIndex((e, i) => e.eventId !== played[i]?.eventId)
      if (differs !== -1)
        return yield* new ExistingLogConflict({
          negotiationId: id,
          message: `negotiation ${id}: event ${differs + 1} on the stream differs from its replay with seed ${planned.seed}: was it run by another version or tournament file?`,
        })
      resumed = stored.length === played.length ? "complete" : "restarted"
    }
    yield* appendInCommits(store, id, played.slice(head), head)
    const scored = scoreRun(arena, planned, result)
    if (options.outDir !== undefined)
      writeAtomically(resultPath(options.outDir, planned.id), JSON.stringify(scored))
    return { result: scored, resumed }
  }).pipe(Effect.scoped)

/**
 * Plays one planned negotiation and scores it. With `store` (an event
 * stream: NATS), its log goes there ({@link playOnStream}). With `outDir`, its log is
 * `logs/<id>.jsonl` and its scores, once the log is complete,
 * `results/<id>.json`. With `resume`, a complete log is kept with its scores
 * (scored again in memory from the same seed when they are missing, which
 * gives the same run); an incomplete one is deleted and played again.
 */
export const playNegotiation = (
  arena: Arena,
  planned: PlannedNegotiation,
  options: {
    readonly outDir?: string | undefined
    readonly resume?: boolean | undefined
    readonly store?: EventStoreService | undefined
  },
): Effect.Effect<{ readonly result: NegotiationResult; readonly resumed: Resumed }, PlayError> =>
  Effect.gen(function* () {
    const prepared = preparedFor(arena, planned)
    const d = arena.tournament.definition
    const runOptions = {
      seed: planned.seed,
      negotiationId: planned.id,
      appendEvery: "run" as const,
      openingMetadata: {
        tournament: d.id,
        scenario: planned.scenarioName,
        repetition: planned.repetition,
        seed: planned.seed,
        assignment: JSON.stringify(
          Object.fromEntries(planned.assignment.map(([s, c]) => [s, d.competitors[c]!.name])),
        ),
      },
    }
    if (options.store !== undefined)
      return yield* playOnStream(arena, planned, prepared, runOptions, options.store, options)
    if (options.outDir === undefined) {
      const result = yield* run(prepared, runOptions).pipe(
        Effect.provide(Spec.storeLayer(Spec.memory)),
      )
      return { result: scoreRun(arena, planned, result), resumed: "new" as Resumed }
    }
    const path = logPath(options.outDir, planned.id)
    let resumed: Resumed = "new"
    if (existsSync(path)) {
      if (options.resume === true && (yield* isComplete(path, planned.id))) {
        const logged = stateIn(yield* replayFile(path, { negotiation: planned.id }), planned.id)
        const kept = keptResult(options.outDir, planned, logged.status)
        if (kept !== undefined) return { result: kept, resumed: "complete" as Resumed }
        // Killed between the log and its scores: score it again from the same seed.
        const result = yield* run(prepared, runOptions).pipe(
          Effect.provide(Spec.storeLayer(Spec.memory)),
        )
        if (
          logged.status !== result.state.status ||
          JSON.stringify(logged.agreement?.terms ?? null) !==
            JSON.stringify(result.state.agreement?.terms ?? null)
        )
          return yield* new ExistingLogConflict({
            negotiationId: planned.id,
            message: `${path}: the logged negotiation (${logged.status}) differs from its replay with seed ${planned.seed} (${result.state.status}): was it run by another version or tournament file?`,
          })
        const scored = scoreRun(arena, planned, result)
        writeAtomically(resultPath(options.outDir, planned.id), JSON.stringify(scored))
        return { result: scored, resumed: "complete" as Resumed }
      }
      rmSync(path)
      resumed = "restarted"
    }
    rmSync(resultPath(options.outDir, planned.id), { force: true })
    const result = yield* run(prepared, runOptions).pipe(
      Effect.provide(Spec.storeLayer(Spec.jsonl(path))),
    )
    const scored = scoreRun(arena, planned, result)
    writeAtomically(resultPath(options.outDir, planned.id), JSON.stringify(scored))
    return { result: scored, resumed }
  })
