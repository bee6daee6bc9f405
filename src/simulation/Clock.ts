/**
 * A run's simulated time: one step of the scenario's clock per turn, the
 * instants' ISO text (shared by runs), and the deadline the rules set.
 * Nothing here reads the wall clock, so a run is deterministic.
 *
 * @since 0.4.0
 */
import type { Instant } from "../domain/Event.ts"

/**
 * The ISO text of simulated instants, shared by runs: every run of a scenario
 * steps through the same instants, and formatting one per turn was a visible
 * share of a Monte Carlo run. Emptied when it grows past a few scenarios' worth.
 */
const instants = new Map<number, Instant>()

/** The ISO text of the instant `ms` (cached). */
export const instantAt = (ms: number): Instant => {
  let text = instants.get(ms)
  if (text === undefined) {
    if (instants.size >= 16_384) instants.clear()
    text = new Date(ms).toISOString() as Instant
    instants.set(ms, text)
  }
  return text
}

/** One run's simulated clock: it starts at `startMs` and moves only when the runner moves it. */
export class SimulatedClock {
  private ms: number
  private textAt = -1
  private text = "" as Instant

  constructor(
    startMs: number,
    /** The rules' deadline, if any. */
    readonly deadline: Instant | undefined,
  ) {
    this.ms = startMs
  }

  /** The current instant. */
  now(): Instant {
    if (this.textAt !== this.ms) {
      this.textAt = this.ms
      this.text = instantAt(this.ms)
    }
    return this.text
  }

  /** Moves the clock on by `ms` (one turn). */
  advance(ms: number): void {
    this.ms += ms
  }

  /** Whether the current instant is past the deadline. */
  pastDeadline(): boolean {
    return this.deadline !== undefined && this.now() > this.deadline
  }

  /** Moves the clock to the deadline, unless it is already past it. */
  toDeadline(): void {
    if (this.deadline !== undefined) this.ms = Math.max(this.ms, Date.parse(this.deadline))
  }
}
