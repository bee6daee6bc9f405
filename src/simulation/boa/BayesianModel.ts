/**
 * The Bayesian opponent model of Hindriks & Tykhonov (2008): a belief over
 * issue rankings and evaluation shapes, updated by Bayes' rule assuming the
 * opponent concedes over time. Its source, what we interpreted and its
 * limits are in the header of `Models.ts`, which registers it.
 *
 * @since 0.3.0
 */
import type { OutcomeSpace } from "../../analysis/OutcomeSpace.ts"
import type { OpponentModelKind } from "./Boa.ts"
import { perOpponent, type SingleModel } from "./PerOpponent.ts"

/** Parameters of the Bayesian model. */
export interface BayesianParams {
  /** Width of the Gaussian likelihood around the expected utility. */
  readonly sigma: number
  /** The opponent's bid at normalised time t is expected to be worth `1 - concession·t` to it. */
  readonly concession: number
  /** Largest joint hypothesis space it accepts. */
  readonly maxHypotheses: number
}

/** The evaluation shapes of an issue of `k` values (downhill, uphill, triangles at inner peaks). */
export const shapesOf = (k: number): Array<Float64Array> => {
  if (k <= 1) return [new Float64Array(Math.max(k, 1)).fill(1)]
  const x = (j: number) => j / (k - 1)
  const down = new Float64Array(k)
  const up = new Float64Array(k)
  for (let j = 0; j < k; j++) {
    down[j] = 1 - x(j)
    up[j] = x(j)
  }
  const shapes = [down, up]
  const peaks: Array<number> = []
  if (k <= 11) for (let p = 1; p < k - 1; p++) peaks.push(p)
  else for (let q = 1; q <= 9; q++) peaks.push(Math.round((q * (k - 1)) / 10))
  for (const p of peaks) {
    const t = new Float64Array(k)
    for (let j = 0; j < k; j++) t[j] = j <= p ? x(j) / x(p) : (1 - x(j)) / (1 - x(p))
    shapes.push(t)
  }
  return shapes
}

/** All permutations of 0..n-1 (n! of them). */
const permutations = (n: number): Array<Int32Array> => {
  const out: Array<Int32Array> = []
  const a = Array.from({ length: n }, (_, i) => i)
  const go = (k: number) => {
    if (k === n) {
      out.push(Int32Array.from(a))
      return
    }
    for (let i = k; i < n; i++) {
      ;[a[k], a[i]] = [a[i]!, a[k]!]
      go(k + 1)
      ;[a[k], a[i]] = [a[i]!, a[k]!]
    }
  }
  go(0)
  return out
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1))

/** The size of the Bayesian model's joint hypothesis space over `space`. */
export const bayesianHypotheses = (space: OutcomeSpace): number => {
  let h = factorial(space.issues.length)
  for (const k of space.radix) h *= shapesOf(k).length
  return h
}

/** The Bayesian model of one opponent, with its belief over issue rankings for inspection. */
export interface BayesianSingle extends SingleModel {
  /** The issue rankings: `rankings[r][i]` is issue i's rank, 0 (least important) to n - 1. */
  readonly rankings: ReadonlyArray<Int32Array>
  /** The probability of each ranking (marginal over the evaluation shapes). */
  readonly rankingBelief: () => Float64Array
}

/** The Bayesian model of one opponent (see the header of `Models.ts`); throws when the space is too big. */
export const bayesianSingle = (space: OutcomeSpace, params: BayesianParams): BayesianSingle => {
  const n = space.issues.length
  const size = bayesianHypotheses(space)
  if (size > params.maxHypotheses)
    throw new Error(
      `bayesian opponent model: ${size} hypotheses (${n}! issue rankings times the evaluation shapes) exceed maxHypotheses ${params.maxHypotheses}; use a frequency model on this domain`,
    )
  const shapes = space.radix.map(shapesOf)
  const S = shapes.map((s) => s.length)
  const combos = S.reduce((a, b) => a * b, 1)
  const ranks = permutations(n)
  // W[r][i]: weight of issue i under ranking r (rank r[i] + 1 of n, linear in rank).
  const W = ranks.map((perm) => {
    const w = new Float64Array(n)
    for (let i = 0; i < n; i++) w[i] = (2 * (perm[i]! + 1)) / (n * (n + 1))
    return w
  })
  const R = ranks.length
  const belief = new Float64Array(R * combos).fill(1 / (R * combos))
  const sd = new Int32Array(n)
  const table = space.radix.map((r) => new Float64Array(r))
  const w = new Float64Array(n)
  // marginals[i][r * S_i + s]: probability of ranking r and shape s for issue i
  const marginals = S.map((s) => new Float64Array(R * s))
  let dirty = true
  const refresh = () => {
    if (!dirty) return
    for (const m of marginals) m.fill(0)
    w.fill(0)
    for (let r = 0; r < R; r++) {
      sd.fill(0)
      const base = r * combos
      for (let c = 0; c < combos; c++) {
        const p = belief[base + c]!
        for (let i = 0; i < n; i++) marginals[i]![r * S[i]! + sd[i]!]! += p
        for (let i = n - 1; i >= 0; i--) {
          if (++sd[i]! < S[i]!) break
          sd[i] = 0
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const t = table[i]!
      t.fill(0)
      const m = marginals[i]!
      for (let r = 0; r < R; r++) {
        const wr = W[r]![i]!
        for (let s = 0; s < S[i]!; s++) {
          const p = m[r * S[i]! + s]!
          if (p === 0) continue
          w[i]! += p * wr
          const shape = shapes[i]![s]!
          for (let k = 0; k < t.length; k++) t[k]! += p * wr * shape[k]!
        }
      }
    }
    dirty = false
  }
  // per issue and shape, the evaluation of the bid's value (filled per update)
  const ev = S.map((s) => new Float64Array(s))
  return {
    update: (digits, bid) => {
      const expected = Math.max(0, 1 - params.concession * bid.time)
      const twoVar = 2 * params.sigma * params.sigma
      for (let i = 0; i < n; i++)
        for (let s = 0; s < S[i]!; s++)
          ev[i]![s] = digits[i]! >= 0 ? shapes[i]![s]![digits[i]!]! : 0
      let total = 0
      for (let r = 0; r < R; r++) {
        const wr = W[r]!
        sd.fill(0)
        const base = r * combos
        for (let c = 0; c < combos; c++) {
          let u = 0
          for (let i = 0; i < n; i++) u += wr[i]! * ev[i]![sd[i]!]!
          const d = u - expected
          const p = belief[base + c]! * Math.exp(-(d * d) / twoVar)
          belief[base + c] = p
          total += p
          for (let i = n - 1; i >= 0; i--) {
            if (++sd[i]! < S[i]!) break
            sd[i] = 0
          }
        }
      }
      if (total > 0 && Number.isFinite(total))
        for (let h = 0; h < belief.length; h++) belief[h]! /= total
      else belief.fill(1 / belief.length)
      dirty = true
    },
    table: () => {
      refresh()
      return table
    },
    weights: () => {
      refresh()
      return w
    },
    rankings: ranks,
    rankingBelief: () => {
      const out = new Float64Array(R)
      for (let r = 0; r < R; r++) {
        let p = 0
        for (let c = 0; c < combos; c++) p += belief[r * combos + c]!
        out[r] = p
      }
      return out
    },
  }
}

/** The Bayesian model kind; its `init` throws when the domain's hypothesis space is too big. */
export const bayesianModel = (
  params: BayesianParams = { sigma: 0.25, concession: 0.5, maxHypotheses: 20_000 },
): OpponentModelKind => ({
  name: "bayesian",
  init: (view) => {
    bayesianSingle(view.space, params) // refuse now rather than at the first bid
    return perOpponent(view, () => bayesianSingle(view.space, params))
  },
})
