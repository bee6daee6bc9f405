/**
 * What a player can tell of the deadline from its own clock. A turn shows the
 * party its own time (`Turn.time`, GENIUS's discrete timeline); when the
 * scenario hides the deadline (no `Turn.rounds`, no `Turn.last`), an agent
 * that plans by the turns it has left estimates them as GENIUS agents do
 * under a timeline they only read: from the time that passes between its own
 * turns (`step`), the turns left before `t = 1` are `⌈(1 − t) / step⌉ − 1`,
 * and its last turn is the one after which the next would reach the deadline.
 * With the deadline shown, the turn's own figures are used.
 *
 * One {@link OwnPace} per player (it remembers the time of the player's
 * previous turn); call {@link OwnPace.see} once per turn.
 *
 * @since 0.5.0
 */
import type { Turn } from "./Strategy.ts"

/** What a party knows of the deadline on one turn. */
export interface Paced {
  /** Whether this is its last turn (shown, or estimated: its next turn would reach `t = 1`). */
  readonly last: boolean
  /** Its own turns left after this one (`Infinity` while the pace is unknown). */
  readonly turnsLeft: number
  /** The rounds the deadline allows (shown, or estimated from its pace; `Infinity` while unknown). */
  readonly rounds: number
  /** The time of its next turn (this turn's time plus its pace; the time itself while unknown). */
  readonly next: number
}

const EPS = 1e-9

/** One player's reading of its own clock. */
export class OwnPace {
  private previous: number | undefined
  private step = 0

  /** Reads `turn`: learns its pace from the time since its previous turn, and what it knows of the deadline. */
  see(turn: Turn): Paced {
    if (this.previous !== undefined && turn.time > this.previous)
      this.step = turn.time - this.previous
    this.previous = turn.time
    const step = this.step > 0 ? this.step : turn.rounds === undefined ? 0 : 1 / turn.rounds
    const next = turn.time + step
    if (turn.rounds !== undefined)
      return {
        last: turn.last ?? turn.round >= turn.rounds - 1,
        turnsLeft: Math.max(0, turn.rounds - 1 - turn.round),
        rounds: turn.rounds,
        next,
      }
    if (step === 0)
      return { last: false, turnsLeft: Number.POSITIVE_INFINITY, rounds: Infinity, next }
    const turnsLeft = Math.max(0, Math.ceil((1 - turn.time) / step - EPS) - 1)
    return { last: turnsLeft === 0, turnsLeft, rounds: turn.round + 1 + turnsLeft, next }
  }
}
