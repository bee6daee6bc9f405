/**
 * Opponent models (the O of BOA): estimates of what the opponents value,
 * learnt from their bids. Each model is linear additive (a weight per issue, a
 * score per value) over the outcome space's values (`view.space.values[i]`:
 * a numeric issue is learnt over its discretised values, an offered number
 * counting for the nearest of them).
 *
 * - `frequency`: the HardHeaded frequency model (van Krimpen, Looije &
 *   Hajizadeh, "HardHeaded", in Ito, Zhang, Robu & Matsuo (eds.), Complex
 *   Automated Negotiations: Theories, Models, and Software Competitions,
 *   Studies in Computational Intelligence 435, Springer 2013; as described by
 *   Baarslag, Hendrikx, Hindriks & Jonker, "Learning about the opponent in
 *   automated bilateral negotiation: a comprehensive survey of opponent
 *   modeling techniques", Autonomous Agents and Multi-Agent Systems 30(5),
 *   2016, section 5.2). Issue weights start equal; when an issue keeps its
 *   value between two consecutive bids of the opponent it gains `learningRate
 *   / n` (n issues) and the weights are renormalised; an issue's weight never
 *   grows beyond `1 - n·(learningRate/n)/total` (HardHeaded's cap, so that no
 *   issue takes every weight). Every value starts at a count of 1 and gains 1
 *   each time it is offered; its score is its count over the issue's highest
 *   count.
 * - `smith-frequency`: the frequency model of AgentSmith (van Galen Last,
 *   ANAC 2010; as described by Baarslag, Hendrikx, Hindriks & Jonker,
 *   "Predicting the performance of opponent models in automated negotiation",
 *   WI-IAT 2013, and the 2016 survey): a value's score is how often it was
 *   offered over how often the issue's most offered value was; an issue's
 *   weight is proportional to the count of its most offered value (an issue
 *   whose value the opponent keeps matters to it).
 * - `bayesian`: Hindriks & Tykhonov, "Opponent modelling in automated
 *   multi-issue negotiation using Bayesian learning", AAMAS 2008. A
 *   hypothesis is a ranking of the issues (weights linear in rank, `w = 2r /
 *   (n(n+1))` for rank r = 1..n, the least important issue ranked 1) and one
 *   evaluation shape per issue over its values in their listed order:
 *   downhill, uphill, or triangular with its peak at an inner value. The
 *   belief over the (joint) hypotheses starts uniform and is updated by Bayes'
 *   rule with the likelihood that the opponent, conceding over time, makes a
 *   bid of utility about `1 - concession·t` at normalised time t: a Gaussian
 *   of width `sigma` around that value. The estimate is the expectation
 *   under the belief (for a linear additive hypothesis space, a table of
 *   expected weighted scores, so a query costs one read per issue).
 *
 * Several opponents: one model per opponent (keyed by `bid.by`); `utility`
 * and `weights` without a party average over the opponents seen so far (the
 * prior before any bid: uniform weights, every value scoring 1 for the
 * frequency models, the uniform belief for the Bayesian one).
 *
 * What we interpreted:
 * - HardHeaded's published agent learns the value counts only from the
 *   second bid on (its learner needs two bids to compare); we count the
 *   opponent's first bid as well, which is its best and the most telling.
 *   When an unchanged issue is already at the cap, HardHeaded divides it by
 *   the total without adding the increment, so its weights may stop summing
 *   to 1; we renormalise after each update.
 * - Smith's model, as the survey describes it, is read as above: weights from
 *   the frequency of each issue's most offered value, values from their
 *   frequency relative to that.
 * - Hindriks & Tykhonov define the shapes for issues with ordered values; an
 *   unordered discrete issue is given the order of its listed options, as the
 *   GENIUS implementation does. A numeric issue of more than 11 values gets
 *   triangles peaked at 9 evenly spaced inner values. The paper indexes the
 *   expected concession by bid number; with parley's normalised time we use
 *   `1 - concession·t` (t in [0, 1]), `concession` a parameter. The defaults
 *   (`concession` 0.5, `sigma` 0.25) come from a sweep against time-dependent
 *   opponents on Laptop and ItexvsCypress (concession 0.2 to 1, sigma 0.1 to
 *   0.4: mean Pearson correlation with the true utilities 0.68 to 0.79; the
 *   defaults 0.78).
 * - The joint hypothesis space has `n! · Π shapes_i` elements; above
 *   `maxHypotheses` (default 20,000) the model refuses: `init` throws an
 *   error naming the size (check first with {@link bayesianHypotheses}).
 *   Laptop (162 hypotheses) and ItexvsCypress (4,320) fit; EnglandZimbabwe (69,120,
 *   about 13 ms per bid), Camera, Amsterdam and
 *   Travel do not.
 *
 * Measured (`tests/simulation/boa/Models.test.ts`: the bids of boulware,
 * linear and conceder opponents against a hardliner, 200 rounds, both sides
 * of Laptop, ItexvsCypress, EnglandZimbabwe, Camera, Amsterdam): mean Pearson
 * correlation of estimated and true utility over all outcomes 0.59
 * (frequency), 0.59 (smith-frequency), 0.78 (bayesian, Laptop and
 * ItexvsCypress only); mean Spearman correlation of the issue weights 0.05,
 * 0.11 and 0.50: the frequency models order outcomes well but not issues.
 *
 * @since 0.3.0
 */
import { Schema } from "effect"
import type { OutcomeSpace } from "../../analysis/OutcomeSpace.ts"
import type { PartyId } from "../../domain/Ids.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import { infoOf, type KindEntry, type KindSpec, makerOf, membersOf } from "../Kinds.ts"
import type { PartyView, StrategyInfo } from "../Strategy.ts"
import type { Bid, OpponentModel, OpponentModelKind } from "./Boa.ts"

/** An estimate of one opponent: linear additive over the space's value indices. */
export interface SingleModel {
  /** Learns from one bid (`digits[i]` is the value index of issue i; the array is reused: copy what you keep). */
  readonly update: (digits: Int32Array, bid: Bid) => void
  /** `table()[i][k]`: the weighted score of value k of issue i (a utility is the sum over issues). */
  readonly table: () => ReadonlyArray<Float64Array>
  /** Estimated issue weights, summing to 1. */
  readonly weights: () => Float64Array
}

/** Maps terms to the value index of each issue in a space (nearest value for a number it does not list). */
export const valueIndexer = (space: OutcomeSpace): ((terms: Terms, digits: Int32Array) => void) => {
  const ids = space.issues.map((i) => i.id as string)
  const maps = space.values.map((vs) => {
    const m = new Map<TermValue, number>()
    for (let k = 0; k < vs.length; k++) m.set(vs[k]!, k)
    return m
  })
  const nearest = (i: number, v: number): number => {
    const vs = space.values[i]!
    let lo = 0
    let hi = vs.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((vs[mid] as number) < v) lo = mid + 1
      else hi = mid
    }
    if (lo > 0 && Math.abs((vs[lo - 1] as number) - v) <= Math.abs((vs[lo] as number) - v))
      return lo - 1
    return lo
  }
  return (terms, digits) => {
    for (let i = 0; i < ids.length; i++) {
      const v = (terms as Record<string, TermValue | undefined>)[ids[i]!]
      const k = v === undefined ? undefined : maps[i]!.get(v)
      digits[i] =
        k !== undefined
          ? k
          : typeof v === "number" && space.issues[i]!.kind !== "discrete"
            ? nearest(i, v)
            : -1
    }
  }
}

/** The utility of `digits` under a table (a value it does not know scores 0). */
const score = (table: ReadonlyArray<Float64Array>, digits: Int32Array): number => {
  let u = 0
  for (let i = 0; i < table.length; i++) {
    const k = digits[i]!
    if (k >= 0) u += table[i]![k] ?? 0
  }
  return u
}

/**
 * An {@link OpponentModel} keeping one {@link SingleModel} per opponent
 * (`fresh()` makes one), averaging over the opponents seen when no party is
 * named. Its own bids are ignored.
 */
export const perOpponent = (view: PartyView, fresh: () => SingleModel): OpponentModel => {
  const n = view.space.issues.length
  const index = valueIndexer(view.space)
  const digits = new Int32Array(n)
  const models = new Map<PartyId, SingleModel>()
  const list: Array<SingleModel> = []
  let prior: SingleModel | undefined
  const priorModel = () => {
    prior ??= fresh()
    return prior
  }
  const of = (party: PartyId | undefined): ReadonlyArray<SingleModel> => {
    if (party !== undefined) {
      const m = models.get(party)
      return m === undefined ? [priorModel()] : [m]
    }
    return list.length === 0 ? [priorModel()] : list
  }
  return {
    update: (bid) => {
      if (bid.by === view.party) return
      let m = models.get(bid.by)
      if (m === undefined) {
        m = fresh()
        models.set(bid.by, m)
        list.push(m)
      }
      index(bid.terms, digits)
      m.update(digits, bid)
    },
    utility: (terms, party) => {
      const ms = of(party)
      index(terms, digits)
      let u = 0
      for (const m of ms) u += score(m.table(), digits)
      return u / ms.length
    },
    weights: (party) => {
      const ms = of(party)
      const w = new Array<number>(n).fill(0)
      for (const m of ms) {
        const x = m.weights()
        for (let i = 0; i < n; i++) w[i]! += x[i]! / ms.length
      }
      return w
    },
  }
}

/** Scales `w` to sum to 1 (uniform when it sums to 0). */
const normalise = (w: Float64Array): Float64Array => {
  let s = 0
  for (const x of w) s += x
  for (let i = 0; i < w.length; i++) w[i] = s > 0 ? w[i]! / s : 1 / w.length
  return w
}

/** The weighted score table of weights and per-issue counts (each count over its issue's highest). */
const countTable = (
  w: Float64Array,
  counts: ReadonlyArray<Float64Array>,
  out: ReadonlyArray<Float64Array>,
): void => {
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!
    let max = 0
    for (const x of c) if (x > max) max = x
    const t = out[i]!
    for (let k = 0; k < c.length; k++) t[k] = max > 0 ? (w[i]! * c[k]!) / max : w[i]!
  }
}

/** The HardHeaded frequency model of one opponent (see the file header). */
export const hardHeadedSingle = (space: OutcomeSpace, learningRate: number): SingleModel => {
  const n = space.issues.length
  const w = new Float64Array(n).fill(n > 0 ? 1 / n : 0)
  const counts = space.radix.map((r) => new Float64Array(r).fill(1))
  const table = space.radix.map((r) => new Float64Array(r))
  const last = new Int32Array(n)
  let seen = false
  let dirty = true
  const golden = n > 0 ? learningRate / n : 0
  return {
    update: (digits) => {
      if (seen) {
        let unchanged = 0
        for (let i = 0; i < n; i++) if (digits[i] === last[i]) unchanged++
        const total = 1 + golden * unchanged
        const cap = 1 - (n * golden) / total
        for (let i = 0; i < n; i++)
          w[i] = digits[i] === last[i] && w[i]! < cap ? (w[i]! + golden) / total : w[i]! / total
        normalise(w)
      }
      for (let i = 0; i < n; i++) {
        const k = digits[i]!
        if (k >= 0) counts[i]![k]! += 1
        last[i] = k
      }
      seen = true
      dirty = true
    },
    table: () => {
      if (dirty) {
        countTable(w, counts, table)
        dirty = false
      }
      return table
    },
    weights: () => w,
  }
}

/** Smith's frequency model of one opponent (see the file header). */
export const smithSingle = (space: OutcomeSpace): SingleModel => {
  const n = space.issues.length
  const counts = space.radix.map((r) => new Float64Array(r))
  const table = space.radix.map((r) => new Float64Array(r))
  const w = new Float64Array(n).fill(n > 0 ? 1 / n : 0)
  let dirty = true
  const refresh = () => {
    if (!dirty) return
    for (let i = 0; i < n; i++) {
      let max = 0
      for (const x of counts[i]!) if (x > max) max = x
      w[i] = max
    }
    normalise(w)
    countTable(w, counts, table)
    dirty = false
  }
  return {
    update: (digits) => {
      for (let i = 0; i < n; i++) {
        const k = digits[i]!
        if (k >= 0) counts[i]![k]! += 1
      }
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
  }
}

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

/** The Bayesian model of one opponent (see the file header); throws when the space is too big. */
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

const Unit = Schema.Number.pipe(Schema.finite(), Schema.between(0, 1))
const Positive = Schema.Number.pipe(Schema.finite(), Schema.positive())

/** The HardHeaded frequency model. */
export const FrequencyModelSpec = Schema.Struct({
  kind: Schema.Literal("frequency"),
  learningRate: Schema.optionalWith(
    Unit.annotations({
      description:
        "weight gained (before renormalising, split over the n issues) by an issue whose value did not change between two consecutive opponent bids (HardHeaded's 0.2)",
    }),
    { default: () => 0.2 },
  ),
})
export type FrequencyModelSpec = typeof FrequencyModelSpec.Type

/** Smith's frequency model (AgentSmith, ANAC 2010). */
export const SmithModelSpec = Schema.Struct({ kind: Schema.Literal("smith-frequency") })
export type SmithModelSpec = typeof SmithModelSpec.Type

/** The Bayesian model of Hindriks & Tykhonov (2008), for small domains. */
export const BayesianModelSpec = Schema.Struct({
  kind: Schema.Literal("bayesian"),
  sigma: Schema.optionalWith(
    Positive.annotations({
      description:
        "width of the Gaussian likelihood around the utility the opponent is expected to bid (default 0.25)",
    }),
    { default: () => 0.25 },
  ),
  concession: Schema.optionalWith(
    Unit.annotations({
      description:
        "the opponent's bid at normalised time t is expected to be worth 1 - concession·t to it (default 0.5)",
    }),
    { default: () => 0.5 },
  ),
  maxHypotheses: Schema.optionalWith(
    Schema.Int.pipe(Schema.positive()).annotations({
      description:
        "largest joint hypothesis space (issue rankings times evaluation shapes) it accepts; larger domains are refused (default 20000)",
    }),
    { default: () => 20_000 },
  ),
})
export type BayesianModelSpec = typeof BayesianModelSpec.Type

/** No opponent model. */
export const NoModelSpec = Schema.Struct({ kind: Schema.Literal("none") })
export type NoModelSpec = typeof NoModelSpec.Type

/** The HardHeaded frequency model kind. */
export const frequencyModel = (learningRate = 0.2): OpponentModelKind => ({
  name: learningRate === 0.2 ? "frequency" : `frequency(${learningRate})`,
  init: (view) => perOpponent(view, () => hardHeadedSingle(view.space, learningRate)),
})

/** Smith's frequency model kind. */
export const smithModel: OpponentModelKind = {
  name: "smith-frequency",
  init: (view) => perOpponent(view, () => smithSingle(view.space)),
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

/** An opponent model's registration (`undefined`: no model). */
const modelEntry = <Spec extends KindSpec>(entry: KindEntry<Spec, OpponentModelKind | undefined>) =>
  entry

/**
 * Every opponent model a `boa` agent can name, in the order the listing
 * shows them: the union {@link ModelSpec}, {@link makeModel} and the
 * listing's entries are derived from it. A new model: its spec and kind
 * above, its entry here, its test.
 */
export const opponentModels = [
  modelEntry({
    spec: FrequencyModelSpec,
    make: (spec) => frequencyModel(spec.learningRate),
    summary:
      "HardHeaded's frequency model: an issue whose value the opponent keeps gains weight; values score by how often they are offered",
    reference:
      "van Krimpen, Looije & Hajizadeh, HardHeaded, Complex Automated Negotiations: Theories, Models, and Software Competitions, Springer 2013; Baarslag, Hendrikx, Hindriks & Jonker, Learning about the opponent in automated bilateral negotiation, JAAMAS 2016",
  }),
  modelEntry({
    spec: SmithModelSpec,
    make: () => smithModel,
    summary:
      "AgentSmith's frequency model: values score by how often they are offered, issues weigh by the count of their most offered value",
    reference:
      "Baarslag, Hendrikx, Hindriks & Jonker, Predicting the performance of opponent models in automated negotiation, WI-IAT 2013 (AgentSmith, ANAC 2010)",
  }),
  modelEntry({
    spec: BayesianModelSpec,
    make: (spec) => bayesianModel(spec),
    summary:
      "Bayesian learning over issue rankings and evaluation shapes, assuming the opponent concedes over time; small domains only",
    reference:
      "Hindriks & Tykhonov, Opponent modelling in automated multi-issue negotiation using Bayesian learning, AAMAS 2008",
  }),
  modelEntry({
    spec: NoModelSpec,
    make: () => undefined,
    summary: "no opponent model",
    reference: "",
  }),
] as const

/** Every opponent model a spec can name, discriminated by `kind`. */
export const ModelSpec = Schema.Union(...membersOf(opponentModels)).annotations({
  identifier: "ModelSpec",
})
export type ModelSpec = typeof ModelSpec.Type

/** The model kind a decoded spec names (`undefined` for `none`), by its kind's entry. */
export const makeModel: (spec: ModelSpec) => OpponentModelKind | undefined = makerOf(opponentModels)

/** What a listing shows of each model kind. */
export const modelInfo: ReadonlyArray<StrategyInfo> = infoOf(opponentModels)
