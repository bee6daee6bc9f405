/**
 * The strategy agents and the registry scenario files use: decode a
 * {@link StrategySpec} (see `Spec.ts`) and {@link make} a `Strategy`.
 * TypeScript scenario modules may instead pass any `Strategy` object.
 *
 * @since 0.1.0
 */
import type { Strategy } from "../Strategy.ts"
import { agentk } from "./AgentK.ts"
import { atlas3 } from "./Atlas3.ts"
import { boa } from "./Composed.ts"
import { cuhkagent } from "./CUHKAgent.ts"
import { hardheaded } from "./HardHeaded.ts"
import { hardliner } from "./Hardliner.ts"
import { mediator } from "./Mediator.ts"
import { micro } from "./Micro.ts"
import { random } from "./Random.ts"
import { redLineConcession } from "./RedLineConcession.ts"
import { rubinstein } from "./Rubinstein.ts"
import { scripted } from "./Scripted.ts"
import type { StrategySpec } from "./Spec.ts"
import { timeDependent } from "./TimeDependent.ts"
import { imitative, naiveTitForTat, titForTat } from "./TitForTat.ts"

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
export { hardheaded, hardheadedInfo } from "./HardHeaded.ts"
export { hardliner, hardlinerOffering } from "./Hardliner.ts"
export { type Ladder, ladderOf } from "./Ladder.ts"
export { cyclingMediator, DEFAULT_METHOD, mediator, rankCompromises } from "./Mediator.ts"
export { micro, microInfo } from "./Micro.ts"
export { random } from "./Random.ts"
export { crossesRedLines, redLineConcession } from "./RedLineConcession.ts"
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

/**
 * The strategy a decoded spec describes. Total: every kind has a strategy.
 * A `remote` agent needs a connection to its agent, which the runner gives it
 * (`prepare(..., { transport })`, see `src/simulation/remote/Player.ts`); made here
 * without one, it cannot start, and says so.
 */
export const make = (spec: StrategySpec): Strategy => {
  switch (spec.kind) {
    case "scripted":
      return scripted(spec)
    case "time-dependent":
    case "boulware":
    case "linear":
    case "conceder":
      return timeDependent(spec)
    case "tit-for-tat":
      return titForTat(spec)
    case "hardliner":
      return hardliner(spec)
    case "red-line-concession":
      return redLineConcession(spec)
    case "random":
      return random(spec)
    case "mediator":
      return mediator(spec)
    case "rubinstein":
      return rubinstein(spec)
    case "boa":
      return boa(spec)
    case "atlas3":
      return atlas3(spec)
    case "micro":
      return micro(spec)
    case "naive-tit-for-tat":
      return naiveTitForTat(spec)
    case "imitative":
      return imitative(spec)
    case "agentk":
      return agentk(spec)
    case "cuhkagent":
      return cuhkagent(spec)
    case "hardheaded":
      return hardheaded(spec)
    case "remote":
      return {
        name: `remote ${spec.subject}`,
        init: () => {
          throw new Error(
            `a remote agent (subject ${spec.subject}) needs a NATS connection: give --nats URL or set PARLEY_NATS_URL`,
          )
        },
      }
  }
}
