/**
 * The strategy agents scenario files use: decode a {@link StrategySpec}
 * (see `Spec.ts`; each strategy registered in `Registry.ts`) and
 * {@link make} a `Strategy`.
 * TypeScript scenario modules may instead pass any `Strategy` object.
 *
 * @since 0.1.0
 */
import type { Strategy } from "../Strategy.ts"
import { entryKinds, type StrategyEntry } from "./Entry.ts"
import { type StrategySpec, strategyEntries } from "./Spec.ts"

export { agentk, agentkInfo } from "./AgentK.ts"
export { atlas3, atlas3Info } from "./Atlas3.ts"
export { boa, makeOffering } from "./Composed.ts"
export {
  type Convention,
  geniusTarget,
  negmasTarget,
  PRESET_EXPONENTS,
  type Preset,
} from "./Concession.ts"
export { cuhkagent, cuhkagentInfo } from "./CUHKAgent.ts"
export { entryKinds, type StrategyDocs, type StrategyEntry, strategyEntry } from "./Entry.ts"
export { hardheaded, hardheadedInfo } from "./HardHeaded.ts"
export { hardliner, hardlinerOffering } from "./Hardliner.ts"
export { type Ladder, ladderOf } from "./Ladder.ts"
export { cyclingMediator, DEFAULT_METHOD, mediator, rankCompromises } from "./Mediator.ts"
export { micro, microInfo } from "./Micro.ts"
export { random } from "./Random.ts"
export { crossesRedLines, redLineConcession } from "./RedLineConcession.ts"
export { localStrategies } from "./Registry.ts"
export { equilibriumShare, rubinstein } from "./Rubinstein.ts"
export { scripted } from "./Scripted.ts"
export * from "./Spec.ts"
export { timeDependent } from "./TimeDependent.ts"
export {
  imitative,
  imitativeInfo,
  naiveTitForTat,
  naiveTitForTatInfo,
  titForTat,
  titForTatInfo,
} from "./TitForTat.ts"

/** Each kind's registry entry. */
const entryOf: ReadonlyMap<string, StrategyEntry> = new Map(
  strategyEntries.flatMap((entry) => entryKinds(entry).map((kind) => [kind, entry] as const)),
)

/**
 * The strategy a decoded spec describes, by its kind's registry entry
 * (`Registry.ts`, and the remote entry: `strategyEntries` in `Spec.ts`). Total: every kind has a strategy.
 * A `remote` agent needs a connection to its agent, which the runner gives it
 * (`prepare(..., { transport })`: the simulation's `RemoteAgents` port, which
 * `src/remote/Player.ts` implements); made here
 * without one, it cannot start, and says so.
 */
export const make = (spec: StrategySpec): Strategy => entryOf.get(spec.kind)!.make(spec as never)
