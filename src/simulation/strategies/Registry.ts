/**
 * The registry of strategies that play in process: one entry per strategy,
 * each defined in the strategy's own file (see `Entry.ts`). The order is the
 * strategy union's (`LocalStrategySpec`, then `StrategySpec` in `Spec.ts`),
 * so it is also the order `parley strategies` and the docs list them in.
 *
 * A new strategy: its file (its spec, its `Strategy`, its `strategyEntry`),
 * its line here, its test; then `node --import tsx scripts/docs-tables.ts`
 * regenerates the docs' tables.
 *
 * @since 0.3.0
 */
import { Schema } from "effect"
import { specsOf } from "../Kinds.ts"
import { agentkEntry } from "./AgentK.ts"
import { atlas3Entry } from "./Atlas3.ts"
import { boaEntry } from "./Composed.ts"
import { cuhkagentEntry } from "./CUHKAgent.ts"
import { hardheadedEntry } from "./HardHeaded.ts"
import { hardlinerEntry } from "./Hardliner.ts"
import { mediatorEntry } from "./Mediator.ts"
import { microEntry } from "./Micro.ts"
import { randomEntry } from "./Random.ts"
import { redLineConcessionEntry } from "./RedLineConcession.ts"
import { rubinsteinEntry } from "./Rubinstein.ts"
import { scriptedEntry } from "./Scripted.ts"
import { timeDependentEntry } from "./TimeDependent.ts"
import { imitativeEntry, naiveTitForTatEntry, titForTatEntry } from "./TitForTat.ts"

/** Every strategy that plays in process, in the strategy union's order. */
export const localStrategies = [
  scriptedEntry,
  timeDependentEntry,
  titForTatEntry,
  redLineConcessionEntry,
  hardlinerEntry,
  randomEntry,
  mediatorEntry,
  rubinsteinEntry,
  boaEntry,
  atlas3Entry,
  microEntry,
  naiveTitForTatEntry,
  imitativeEntry,
  agentkEntry,
  cuhkagentEntry,
  hardheadedEntry,
] as const

/** Every strategy that plays in process, discriminated by `kind` (a remote agent's fallback is one). */
export const LocalStrategySpec = Schema.Union(...specsOf(localStrategies)).annotations({
  identifier: "LocalStrategySpec",
})
export type LocalStrategySpec = typeof LocalStrategySpec.Type
