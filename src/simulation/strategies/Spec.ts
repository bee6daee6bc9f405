/**
 * Strategy specifications as scenario files write them: a JSON object
 * discriminated by `kind`, with defaults for every optional parameter.
 * Each strategy's spec is defined in its file and registered in
 * `Registry.ts`; the union of them all ({@link StrategySpec}) is derived
 * here from that list. {@link make} (in `index.ts`) turns a decoded spec
 * into a `Strategy`.
 *
 * ```json
 * { "kind": "boulware", "convention": "negmas" }
 * { "kind": "time-dependent", "convention": "genius", "e": 0.5, "k": 0.1 }
 * { "kind": "rubinstein", "player": 1, "delta1": 0.9, "delta2": 0.8 }
 * ```
 *
 * @since 0.1.0
 */
import { Either, Option, type ParseResult, Schema } from "effect"
import { deepestIssue } from "../../domain/Errors.ts"
import { entryKinds, type StrategyEntry } from "./Entry.ts"
import { LocalStrategySpec, localStrategies } from "./Registry.ts"
import { RemoteSpec, remoteEntry } from "./Remote.ts"

export { AgentKSpec } from "./AgentK.ts"
export { Atlas3Spec } from "./Atlas3.ts"
export { BoaSpec, OfferingSpec } from "./Composed.ts"
export { CUHKAgentSpec } from "./CUHKAgent.ts"
export { HardHeadedSpec } from "./HardHeaded.ts"
export { HardlinerSpec } from "./Hardliner.ts"
export { MediatorSpec } from "./Mediator.ts"
export { MicroSpec } from "./Micro.ts"
export { Anchoring, Convention, Preset, ReportedOffers, TieBreak } from "./Parameters.ts"
export { RandomSpec } from "./Random.ts"
export { RedLineConcessionSpec } from "./RedLineConcession.ts"
export { LocalStrategySpec } from "./Registry.ts"
export { RemoteSpec, RequestSubject } from "./Remote.ts"
export { RubinsteinSpec } from "./Rubinstein.ts"
export { ScriptedSpec } from "./Scripted.ts"
export { PresetSpec, TimeDependentSpec } from "./TimeDependent.ts"
export { ImitativeSpec, NaiveTitForTatSpec, TitForTatSpec } from "./TitForTat.ts"

/** Every strategy a scenario file can name: the registry's, then `remote` (whose fallback is one of them). */
export const strategyEntries: ReadonlyArray<StrategyEntry> = [...localStrategies, remoteEntry]

/** Every strategy a scenario file can name, discriminated by `kind`. */
export const StrategySpec = Schema.Union(...LocalStrategySpec.members, RemoteSpec).annotations({
  identifier: "StrategySpec",
})
export type StrategySpec = typeof StrategySpec.Type
/** The file form of {@link StrategySpec}: defaults may be omitted. */
export type StrategySpecEncoded = typeof StrategySpec.Encoded

/** Decodes a strategy spec (JSON-shaped input) with its defaults, as an `Either`. */
export const decodeStrategySpec = Schema.decodeUnknownEither(StrategySpec, {
  onExcessProperty: "error",
})

/** Every strategy kind a spec may name, in declaration order. */
export const strategyKinds: ReadonlyArray<string> = strategyEntries.flatMap(entryKinds)

/**
 * A one-line account of why a strategy spec does not decode: an unknown kind
 * lists the known ones; otherwise the first problem with its field path
 * (`e: Expected a non-negative number, actual -1`).
 */
export const strategyProblem = (error: ParseResult.ParseError): string => {
  const actual = error.issue.actual
  const kind =
    typeof actual === "object" && actual !== null ? (actual as { kind?: unknown }).kind : undefined
  if (typeof kind !== "string" || !strategyKinds.includes(kind))
    return `unknown strategy kind ${JSON.stringify(kind)} (known: ${strategyKinds.join(", ")})`
  const member = StrategySpec.members.find((m) =>
    (m.fields.kind.literals as ReadonlyArray<string>).includes(kind),
  )!
  const { path, problem } = deepestIssue(
    Either.getLeft(
      Schema.decodeUnknownEither(member as Schema.Schema<unknown, unknown>, {
        onExcessProperty: "error",
      })(actual),
    ).pipe(Option.getOrElse(() => error)),
  )
  return `${kind}: ${path === "" ? "" : `${path}: `}${problem}`
}
