/**
 * The Hardliner of GENIUS (`agents.TimeDependentAgentHardliner`: the
 * time-dependent tactic of Faratin, Sierra & Jennings 1998 with `e = 0`, so
 * `F(t) = k = 0` and the target stays at `Pmax` until the end): it always bids
 * its best outcome (ties among equally good outcomes broken as its spec says)
 * and accepts only an offer worth at least its own bid. It never concedes,
 * deadline or not; its only way to agree is an opponent who gives in.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { acNext } from "../boa/Acceptance.ts"
import { boaPlayer, type OfferingKind } from "../boa/Boa.ts"
import type { Strategy } from "../Strategy.ts"
import { ladderOffering } from "./Concession.ts"
import { strategyEntry } from "./Entry.ts"
import { ladderOf } from "./Ladder.ts"
import { bidding } from "./Parameters.ts"

/**
 * Hardliner as GENIUS defines it (`TimeDependentAgentHardliner`, `e = 0`):
 * always bids its best outcome and accepts only an offer worth at least as
 * much; it never concedes.
 */
export const HardlinerSpec = Schema.Struct({
  kind: Schema.Literal("hardliner"),
  ...bidding,
})
export type HardlinerSpec = typeof HardlinerSpec.Type

/** The Hardliner's offering strategy: its best outcome, always. */
export const hardlinerOffering = (spec: HardlinerSpec): OfferingKind => ({
  name: "hardliner",
  init: (view) => {
    const ladder = ladderOf(view)
    const best = ladder.length > 0 ? ladder.utilities[0]! : 0
    return ladderOffering("hardliner", ladder, {
      target: () => best,
      tieBreak: spec.tieBreak,
      tolerance: spec.tolerance,
    }).init(view)
  },
})

/** The GENIUS Hardliner: its offering strategy with AC_next. */
export const hardliner = (spec: HardlinerSpec): Strategy => {
  const offering = hardlinerOffering(spec)
  return {
    name: "hardliner",
    init: (view) =>
      boaPlayer(view, {
        offering,
        acceptance: acNext(1, 0),
        anchoring: spec.anchoring,
        reported: spec.reported,
      }),
  }
}

/** Its registration (see `Registry.ts`). */
export const hardlinerEntry = strategyEntry({
  specs: [HardlinerSpec],
  make: hardliner,
  about: [
    {
      kind: "hardliner",
      summary: "Always bids its best outcome and accepts only as much: never concedes",
      reference: "GENIUS TimeDependentAgentHardliner (Faratin et al. 1998 with e = 0)",
    },
  ],
  docs: {
    reference: "GENIUS `TimeDependentAgentHardliner`",
    tested: "bids its best at every time, last turn included; accepts only as much",
    interpreted: "—",
  },
})
