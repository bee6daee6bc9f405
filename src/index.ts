/**
 * parley as a library (`import { ... } from "parley-negotiation"`): the very
 * functions the `parley` commands run, re-exported, with their types. Each
 * is an `Effect` (run it with `Effect.runPromise` from `effect`) or an
 * `Either`; docs/REFERENCE.md ("Library API") gives an example of each.
 *
 * - load a scenario: {@link loadScenario}, {@link parseOverrides}
 * - run it once: {@link prepare}, then {@link run} with a store ({@link storeLayer})
 * - Monte Carlo: {@link loadBatch}, then {@link simulate}
 * - a sensitivity sweep: {@link parseVary}, {@link sweep}
 * - replay a log: {@link replayFile}, {@link replayNegotiation}, {@link stateIn}, {@link toView}
 * - analyse an outcome space: {@link analyze}, {@link whatItTakes}
 * - open a store: {@link openStore}, {@link storeLayer} with {@link memory}, {@link jsonl}, {@link nats}
 * - subscribe to states: {@link StateFeed} from {@link inProcessFeed} or {@link natsFeed}
 *
 * Scenario modules import `defineScenario` from `parley-negotiation/scenario`
 * (the scenario format alone, without the simulator).
 *
 * @since 0.5.0
 */

export {
  type Analysis,
  type AnalysisPoint,
  analyze,
  type PartyProfile,
  whatItTakes,
} from "./analysis/Analyze.ts"
export type { PartyPreferences } from "./analysis/Preferences.ts"
export { type Projected, stateIn } from "./app/Projection.ts"
export { type ReplayOptions, replayFile, replayNegotiation } from "./app/Replay.ts"
export { toEnd, type Until, untilVersion } from "./domain/Replay.ts"
export { type StateView, toView } from "./domain/View.ts"
export { layer as inProcessFeed } from "./feed/InProcessFeed.ts"
export { layer as natsFeed, type NatsFeedOptions } from "./feed/NatsFeed.ts"
export { StateFeed, type StateFeedService } from "./feed/StateFeed.ts"
export {
  Connection,
  layer as natsConnection,
  optionsAt as natsSettings,
} from "./nats/Connection.ts"
export {
  type CompiledScenario,
  loadScenario,
  parseOverrides,
  readDefinition,
  ScenarioError,
} from "./scenario/Load.ts"
export {
  defineScenario,
  type Params,
  type ScenarioDefinition,
  type ScenarioInput,
} from "./scenario/Scenario.ts"
export { type Batch, loadBatch, type RunOutcome } from "./simulation/Batch.ts"
export { type SimulateOptions, simulate } from "./simulation/MonteCarlo.ts"
export { type Agents, type Prepared, prepare } from "./simulation/Prepare.ts"
export { type RunOptions, type RunResult, run } from "./simulation/Runner.ts"
export type { Summary } from "./simulation/Summary.ts"
export {
  parseVary,
  type SweepOptions,
  type SweepResult,
  sweep,
  type Vary,
} from "./simulation/Sweep.ts"
export { EventStore, type EventStoreService } from "./store/EventStore.ts"
export { jsonl, memory, nats, openStore, type StoreSpec, storeLayer } from "./store/Spec.ts"
