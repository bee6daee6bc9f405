/**
 * The machinery shared by the conceding strategies (time-dependent,
 * hardliner, tit-for-tat): target-utility curves in the GENIUS and NegMAS
 * conventions, bidding from a {@link Ladder} at or just above a target, and
 * the AC_next acceptance condition.
 *
 * @since 0.1.0
 */

import { digitsAt } from "../../analysis/OutcomeSpace.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import { acNext } from "../boa/Acceptance.ts"
import {
  type AcceptanceKind,
  type Anchoring,
  boaPlayer,
  type OfferingKind,
  type OpponentModelKind,
  type ReportedOffers,
  type Session,
} from "../boa/Boa.ts"
import type { PartyView, Player, Turn } from "../Strategy.ts"
import { firstAtOrBelow, type Ladder, rungAtOrAbove, termsOf } from "./Ladder.ts"

/**
 * Which parameterisation of the concession exponent `e`:
 * - `genius` (Faratin, Sierra & Jennings 1998, as in GENIUS's
 *   `TimeDependentAgent`): `e < 1` Boulware, `e = 1` linear, `e > 1` Conceder;
 * - `negmas` (NegMAS's `PolyAspiration`): the reverse, `e > 1` Boulware,
 *   `e = 1` linear, `e < 1` Conceder.
 */
export type Convention = "genius" | "negmas"

/** A named concession attitude. `hardheaded` never concedes before the deadline. */
export type Preset = "boulware" | "linear" | "conceder" | "hardheaded"

/**
 * The exponent of each preset per convention.
 *
 * GENIUS (package `agents`: `TimeDependentAgentBoulware.getE()` returns 0.2,
 * `TimeDependentAgentConceder.getE()` 2, `TimeDependentAgentLinear` 1,
 * `TimeDependentAgentHardliner` 0, where `f(t) = k` for `e = 0`).
 *
 * NegMAS (`negmas/negotiators/helpers.py`, class `PolyAspiration`, found in
 * the yasserfarouk/negmas repository): `utility_at(t) = max_aspiration * (1 -
 * t ** exponent)` with `"boulware"` = 4.0, `"linear"` = 1.0, `"conceder"` =
 * 0.25 and `"hardheaded"` = inf; `AspirationNegotiator` /
 * `TimeBasedConcedingNegotiator` default to `"boulware"` and map the
 * aspiration onto `[ufun_min, ufun_max]` as `asp * (max - min) + min`, with
 * `ufun_min` raised to the reservation value (`negmas/sao/negotiators/timebased.py`).
 */
export const PRESET_EXPONENTS: Readonly<Record<Convention, Readonly<Record<Preset, number>>>> = {
  genius: { boulware: 0.2, linear: 1, conceder: 2, hardheaded: 0 },
  negmas: { boulware: 4, linear: 1, conceder: 0.25, hardheaded: Number.POSITIVE_INFINITY },
}

/**
 * GENIUS / Faratin target utility at normalised time `t`:
 *
 * `target(t) = Pmin + (Pmax - Pmin) * (1 - F(t))`,
 * `F(t) = k + (1 - k) * t^(1/e)` (and `F(t) = k` when `e = 0`, a hardliner).
 *
 * `e < 1` Boulware (holds out, concedes near the deadline), `e = 1` linear,
 * `e > 1` Conceder. `k` in [0, 1] is the initial concession: `target(0) =
 * Pmax - k * (Pmax - Pmin)`.
 */
export const geniusTarget = (
  t: number,
  e: number,
  k: number,
  pmin: number,
  pmax: number,
): number => {
  const tt = Math.min(1, Math.max(0, t))
  const f = e === 0 ? k : k + (1 - k) * tt ** (1 / e)
  return pmin + (pmax - pmin) * (1 - f)
}

/**
 * NegMAS target utility at normalised time `t` (its `PolyAspiration`):
 *
 * `target(t) = max - (max - min) * t^e`
 *
 * `e > 1` Boulware (NegMAS's `"boulware"` is 4), `e = 1` linear, `e < 1`
 * Conceder (`"conceder"` is 0.25); `e = Infinity` (`"hardheaded"`) holds `max`
 * until `t = 1`, where, as in Python's `1 ** inf == 1`, it reaches `min`.
 */
export const negmasTarget = (t: number, e: number, min: number, max: number): number => {
  const tt = Math.min(1, Math.max(0, t))
  const p = e === Number.POSITIVE_INFINITY ? (tt >= 1 ? 1 : 0) : tt ** e
  return max - (max - min) * p
}

/** How a concession curve is set: convention, exponent and range. */
export interface Curve {
  readonly convention: Convention
  readonly e: number
  /** GENIUS's initial-concession constant (ignored by NegMAS). */
  readonly k: number
  /** Lowest target (default: the reservation value). */
  readonly min?: number | undefined
  /** Highest target (default: the best utility). */
  readonly max?: number | undefined
}

/** The target function of a curve once `min` and `max` are known. */
export const curveTarget = (curve: Curve, min: number, max: number): ((t: number) => number) =>
  curve.convention === "genius"
    ? (t) => geniusTarget(t, curve.e, curve.k, min, max)
    : (t) => negmasTarget(t, curve.e, min, max)

/** How to choose among outcomes of about the same own utility. */
export type TieBreak = "random" | "opponent" | "model"

/** Options of {@link bidder}. */
export interface BidOptions {
  /**
   * `opponent`: the candidate closest to the opponent's last offer (random
   * until it has made one); `random`: a uniformly random candidate; `model`:
   * the candidate its opponent model estimates the opponents like most
   * (closest to the opponent's last offer without a model).
   */
  readonly tieBreak: TieBreak
  /** Candidates are the rungs whose utility is within `tolerance` above the chosen one. */
  readonly tolerance: number
}

/** Most candidates compared by closeness to the opponent's offer, per bid. */
const MAX_CANDIDATES = 64

/**
 * Chooses a rung of `ladder` at or just above a target: the last rung whose
 * utility meets the target, or, among the rungs at most `tolerance` better
 * than it, one picked by the tie-break. Allocation-free; O(log n + 64 issues).
 * Returns the rung position (-1 for an empty ladder).
 */
export const bidder = (
  view: PartyView,
  ladder: Ladder,
  options: BidOptions,
): ((
  target: number,
  opponent: Terms | undefined,
  model?: ((terms: Terms) => number) | undefined,
) => number) => {
  const space = ladder.space
  const n = space.issues.length
  const ids = space.issues.map((i) => i.id as string)
  const numeric = new Uint8Array(n)
  const span = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const issue = space.issues[i]!
    if (issue.kind !== "discrete") {
      numeric[i] = 1
      span[i] = issue.max > issue.min ? issue.max - issue.min : 1
    }
  }
  const digits = new Int32Array(n)
  const distance = (index: number, opp: Terms): number => {
    digitsAt(space, index, digits)
    let d = 0
    for (let i = 0; i < n; i++) {
      const mine = space.values[i]![digits[i]!]!
      const theirs = (opp as Record<string, TermValue | undefined>)[ids[i]!]
      if (theirs === undefined) continue
      if (numeric[i] === 1 && typeof mine === "number" && typeof theirs === "number")
        d += Math.abs(mine - theirs) / span[i]!
      else if (mine !== theirs) d += 1
    }
    return d
  }
  return (target, opponent, model) => {
    const p = rungAtOrAbove(ladder, target)
    if (p <= 0) return p
    let a = firstAtOrBelow(ladder, ladder.utilities[p]! + options.tolerance)
    if (a > p) a = p
    if (a === p) return p
    if (options.tieBreak === "model" && model !== undefined && opponent !== undefined) {
      if (p - a + 1 > MAX_CANDIDATES) a = p - MAX_CANDIDATES + 1
      let best = p
      let bestU = model(termsOf(space, ladder.order[p]!))
      for (let k = p - 1; k >= a; k--) {
        const u = model(termsOf(space, ladder.order[k]!))
        if (u > bestU) {
          bestU = u
          best = k
        }
      }
      return best
    }
    if (options.tieBreak === "random" || opponent === undefined)
      return a + Math.floor(view.random() * (p - a + 1))
    if (p - a + 1 > MAX_CANDIDATES) a = p - MAX_CANDIDATES + 1
    let best = p
    let bestD = distance(ladder.order[p]!, opponent)
    for (let k = p - 1; k >= a; k--) {
      const d = distance(ladder.order[k]!, opponent)
      if (d < bestD) {
        bestD = d
        best = k
      }
    }
    return best
  }
}

export { ACCEPT, fromMediator, REJECT } from "../boa/Boa.ts"

/** How a {@link ladderPlayer} sets its target and guards its acceptances. */
export interface LadderPlay extends BidOptions {
  /**
   * The target utility this turn (may update the player's own memory), given
   * the own utility of the offer on the table and the player's session (its
   * history and public-record anchor).
   */
  readonly target: (turn: Turn, opponentUtility: number | undefined, session: Session) => number
  /** Terms the party may accept: defaults to `view.acceptable`. */
  readonly acceptable?: ((terms: Terms) => boolean) | undefined
  /** The lowest utility it ever offers (default: the reservation value). */
  readonly floor?: number | undefined
  /** Its acceptance condition (default AC_next). */
  readonly acceptance?: AcceptanceKind | undefined
  /** Its opponent model (used by the `model` tie-break). */
  readonly model?: OpponentModelKind | undefined
  /** Which of its public offers anchor it (default `public`). */
  readonly anchoring?: Anchoring | undefined
  /** What it does with its own reported, unconfirmed offers (default `leave`). */
  readonly reported?: ReportedOffers | undefined
}

/**
 * The offering strategy of a ladder player: the rung at or just above its
 * target, never below its floor, ties broken as `play` says.
 */
export const ladderOffering = (name: string, ladder: Ladder, play: LadderPlay): OfferingKind => ({
  name,
  init: (view) => {
    const floor = Math.max(play.floor ?? view.reservation, view.reservation)
    const choose = bidder(view, ladder, play)
    const empty = ladder.length === 0 || ladder.utilities[0]! < floor
    return {
      next: (turn, session) => {
        const last = session.history.received.at(-1)
        const offered = turn.onTable === undefined ? undefined : last?.utility
        const target = play.target(turn, offered, session)
        if (empty) return undefined
        const model = session.model
        const rung = choose(
          Math.max(target, floor),
          last?.terms,
          model === undefined ? undefined : (t) => model.utility(t),
        )
        const terms = termsOf(ladder.space, ladder.order[rung]!)
        return { terms, utility: ladder.utilities[rung]! }
      },
    }
  },
})

/**
 * A BOA player that bids from a ladder at or above a target utility, never
 * below its floor (the reservation value by default), and accepts by its
 * acceptance condition (AC_next by default: the offer on the table is
 * accepted when it is acceptable and worth at least what it would offer
 * next). A mediator's text is answered with accept or reject only. With no
 * rung at or above its floor it walks out.
 */
export const ladderPlayer = (
  view: PartyView,
  ladder: Ladder,
  play: LadderPlay,
  name = "ladder",
): Player =>
  boaPlayer(view, {
    ladder,
    offering: ladderOffering(name, ladder, play),
    acceptance: play.acceptance ?? acNext(1, 0),
    model: play.model,
    anchoring: play.anchoring,
    reported: play.reported,
    acceptable: play.acceptable,
  })
