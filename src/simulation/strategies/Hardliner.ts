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
import type { Strategy } from "../Strategy.ts"
import { ladderPlayer } from "./Concession.ts"
import { ladderOf } from "./Ladder.ts"
import type { HardlinerSpec } from "./Spec.ts"

/** The GENIUS Hardliner. */
export const hardliner = (spec: HardlinerSpec): Strategy => ({
  name: "hardliner",
  init: (view) => {
    const ladder = ladderOf(view)
    const best = ladder.length > 0 ? ladder.utilities[0]! : 0
    return ladderPlayer(
      view,
      ladder,
      {
        target: () => best,
        tieBreak: spec.tieBreak,
        tolerance: spec.tolerance,
        anchoring: spec.anchoring,
        reported: spec.reported,
      },
      "hardliner",
    )
  },
})
