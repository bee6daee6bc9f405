/**
 * Acceptance conditions (the A of BOA; Baarslag, Hindriks & Jonker,
 * "Effective acceptance conditions in multi-issue negotiation", Web
 * Intelligence and Agent Systems 12(1), 2014).
 *
 * @since 0.2.0
 */
import type { AcceptanceKind } from "./Boa.ts"

/**
 * AC_next(α, β): accept when `α · u(offer) + β >= u(next bid)`, the opponent's
 * offer scaled and shifted is worth at least what it would bid next (Baarslag
 * et al. 2014, section 3). With nothing left to bid above its floor it
 * accepts (any acceptable offer beats walking out).
 */
export const acNext = (alpha: number, beta: number): AcceptanceKind => ({
  name: alpha === 1 && beta === 0 ? "AC_next" : `AC_next(${alpha}, ${beta})`,
  init: () => {
    const rule = alpha === 1 && beta === 0 ? "AC_next" : `AC_next(${alpha}, ${beta})`
    return {
      accepts: ({ offer, next }) =>
        next === undefined || alpha * offer.utility + beta >= next.utility ? rule : undefined,
    }
  },
})
