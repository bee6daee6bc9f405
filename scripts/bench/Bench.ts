/**
 * The benchmark contract. Every file in `scripts/bench/` (but this one)
 * exports `benchmarks`; `npm run bench` runs them and prints one line each:
 *
 *     BENCH <name> <value> <unit> ref=<value> ratio=<value>
 *
 * A figure is always reported next to a reference measured in the same run
 * (raw nats.js, a plain-JS fold, ...): absolute numbers drift on shared
 * machines, ratios hold.
 */

/** One measured figure. `ratio` is value / ref for rates, ref / value for times (higher is better). */
export interface Result {
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly ref?: number | undefined
  readonly ratio?: number | undefined
  /** Goal for the ratio or value, as text (e.g. "ratio >= 0.7"). */
  readonly goal?: string | undefined
  /** Extra figures (peak RSS, p99, ...), printed after the main ones as key=value. */
  readonly extra?: Readonly<Record<string, number | string>> | undefined
}

/** A named benchmark; `npm run bench -- <substring>` runs those whose name contains it. */
export interface Benchmark {
  readonly name: string
  readonly run: () => Promise<ReadonlyArray<Result>>
}

/** Times `f` over `iterations`, after one warm-up; returns seconds for one full pass (the best of `repeats`). */
export const time = (f: () => void, repeats = 3): number => {
  f()
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint()
    f()
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    if (seconds < best) best = seconds
  }
  return best
}

/** Rounds for display. */
export const round = (x: number, digits = 3): number => Number(x.toFixed(digits))
