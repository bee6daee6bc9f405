/**
 * Tit-for-tat in own-utility terms, after Faratin, Sierra & Jennings'
 * imitative tactics: it opens with its best outcome, then moves its target
 * utility as the opponent's offers move in its own utility.
 *
 * - `absolute`: `target' = target - (u(o_n) - u(o_{n-w})) / w`, where `o_n` is
 *   the latest offer received and `w` the window: it concedes per step as much
 *   as the opponent conceded per step over the last `w` steps (and hardens as
 *   much when the opponent retracts).
 * - `relative`: `target' = target * (u(o_{n-w}) / u(o_n))^(1/w)`: the same
 *   concession in percentage terms.
 *
 * The target stays within `[max(min, reservation), best utility]`; bids are
 * chosen at or just above it and offers accepted by AC_next.
 *
 * @since 0.1.0
 */
import type { OfferId } from "../../domain/Ids.ts"
import type { Strategy } from "../Strategy.ts"
import { ladderPlayer } from "./Concession.ts"
import { ladderOf } from "./Ladder.ts"
import type { TitForTatSpec } from "./Spec.ts"

/** The tit-for-tat strategy of a spec. */
export const titForTat = (spec: TitForTatSpec): Strategy => ({
  name: `tit-for-tat(${spec.mode})`,
  init: (view) => {
    const ladder = ladderOf(view)
    const max = ladder.length > 0 ? ladder.utilities[0]! : 0
    const min = Math.max(spec.min ?? view.reservation, view.reservation)
    const w = spec.window
    const seen = new Float64Array(w + 1)
    let count = 0
    let last: OfferId | undefined
    let target = max
    return ladderPlayer(view, ladder, {
      target: (turn, u) => {
        const offer = turn.onTable
        if (offer === undefined || u === undefined || offer.offerId === last) return target
        last = offer.offerId
        seen[count % (w + 1)] = u
        count++
        if (count > w) {
          const now = seen[(count - 1) % (w + 1)]!
          const then = seen[(count - 1 - w) % (w + 1)]!
          if (spec.mode === "absolute") target -= (now - then) / w
          else if (now > 0 && then > 0) target *= (then / now) ** (1 / w)
          if (target > max) target = max
          if (target < min) target = min
        }
        return target
      },
      floor: min,
      tieBreak: spec.tieBreak,
      tolerance: spec.tolerance,
    })
  },
})
