/**
 * (One file, over 500 lines, on purpose: the agent as its paper and GENIUS
 * source describe it, its search, game matrix and acceptance side by side, so
 * that a reader can check it against them in one place.)
 *
 * Atlas3, winner of ANAC 2015 (multilateral; individual utility and Nash
 * product categories).
 *
 * References:
 * - Akiyuki Mori & Takayuki Ito, "Atlas3: A Negotiating Agent Based on
 *   Expecting Lower Limit of Concession Function", in Fujita et al. (eds.),
 *   Modern Approaches to Agent-based Complex Automated Negotiation, Studies in
 *   Computational Intelligence 674, Springer, 2017.
 * - Akiyuki Mori & Takayuki Ito, "A compromising strategy based on expected
 *   utility of evolutionary stable strategy in bilateral closed bargaining
 *   problem", Proceedings of ACAN 2015 (the concession function it extends).
 * - Katsuhide Fujita, Reyhan Aydoğan, Tim Baarslag, Koen Hindriks, Takayuki
 *   Ito & Catholijn Jonker, "The Sixth Automated Negotiating Agents
 *   Competition (ANAC 2015)", in the same Springer volume, 2017.
 *
 * ## What it does
 *
 * **Lower limit of concession.** Atlas3 sees the negotiation as a 2×2 game
 * between itself and "the others as one player" (in a multilateral session,
 * if two others refuse, no choice of its own makes an agreement). Each side
 * either stands firm or concedes. Its payoffs, discounted to the deadline
 * (`δ` is its discount factor over the whole session, `umax` its best
 * utility, `rv` its reservation value, `C` the best utility it has been
 * offered that the others support):
 *
 * |               | others firm       | others concede          |
 * |---------------|-------------------|-------------------------|
 * | it is firm    | `A11 = rv·δ`      | `A12 = umax·δ^TF`       |
 * | it concedes   | `A21 = max(C, rv)·δ^TF` (`rv·δ` when `C < rv`) | `A22 = PF·A21 + (1−PF)·A12` |
 *
 * The others' evolutionarily stable mixed strategy makes it indifferent
 * between its rows: they stand firm with probability
 * `q = 1 / (1 − (A11 − A21)/(A12 − A22))` (taken as 1 when undefined or
 * outside [0, 1]). Its expected utility of conceding against that mix,
 * `E = q·A21 + (1 − q)·A22`, is the **lower limit of concession**: it never
 * concedes below it. Expressed at time `t` (undiscounted): `L(t) = E / δ^t`.
 *
 * `C` is, bilaterally, the best utility among the opponent's offers (`BOU`);
 * multilaterally, the best utility among the *popular bids*: offers made by
 * one other party and accepted by all the rest (`MPBU`; 0 until there is one).
 *
 * **Threshold.** Without discount (`δ = 1`) it concedes linearly from `umax`
 * to the lower limit at the deadline: `θ(t) = L + (umax − L)(1 − t)`. With a
 * discount it concedes faster, the faster the smaller `δ`, and stops at the
 * lower limit: `θ(t) = max(umax·(1 − t/δ), L(t))`, which reaches the lower
 * limit at `t ≈ δ(1 − L/umax)`.
 *
 * **Acceptance.** It accepts an acceptable offer worth at least `θ(t)`
 * (rule `atlas3-threshold`). It walks out when its reservation value
 * discounted to now is worth at least `θ(t)` (`rv·δ^t ≥ θ(t)`), as its
 * `selectEndNegotiation` does (with a positive reservation value; without a
 * discount `θ(t) ≥ L ≥ rv` and only the deadline could meet it, where the end
 * game decides). The spec's `walkOut: false` turns this off.
 *
 * **Bid search** (for a bid just above `θ(t)`): a neighbourhood search around
 * a random outcome (every single-issue change; the one of least own utility
 * at or above the threshold, ties at random); failing that, a relative
 * utility search from its best outcome (issues in random order, for each the
 * first value in random order whose utility loss relative to the best
 * outcome keeps the summed loss within `umax − θ`); failing that (non-linear
 * utility, red lines), the outcome of least utility at or above the threshold.
 * The bid found is then moved toward the others: issue by issue (random
 * order) the value the others have offered most often replaces its own when
 * that does not lower its utility.
 *
 * **End game (CList).** Its candidate list is the popular bids, best for it
 * first. When the turns left are fewer than the list's length plus one, it
 * proposes them in that order, one a turn, while the next one is worth more
 * to it than the offer on the table (and more than its reservation value);
 * otherwise it accepts the offer on the table when it beats its reservation
 * value (rule `atlas3-end-game`). With the list used up it accepts any offer
 * beating its reservation value (rule `atlas3-end-game`), else bids as usual.
 * On its very last turn it accepts such an offer rather than propose a
 * candidate nobody may be left to answer (parley's interpretation: in
 * GENIUS the deadline is a clock and the agent cannot know it is the last turn).
 *
 * ## What had to be interpreted for parley
 *
 * - **Constants and exact forms** the chapter leaves to the agent (PF = 0.5,
 *   TF = 1, the two threshold branches, the popular-bid rule, the search
 *   order) are those of the agent as entered in ANAC 2015 (GENIUS package
 *   `agents.anac.y2015.Atlas3`), read to understand the chapter; the code
 *   here is written from the formulas above.
 * - **Utilities are normalised by `umax`**: GENIUS profiles have a best
 *   utility of 1; here `umax` (the best rung of its ladder) stands for 1 in
 *   `A12` and in the concession line.
 * - **Discounting.** `δ` is its discount factor at the deadline
 *   (`view.discountAt({ time: 1, round: rounds − 1 })`, the GENIUS factor and
 *   a per-round one together) and `δ^t` its factor now (`view.discountAt(turn)`).
 *   `TF` is 1 in the agent (its firm payoffs are realised at the deadline).
 * - **Time per turn.** The agent measures the average time between its own
 *   actions to know how many turns are left; in parley every party moves once
 *   a round, so a turn is `1/(rounds − 1)` of normalised time and "turns
 *   left" is `rounds − 1 − round`.
 * - **Length of the end game.** A GENIUS session has thousands of rounds in
 *   which most agents repeat bids, so the candidate list stays short next to
 *   the session; on a clock of a hundred rounds a conceding opponent makes a
 *   new bid every turn and an uncapped end game would take up half the
 *   session. The end game therefore spans at most `endGameShare` of the
 *   rounds (default 0.1; 1 is the agent's unbounded window).
 * - **Popular bids in the stacked-alternating protocol.** An offer made by
 *   another party counts as popular when every other party besides its maker
 *   has officially accepted it (bilaterally: every opponent offer). Accepts
 *   are read from `turn.state.offers` (an offer's `responses`); the others'
 *   offers, including those never put on its own table (a counter-offer by a
 *   third party removes them), feed `C` (bilateral), the frequencies and the
 *   candidate list.
 * - **Simulated annealing** (the agent's fallback for non-linear spaces) is
 *   replaced by the ladder's outcome of least utility at or above the
 *   threshold, which is what the annealing aims at.
 * - **Never below its reservation value.** With a discount, `L(t) = E/δ^t`
 *   can fall below `rv` (down to `rv·δ^(1−t)`); an agreement there is worth
 *   less than walking out, so it bids no lower than `rv` (the walk-out rule
 *   ends the session first when it is on).
 * - The on-table offer is taken from `turn.onTable`; an accept is only made
 *   of acceptable terms (`view.acceptable`: red lines and reservation value).
 *   A mediator's text is accepted or rejected only.
 *
 * One file: the paper's formulas (game matrix, lower limit, threshold) come
 * first, in the paper's order, and the player that uses them follows; its
 * parts share the player's state (the ladder, the bids seen and their
 * frequencies, the candidates, the threshold) in one closure.
 *
 * @since 0.2.0
 */

import { HashMap, Option, Schema } from "effect"
import { digitsAt } from "../../analysis/OutcomeSpace.ts"
import type { PartyId } from "../../domain/Ids.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import type { Offer } from "../../domain/Negotiation.ts"
import { fromMediator, REJECT } from "../boa/Boa.ts"
import { OwnPace } from "../Pace.ts"
import type { Move, PartyView, Strategy, StrategyInfo, Turn } from "../Strategy.ts"
import { strategyEntry } from "./Entry.ts"
import { type Ladder, ladderOf, rungAtOrAbove, termsOf } from "./Ladder.ts"

const Unit = Schema.Number.pipe(Schema.finite(), Schema.between(0, 1))

/** The spec of Atlas3. */
export const Atlas3Spec = Schema.Struct({
  kind: Schema.Literal("atlas3"),
  /** PF: weight of the others' offer in the payoff when both sides concede. */
  pf: Schema.optionalWith(
    Unit.annotations({
      description:
        "PF: when both sides concede, the payoff A22 = PF·A21 + (1−PF)·A12 (default 0.5, the agent's)",
    }),
    { default: () => 0.5 },
  ),
  /** TF: normalised time at which the firm outcomes are realised. */
  tf: Schema.optionalWith(
    Unit.annotations({
      description:
        "TF: normalised time the game's firm payoffs are discounted to, A12 = umax·δ^TF (default 1, the deadline)",
    }),
    { default: () => 1 },
  ),
  /** Largest share of the rounds the end game may span. */
  endGameShare: Schema.optionalWith(
    Unit.annotations({
      description:
        "Largest share of the rounds its end game (proposing the popular bids one a turn) may span (default 0.1; 1: unbounded, as in GENIUS)",
    }),
    { default: () => 0.1 },
  ),
  /** Whether it walks out when its discounted reservation value beats its threshold. */
  walkOut: Schema.optionalWith(
    Schema.Boolean.annotations({
      description:
        "Walk out when its reservation value discounted to now is at least its threshold (default true)",
    }),
    { default: () => true },
  ),
})
/** A decoded Atlas3 spec. */
export type Atlas3Spec = typeof Atlas3Spec.Type

/** What `parley strategies` shows of Atlas3. */
export const atlas3Info: StrategyInfo = {
  kind: "atlas3",
  summary:
    "Atlas3 (ANAC 2015 winner): threshold falls to a lower limit of concession estimated from a firm/concede game (the others' evolutionarily stable mix, the best bid they support, its discount and reservation value); bids just above it by neighbourhood and relative-utility search moved toward the others' frequent values; near the deadline proposes the bids the others supported, best first",
  reference:
    "Mori & Ito, 'Atlas3: A Negotiating Agent Based on Expecting Lower Limit of Concession Function', Modern Approaches to Agent-based Complex Automated Negotiation, Springer 2017; Fujita et al., 'The Sixth Automated Negotiating Agents Competition (ANAC 2015)', same volume, 2017",
}

/** Rule names of its accepts. */
export const ATLAS3_THRESHOLD = "atlas3-threshold"
export const ATLAS3_END_GAME = "atlas3-end-game"

/** The payoffs of the firm/concede game, discounted to the deadline (see the file header). */
export interface GameMatrix {
  readonly a11: number
  readonly a12: number
  readonly a21: number
  readonly a22: number
}

/** What the game matrix is built from. */
export interface GameInput {
  /** The best utility offered that the others support (BOU bilaterally, MPBU multilaterally). */
  readonly c: number
  readonly reservation: number
  /** Its best utility (1 in GENIUS profiles). */
  readonly umax: number
  /** Its discount factor at the deadline (`δ`). */
  readonly delta: number
  readonly pf: number
  readonly tf: number
}

/** The game matrix of {@link GameInput}. */
export const gameMatrix = (g: GameInput): GameMatrix => {
  const a11 = g.reservation * g.delta
  const firm = g.delta ** g.tf
  const a12 = g.umax * firm
  const a21 = g.c >= g.reservation ? g.c * firm : g.reservation * g.delta
  return { a11, a12, a21, a22: g.pf * a21 + (1 - g.pf) * a12 }
}

/**
 * The others' evolutionarily stable probability of standing firm: the mix
 * that leaves it indifferent between standing firm and conceding (1 when the
 * game has no interior mix).
 */
export const firmProbability = (m: GameMatrix): number => {
  const den = m.a12 - m.a22
  if (den === 0) return 1
  const inner = 1 - (m.a11 - m.a21) / den
  if (inner === 0) return 1
  const q = 1 / inner
  return q < 0 || q > 1 || !Number.isFinite(q) ? 1 : q
}

/** Its expected (deadline-discounted) utility of conceding against the others' stable mix: `E`. */
export const expectedConcession = (m: GameMatrix): number => {
  const q = firmProbability(m)
  return q * m.a21 + (1 - q) * m.a22
}

/** What its threshold at a moment depends on. */
export interface ThresholdInput {
  readonly time: number
  /** Its discount factor now (`δ^t`). */
  readonly discountNow: number
  /** Its discount factor at the deadline (`δ`). */
  readonly delta: number
  /** `E`, the deadline-discounted lower limit ({@link expectedConcession}). */
  readonly expected: number
  readonly umax: number
}

/** The lower limit of concession at a moment, undiscounted: `L(t) = E / δ^t`. */
export const lowerLimit = (x: ThresholdInput): number =>
  x.discountNow > 0 ? x.expected / x.discountNow : x.expected

/** Its threshold `θ(t)` (see the file header). */
export const atlas3Threshold = (x: ThresholdInput): number => {
  const low = lowerLimit(x)
  const t = Math.min(1, Math.max(0, x.time))
  if (x.delta >= 1) return low + (x.umax - low) * (1 - t)
  return Math.max(x.umax * (1 - t / x.delta), low)
}

/** Per ladder: each outcome's own utility by outcome index (NaN for red-lined outcomes). */
const utilityTables = new WeakMap<Ladder, Float64Array>()
const utilityTable = (ladder: Ladder): Float64Array => {
  let table = utilityTables.get(ladder)
  if (table === undefined) {
    table = new Float64Array(ladder.space.size).fill(Number.NaN)
    for (let k = 0; k < ladder.length; k++) table[ladder.order[k]!] = ladder.utilities[k]!
    utilityTables.set(ladder, table)
  }
  return table
}

/** What the player knows of the others' bids, exposed for tests. */
export interface Atlas3Probe {
  /** `C`: the best utility offered that the others support. */
  readonly c: number
  /** Its current threshold (last computed). */
  readonly threshold: number
  /** The deadline-discounted lower limit `E`. */
  readonly expected: number
  /** The lower limit now, undiscounted: `L(t) = E / δ^t`. */
  readonly lowerLimit: number
  /** The candidate list (popular bids), best for it first, as own utilities. */
  readonly candidates: ReadonlyArray<number>
  /** Whether its last move was made in the end game. */
  readonly endGame: boolean
}

/** The Atlas3 strategy of a spec. `probe`, when given, receives its state after each move. */
export const atlas3 = (spec: Atlas3Spec, probe?: (p: Atlas3Probe) => void): Strategy => ({
  name: "atlas3",
  init: (view) => atlas3Player(view, spec, probe),
})

const atlas3Player = (view: PartyView, spec: Atlas3Spec, probe?: (p: Atlas3Probe) => void) => {
  const ladder = ladderOf(view)
  const space = ladder.space
  const util = utilityTable(ladder)
  const n = space.radix.length
  const radix = space.radix
  const stride = new Array<number>(n)
  for (let i = n - 1, s = 1; i >= 0; i--) {
    stride[i] = s
    s *= radix[i]!
  }
  const umax = ladder.length > 0 ? ladder.utilities[0]! : 0
  const maxIndex = ladder.length > 0 ? ladder.order[0]! : -1
  const maxDigits = new Int32Array(n)
  if (maxIndex >= 0) digitsAt(space, maxIndex, maxDigits)
  // Relative utility of each value: its utility loss against the best outcome, that issue changed alone.
  const relative: Array<Float64Array> = []
  for (let i = 0; i < n; i++) {
    const r = new Float64Array(radix[i]!)
    for (let v = 0; v < radix[i]!; v++) {
      const u = maxIndex < 0 ? Number.NaN : util[maxIndex + (v - maxDigits[i]!) * stride[i]!]!
      r[v] = Number.isNaN(u) ? Number.NEGATIVE_INFINITY : u - umax
    }
    relative.push(r)
  }
  // Terms → value indices.
  const lookup = space.values.map((vs) => new Map<TermValue, number>(vs.map((v, k) => [v, k])))
  const ids = space.issues.map((i) => i.id as string)
  const valueIndex = (i: number, v: TermValue | undefined): number => {
    if (v === undefined) return -1
    const hit = lookup[i]!.get(v)
    if (hit !== undefined) return hit
    if (typeof v !== "number") return -1
    let best = -1
    let bestD = Number.POSITIVE_INFINITY
    const vs = space.values[i]!
    for (let k = 0; k < vs.length; k++) {
      const d = Math.abs((vs[k] as number) - v)
      if (d < bestD) {
        bestD = d
        best = k
      }
    }
    return best
  }
  const indexOf = (terms: Terms): number => {
    let index = 0
    for (let i = 0; i < n; i++) {
      const k = valueIndex(i, (terms as Record<string, TermValue | undefined>)[ids[i]!])
      if (k < 0) return -1
      index += k * stride[i]!
    }
    return index
  }

  const mediated = fromMediator(view)
  const mediators = new Set<PartyId>()
  for (const o of view.others) if (o.role === "mediator") mediators.add(o.party)
  const negotiators = view.others.length - mediators.size + 1

  // What it has learnt of the others.
  const seen = new Set<string>()
  const popularSeen = new Set<string>()
  const frequency = radix.map((r) => new Float64Array(r))
  let opponentBids = 0
  let bou = 0
  let mpbu = 0
  /** Candidate list: popular bids as outcome indices, best for it first. */
  const candidates: Array<number> = []
  const candidateSet = new Set<number>()
  let candidateIndex = 0
  let threshold = umax
  let expected = 0
  let low = 0

  const addPopular = (offer: Offer, u: number) => {
    if (popularSeen.has(offer.offerId)) return
    popularSeen.add(offer.offerId)
    const index = indexOf(offer.terms)
    if (index < 0 || Number.isNaN(util[index]!)) return
    if (u > mpbu) mpbu = u
    if (candidateSet.has(index)) return
    candidateSet.add(index)
    // Insert keeping the list sorted by own utility, best first (stable for ties).
    let k = candidates.length
    while (k > 0 && util[candidates[k - 1]!]! < util[index]!) k--
    candidates.splice(k, 0, index)
  }

  const supporters = (offer: Offer): number => {
    let count = 1
    for (const r of offer.responses)
      if (
        r.answer === "accepted" &&
        r.provenance.status === "official" &&
        r.by !== view.party &&
        r.by !== offer.by
      )
        count++
    return count
  }

  const others = (offer: Offer): boolean =>
    offer.by !== view.party &&
    !mediators.has(offer.by) &&
    offer.complete &&
    offer.status !== "denied"
  const fresh: Array<Offer> = []
  const visit = (offer: Offer) => {
    if (seen.has(offer.offerId)) return
    seen.add(offer.offerId)
    if (others(offer)) fresh.push(offer)
  }
  /**
   * Reads the offers made since its last turn. The new ones are found by
   * walking back the reply chain from the pending offers (its table's
   * included); when that does not account for every offer on the record (a
   * plain reject, a scripted timeline), it scans them all.
   */
  const learn = (turn: Turn) => {
    const offers = turn.state.offers
    fresh.length = 0
    for (const id of turn.state.pending) {
      let offer = HashMap.get(offers, id).pipe(Option.getOrUndefined)
      while (offer !== undefined && !seen.has(offer.offerId)) {
        visit(offer)
        offer =
          offer.inReplyTo === undefined
            ? undefined
            : HashMap.get(offers, offer.inReplyTo).pipe(Option.getOrUndefined)
      }
    }
    if (seen.size !== HashMap.size(offers)) for (const offer of HashMap.values(offers)) visit(offer)
    fresh.sort((a, b) => a.version - b.version)
    for (const offer of fresh) {
      const u = view.utility(offer.terms)
      if (u > bou) bou = u
      opponentBids++
      for (let i = 0; i < n; i++) {
        const k = valueIndex(i, (offer.terms as Record<string, TermValue | undefined>)[ids[i]!])
        if (k >= 0) frequency[i]![k]!++
      }
      if (supporters(offer) >= negotiators - 1) addPopular(offer, u)
    }
    // Offers still pending may have gained the other parties' accepts since.
    for (const id of turn.state.pending) {
      const offer = HashMap.get(offers, id).pipe(Option.getOrUndefined)
      if (offer !== undefined && others(offer) && !popularSeen.has(offer.offerId))
        if (supporters(offer) >= negotiators - 1) addPopular(offer, view.utility(offer.terms))
    }
  }

  const order = new Int32Array(n)
  const shuffled = (len: number, into: Int32Array): Int32Array => {
    for (let k = 0; k < len; k++) into[k] = k
    for (let k = len - 1; k > 0; k--) {
      const j = Math.floor(view.random() * (k + 1))
      const x = into[k]!
      into[k] = into[j]!
      into[j] = x
    }
    return into
  }
  const maxRadix = Math.max(1, ...radix)
  const valueOrder = new Int32Array(maxRadix)
  const digits = new Int32Array(n)

  /** Single-issue changes of `base`: the one of least utility at or above `target` (ties at random), or -1. */
  const neighbourhood = (base: number, target: number): number => {
    digitsAt(space, base, digits)
    let best = -1
    let bestU = Number.POSITIVE_INFINITY
    let ties = 0
    for (let i = 0; i < n; i++) {
      for (let v = 0; v < radix[i]!; v++) {
        const index = base + (v - digits[i]!) * stride[i]!
        const u = util[index]!
        if (!(u >= target)) continue
        if (u < bestU) {
          bestU = u
          best = index
          ties = 1
        } else if (u === bestU && index !== best) {
          ties++
          if (view.random() * ties < 1) best = index
        }
      }
    }
    return best
  }

  /** From its best outcome, concede issue by issue within `umax − target` (additive utilities). */
  const relativeSearch = (target: number): number => {
    if (maxIndex < 0) return -1
    const budget = target - umax
    let sum = 0
    let index = maxIndex
    shuffled(n, order)
    for (let a = 0; a < n; a++) {
      const i = order[a]!
      const r = relative[i]!
      shuffled(radix[i]!, valueOrder)
      for (let b = 0; b < radix[i]!; b++) {
        const v = valueOrder[b]!
        if (budget <= sum + r[v]!) {
          index += (v - maxDigits[i]!) * stride[i]!
          sum += r[v]!
          break
        }
      }
    }
    return index
  }

  /** Moves `index` toward the others' most frequent values where that costs it nothing. */
  const towardOthers = (index: number): number => {
    if (opponentBids === 0) return index
    shuffled(n, order)
    let current = index
    for (let a = 0; a < n; a++) {
      const i = order[a]!
      const f = frequency[i]!
      let best = -1
      let bestF = -1
      let ties = 0
      for (let v = 0; v < f.length; v++) {
        if (f[v]! > bestF) {
          bestF = f[v]!
          best = v
          ties = 1
        } else if (f[v]! === bestF) {
          ties++
          if (view.random() * ties < 1) best = v
        }
      }
      const d = Math.floor(current / stride[i]!) % radix[i]!
      const next = current + (best - d) * stride[i]!
      if (util[next]! >= util[current]!) current = next
    }
    return current
  }

  const search = (target: number): number => {
    const base = ladder.order[Math.floor(view.random() * ladder.length)]!
    let bid = neighbourhood(base, target)
    if (bid < 0 && util[base]! >= target) bid = base
    if (bid < 0) {
      bid = relativeSearch(target)
      if (bid < 0 || !(util[bid]! >= target)) bid = -1
    }
    if (bid < 0) bid = ladder.order[rungAtOrAbove(ladder, Math.min(target, umax))]!
    return towardOthers(bid)
  }

  let endGame = false
  const report = () =>
    probe?.({
      c: negotiators <= 2 ? bou : mpbu,
      threshold,
      expected,
      lowerLimit: low,
      candidates: candidates.map((k) => util[k]!),
      endGame,
    })

  const offerMove = (target: number): Move => ({
    type: "offer",
    terms: termsOf(space, search(target)),
  })

  // What it knows of the deadline: shown by the turn, or read from its own clock (`Pace.ts`).
  const pace = new OwnPace()
  const move = (turn: Turn): Move => {
    learn(turn)
    const paced = pace.see(turn)
    const rounds = Number.isFinite(paced.rounds) ? paced.rounds : turn.round + 1
    const delta = view.discountAt({ time: 1, round: Math.max(0, rounds - 1) })
    const discountNow = view.discountAt(turn)
    const c = negotiators <= 2 ? bou : mpbu
    expected = expectedConcession(
      gameMatrix({ c, reservation: view.reservation, umax, delta, pf: spec.pf, tf: spec.tf }),
    )
    const at = { time: turn.time, discountNow, delta, expected, umax }
    threshold = atlas3Threshold(at)
    low = lowerLimit(at)
    endGame = false
    if (ladder.length === 0 || umax < view.reservation)
      return { type: "walk-out", reason: "no outcome meets its reservation value" }

    const table = turn.onTable
    const offered = table === undefined ? 0 : view.utility(table.terms)
    const ok = table !== undefined && view.acceptable(table.terms)
    if (table !== undefined && mediated(table))
      return ok && offered >= threshold ? { type: "accept", rule: ATLAS3_THRESHOLD } : REJECT

    // End game: the turns left are fewer than the candidates to propose, plus one.
    const left = paced.turnsLeft
    const cap = Math.max(1, Math.ceil(spec.endGameShare * paced.rounds))
    const window = Math.min(candidates.length + 1, cap)
    if (paced.last || left < window) {
      endGame = true
      const rv = view.reservation
      if (candidateIndex >= candidates.length) {
        if (ok && offered >= rv) return { type: "accept", rule: ATLAS3_END_GAME }
        return offerMove(Math.max(threshold, view.reservation))
      }
      // Its final chance: an acceptable offer beating its reservation value is taken, not risked.
      if (paced.last && ok && offered > rv) return { type: "accept", rule: ATLAS3_END_GAME }
      const next = candidates[candidateIndex]!
      const nextU = util[next]!
      if (nextU > offered && nextU > rv) {
        candidateIndex++
        return { type: "offer", terms: termsOf(space, next) }
      }
      if (ok && offered > rv) return { type: "accept", rule: ATLAS3_END_GAME }
      return offerMove(Math.max(threshold, view.reservation))
    }

    if (ok && offered >= threshold) return { type: "accept", rule: ATLAS3_THRESHOLD }
    if (spec.walkOut && view.reservation * discountNow >= threshold && view.reservation > 0)
      return { type: "walk-out", reason: "its discounted reservation value meets its threshold" }
    return offerMove(Math.max(threshold, view.reservation))
  }

  return {
    move: (turn: Turn): Move => {
      const m = move(turn)
      report()
      return m
    },
    ratify: (_turn: Turn, offer: Offer) => view.acceptable(offer.terms),
  }
}

/** Its registration (see `Registry.ts`). */
export const atlas3Entry = strategyEntry({
  specs: [Atlas3Spec],
  make: (spec) => atlas3(spec),
  about: [atlas3Info],
  docs: {
    reference: "Mori & Ito 2017 (ANAC 2015 winner, multilateral)",
    tested:
      "threshold falls to the lower limit of a firm/concede game; lower limit reached earlier with smaller δ (round 44 at δ 0.5, 73 at δ 0.9); end game proposes the others' supported bids, best first",
    interpreted:
      "end game capped at 10% of the rounds (`endGameShare`); a tougher opponent gives a *lower* threshold, as the paper's formula says (it is a compromising agent)",
  },
})
