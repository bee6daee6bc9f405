/**
 * What the opponent models of `Models.ts` share: a model of one opponent
 * ({@link SingleModel}, linear additive over the outcome space's value
 * indices), the indexing of terms by those values, and the
 * {@link OpponentModel} keeping one of them per opponent.
 *
 * @since 0.3.0
 */
import type { OutcomeSpace } from "../../analysis/OutcomeSpace.ts"
import type { PartyId } from "../../domain/Ids.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import type { PartyView } from "../Strategy.ts"
import type { Bid, OpponentModel } from "./Boa.ts"

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
