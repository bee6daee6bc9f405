/**
 * HardHeaded, the winner of ANAC 2011 (van Krimpen, Looije & Hajizadeh,
 * "HardHeaded", in Ito, Zhang, Robu & Matsuo (eds.), Complex Automated
 * Negotiations: Theories, Models, and Software Competitions, Studies in
 * Computational Intelligence 435, Springer 2013; Baarslag, Fujita, Gerding,
 * Hindriks, Ito, Jennings, Jonker, Kraus, Lin, Robu & Williams, "Evaluating
 * practical negotiating agents: results and analysis of the 2011
 * international competition", Artificial Intelligence 198, 2013).
 *
 * - **Concession.** A monotonic Boulware curve with a floor of
 *   `minimumUtility` (0.585, raised to the reservation value):
 *   `p(t) = min + (1 - F(t))·(max - min)`, `F(t) = Ka + (1 - Ka)·t^(1/e)`,
 *   `Ka = 0.05`, `e = 0.05`, so that (with a best of 1) its target stays
 *   above 0.93 until t = 0.9 and falls to the floor only at the deadline. With a discount factor `d`
 *   below 0.9 it concedes in two stages instead: until `t = d` it falls, with
 *   exponent `e/d`, from its best to `min + d·(max - min)`; after `d` it drops
 *   to a curve from `min + d·(max - min)` down to `min` with exponent 30 (a
 *   near-immediate drop): the sooner utility melts, the sooner it concedes.
 * - **Bidding.** It opens with its best bid. Then it walks down its bids one
 *   at a time: when its queue is empty, the next bid below its last one (or,
 *   once that would fall below `p(t)`, a random one of its own earlier bids)
 *   and every bid within `tolerance` (0.01) below it that still meets
 *   `p(t)` are candidates; if there are more than `selected - 1` of them the
 *   `selected` (5) its opponent model rates best for the opponent are queued,
 *   best first, else all of them. When the opponent has offered a bid better
 *   for HardHeaded than the head of the queue, that bid goes first.
 * - **Opponent model.** The HardHeaded frequency model (see `boa/Models.ts`).
 * - **Acceptance.** It accepts an offer worth more than the lowest bid it has
 *   made so far (`AC_lowest-own-bid`), or at least as much as the bid it would
 *   make next (`AC_next`).
 * - **End-game.** Its curve reaches its floor at the deadline and it offers
 *   the opponent's best bid when that beats its own next one; it has no
 *   last-turn rule (it does not accept an offer just because the deadline
 *   has come: the offer must pass one of its two conditions).
 *
 * What we interpreted:
 * - The published agent ran for thousands of rounds in GENIUS's three
 *   minutes and walks its bids one by one; in a negotiation of a hundred
 *   rounds the walk would lag far behind `p(t)` and the agent would never
 *   reach its end-game. With `catchUp` (default) the walk never lags more than
 *   one tolerance window behind its curve: its next candidate is the lower of
 *   the bid after its last one and the cheapest bid worth `p(t) + tolerance`.
 *   Likewise its queue of up to five bids, refilled only when empty, would
 *   span a tenth of a hundred-round negotiation: with `catchUp` a queue whose
 *   every bid lies more than `tolerance` above `p(t)` is dropped and refilled.
 *   `catchUp: false` walks as the original.
 * - GENIUS keeps one bid per utility value (a map keyed by utility); its
 *   ladder here keeps every outcome, and outcomes of equal utility are
 *   walked in turn.
 * - The original's queue loop adds `TOP_SELECTED_BIDS + 1 = 5` bids; we call
 *   that number `selected`. Candidates per window are capped at 256 (the
 *   original scans them all) so that a move stays cheap on large domains.
 * - Its best bid and the curve's top are its best utility; its public record
 *   (scripted timeline) is honoured only by the shared `AC_own-public-offer`.
 * - Several opponents: the model averages over them and "the opponent's best
 *   bid" is the best for it that any of them offered to it.
 * - The time is parley's normalised time of its turn; the discount factor is
 *   the GENIUS one (`view.discount`).
 *
 * @since 0.3.0
 */
import { Schema } from "effect"
import type { AcceptanceKind, OfferingKind, Planned, Session } from "../boa/Boa.ts"
import { boaPlayer } from "../boa/Boa.ts"
import { FrequencyModelSpec, ModelSpec, makeModel } from "../boa/Models.ts"
import type { Strategy, StrategyInfo } from "../Strategy.ts"
import { strategyEntry } from "./Entry.ts"
import { ladderOf, rungAtOrAbove, termsOf } from "./Ladder.ts"

const Unit = Schema.Number.pipe(Schema.finite(), Schema.between(0, 1))
const Positive = Schema.Number.pipe(Schema.finite(), Schema.positive())

/** HardHeaded's parameters (defaults: the published agent's constants). */
export const HardHeadedSpec = Schema.Struct({
  kind: Schema.Literal("hardheaded"),
  minimumUtility: Schema.optionalWith(
    Unit.annotations({
      description:
        "the lowest utility it ever bids (raised to its reservation value); the published 0.585",
    }),
    { default: () => 0.585 },
  ),
  ka: Schema.optionalWith(
    Unit.annotations({
      description: "initial concession Ka of its curve F(t) = Ka + (1 - Ka) t^(1/e) (0.05)",
    }),
    { default: () => 0.05 },
  ),
  e: Schema.optionalWith(
    Positive.annotations({
      description: "concession exponent e of its curve; below 1 is Boulware (0.05)",
    }),
    { default: () => 0.05 },
  ),
  ignoreDiscountAbove: Schema.optionalWith(
    Unit.annotations({
      description:
        "a discount factor at or above this is ignored (one-stage curve); below it, it concedes in two stages split at t = discount (0.9)",
    }),
    { default: () => 0.9 },
  ),
  lateE: Schema.optionalWith(
    Positive.annotations({
      description: "concession exponent after t = discount in the two-stage curve (30)",
    }),
    { default: () => 30 },
  ),
  tolerance: Schema.optionalWith(
    Unit.annotations({
      description:
        "utility window below its next bid whose bids are candidates, chosen by its opponent model (0.01)",
    }),
    { default: () => 0.01 },
  ),
  selected: Schema.optionalWith(
    Schema.Int.pipe(Schema.positive()).annotations({
      description:
        "how many candidates of a window it queues, the ones best for the opponent by its model (5)",
    }),
    { default: () => 5 },
  ),
  catchUp: Schema.optionalWith(
    Schema.Boolean.annotations({
      description:
        "never let its one-bid-at-a-time walk lag more than one window behind its curve (true; false walks as the original, which assumes thousands of rounds)",
    }),
    { default: () => true },
  ),
  model: Schema.optionalWith(
    ModelSpec.annotations({
      description: "its opponent model (HardHeaded's frequency model)",
    }),
    { default: () => FrequencyModelSpec.make({ kind: "frequency", learningRate: 0.2 }) },
  ),
})
export type HardHeadedSpec = typeof HardHeadedSpec.Type

/** What `parley strategies` lists of HardHeaded. */
export const hardheadedInfo: StrategyInfo = {
  kind: "hardheaded",
  summary:
    "ANAC 2011 winner: Boulware walk down its bids (faster with a strong discount), picks the bids its frequency model rates best for the opponent, accepts above its lowest bid so far",
  reference:
    "van Krimpen, Looije & Hajizadeh, HardHeaded, Complex Automated Negotiations: Theories, Models, and Software Competitions, Springer 2013; Baarslag et al., Evaluating practical negotiating agents: results and analysis of the 2011 international competition, Artificial Intelligence 2013",
}

/** Its concession target p(t) (see the file header). */
export const hardheadedTarget = (
  spec: Pick<HardHeadedSpec, "ka" | "e" | "ignoreDiscountAbove" | "lateE">,
  discount: number,
  min: number,
  max: number,
): ((t: number) => number) => {
  const { ka, e } = spec
  const d = discount
  return (time) => {
    const t = Math.min(1, Math.max(0, time))
    if (d >= spec.ignoreDiscountAbove) {
      const f = ka + (1 - ka) * t ** (1 / e)
      return min + (1 - f) * (max - min)
    }
    if (t <= d) {
      const f = ka + (1 - ka) * (t / d) ** (d / e)
      const low = min + Math.abs(max - min) * d
      return low + (1 - f) * (max - low)
    }
    const f = ka + (1 - ka) * ((t - d) / (1 - d)) ** (1 / spec.lateE)
    const high = min + Math.abs(max - min) * d
    return min + (1 - f) * (high - min)
  }
}

/** Most candidates a window considers. */
const MAX_WINDOW = 256

interface Queued extends Planned {
  /** Its position on the ladder (where the walk goes on from). */
  readonly rung: number
}

/** The rule names of its acceptance. */
export const AC_LOWEST_OWN_BID = "AC_lowest-own-bid"

/** HardHeaded as a strategy. */
export const hardheaded = (spec: HardHeadedSpec): Strategy => {
  const modelKind = makeModel(spec.model)
  const name = "hardheaded"
  const offering: OfferingKind = {
    name,
    init: (view) => {
      const ladder = ladderOf(view)
      const best = ladder.length > 0 ? ladder.utilities[0]! : 0
      const min = Math.min(best, Math.max(spec.minimumUtility, view.reservation))
      const p = hardheadedTarget(spec, view.discount, min, best)
      const queue: Array<Queued> = []
      const mine: Array<number> = []
      let last = -1
      let seen = 0
      let opponentBest: Queued | undefined
      const rungOf = (u: number) => rungAtOrAbove(ladder, u)
      const refill = (target: number, session: Session) => {
        let first = last + 1
        if (spec.catchUp) first = Math.max(first, rungOf(target + spec.tolerance))
        if (first >= ladder.length || ladder.utilities[first]! < target)
          first = mine[Math.floor(view.random() * mine.length)] ?? 0
        const top = ladder.utilities[first]!
        const window: Array<number> = [first]
        for (let k = first + 1; k < ladder.length && window.length < MAX_WINDOW; k++) {
          const u = ladder.utilities[k]!
          if (top - u >= spec.tolerance || u < target) break
          window.push(k)
        }
        const model = session.model
        let chosen = window
        if (window.length >= spec.selected && model !== undefined) {
          const scored = window.map((k) => ({
            k,
            o: model.utility(termsOf(ladder.space, ladder.order[k]!)),
          }))
          // best for the opponent first; equal estimates: better for itself first
          scored.sort((a, b) => b.o - a.o || a.k - b.k)
          chosen = scored.slice(0, spec.selected).map((s) => s.k)
        } else if (window.length > spec.selected) chosen = window.slice(0, spec.selected)
        for (const k of chosen)
          queue.push({
            terms: termsOf(ladder.space, ladder.order[k]!),
            utility: ladder.utilities[k]!,
            rung: k,
          })
        if (opponentBest !== undefined && queue[0]!.utility < opponentBest.utility)
          queue.unshift(opponentBest)
      }
      return {
        next: (turn, session) => {
          if (ladder.length === 0 || best < view.reservation) return undefined
          const received = session.history.received
          for (; seen < received.length; seen++) {
            const b = received[seen]!
            if (b.by === view.party || !view.acceptable(b.terms)) continue
            if (opponentBest === undefined || b.utility > opponentBest.utility)
              opponentBest = { terms: b.terms, utility: b.utility, rung: rungOf(b.utility) }
          }
          if (mine.length === 0 && queue.length === 0)
            queue.push({ terms: termsOf(ladder.space, ladder.order[0]!), utility: best, rung: 0 })
          else {
            const target = p(turn.time)
            // catch-up: a queue wholly a window above the curve is stale (see the header)
            if (spec.catchUp && queue.length > 0 && queue.at(-1)!.utility > target + spec.tolerance)
              queue.length = 0
            if (queue.length === 0) refill(target, session)
          }
          const bid = queue.shift()!
          last = bid.rung
          mine.push(bid.rung)
          return bid
        },
      }
    },
  }
  const acceptance: AcceptanceKind = {
    name: "AC_hardheaded",
    init: () => ({
      accepts: ({ offer, next, session }) => {
        const { sent } = session.history
        let lowest = Number.POSITIVE_INFINITY
        for (let k = session.history.public; k < sent.length; k++)
          if (sent[k]!.utility < lowest) lowest = sent[k]!.utility
        if (offer.utility > lowest) return AC_LOWEST_OWN_BID
        if (next === undefined || offer.utility >= next.utility) return "AC_next"
        return undefined
      },
    }),
  }
  return {
    name,
    init: (view) => boaPlayer(view, { offering, acceptance, model: modelKind }),
  }
}

/** Its registration (see `Registry.ts`). */
export const hardheadedEntry = strategyEntry({
  specs: [HardHeadedSpec],
  make: hardheaded,
  about: [hardheadedInfo],
  docs: {
    reference: "van Krimpen, Looije & Hajizadeh 2013 (ANAC 2011 winner)",
    tested:
      "holds out (lowest bid before t = 0.9 is 0.95–0.97 against a hardliner); concedes sooner under discount 0.5 (mean bid 0.60 vs 0.99 on Camera); uses its frequency model",
    interpreted:
      "`catchUp` (default on): the original's one-bid-at-a-time walk assumes thousands of rounds; with 100 it would never reach its end game",
  },
})
