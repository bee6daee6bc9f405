/**
 * An approximate Pareto frontier of an outcome space too large to enumerate
 * (the ANAC 2014 non-linear domains have 10^10 to 10^40 outcomes), found by
 * search, never by enumeration: memory grows with the number of issues and
 * the frontier, not with the space.
 *
 * Method: simulated annealing (Kirkpatrick, Gelatt & Vecchi, "Optimization
 * by simulated annealing", Science 220, 1983) over single-issue moves, as
 * the bid search of Ito, Hattori & Klein ("Multi-issue negotiation protocol
 * for agents: exploring nonlinear utility spaces", IJCAI 2007), the origin
 * of the hyper-rectangle format, and the ANAC 2014 agents did. One run per
 * direction of the utility plane maximises an augmented weighted Chebyshev
 * scalarisation (`min_i u_i / w_i + rho * sum_i u_i`), which reaches
 * non-convex parts of the frontier that weighted sums miss (Steuer & Choo,
 * Mathematical Programming 26, 1983), plus one run per party for its own
 * maximum; each run ends with a best-improvement hill climb. Every accepted
 * move is offered to a streaming Pareto archive (`Pareto.ts`).
 *
 * Utilities are evaluated incrementally: a linear party by its per-issue
 * tables, a hyper-rectangle party that sums rectangles by re-evaluating only
 * the rectangles that bound the issue that moved, any other party in full.
 *
 * @since 0.1.0
 */
import type { Issue, Terms, TermValue } from "../domain/Issue.ts"
import {
  type CompiledRectangle,
  compileHyperRectangles,
  normalizeRaw,
  rawValue,
  rectangleValue,
} from "./Nonlinear.ts"
import { type FrontierPoint, makeFrontier } from "./Pareto.ts"
import {
  evaluate,
  normalizedWeights,
  own,
  type PartyPreferences,
  utility,
  violatesRedLine,
} from "./Preferences.ts"
import { seededRandom } from "./Rng.ts"

/** Options of {@link searchFrontier}. */
export interface SearchOptions {
  /** Seed of the search's random numbers (default 1): the same seed gives the same frontier. */
  readonly seed?: number | undefined
  /** Annealing steps per run (default 40,000). */
  readonly steps?: number | undefined
  /** Directions of the Chebyshev scalarisation (default 32; more parties: random directions). */
  readonly directions?: number | undefined
  /** Restarts per direction (default 2). */
  readonly restarts?: number | undefined
}

/** A frontier found by search, with how it was found. */
export interface SearchedFrontier {
  /** Frontier points; `index` refers to {@link SearchedFrontier.terms}. */
  readonly points: ReadonlyArray<FrontierPoint>
  /** The terms of point `index`. */
  readonly terms: (index: number) => Terms
  /** Utility evaluations (of one party) made. */
  readonly evaluations: number
  /** In words: the method and its parameters. */
  readonly method: string
}

/** A party's utility under single-issue moves from a shared current state. */
interface Evaluator {
  /** Utility of the current state, recomputed (also resets any cache). */
  readonly reset: () => number
  /** Utility if issue `i` took value index `k` (state unchanged). */
  readonly tryMove: (i: number, k: number) => number
  /** Records that issue `i` now has value index `k` (after the shared state changed). */
  readonly moved: (i: number) => void
}

/** Shared state: per issue, the current value index, its numeric value (NaN if not a number) and the terms. */
interface State {
  readonly digits: Int32Array
  readonly numeric: Float64Array
  readonly terms: Record<string, TermValue>
}

const evaluatorOf = (
  p: PartyPreferences,
  issues: ReadonlyArray<Issue>,
  values: ReadonlyArray<ReadonlyArray<TermValue>>,
  s: State,
): Evaluator => {
  const n = issues.length
  if (p.kind === "linear-additive") {
    const w = normalizedWeights(p, issues)
    const tables = issues.map((issue, i) => {
      const e = own(p.evaluations, issue.id)
      return Float64Array.from(values[i]!, (v) =>
        e === undefined || w[i] === 0 ? 0 : w[i]! * evaluate(e, issue, v),
      )
    })
    let u = 0
    return {
      reset: () => {
        u = 0
        for (let i = 0; i < n; i++) u += tables[i]![s.digits[i]!]!
        return u
      },
      tryMove: (i, k) => u - tables[i]![s.digits[i]!]! + tables[i]![k]!,
      moved: () => {
        u = 0
        for (let i = 0; i < n; i++) u += tables[i]![s.digits[i]!]!
      },
    }
  }
  if (p.kind === "hyper-rectangles") {
    const c = compileHyperRectangles(p, issues)
    const numeric = values.map((vs) =>
      Float64Array.from(vs, (v) => (typeof v === "number" ? v : Number.NaN)),
    )
    if (!c.flatSum) {
      const full = () => normalizeRaw(rawValue(c.root, s.numeric), c.maxUtility)
      return {
        reset: full,
        tryMove: (i, k) => {
          const old = s.numeric[i]!
          s.numeric[i] = numeric[i]![k]!
          const u = full()
          s.numeric[i] = old
          return u
        },
        moved: () => {},
      }
    }
    const rects: ReadonlyArray<CompiledRectangle> = c.root.rectangles
    const always = rects.filter((r) => r.positions.length === 0).reduce((a, r) => a + r.value, 0)
    const touching: Array<Array<number>> = issues.map(() => [])
    rects.forEach((r, k) => {
      const seen = new Set<number>()
      for (const pos of r.positions)
        if (pos >= 0 && !seen.has(pos)) {
          seen.add(pos)
          touching[pos]!.push(k)
        }
    })
    const touch = touching.map((ks) => Int32Array.from(ks))
    const contrib = new Float64Array(rects.length)
    let raw = 0
    return {
      reset: () => {
        raw = always
        rects.forEach((r, k) => {
          if (r.positions.length === 0) return
          contrib[k] = rectangleValue(r, s.numeric)
          raw += contrib[k]!
        })
        return normalizeRaw(raw, c.maxUtility)
      },
      tryMove: (i, k) => {
        const t = touch[i]!
        const old = s.numeric[i]!
        s.numeric[i] = numeric[i]![k]!
        let r2 = raw
        for (let j = 0; j < t.length; j++) {
          const q = t[j]!
          r2 += rectangleValue(rects[q]!, s.numeric) - contrib[q]!
        }
        s.numeric[i] = old
        return normalizeRaw(r2, c.maxUtility)
      },
      moved: (i) => {
        const t = touch[i]!
        for (let j = 0; j < t.length; j++) {
          const q = t[j]!
          const v = rectangleValue(rects[q]!, s.numeric)
          raw += v - contrib[q]!
          contrib[q] = v
        }
      },
    }
  }
  const f = utility(p, issues)
  const ids = issues.map((i) => i.id as string)
  return {
    reset: () => f(s.terms as Terms),
    tryMove: (i, k) => {
      const old = s.terms[ids[i]!]!
      s.terms[ids[i]!] = values[i]![k]!
      const u = f(s.terms as Terms)
      s.terms[ids[i]!] = old
      return u
    },
    moved: () => {},
  }
}

/**
 * Searches for the Pareto frontier of `issues` (values per issue given, as
 * `outcomeSpace` enumerates them) under `parties`' preferences. Values a
 * party's red line excludes are never proposed. Deterministic for a seed.
 */
export const searchFrontier = (
  issues: ReadonlyArray<Issue>,
  values: ReadonlyArray<ReadonlyArray<TermValue>>,
  parties: ReadonlyArray<PartyPreferences>,
  options: SearchOptions = {},
): SearchedFrontier => {
  const n = issues.length
  const m = parties.length
  const rand = seededRandom(options.seed ?? 1)
  const steps = options.steps ?? 40_000
  const restarts = options.restarts ?? 2
  const directions = options.directions ?? 32
  // allowed[i] = value indices no party's red line excludes
  const allowed = issues.map((issue, i) => {
    const checks = parties.map((p) => violatesRedLine(p, issues))
    const ok: Array<number> = []
    values[i]!.forEach((v, k) => {
      if (!checks.some((c) => c({ [issue.id]: v } as Terms))) ok.push(k)
    })
    return Int32Array.from(ok)
  })
  const s: State = {
    digits: new Int32Array(n),
    numeric: new Float64Array(n),
    terms: {},
  }
  const set = (i: number, k: number) => {
    s.digits[i] = k
    const v = values[i]![k]!
    s.numeric[i] = typeof v === "number" ? v : Number.NaN
    s.terms[issues[i]!.id] = v
  }
  const evals = parties.map((p) => evaluatorOf(p, issues, values, s))
  const archive = makeFrontier(m)
  const kept = new Map<number, Int32Array>()
  let offered = 0
  let evaluations = 0
  const u = new Float64Array(m)
  const cand = new Float64Array(m)
  // the archive's points, to drop dominated candidates without allocating
  let snapshot: Array<ReadonlyArray<number>> = []
  const dominated = (x: Float64Array): boolean => {
    for (const q of snapshot) {
      let all = true
      for (let p = 0; p < m && all; p++) if (q[p]! < x[p]!) all = false
      if (all) return true
    }
    return false
  }
  const offer = (x: Float64Array) => {
    if (dominated(x)) return
    kept.set(offered, Int32Array.from(s.digits))
    archive.add(offered++, x)
    const points = archive.points()
    snapshot = points.map((p) => p.utilities)
    if (kept.size > 2 * points.length + 64) {
      const live = new Set(points.map((p) => p.index))
      for (const key of kept.keys()) if (!live.has(key)) kept.delete(key)
    }
  }
  const runOnce = (objective: (x: Float64Array) => number) => {
    for (let i = 0; i < n; i++) {
      const a = allowed[i]!
      if (a.length === 0) return
      set(i, a[Math.floor(rand() * a.length)]!)
    }
    for (let p = 0; p < m; p++) u[p] = evals[p]!.reset()
    evaluations += m
    let f = objective(u)
    offer(u)
    const t0 = 0.05
    const t1 = 0.0005
    const decay = (t1 / t0) ** (1 / Math.max(1, steps))
    let temp = t0
    for (let step = 0; step < steps; step++, temp *= decay) {
      const i = Math.floor(rand() * n)
      const a = allowed[i]!
      if (a.length < 2) continue
      const k = a[Math.floor(rand() * a.length)]!
      if (k === s.digits[i]) continue
      for (let p = 0; p < m; p++) cand[p] = evals[p]!.tryMove(i, k)
      evaluations += m
      const g = objective(cand)
      if (g >= f || rand() < Math.exp((g - f) / temp)) {
        set(i, k)
        for (let p = 0; p < m; p++) {
          evals[p]!.moved(i)
          u[p] = cand[p]!
        }
        f = g
        offer(u)
      }
    }
    // best-improvement hill climb from where the annealing ended
    for (;;) {
      let bestGain = 1e-12
      let bi = -1
      let bk = -1
      for (let i = 0; i < n; i++) {
        const a = allowed[i]!
        for (let j = 0; j < a.length; j++) {
          const k = a[j]!
          if (k === s.digits[i]) continue
          for (let p = 0; p < m; p++) cand[p] = evals[p]!.tryMove(i, k)
          evaluations += m
          const g = objective(cand) - f
          if (g > bestGain) {
            bestGain = g
            bi = i
            bk = k
          }
        }
      }
      if (bi < 0) break
      for (let p = 0; p < m; p++) cand[p] = evals[p]!.tryMove(bi, bk)
      set(bi, bk)
      for (let p = 0; p < m; p++) {
        evals[p]!.moved(bi)
        u[p] = cand[p]!
      }
      f = objective(u)
      offer(u)
    }
  }
  const rho = 0.01
  const weightsList: Array<Float64Array> = []
  for (let p = 0; p < m; p++) {
    const w = new Float64Array(m).fill(1e-3)
    w[p] = 1
    weightsList.push(w)
  }
  for (let d = 0; d < directions; d++) {
    const w = new Float64Array(m)
    if (m === 2) {
      const theta = ((d + 0.5) / directions) * (Math.PI / 2)
      w[0] = Math.cos(theta)
      w[1] = Math.sin(theta)
    } else {
      for (let p = 0; p < m; p++) w[p] = -Math.log(1 - rand())
    }
    weightsList.push(w)
  }
  for (const [k, w] of weightsList.entries()) {
    const single = k < m
    const objective = single
      ? (x: Float64Array) => {
          let sum = 0
          for (let p = 0; p < m; p++) sum += w[p]! * x[p]!
          return sum
        }
      : (x: Float64Array) => {
          let min = Number.POSITIVE_INFINITY
          let sum = 0
          for (let p = 0; p < m; p++) {
            min = Math.min(min, x[p]! / w[p]!)
            sum += x[p]!
          }
          return min + rho * sum
        }
    for (let r = 0; r < restarts; r++) runOnce(objective)
  }
  const points = archive.points()
  const digitsOf = new Map(points.map((p) => [p.index, kept.get(p.index)!]))
  return {
    points,
    terms: (index) => {
      const d = digitsOf.get(index) ?? kept.get(index)!
      const t: Record<string, TermValue> = {}
      issues.forEach((issue, i) => {
        t[issue.id] = values[i]![d[i]!]!
      })
      return t as Terms
    },
    evaluations,
    method: `simulated annealing over single-issue moves, ${weightsList.length} scalarisations (${m} single-party maxima, ${directions} augmented Chebyshev directions) x ${restarts} restarts x ${steps} steps, then hill climbing; seed ${options.seed ?? 1}`,
  }
}

/** How close a found frontier comes to a reference one (GENIUS's `pareto.xml`). */
export interface FrontierQuality {
  /** Share of reference points some found point reaches within `tolerance` for every party. */
  readonly reached: number
  /** Reference points. */
  readonly reference: number
  /** The largest additive gap: max over reference points of min over found points of max_i (ref_i - found_i). */
  readonly largestGap: number
  readonly tolerance: number
}

/**
 * The additive epsilon indicator of Zitzler, Thiele, Laumanns, Fonseca &
 * Grunert da Fonseca ("Performance assessment of multiobjective optimizers",
 * IEEE Trans. Evolutionary Computation 7, 2003) per reference point: a
 * reference point is reached when some found point is worse by at most
 * `tolerance` for every party.
 */
export const frontierQuality = (
  found: ReadonlyArray<ArrayLike<number>>,
  reference: ReadonlyArray<ArrayLike<number>>,
  tolerance = 0.01,
): FrontierQuality => {
  let reached = 0
  let largestGap = 0
  for (const r of reference) {
    let gap = Number.POSITIVE_INFINITY
    for (const f of found) {
      let g = Number.NEGATIVE_INFINITY
      for (let i = 0; i < r.length; i++) g = Math.max(g, r[i]! - f[i]!)
      gap = Math.min(gap, g)
    }
    if (gap <= tolerance) reached++
    largestGap = Math.max(largestGap, gap)
  }
  return {
    reached: reference.length === 0 ? 1 : reached / reference.length,
    reference: reference.length,
    largestGap,
    tolerance,
  }
}
