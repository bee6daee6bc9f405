/**
 * The random agent: offers a uniformly random outcome among those it finds
 * acceptable (no red line crossed, utility at least its reservation value),
 * and accepts an acceptable offer with probability `acceptProbability`. All
 * draws come from `view.random`, so a seed fixes its play.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { Strategy } from "../Strategy.ts"
import { ACCEPT, fromMediator, REJECT } from "./Concession.ts"
import { strategyEntry } from "./Entry.ts"
import { countAtOrAbove, ladderOf, termsOf } from "./Ladder.ts"
import { described, Unit } from "./Parameters.ts"

/**
 * Random: offers uniformly random acceptable outcomes; accepts an acceptable
 * offer with probability `acceptProbability` (default 0.5). Seeded by
 * `view.random`.
 */
export const RandomSpec = Schema.Struct({
  kind: Schema.Literal("random"),
  acceptProbability: Schema.optionalWith(
    described(Unit, "probability of accepting an acceptable offer"),
    { default: () => 0.5 },
  ),
})
export type RandomSpec = typeof RandomSpec.Type

/** The random strategy of a spec. */
export const random = (spec: RandomSpec): Strategy => ({
  name: "random",
  init: (view) => {
    const ladder = ladderOf(view)
    const count = countAtOrAbove(ladder, view.reservation)
    const mediated = fromMediator(view)
    return {
      move: (turn) => {
        const offer = turn.onTable
        if (offer !== undefined) {
          if (view.acceptable(offer.terms) && view.random() < spec.acceptProbability) return ACCEPT
          if (mediated(offer)) return REJECT
        }
        if (count === 0) return { type: "walk-out", reason: "no acceptable outcome" }
        const k = Math.floor(view.random() * count)
        return { type: "offer", terms: termsOf(ladder.space, ladder.order[k]!) }
      },
    }
  },
})

/** Its registration (see `Registry.ts`). */
export const randomEntry = strategyEntry({
  specs: [RandomSpec],
  make: random,
  about: [
    {
      kind: "random",
      summary: "Offers random acceptable outcomes and accepts acceptable offers with a probability",
      reference: "GENIUS RandomAgent / NegMAS RandomNegotiator (a baseline)",
    },
  ],
})
