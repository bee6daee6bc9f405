/**
 * The statistics an analyst reads off a sweep's points and a batch's runs:
 * Wilson's score interval of an agreement rate, Student's t interval of a
 * mean, partial rank correlation coefficients (PRCC) and their significance
 * threshold, agreement rates binned by a parameter's value, and the agreed
 * option of each issue. The methods and their sources are described in
 * `src/simulation/Sweep.ts`, which computes sweeps with them; reports draw
 * their intervals with them too. Everything here is pure.
 *
 * @since 0.3.0
 */
import type { Terms } from "../domain/Issue.ts"

/** The 97.5% quantile of the standard normal distribution. */
export const Z975 = 1.959963984540054

/**
 * Wilson's score interval for a proportion of `successes` out of `n`
 * (Wilson 1927); `z` = 1.96 gives the 95% interval. `[0, 1]` when `n` is 0.
 */
export const wilson = (successes: number, n: number, z = Z975): readonly [number, number] => {
  if (n <= 0) return [0, 1]
  const p = successes / n
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  // At 0 and n the bound is exactly 0 or 1 (rounding would leave 1e-16).
  return [successes <= 0 ? 0 : centre - half, successes >= n ? 1 : centre + half]
}

const T975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157,
  2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816, 2.100922, 2.093024,
  2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523,
  2.042272,
]

/** The 97.5% quantile of Student's t with `df` degrees of freedom. */
export const t975 = (df: number): number => {
  if (df < 1) return Number.NaN
  if (df <= T975.length) return T975[Math.floor(df) - 1]!
  const z = Z975
  const g1 = (z ** 3 + z) / 4
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
  const g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4
}

/** A mean and its 95% t interval (null with fewer than two values). */
export interface MeanInterval {
  readonly mean: number
  readonly interval: readonly [number, number] | null
}

/** The mean of `xs` with its 95% Student t interval. */
export const meanInterval = (xs: ReadonlyArray<number>): MeanInterval => {
  const n = xs.length
  if (n === 0) return { mean: Number.NaN, interval: null }
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n < 2) return { mean, interval: null }
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)
  const half = t975(n - 1) * Math.sqrt(variance / n)
  return { mean, interval: [mean - half, mean + half] }
}

/** Ranks 1..n, ties sharing their mean rank. */
export const ranks = (xs: ReadonlyArray<number>): Array<number> => {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0])
  const out = new Array<number>(xs.length)
  let i = 0
  while (i < order.length) {
    let j = i
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) out[order[k]![1]] = rank
    i = j + 1
  }
  return out
}

/** Whether every value of `xs` is the same (such an input or outcome has no PRCC). */
export const constant = (xs: ReadonlyArray<number>) => xs.every((x) => x === xs[0])

/** Solves `a x = b` for several right-hand sides (columns of `b`) by Gaussian elimination; undefined when `a` is singular. */
const solve = (
  a: ReadonlyArray<ReadonlyArray<number>>,
  b: ReadonlyArray<ReadonlyArray<number>>,
): Array<Array<number>> | undefined => {
  const n = a.length
  const scale = Math.max(1e-300, ...a.map((row, i) => Math.abs(row[i]!)))
  const m = a.map((row, i) => [...row, ...b[i]!])
  const width = m[0]?.length ?? 0
  for (let c = 0; c < n; c++) {
    let pivot = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r
    if (Math.abs(m[pivot]![c]!) < 1e-10 * scale) return undefined
    ;[m[c], m[pivot]] = [m[pivot]!, m[c]!]
    const row = m[c]!
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = m[r]![c]! / row[c]!
      if (f === 0) continue
      for (let k = c; k < width; k++) m[r]![k] = m[r]![k]! - f * row[k]!
    }
  }
  return m.map((row, i) => row.slice(n).map((x) => x / row[i]!))
}

/**
 * Partial rank correlation coefficients of each input (a column of values,
 * one per run) with `output` (Marino et al. 2008): the correlation of the
 * residuals of rank(x_j) and rank(y) after a linear regression on the ranks
 * of the other inputs. Computed from the Gram matrix G of the centred ranks:
 * a residual inner product is G_uv − G_uS·G_SS⁻¹·G_Sv. Null for an input or
 * an output that is constant, or when the other inputs explain the input or
 * the output entirely (nothing left to correlate).
 */
export const prcc = (
  inputs: ReadonlyArray<ReadonlyArray<number>>,
  output: ReadonlyArray<number>,
): Array<number | null> => {
  const result: Array<number | null> = inputs.map(() => null)
  const n = output.length
  if (n < 3 || constant(output)) return result
  const used = inputs.flatMap((x, i) => (constant(x) ? [] : [i]))
  if (used.length === 0) return result
  const centred = [...used.map((i) => ranks(inputs[i]!)), ranks(output)].map((c) => {
    const mean = c.reduce((a, b) => a + b, 0) / n
    return c.map((x) => x - mean)
  })
  const gram = centred.map((a) => centred.map((b) => a.reduce((s, x, k) => s + x * b[k]!, 0)))
  const y = used.length
  used.forEach((input, j) => {
    const others = used.map((_, k) => k).filter((k) => k !== j)
    let uu = gram[j]![j]!
    let yy = gram[y]![y]!
    let uy = gram[j]![y]!
    if (others.length > 0) {
      const coefficients = solve(
        others.map((a) => others.map((b) => gram[a]![b]!)),
        others.map((a) => [gram[a]![j]!, gram[a]![y]!]),
      )
      if (coefficients === undefined) return
      const explained = (u: number, v: number) =>
        others.reduce((s, a, i) => s + gram[u]![a]! * coefficients[i]![v]!, 0)
      uu -= explained(j, 0)
      yy -= explained(y, 1)
      uy -= explained(j, 1)
    }
    if (uu <= 1e-9 * gram[j]![j]! || yy <= 1e-9 * gram[y]![y]!) return
    result[input] = Math.max(-1, Math.min(1, uy / Math.sqrt(uu * yy)))
  })
  return result
}

/**
 * The smallest |PRCC| distinguishable from 0 at the 5% level over `runs`
 * runs and `parameters` inputs: under no association PRCC·√((N−2−p)/(1−PRCC²))
 * follows Student's t with N−2−p degrees of freedom (Marino et al. 2008), so
 * the bound is t/√(df + t²). Null when there are too few runs.
 */
export const prccThreshold = (runs: number, parameters: number): number | null => {
  const df = runs - 2 - parameters
  if (df <= 0) return null
  const t = t975(df)
  return t / Math.sqrt(df + t * t)
}

/** One bin (or point) of an agreement-rate curve: where it lies, its runs, its rate and Wilson 95% interval. */
export interface RatePoint {
  readonly x: number
  /** The bin's bounds (a sweep point's are both its value). */
  readonly from: number
  readonly to: number
  readonly runs: number
  readonly agreed: number
  readonly rate: number
  readonly interval: readonly [number, number]
}

/**
 * The agreement rate of runs binned by a parameter drawn from `[lo, hi]`:
 * `bins` equal bins (a value at `hi` goes to the last), each at its centre,
 * with its Wilson interval; empty bins are left out. What a Monte Carlo batch
 * shows instead of a sweep's exact points.
 */
export const binnedRates = (
  values: ReadonlyArray<number>,
  agreed: ReadonlyArray<boolean>,
  lo: number,
  hi: number,
  bins: number,
): Array<RatePoint> => {
  const width = (hi - lo) / bins
  const runs = new Array<number>(bins).fill(0)
  const yes = new Array<number>(bins).fill(0)
  values.forEach((v, i) => {
    // A value on an edge goes to the bin above it, whatever the rounding of (v − lo) / width.
    const b = width > 0 ? Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width + 1e-9))) : 0
    runs[b]!++
    if (agreed[i] === true) yes[b]!++
  })
  const out: Array<RatePoint> = []
  for (let b = 0; b < bins; b++) {
    if (runs[b] === 0) continue
    const from = lo + b * width
    const to = b === bins - 1 ? hi : lo + (b + 1) * width
    out.push({
      x: (from + to) / 2,
      from,
      to,
      runs: runs[b]!,
      agreed: yes[b]!,
      rate: yes[b]! / runs[b]!,
      interval: wilson(yes[b]!, runs[b]!),
    })
  }
  return out
}

/** How often each option of each issue was agreed: issue → option (as text) → agreements. */
export type AgreedTerms = Readonly<Record<string, Readonly<Record<string, number>>>>

/** Counts the agreed option of each issue over the agreements among `agreements` (null: no agreement). */
export const agreedTermsOf = (
  issues: ReadonlyArray<string>,
  agreements: ReadonlyArray<Terms | null>,
): AgreedTerms => {
  const out: Record<string, Record<string, number>> = {}
  for (const issue of issues) out[issue] = {}
  for (const terms of agreements) {
    if (terms === null) continue
    for (const issue of issues) {
      const v = (terms as Readonly<Record<string, unknown>>)[issue]
      if (v === undefined) continue
      const key = String(typeof v === "number" ? Number(v.toFixed(4)) : v)
      out[issue]![key] = (out[issue]![key] ?? 0) + 1
    }
  }
  return out
}
