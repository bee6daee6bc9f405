/**
 * A BOA agent composed in a scenario file (Baarslag et al. 2014; see
 * `boa/Boa.ts`): `{ "kind": "boa", "offering": {...}, "model": {...},
 * "acceptance": {...} }`. The offering strategy is a time-dependent curve or
 * the Hardliner's; the model one of `boa/Models.ts`; the acceptance condition
 * one of `boa/Acceptance.ts`, or a combination of them.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { AcceptanceSpec, makeAcceptance } from "../boa/Acceptance.ts"
import { boaName, boaPlayer, type OfferingKind } from "../boa/Boa.ts"
import { ModelSpec, makeModel } from "../boa/Models.ts"
import type { Strategy } from "../Strategy.ts"
import { strategyEntry } from "./Entry.ts"
import { HardlinerSpec, hardlinerOffering } from "./Hardliner.ts"
import { Anchoring, described, ReportedOffers } from "./Parameters.ts"
import { PresetSpec, TimeDependentSpec, timeDependentOffering } from "./TimeDependent.ts"

/** An offering strategy (the B of BOA): a time-dependent curve, a preset, or the Hardliner's. */
export const OfferingSpec = Schema.Union(TimeDependentSpec, PresetSpec, HardlinerSpec)
export type OfferingSpec = typeof OfferingSpec.Type

/**
 * A BOA agent composed from an offering strategy, an acceptance condition
 * (default AC_next) and, optionally, an opponent model (see `boa/Boa.ts`).
 */
export const BoaSpec = Schema.Struct({
  kind: Schema.Literal("boa"),
  offering: described(OfferingSpec, "its offering strategy: a time-dependent spec or hardliner"),
  acceptance: Schema.optionalWith(
    described(AcceptanceSpec, "its acceptance condition (see the acceptance kinds below)"),
    { default: () => ({ kind: "next" as const, alpha: 1, beta: 0, discounted: false }) },
  ),
  model: Schema.optionalWith(
    described(
      ModelSpec,
      "its opponent model (frequency, smith-frequency, bayesian or none); used by the offering's tieBreak: model",
    ),
    { default: () => ({ kind: "none" as const }) },
  ),
  anchoring: Schema.optionalWith(Anchoring, { default: () => "public" as const }),
  reported: Schema.optionalWith(ReportedOffers, { default: () => "leave" as const }),
})
export type BoaSpec = typeof BoaSpec.Type

/** The offering strategy an offering spec describes. */
export const makeOffering = (spec: OfferingSpec): OfferingKind =>
  spec.kind === "hardliner" ? hardlinerOffering(spec) : timeDependentOffering(spec)

/** The BOA agent a `boa` spec describes. */
export const boa = (spec: BoaSpec): Strategy => {
  const parts = {
    offering: makeOffering(spec.offering),
    acceptance: makeAcceptance(spec.acceptance),
    model: makeModel(spec.model),
    anchoring: spec.anchoring,
    reported: spec.reported,
  }
  return { name: boaName(parts), init: (view) => boaPlayer(view, parts) }
}

/** Its registration (see `Registry.ts`). */
export const boaEntry = strategyEntry({
  specs: [BoaSpec],
  make: boa,
  about: [
    {
      kind: "boa",
      summary:
        "An agent composed from an offering strategy, an opponent model and an acceptance condition",
      reference:
        "Baarslag, Hindriks, Hendrikx, Dirkzwager & Jonker, Decoupling negotiating agents to explore the space of negotiation strategies, in Novel Insights in Agent-based Complex Automated Negotiation, Springer 2014",
    },
  ],
})
