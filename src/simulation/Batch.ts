/**
 * A batch of Monte Carlo runs of one scenario: the scenario read once, what
 * each run draws from its seed (`preparedFor`), and the runs of a range
 * played in this thread (`runRange`), each in its own event log, with their
 * outcomes. `MonteCarlo.ts` spreads a batch's ranges over threads,
 * `Summary.ts` summarises its outcomes.
 *
 * @since 0.1.0
 */
import { join } from "node:path"
import { Effect, Either, type Scope } from "effect"
import type { NegotiationId } from "../domain/Ids.ts"
import type { Terms } from "../domain/Issue.ts"
import {
  instantiate,
  readDefinition,
  type ScenarioError,
  type Uncertain,
  uncertainParameters,
} from "../scenario/Load.ts"
import { EventStore, type EventStoreService } from "../store/EventStore.ts"
import * as Spec from "../store/Spec.ts"
import { seeded } from "./Random.ts"
import type { RemoteAgents } from "./RemoteAgents.ts"
import { type Agents, needsTransport, type Prepared, prepare, run } from "./Runner.ts"
import { discountedOf, type PartyScore } from "./Scores.ts"

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
