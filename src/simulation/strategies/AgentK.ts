/**
 * AgentK, winner of the first Automated Negotiating Agents Competition (ANAC
 * 2010), as its authors and the competition describe it:
 *
 * - Kawaguchi, Fujita & Ito, "Compromising strategy based on estimated
 *   maximum utility for automated negotiation agents", in Ito, Zhang,
 *   Robu, Fatima & Matsuo (eds.), New Trends in Agent-based Complex Automated
 *   Negotiations, Studies in Computational Intelligence 383, Springer 2012;
 * - Baarslag, Hindriks, Jonker, Kraus & Lin, "The first automated negotiating
 *   agents competition (ANAC 2010)", same book, Springer 2012.
 *
 * Its defining mechanism: it estimates the best utility it can expect from
 * its opponent from the mean μ and the variance σ² of the (own) utilities of
 * the opponent's offers. Taking the opponent's offers as spread uniformly
 * over a band, that band is `√(12σ²)` wide, so the opponent may still go as
 * far as
 *
 *     estimateMax = μ + (1 − μ) · √(12σ²)
 *
 * Its aspiration then falls from 1 towards that estimate with time, the
 * faster the more the opponent concedes: with `tremor` τ (2 in the original),
 *
 *     α = 1 + τ + 10μ − 2τμ
 *     preTarget(t) = 1 − t^α · (1 − estimateMax)
 *     ratio = min(2, (√(12σ²) + 0.1) / (1 − preTarget))
 *     target = ratio · preTarget + 1 − ratio
 *
 * and, as long as the target is still above `estimateMax`, it is pulled
 * towards it by `r·f/m` (`r` the gap, `f = min(m, 1/r²)`, `m = 400 − 300t³`);
 * a target below the estimate is raised to it. The bidding target
 * `bidTarget` is the same with a jittered exponent `β = α + τ·(U − 1/2)`.
 *
 * It accepts an offer of own utility `u` with probability
 *
 *     p = t^α / 5 + (u − estimateMax) + (u − target)      (0 when p < 0.1)
 *
 * and otherwise bids: one of the opponent's earlier offers worth more than
 * its target, picked at random, if any; else a random outcome worth at least
 * `bidTarget`, searched with a bounded number of random draws and lowering
 * the search level by 0.01 after each 500 failed draws.
 *
 * What had to be interpreted (and how):
 * - **Utility scale.** The formulas assume utilities in [0, 1] with a best
 *   outcome worth 1, as GENIUS profiles are; they are applied to the party's
 *   own utilities unchanged (offered utilities above 1 are counted as 1, as
 *   in the original).
 * - **Time.** Normalised time is the turn's `time` (0 in the first simulated
 *   round, 1 in the last), where the original read the GENIUS clock.
 * - **No discounting, hard reservation value.** ANAC 2010 had neither
 *   discount factors nor reservation values; the agent decides on undiscounted
 *   utility, as the original does. It never offers below its reservation
 *   value or across a red line (its random search and re-offers are limited
 *   to acceptable outcomes), and the BOA seam never lets it accept such an
 *   offer.
 * - **The bounded random search** is simulated exactly rather than drawn
 *   outcome by outcome: when `c` of the space's `N` outcomes meet the level,
 *   a run of `searchBudget` uniform draws finds one with probability
 *   `1 − (1 − c/N)^searchBudget`; one seeded draw decides whether it does,
 *   and the outcome found is uniform among the `c` (the first success of
 *   uniform rejection sampling is). A failed run lowers the level by 0.01,
 *   as the original does; at its reservation value it takes any acceptable
 *   outcome. This costs a few binary searches on its sorted outcomes instead
 *   of up to hundreds of utility evaluations per level.
 * - **Memory.** Statistics include every offer addressed to it, the public
 *   (scripted-timeline) ones included, repeated offers counted each time
 *   they are made; its memory of the opponent's offers (for re-offering)
 *   keeps each distinct outcome once.
 * - **Randomness** comes from `view.random` only (the original used four
 *   unseeded generators).
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { indexOf } from "../../analysis/OutcomeSpace.ts"
import type { Terms } from "../../domain/Issue.ts"
import { type AcceptanceKind, boaPlayer, type OfferingKind, type Planned } from "../boa/Boa.ts"
import type { PartyView, Strategy, StrategyInfo } from "../Strategy.ts"
import { strategyEntry } from "./Entry.ts"
import { countAtOrAbove, ladderOf, termsOf } from "./Ladder.ts"

/**
 * AgentK (ANAC 2010 winner): estimates the opponent's maximum concession
 * from the mean and variance of its offers, aims at it as time runs out,
 * accepts probabilistically, and bids randomly above its target.
 */
export const AgentKSpec = Schema.Struct({
  kind: Schema.Literal("agentk"),
  tremor: Schema.optionalWith(
    Schema.Number.pipe(Schema.finite(), Schema.nonNegative()).annotations({
      description:
        "tremor τ: how much the concession exponent depends on the opponent's mean offer, and the jitter of the bidding target's exponent (default 2, the original's)",
    }),
    { default: () => 2 },
  ),
  searchBudget: Schema.optionalWith(
    Schema.Int.pipe(Schema.positive()).annotations({
      description:
        "random draws its bid search makes before lowering its bidding target by 0.01 (default 500, the original's)",
    }),
    { default: () => 500 },
  ),
})
export type AgentKSpec = typeof AgentKSpec.Type

/** What `parley strategies` lists of AgentK. */
export const agentkInfo: StrategyInfo = {
  kind: "agentk",
  summary:
    "AgentK (ANAC 2010 winner): targets the opponent's estimated maximum concession (mean + (1 − mean)·√12·deviation of its offers), accepts probabilistically, bids randomly above its target",
  reference:
    'Kawaguchi, Fujita & Ito, "Compromising strategy based on estimated maximum utility for automated negotiation agents", New Trends in Agent-based Complex Automated Negotiations, Springer 2012; Baarslag et al., "The first automated negotiating agents competition (ANAC 2010)", same book',
}

/** The rule name of AgentK's probabilistic acceptance. */
export const AC_AGENTK = "AC_AgentK"

/** AgentK's estimate after an offer: what it aims at and how likely it accepts. */
export interface AgentKEstimate {
  /** The estimated best utility the opponent will concede: `μ + (1 − μ)·√(12σ²)`. */
  readonly estimateMax: number
  /** Its acceptance target. */
  readonly target: number
  /** Its bidding target (same curve, jittered exponent). */
  readonly bidTarget: number
  /** The probability it accepts the offer just received. */
  readonly accept: number
}

/**
 * AgentK's estimate at normalised time `time` from the sum and sum of
 * squares of the `n >= 1` utilities offered so far, the latest offer's
 * utility `u`, its tremor and a uniform draw `jitter` in [0, 1) for the
 * bidding target's exponent. Pure: the player and the tests share it.
 */
export const agentkEstimate = (
  time: number,
  stats: { readonly sum: number; readonly sum2: number; readonly n: number },
  u: number,
  tremor: number,
  jitter: number,
): AgentKEstimate => {
  const mean = stats.sum / stats.n
  const variance = stats.sum2 / stats.n - mean * mean
  const d = Math.sqrt(variance * 12)
  const deviation = Number.isNaN(d) ? 0 : d
  const estimateMax = mean + (1 - mean) * deviation
  const alpha = 1 + tremor + 10 * mean - 2 * tremor * mean
  const beta = alpha + jitter * tremor - tremor / 2
  const t3 = time * time * time
  const m = 400 - 300 * t3
  const curve = (exponent: number): number => {
    const pre = 1 - time ** exponent * (1 - estimateMax)
    let ratio = (deviation + 0.1) / (1 - pre)
    if (Number.isNaN(ratio) || ratio > 2) ratio = 2
    const raw = ratio * pre + 1 - ratio
    if (!(raw > estimateMax)) return estimateMax
    const r = raw - estimateMax
    let f = 1 / (r * r)
    if (f > m || Number.isNaN(f)) f = m
    return raw - (r * f) / m
  }
  const target = curve(alpha)
  const bidTarget = curve(beta)
  const offered = Math.min(1, u)
  const p = time ** alpha / 5 + (offered - estimateMax) + (offered - target)
  return { estimateMax, target, bidTarget, accept: p < 0.1 ? 0 : p }
}

/** One of the opponent's distinct offers, remembered for re-offering. */
interface Remembered {
  readonly terms: Terms
  readonly utility: number
}

/** A player's state for one run. */
const agentkPlayer = (spec: AgentKSpec, view: PartyView) => {
  const ladder = ladderOf(view)
  const space = ladder.space
  const floor = view.reservation
  const stats = { sum: 0, sum2: 0, n: 0 }
  let seen = 0
  let target = 1
  let bidTarget = 1
  let accept = 0
  const remembered: Array<Remembered> = []
  const known = new Set<number>()
  const remember = (terms: Terms, utility: number): void => {
    if (!view.acceptable(terms)) return
    const index = indexOf(space, terms)
    if (index >= 0) {
      if (known.has(index)) return
      known.add(index)
    }
    remembered.push({ terms, utility })
  }

  /** A random acceptable outcome worth at least `level`, by the bounded search. */
  const search = (start: number): Planned | undefined => {
    const n = space.size
    let level = start
    for (;;) {
      const atFloor = level <= floor
      const c = countAtOrAbove(ladder, atFloor ? floor : level)
      if (c > 0) {
        const hit = c >= n ? 1 : 1 - (1 - c / n) ** spec.searchBudget
        if (atFloor || view.random() < hit) {
          const rung = Math.floor(view.random() * c)
          return { terms: termsOf(space, ladder.order[rung]!), utility: ladder.utilities[rung]! }
        }
      } else if (atFloor) return undefined
      level -= 0.01
    }
  }

  const offering: OfferingKind = {
    name: "agentk",
    init: () => ({
      next: (turn, session) => {
        const received = session.history.received
        let latest: number | undefined
        while (seen < received.length) {
          const bid = received[seen++]!
          const u = Math.min(1, bid.utility)
          stats.sum += u
          stats.sum2 += u * u
          stats.n++
          remember(bid.terms, bid.utility)
          latest = bid.utility
        }
        if (latest !== undefined) {
          const e = agentkEstimate(turn.time, stats, latest, spec.tremor, view.random())
          target = e.target
          bidTarget = e.bidTarget
          accept = e.accept
        } else accept = 0
        // An earlier offer of the opponent's worth more than its target, if any.
        let count = 0
        for (const r of remembered) if (r.utility > target) count++
        if (count > 0) {
          let k = Math.floor(view.random() * count)
          for (const r of remembered)
            if (r.utility > target && k-- === 0) return { terms: r.terms, utility: r.utility }
        }
        return search(bidTarget)
      },
    }),
  }
  const acceptance: AcceptanceKind = {
    name: "agentk",
    init: () => ({
      accepts: () => (accept > 0 && accept > view.random() ? AC_AGENTK : undefined),
    }),
  }
  return boaPlayer(view, { ladder, offering, acceptance })
}

/** AgentK, as a strategy. */
export const agentk = (spec: AgentKSpec): Strategy => ({
  name: "agentk",
  init: (view) => agentkPlayer(spec, view),
})

/** Its registration (see `Registry.ts`). */
export const agentkEntry = strategyEntry({
  specs: [AgentKSpec],
  make: agentk,
  about: [agentkInfo],
  docs: {
    reference: "Kawaguchi, Fujita & Ito 2012 (ANAC 2010 winner)",
    tested:
      "target follows its estimate `μ + (1−μ)·√(12σ²)` of the opponent's best; probabilistic acceptance (0.9 offer at t = 0.9 taken in 20 of 60 seeds, predicted 0.334)",
    interpreted:
      "the 500-draw random search is reproduced in distribution in closed form; ignores discounting like the 2010 original",
  },
})
