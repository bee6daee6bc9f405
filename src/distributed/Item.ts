/**
 * A work item and its result, as they travel on the streams, and how an
 * item is played: by the very functions a local batch uses (`runRange` for
 * Monte Carlo runs, `playNegotiation` for a tournament's negotiations), on
 * the batch rebuilt from the item's payload, so that the outcomes equal a
 * local run's by construction.
 *
 * @since 0.3.0
 */
import { NodeFileSystem } from "@effect/platform-node"
import { type Cause, Effect, Either, Schema, Scope } from "effect"
import { deepestIssue } from "../domain/Errors.ts"
import { isToken } from "../domain/Ids.ts"
import type { ScenarioError } from "../scenario/Load.ts"
import { type Batch, type RunFailure, type RunOutcome, runRange } from "../simulation/Batch.ts"
import type { EventStoreService } from "../store/EventStore.ts"
import * as Spec from "../store/Spec.ts"
import { type PlannedNegotiation, planOf } from "../tournament/Plan.ts"
import { type Arena, arenaOf, type PlayError, playNegotiation } from "../tournament/Play.ts"
import type { NegotiationResult } from "../tournament/Result.ts"
import { batchOf, type TravellingBatch, type TravellingTournament, tournamentOf } from "./Travel.ts"

const BatchId = Schema.String.pipe(
  Schema.filter((s) => (isToken(s) && s.length <= 64) || "a batch id is a subject token"),
)
const Index = Schema.Int.pipe(Schema.nonNegative())

/** One work item: a contiguous range of a batch's runs (or of a tournament's plan). */
export const WorkItem = Schema.Struct({
  batch: BatchId,
  item: Index,
  kind: Schema.Literal("montecarlo", "tournament"),
  seed: Schema.Int,
  from: Index,
  to: Index,
  /** Keep each run's event log on the event stream of the worker's server. */
  keepLogs: Schema.Boolean,
  /** A {@link TravellingBatch} or a {@link TravellingTournament}. */
  payload: Schema.Unknown,
})
export type WorkItem = typeof WorkItem.Type

/** Reads a message of the work subject, or says why it is not a work item. */
export const decodeItem = (data: Uint8Array): Either.Either<WorkItem, string> => {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(data))
  } catch (e) {
    return Either.left(`not JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
  return Either.flatMap(
    Either.mapLeft(Schema.decodeUnknownEither(WorkItem)(json), (e) => {
      const { path, problem } = deepestIssue(e)
      return `not a work item: ${path === "" ? "" : `${path}: `}${problem}`
    }),
    (item) =>
      item.from < item.to && typeof item.payload === "object" && item.payload !== null
        ? Either.right(item)
        : Either.left("not a work item: empty range or no payload"),
  )
}

/** What a worker publishes for an item: the outcomes of its runs, or its negotiations' results. */
export interface ItemResult {
  readonly batch: string
  readonly item: number
  readonly worker: string
  readonly outcomes?: ReadonlyArray<RunOutcome> | undefined
  readonly results?: ReadonlyArray<{ readonly index: number; readonly result: NegotiationResult }>
}

/** What a failed item reports. */
export interface ItemFailure {
  readonly batch: string
  readonly item: number
  readonly worker: string
  readonly deliveries: number
  readonly error: string
}

/**
 * The most a worker plays for one item (`PARLEY_WORKER_MAX_RUNS`,
 * `PARLEY_WORKER_MAX_ROUNDS`): an item over them is refused before a run
 * starts, so that an item edited (or written by mistake) to 10^9 runs or a
 * 100,000-round deadline cannot take a worker's memory and hours.
 */
export interface ItemBounds {
  /** Runs (or a tournament's negotiations) per item. */
  readonly runs: number
  /** A scenario's deadline, in rounds. */
  readonly rounds: number
}

/** The bounds when none are configured: a hundred times the default chunk, and a deadline of 10,000 rounds. */
export const DEFAULT_BOUNDS: ItemBounds = { runs: 10_000, rounds: 10_000 }

/** An item beyond the worker's bounds: refused for good, never played. */
export class ItemRefused extends Schema.TaggedError<ItemRefused>()("ItemRefused", {
  problem: Schema.String,
}) {
  override get message() {
    return `refused: ${this.problem}`
  }
}

/** Why `item` is over `bounds` in its size, before anything is prepared (`undefined`: it is not). */
export const sizeRefusal = (item: WorkItem, bounds: ItemBounds): ItemRefused | undefined =>
  item.to - item.from > bounds.runs
    ? new ItemRefused({
        problem: `the item holds ${item.to - item.from} ${item.kind === "montecarlo" ? "runs" : "negotiations"}, more than this worker's bound of ${bounds.runs} (PARLEY_WORKER_MAX_RUNS)`,
      })
    : undefined

const roundsRefusal = (rounds: number, where: string, bounds: ItemBounds) =>
  rounds > bounds.rounds
    ? Either.left(
        new ItemRefused({
          problem: `${where} has a deadline of ${rounds} rounds, more than this worker's bound of ${bounds.rounds} (PARLEY_WORKER_MAX_ROUNDS)`,
        }),
      )
    : Either.void

/**
 * What playing an item can fail with: its batch rebuilt from the payload, a
 * run or a negotiation, or opening the event log its logs are kept in (an
 * `UnknownException` around the store's error), or the worker's bounds.
 */
export type ItemError =
  | ScenarioError
  | RunFailure
  | PlayError
  | Cause.UnknownException
  | ItemRefused

type Ready =
  | { readonly kind: "montecarlo"; readonly batch: Batch }
  | {
      readonly kind: "tournament"
      readonly arena: Arena
      readonly plan: ReadonlyArray<PlannedNegotiation>
    }

/**
 * Plays items; keeps the last few batches prepared (a worker takes many
 * items of one batch in a row) and one event-log connection for `--keep-logs`.
 */
export const player = (nats: string, bounds: ItemBounds = DEFAULT_BOUNDS) => {
  const ready = new Map<string, Ready>()
  const prepare = (item: WorkItem): Effect.Effect<Ready, ScenarioError> => {
    const known = ready.get(item.batch)
    if (known !== undefined) return Effect.succeed(known)
    const made: Effect.Effect<Ready, ScenarioError> =
      item.kind === "montecarlo"
        ? Effect.map(batchOf(item.payload as TravellingBatch), (batch) => ({
            kind: "montecarlo" as const,
            batch,
          }))
        : Either.flatMap(tournamentOf(item.payload as TravellingTournament), (tournament) =>
            Either.map(arenaOf(tournament), (arena) => ({
              kind: "tournament" as const,
              arena,
              plan: planOf(tournament),
            })),
          )
    return Effect.tap(made, (r) => {
      if (ready.size >= 4) ready.delete(ready.keys().next().value!)
      ready.set(item.batch, r)
    })
  }
  // Opened on the first item that keeps its logs, for the worker's lifetime.
  let store: Promise<EventStoreService> | undefined
  const eventStore = () =>
    Effect.tryPromise(() => {
      store ??= Effect.runPromise(
        Effect.flatMap(Scope.make(), (scope) =>
          Scope.extend(Spec.openStore(Spec.nats(nats)), scope),
        ),
      )
      return store
    })

  /** Plays one item: its run outcomes, or its negotiations' results. */
  const play = (
    item: WorkItem,
  ): Effect.Effect<Pick<ItemResult, "outcomes" | "results">, ItemError> =>
    Effect.gen(function* () {
      const tooBig = sizeRefusal(item, bounds)
      if (tooBig !== undefined) return yield* tooBig
      const made = yield* prepare(item)
      if (made.kind === "montecarlo") {
        yield* roundsRefusal(
          made.batch.base.compiled.scenario.protocol.rounds,
          "the scenario",
          bounds,
        )
        const outcomes = yield* runRange(made.batch, {
          seed: item.seed,
          from: item.from,
          to: item.to,
          nats: item.keepLogs ? nats : undefined,
        })
        return { outcomes }
      }
      for (const s of made.arena.tournament.scenarios)
        yield* roundsRefusal(s.compiled.scenario.protocol.rounds, `scenario ${s.name}`, bounds)
      const store = item.keepLogs ? yield* eventStore() : undefined
      const results: Array<{ index: number; result: NegotiationResult }> = []
      for (let i = item.from; i < Math.min(item.to, made.plan.length); i++) {
        // resume: a log an earlier delivery of this item left on the stream is finished, never doubled.
        const { result } = yield* playNegotiation(made.arena, made.plan[i]!, {
          store,
          resume: true,
        })
        results.push({ index: i, result })
      }
      return { results }
    }).pipe(Effect.provide(NodeFileSystem.layer))
  return { play }
}
