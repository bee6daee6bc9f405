/**
 * What a run's outcome is worth to each party, as the field scores it: the
 * agreement's undiscounted utility, its utility discounted to the moment of
 * agreement (GENIUS: `u * d^t`), the reservation value, and the advantage
 * (discounted utility minus the reservation value discounted to the same
 * moment, as the ANL scores agents). Without agreement every party gets its
 * reservation value discounted to the moment talks ended (GENIUS
 * `getReservationValueWithDiscount`), and an advantage of 0.
 *
 * One place scores runs: the runner's result, Monte Carlo outcomes and the
 * batch report all use {@link scoreOutcome}.
 *
 * @since 0.2.0
 */
import {
  discountFactor,
  type Moment,
  type PartyPreferences,
  reservationOf,
} from "../analysis/Preferences.ts"
import type { Terms } from "../domain/Issue.ts"

/**
 * Normalised time of a simulated round: 0 in the first round, 1 in the last
 * (`round / (rounds - 1)`), and 1 when a single round is allowed.
 *
 * GENIUS's continuous timeline reaches 1 at the deadline; its discrete one
 * (`DiscreteTimeline`) counts actions and stops one short of it. parley counts
 * rounds (every party moves once per round) and puts the last round at `t = 1`,
 * so the deadline is visible to the agents and a domain's discount `d^t` spans
 * exactly `[d, 1]` whatever the number of rounds.
 */
export const normalisedTime = (round: number, rounds: number): number =>
  rounds <= 1 ? 1 : Math.min(1, Math.max(0, round / (rounds - 1)))

/**
 * The time of a move on GENIUS's discrete timeline (`DiscreteTimeline`, where
 * every action is a round of its own): the `move`-th move of a run (from 0,
 * every party's turn counted in turn order, a mediator's too) of `moves` the
 * deadline allows happens at `t = (move + 1) / (moves + 1)`, and the deadline,
 * `t = 1`, comes after the last move. So each party has its own clock: the
 * second mover of a round moves later than the first, and every move is
 * strictly later than the one before it.
 */
export const moveTime = (move: number, moves: number): number =>
  Math.min(1, Math.max(0, (move + 1) / (moves + 1)))

/** One party's score of one run. */
export interface PartyScore {
  /** Undiscounted utility of the agreement; `null` without agreement. */
  readonly utility: number | null
  /** The agreement's utility discounted to the agreement; without one, the discounted reservation value. */
  readonly discounted: number
  /** The reservation value, undiscounted. */
  readonly reservation: number
  /** `discounted` minus the reservation value discounted to the same moment (0 without agreement). */
  readonly advantage: number
}

/** The scores of one run. */
export interface RunScores {
  /** Normalised time of the agreement; `null` without agreement. */
  readonly agreementTime: number | null
  /** Per party with preferences. */
  readonly parties: Readonly<Record<string, PartyScore>>
}

/** A party as scoring needs it. */
export interface ScoredParty {
  readonly id: string
  readonly preferences: PartyPreferences | undefined
  readonly utility: (terms: Terms) => number
}

/**
 * Scores an outcome: `agreement` reached at moment `at`, or no agreement
 * (`undefined`) with talks ended at `at`.
 */
export const scoreOutcome = (
  parties: ReadonlyArray<ScoredParty>,
  agreement: Terms | undefined,
  at: Moment,
): RunScores => {
  const out: Record<string, PartyScore> = {}
  for (const p of parties) {
    if (p.preferences === undefined) continue
    const factor = discountFactor(p.preferences, at)
    const reservation = reservationOf(p.preferences)
    if (agreement === undefined) {
      out[p.id] = { utility: null, discounted: reservation * factor, reservation, advantage: 0 }
    } else {
      const u = p.utility(agreement)
      out[p.id] = {
        utility: u,
        discounted: u * factor,
        reservation,
        advantage: (u - reservation) * factor,
      }
    }
  }
  return { agreementTime: agreement === undefined ? null : at.time, parties: out }
}

/** Each party's discounted figure of a run (what Monte Carlo summarises per party). */
export const discountedOf = (scores: RunScores): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const [id, s] of Object.entries(scores.parties)) out[id] = s.discounted
  return out
}
