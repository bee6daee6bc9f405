/**
 * CUHKAgent, winner of ANAC 2012, as its authors describe it:
 *
 * - Hao & Leung, "ABiNeS: An adaptive bilateral negotiating strategy over
 *   multiple items", IEEE/WIC/ACM International Conference on Intelligent
 *   Agent Technology (IAT) 2012;
 * - Hao & Leung, "CUHKAgent: an adaptive negotiation strategy for bilateral
 *   negotiations over multiple items", in Marsa-Maestre, Lopez-Carmona, Ito,
 *   Zhang, Bai & Fujita (eds.), Novel Insights in Agent-based Complex
 *   Automated Negotiation, Studies in Computational Intelligence 535,
 *   Springer 2014.
 *
 * Its mechanisms:
 *
 * - **Acceptance threshold with a non-exploitation point λ.** With discount
 *   factor δ and its best utility `u_max`, its threshold is
 *
 *       l(t) = u_max − (u_max − u_max·δ^(1−λ)) · (t/λ)^α     for t ≤ λ
 *       l(t) = u_max · δ^(1−t)                              for t > λ
 *
 *   (α = 2): until λ it exploits the opponent, conceding from `u_max`; from λ
 *   on it stops conceding in discounted terms: `l(t)·δ^t = u_max·δ`, what its
 *   best outcome would still be worth at the deadline.
 * - **λ from the discount factor and the opponent's toughness.** Initially
 *   `λ₀ = λ_min + (1 − λ_min)·δ^β` (λ_min = 0.08; β = 1.8 for δ > 0.75, 1.5 for
 *   δ > 0.5, else 1.2): the heavier the discount, the earlier it stops
 *   exploiting. After each offer it re-estimates the opponent's concession
 *   degree σ in [0, 1] and sets `λ = λ₀ + w·(1 − λ₀)·σ^γ` (w = 0.1, γ = 10): an
 *   opponent that keeps making new offers (a conceder, σ near 1) is exploited
 *   longer; against one that repeats itself (a hardliner, σ near 0) it stops
 *   exploiting at λ₀. σ is `(k/10)²`, where `k` is how many of the opponent's
 *   last 10 distinct offers it made only once (with fewer than 11 distinct
 *   offers, `k` is their number).
 * - **Reinforcing the opponent's best offer.** When the best offer the
 *   opponent has made is worth at least its threshold, it proposes that offer
 *   back. When that best offer, discounted to now, is worth more than
 *   `u_max·δ` after λ, or more than its discounted threshold, it accepts an
 *   offer within 0.01 of it, or else proposes it back.
 * - **Acceptance**: the offer is worth at least its threshold, or at least
 *   the bid it would make next (AC_next), or the rule above.
 * - **An opponent model learnt from the opponent's offers**: how often each
 *   value of each issue appeared in the opponent's first 100 distinct offers.
 *   Among the outcomes worth at least its threshold (at most 200 of them,
 *   drawn at random when there are more), it proposes the one whose values
 *   the opponent used most (ties broken by a coin), and with probability 0.05
 *   a random one instead (exploration).
 * - **Endgame.** In its last few turns it proposes the opponent's best offer
 *   (when that is worth less than `u_max − 0.15` and it still has two turns,
 *   the outcome the model prefers among those worth `u_max − 0.15` to
 *   `u_max − 0.02`); if it had already proposed the opponent's best offer back
 *   and the opponent did not take it, it accepts what is on the table.
 * - **Walking away** when its reservation value is at least its threshold or
 *   its next bid, or when, after λ, the reservation value discounted to now is
 *   worth more than `u_max·δ`.
 *
 * What had to be interpreted (and how):
 * - **Parameters.** The papers give the shape of the threshold and of λ; the
 *   constants (α = 2, λ_min = 0.08, the β table, w = 0.1, γ = 10, the 200
 *   candidates, 0.05 exploration, the 0.15/0.02 endgame band, the first 100
 *   distinct offers) are those of the agent as submitted to ANAC 2012 (read
 *   in the GENIUS distribution), exposed as spec parameters where they are
 *   tuning knobs.
 * - **Undiscounted large domains.** With δ = 1 the threshold never leaves
 *   `u_max`; as submitted, the agent then lowers it to `u_max − 0.05` in
 *   domains of more than 3000 outcomes (and to `u_max − 0.25` from t = 0.98
 *   in domains of more than 10000). Kept, on the size of the outcome space.
 * - **Rounds, not a clock.** The original estimates the rounds left from the
 *   longest time an exchange took and enters its endgame when fewer than 5
 *   are left near the clock's end (t > 0.9985); here it estimates its turns
 *   left from the rounds left and the longest gap, in rounds, between two of
 *   its turns so far: its endgame is its last `endgame` turns (default 5),
 *   its last chance its last two.
 * - **Discounting.** δ is the GENIUS discount factor of its preferences
 *   (`view.discount`); "discounted to now" multiplies by `view.discountAt`
 *   (which also folds any per-round discount in).
 * - **Candidates.** The original buckets its outcomes by utility in steps of
 *   0.01; here the candidates are exactly the outcomes worth at least the
 *   threshold (its sorted outcomes), never below the reservation value or
 *   across a red line. It re-offers only acceptable opponent offers.
 * - **Model values** are counted per issue value of the outcome space (a real
 *   issue's values are its discretisation steps; an off-grid number counts
 *   for the nearest step).
 * - **Its first move**: with no offer of its own yet it proposes its best
 *   outcome and does not judge the offer on the table, as the original.
 * - **More than two parties** (not part of the design): it treats all others'
 *   offers as one opponent's.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { digitsAt } from "../../analysis/OutcomeSpace.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import { type AcceptanceKind, boaPlayer, type OfferingKind, type Planned } from "../boa/Boa.ts"
import type { PartyView, Player, Strategy, StrategyInfo, Turn } from "../Strategy.ts"
import { strategyEntry } from "./Entry.ts"
import { countAtOrAbove, ladderOf, termsOf } from "./Ladder.ts"

const Unit = Schema.Number.pipe(Schema.finite(), Schema.between(0, 1))
const Positive = Schema.Number.pipe(Schema.finite(), Schema.positive())

/**
 * CUHKAgent (ANAC 2012 winner): a discount-aware threshold with a
 * non-exploitation point set by the discount factor and the opponent's
 * toughness, reinforcement of the opponent's best offer, and a frequency
 * model of the opponent to choose among bids above the threshold.
 */
export const CUHKAgentSpec = Schema.Struct({
  kind: Schema.Literal("cuhkagent"),
  alpha: Schema.optionalWith(
    Positive.annotations({
      description:
        "exponent α of its concession until the non-exploitation point λ (default 2; larger is tougher)",
    }),
    { default: () => 2 },
  ),
  minLambda: Schema.optionalWith(
    Unit.annotations({
      description: "λ_min: the non-exploitation point for a discount factor of 0 (default 0.08)",
    }),
    { default: () => 0.08 },
  ),
  toughnessWeight: Schema.optionalWith(
    Unit.annotations({
      description:
        "w: how far a conceding opponent pushes λ towards 1, λ = λ₀ + w·(1 − λ₀)·σ^γ (default 0.1)",
    }),
    { default: () => 0.1 },
  ),
  toughnessExponent: Schema.optionalWith(
    Positive.annotations({
      description: "γ: the exponent of the opponent's concession degree σ in λ (default 10)",
    }),
    { default: () => 10 },
  ),
  exploration: Schema.optionalWith(
    Unit.annotations({
      description:
        "probability of proposing a random bid above its threshold instead of the one its opponent model prefers (default 0.05)",
    }),
    { default: () => 0.05 },
  ),
  endgame: Schema.optionalWith(
    Schema.Int.pipe(Schema.positive()).annotations({
      description:
        "its last turns before the deadline in which it proposes the opponent's best offer back (default 5)",
    }),
    { default: () => 5 },
  ),
})
export type CUHKAgentSpec = typeof CUHKAgentSpec.Type

/** What `parley strategies` lists of CUHKAgent. */
export const cuhkagentInfo: StrategyInfo = {
  kind: "cuhkagent",
  summary:
    "CUHKAgent (ANAC 2012 winner): discount-aware threshold with a non-exploitation point set by the discount factor and the opponent's toughness, reinforces the opponent's best offer, picks bids by a frequency model of the opponent",
  reference:
    'Hao & Leung, "ABiNeS: An adaptive bilateral negotiating strategy over multiple items", IAT 2012; Hao & Leung, "CUHKAgent: an adaptive negotiation strategy for bilateral negotiations over multiple items", Novel Insights in Agent-based Complex Automated Negotiation, Springer 2014',
}

/** Rule names of its acceptances. */
export const AC_CUHK_THRESHOLD = "AC_CUHK-threshold"
export const AC_CUHK_NEXT = "AC_next"
export const AC_CUHK_BEST = "AC_CUHK-best-offer"
export const AC_CUHK_ENDGAME = "AC_CUHK-endgame"

/** λ₀: the non-exploitation point of discount factor `delta` before any offer is seen. */
export const initialLambda = (delta: number, minLambda: number): number => {
  const beta = delta > 0.75 ? 1.8 : delta > 0.5 ? 1.5 : 1.2
  return minLambda + (1 - minLambda) * delta ** beta
}

/** λ after an opponent of concession degree `sigma` in [0, 1]. */
export const adaptedLambda = (
  lambda0: number,
  sigma: number,
  weight: number,
  exponent: number,
): number => Math.min(1, lambda0 + weight * (1 - lambda0) * sigma ** exponent)

/** The threshold `l(t)` of the general case (see the header). */
export const cuhkThreshold = (
  t: number,
  umax: number,
  delta: number,
  lambda: number,
  alpha: number,
): number => {
  if (t <= lambda) {
    const low = umax * delta ** (1 - lambda)
    return umax - (umax - low) * (t / lambda) ** alpha
  }
  return umax * delta ** (1 - t)
}

/** Offers it remembers for its model (the original's 100). */
const MODEL_OFFERS = 100
/** Candidates its model compares per bid (the original's 200). */
const MAX_CANDIDATES = 200
/** Distinct offers its toughness estimate looks back on. */
const TOUGHNESS_WINDOW = 10

/** The value index of each issue in `terms` (nearest step for an off-grid number; -1 if absent). */
const digitsOfTerms = (view: PartyView, terms: Terms, out: Int32Array): Int32Array => {
  const space = view.space
  for (let i = 0; i < space.issues.length; i++) {
    const v = (terms as Record<string, TermValue | undefined>)[space.issues[i]!.id]
    const values = space.values[i]!
    let k = v === undefined ? -1 : values.indexOf(v)
    if (k < 0 && typeof v === "number") {
      let best = Number.POSITIVE_INFINITY
      for (let j = 0; j < values.length; j++) {
        const d = Math.abs((values[j] as number) - v)
        if (d < best) {
          best = d
          k = j
        }
      }
    }
    out[i] = k
  }
  return out
}

/** What it decided on a turn, for its acceptance condition and its walk-out. */
interface Decision {
  rule: string | undefined
  terminate: boolean
}

const cuhkPlayer = (spec: CUHKAgentSpec, view: PartyView): Player => {
  const ladder = ladderOf(view)
  const space = ladder.space
  const n = space.issues.length
  const size = space.size
  const umax = ladder.length > 0 ? ladder.utilities[0]! : 0
  const delta = view.discount > 0 && view.discount <= 1 ? view.discount : 1
  const lambda0 = initialLambda(delta, spec.minLambda)
  const reservation = view.reservation
  // Its turns so far: the longest gap between two of them, in rounds (what
  // the original measures in time to estimate the rounds left).
  let lastRound: number | undefined
  let gap = 1
  // The same in time, for when the deadline is hidden (the widest gap between two of its turns).
  let lastTime: number | undefined
  let timeGap = 0
  let lambda = lambda0
  let largeThreshold = umax

  // The opponent's offers: distinct ones in order, how often each was made,
  // the best (acceptable) one, and the value counts of the model.
  const distinct: Array<string> = []
  const counts = new Map<string, number>()
  const freq = space.radix.map((r) => new Float64Array(r))
  let best: Planned | undefined
  let bestU = Number.NEGATIVE_INFINITY
  const digits = new Int32Array(n)
  const learn = (terms: Terms, u: number): void => {
    digitsOfTerms(view, terms, digits)
    const key = digits.join(",")
    const c = counts.get(key) ?? 0
    if (c === 0) distinct.push(key)
    counts.set(key, c + 1)
    // Its model counts the values of every offer while it has seen at most 100 distinct ones.
    if (distinct.length <= MODEL_OFFERS)
      for (let i = 0; i < n; i++) if (digits[i]! >= 0) freq[i]![digits[i]!]!++
    if (u > bestU) bestU = u
    if (view.acceptable(terms) && (best === undefined || u > best.utility))
      best = { terms, utility: u }
  }
  const concessionDegree = (): number => {
    let k: number
    if (distinct.length > TOUGHNESS_WINDOW) {
      k = 0
      for (let j = distinct.length - TOUGHNESS_WINDOW; j < distinct.length; j++)
        if (counts.get(distinct[j]!) === 1) k++
    } else k = distinct.length
    return (k / TOUGHNESS_WINDOW) ** 2
  }

  const thresholdAt = (t: number): number => {
    if (delta === 1 && size > 3000) {
      let floor = umax - 0.05
      if (size > 10000 && t >= 0.98) floor = umax - 0.25
      if (largeThreshold > floor) largeThreshold = floor
      return largeThreshold
    }
    return cuhkThreshold(t, umax, delta, lambda, spec.alpha)
  }

  const planAt = (rung: number): Planned => ({
    terms: termsOf(space, ladder.order[rung]!),
    utility: ladder.utilities[rung]!,
  })
  const modelScore = (rung: number): number => {
    digitsAt(space, ladder.order[rung]!, digits)
    let s = 0
    for (let i = 0; i < n; i++) s += freq[i]![digits[i]!]!
    return s
  }
  /** The rung its model prefers among the first `c` rungs from `from` (ε-greedy). */
  const choose = (from: number, c: number): number => {
    const sampled = c >= MAX_CANDIDATES
    const m = sampled ? MAX_CANDIDATES : c
    const pick = (j: number): number => (sampled ? from + Math.floor(view.random() * c) : from + j)
    let chosen = -1
    let top = 0
    const seen = sampled ? new Array<number>(m) : undefined
    for (let j = 0; j < m; j++) {
      const rung = pick(j)
      if (seen !== undefined) seen[j] = rung
      const s = modelScore(rung)
      if (s > top || (s === top && view.random() < 0.5)) {
        top = s
        chosen = rung
      }
    }
    const random = () =>
      seen !== undefined
        ? seen[Math.floor(view.random() * m)]!
        : from + Math.floor(view.random() * m)
    if (chosen < 0 || view.random() < spec.exploration) return random()
    return chosen
  }

  /** Its bid in the main phase (its threshold set first). */
  const bidToOffer = (threshold: number): Planned | undefined => {
    if (best !== undefined && best.utility >= threshold) return best
    const floor = Math.max(threshold, reservation)
    const c = countAtOrAbove(ladder, floor)
    if (c === 0) return countAtOrAbove(ladder, reservation) > 0 ? planAt(0) : undefined
    return planAt(choose(0, c))
  }

  /** Its bid in the endgame. */
  const endgameBid = (lastChance: boolean): Planned | undefined => {
    if (best !== undefined && (best.utility >= umax - 0.15 || lastChance)) return best
    const low = Math.max(umax - 0.15, reservation)
    const c = countAtOrAbove(ladder, low)
    const skip = countAtOrAbove(ladder, umax - 0.02 + 1e-12)
    if (c > skip) return planAt(choose(skip, c - skip))
    if (best !== undefined) return best
    return countAtOrAbove(ladder, reservation) > 0 ? planAt(0) : undefined
  }

  let conceded = false
  const acceptOffer = (
    u: number,
    next: Planned | undefined,
    threshold: number,
    t: number,
    factor: number,
  ): { rule: string | undefined; concede: boolean } => {
    if (u >= threshold) return { rule: AC_CUHK_THRESHOLD, concede: false }
    if (next === undefined || u >= next.utility) return { rule: AC_CUHK_NEXT, concede: false }
    const bestNow = bestU * factor
    if ((bestNow > umax * delta && t > lambda) || bestNow > threshold * factor) {
      if (u >= bestU - 0.01) return { rule: AC_CUHK_BEST, concede: false }
      return { rule: undefined, concede: true }
    }
    return { rule: undefined, concede: false }
  }
  const shouldTerminate = (
    next: Planned | undefined,
    threshold: number,
    t: number,
    factor: number,
  ) =>
    reservation >= threshold ||
    next === undefined ||
    reservation >= next.utility ||
    (reservation * factor > umax * delta && t > lambda)

  const decision: Decision = { rule: undefined, terminate: false }
  let processed = 0
  const offering: OfferingKind = {
    name: "cuhkagent",
    init: () => ({
      next: (turn: Turn, session) => {
        decision.rule = undefined
        decision.terminate = false
        if (lastRound !== undefined && turn.round - lastRound > gap) gap = turn.round - lastRound
        lastRound = turn.round
        if (lastTime !== undefined && turn.time - lastTime > timeGap) timeGap = turn.time - lastTime
        lastTime = turn.time
        const received = session.history.received
        while (processed < received.length) {
          const b = received[processed++]!
          learn(b.terms, b.utility)
        }
        if (received.length === 0 || session.history.sent.length === 0)
          return ladder.length > 0 && ladder.utilities[0]! >= reservation ? planAt(0) : undefined
        lambda = adaptedLambda(
          lambda0,
          concessionDegree(),
          spec.toughnessWeight,
          spec.toughnessExponent,
        )
        const t = turn.time
        const factor = view.discountAt(turn)
        const threshold = thresholdAt(t)
        // Its turns left: from the rounds left when the deadline is shown, else from its clock's widest gap.
        const left =
          turn.rounds !== undefined
            ? Math.floor((turn.rounds - 1 - turn.round) / gap)
            : timeGap > 0
              ? Math.max(0, Math.ceil((1 - turn.time) / timeGap - 1e-9) - 1)
              : Number.POSITIVE_INFINITY
        const endgame = left < spec.endgame
        let next = endgame ? endgameBid(left < 2) : bidToOffer(threshold)
        const onTable = turn.onTable !== undefined ? received.at(-1) : undefined
        let accept: string | undefined
        let concede = false
        if (onTable !== undefined) {
          const a = acceptOffer(onTable.utility, next, threshold, t, factor)
          accept = a.rule
          concede = a.concede
        }
        const terminate = shouldTerminate(next, threshold, t, factor)
        if (accept !== undefined && terminate && !(onTable!.utility > reservation))
          accept = undefined
        if (accept === undefined && !terminate && onTable !== undefined) {
          if (!endgame) {
            if (concede && best !== undefined) {
              next = best
              conceded = true
            } else conceded = false
          } else if (conceded) accept = AC_CUHK_ENDGAME
        }
        decision.rule = accept
        decision.terminate = accept === undefined && terminate
        return decision.terminate ? undefined : next
      },
    }),
  }
  const acceptance: AcceptanceKind = {
    name: "cuhkagent",
    init: () => ({ accepts: () => decision.rule }),
  }
  const inner = boaPlayer(view, { ladder, offering, acceptance })
  return {
    move: (turn) => {
      const move = inner.move(turn)
      if (move.type === "walk-out" && decision.terminate)
        return {
          type: "walk-out",
          reason: "its reservation value is worth at least what it can still expect",
        }
      return move
    },
    ratify: inner.ratify,
  }
}

/** CUHKAgent, as a strategy. */
export const cuhkagent = (spec: CUHKAgentSpec): Strategy => ({
  name: "cuhkagent",
  init: (view) => cuhkPlayer(spec, view),
})

/** Its registration (see `Registry.ts`). */
export const cuhkagentEntry = strategyEntry({
  specs: [CUHKAgentSpec],
  make: cuhkagent,
  about: [cuhkagentInfo],
  docs: {
    reference: "Hao & Leung 2012/2014 (ANAC 2012 winner)",
    tested:
      "concession to λ depends on δ and the opponent's toughness; accepts a fixed 0.8 earlier when δ is smaller (t ≈ 0.39 at δ 0.5, 0.49 at δ 0.6); holds firm against a hardliner until t ≈ 0.99",
    interpreted:
      "candidates are exactly the outcomes above its threshold; turns left estimated from the gap between its own turns",
  },
})
