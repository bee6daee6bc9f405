/**
 * A BOA agent composed in a scenario file (Baarslag et al. 2014; see
 * `boa/Boa.ts`): `{ "kind": "boa", "offering": {...}, "model": {...},
 * "acceptance": {...} }`. The offering strategy is a time-dependent curve or
 * the Hardliner's; the model one of `boa/Models.ts`; the acceptance condition
 * one of `boa/Acceptance.ts`, or a combination of them.
 *
 * @since 0.2.0
 */
import { makeAcceptance } from "../boa/Acceptance.ts"
import { boaName, boaPlayer, type OfferingKind } from "../boa/Boa.ts"
import { makeModel } from "../boa/Models.ts"
import type { Strategy } from "../Strategy.ts"
import { hardlinerOffering } from "./Hardliner.ts"
import type { BoaSpec, OfferingSpec } from "./Spec.ts"
import { timeDependentOffering } from "./TimeDependent.ts"

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
