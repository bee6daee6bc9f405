/**
 * Preparing a scenario for runs: each party's strategy (the scenario's, or
 * one given with `--agent`; a remote agent with its connection), utilities
 * and the outcome space, computed once for every run of a batch; and, for
 * each run, starting the parties' players with their private views.
 *
 * @since 0.4.0
 */
import { Either, Schema } from "effect"
import { type OutcomeSpace, outcomeSpace } from "../analysis/OutcomeSpace.ts"
import { acceptable, type PartyPreferences, utility } from "../analysis/Preferences.ts"
import { messageOf } from "../domain/Errors.ts"
import type { PartyId } from "../domain/Ids.ts"
import type { Terms } from "../domain/Issue.ts"
import type { CompiledScenario } from "../scenario/Load.ts"
import { ScenarioError } from "../scenario/Load.ts"
import { realSteps } from "../scenario/Scenario.ts"
import { seeded } from "./Random.ts"
import type { RemoteAgents } from "./RemoteAgents.ts"
import {
  type AsyncPlayer,
  isStrategy,
  type PartyView,
  partyView,
  type Strategy,
} from "./Strategy.ts"
import { decodeStrategySpec, make as makeStrategy, strategyProblem } from "./strategies/index.ts"

/** Whether a strategy value (a spec or a `Strategy`) names a remote agent, so that a run needs a connection. */
export const isRemoteSpec = (raw: unknown): boolean =>
  typeof raw === "object" && raw !== null && (raw as { kind?: unknown }).kind === "remote"

/** Whether any party of the scenario, or any of `agents`, is a remote agent. */
export const needsTransport = (compiled: CompiledScenario, agents: Agents = {}): boolean =>
  compiled.scenario.parties.some((p) =>
    isRemoteSpec(Object.hasOwn(agents, p.id) ? agents[p.id] : p.strategy),
  )

/**
 * A strategy's move that the rules refuse (a bug in the strategy), or a
 * strategy that could not start (`round` -1), reported with its context.
 */
export class StrategyError extends Schema.TaggedError<StrategyError>()("StrategyError", {
  party: Schema.String,
  strategy: Schema.String,
  round: Schema.Number,
  problem: Schema.String,
}) {
  override get message() {
    return this.round < 0
      ? `strategy ${this.strategy} of ${this.party} could not start: ${this.problem}`
      : `strategy ${this.strategy} of ${this.party} made an impossible move in round ${this.round}: ${this.problem}`
  }
}

/** Everything about a scenario a run needs that does not change between runs. */
export interface Prepared {
  readonly compiled: CompiledScenario
  readonly space: OutcomeSpace
  readonly parties: ReadonlyArray<{
    readonly id: PartyId
    readonly strategy: Strategy<AsyncPlayer> | undefined
    readonly preferences: PartyPreferences | undefined
    readonly utility: (terms: Terms) => number
    readonly acceptable: (terms: Terms) => boolean
  }>
}

const resolveStrategy = (
  compiled: CompiledScenario,
  path: string,
  raw: unknown,
  transport: RemoteAgents | undefined,
): Either.Either<Strategy<AsyncPlayer> | undefined, ScenarioError> => {
  if (raw === undefined) return Either.right(undefined)
  if (isStrategy(raw)) return Either.right(raw)
  return Either.match(decodeStrategySpec(raw), {
    onLeft: (e) =>
      Either.left(
        new ScenarioError({
          file: compiled.file,
          path,
          problem: strategyProblem(e),
        }),
      ),
    onRight: (spec) => {
      if (spec.kind !== "remote") return Either.right(makeStrategy(spec))
      if (transport === undefined)
        return Either.left(
          new ScenarioError({
            file: compiled.file,
            path,
            problem: `a remote agent (subject ${spec.subject}) needs a connection to its agent: parley run, simulate, sweep and tournament give it one (--nats URL or PARLEY_NATS_URL)`,
          }),
        )
      return Either.right(transport.strategy(spec))
    },
  })
}

/** What {@link prepare} may be given besides the scenario and its agents. */
export interface PrepareOptions {
  /** How to reach remote agents (`{ kind: "remote" }` strategies, see `RemoteAgents.ts`); without it, one is an error. */
  readonly transport?: RemoteAgents | undefined
}

/**
 * Strategies that replace the scenario's, per party id (`parley run|simulate
 * --agent party=strategy`): a spec (JSON-shaped) or a `Strategy` object.
 */
export type Agents = Readonly<Record<string, unknown>>

/**
 * Prepares a compiled scenario for running: strategies (the scenario's, or
 * `agents`' for the parties it names), utilities, the outcome space.
 */
export const prepare = (
  compiled: CompiledScenario,
  agents: Agents = {},
  options: PrepareOptions = {},
): Either.Either<Prepared, ScenarioError> => {
  const { scenario } = compiled
  for (const id of Object.keys(agents))
    if (!scenario.parties.some((p) => p.id === id))
      return Either.left(
        new ScenarioError({
          file: compiled.file,
          path: `--agent ${id}`,
          problem: `unknown party (this scenario has ${scenario.parties.map((p) => p.id).join(", ")})`,
        }),
      )
  const space = outcomeSpace(scenario.issues, { realStep: realSteps(scenario) })
  if (Either.isLeft(space))
    return Either.left(
      new ScenarioError({ file: compiled.file, path: "issues", problem: space.left }),
    )
  const parties: Array<Prepared["parties"][number]> = []
  for (const [i, p] of scenario.parties.entries()) {
    const replaced = Object.hasOwn(agents, p.id)
    const strategy = resolveStrategy(
      compiled,
      replaced ? `--agent ${p.id}` : `parties[${i}].strategy`,
      replaced ? agents[p.id] : p.strategy,
      options.transport,
    )
    if (Either.isLeft(strategy)) return Either.left(strategy.left)
    const preferences = p.preferences as PartyPreferences | undefined
    parties.push({
      id: p.id,
      strategy: strategy.right,
      preferences,
      utility: preferences === undefined ? () => 0 : utility(preferences, scenario.issues),
      acceptable: preferences === undefined ? () => true : acceptable(preferences, scenario.issues),
    })
  }
  return Either.right({ compiled, space: space.right, parties })
}

/** A party's play in one run: its player, the strategy it came from and its private view. */
export interface Seat {
  readonly player: AsyncPlayer
  readonly strategy: Strategy<AsyncPlayer>
  readonly view: PartyView
}

/** What the party at `index` of a prepared scenario sees of it: its private view, with its own random numbers for `seed`. */
export const viewOf = (prepared: Prepared, index: number, seed: number): PartyView => {
  const { scenario } = prepared.compiled
  const p = prepared.parties[index]!
  return partyView({
    party: p.id,
    role: scenario.parties[index]!.role,
    issues: scenario.issues,
    preferences: p.preferences,
    utility: p.utility,
    acceptable: p.acceptable,
    space: prepared.space,
    random: seeded(seed, index),
    others: scenario.parties
      .filter((o) => o.id !== p.id)
      .map((o) => ({ party: o.id, role: o.role })),
  })
}

/**
 * Starts the players of one run, each with its private view and its own
 * seeded random numbers. A strategy that cannot start (say, a model refusing
 * a domain too large for it) fails the run with its reason.
 */
export const startPlayers = (
  prepared: Prepared,
  seed: number,
): Either.Either<Map<PartyId, Seat>, StrategyError> => {
  const players = new Map<PartyId, Seat>()
  for (const [index, p] of prepared.parties.entries()) {
    if (p.strategy === undefined) continue
    const view = viewOf(prepared, index, seed)
    let player: AsyncPlayer
    try {
      player = p.strategy.init(view)
    } catch (e) {
      return Either.left(
        new StrategyError({
          party: p.id,
          strategy: p.strategy.name,
          round: -1,
          problem: messageOf(e),
        }),
      )
    }
    players.set(p.id, { player, strategy: p.strategy, view })
  }
  return Either.right(players)
}
