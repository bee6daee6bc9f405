/**
 * The `cycle` mediation method: parley's earlier single-text mediator, kept
 * as a baseline.
 *
 * The cycling baseline (`method: "cycle"`): proposes the compromise that maximises the Nash
 * product of the principals' stated positions, and after each rejection the
 * next-best one, not proposing a text again until it has tried every other
 * (texts it proposed before in the timeline and saw rejected included); then
 * it starts over from the best (`exhausted: "start-over"`, the default: the
 * parties' demands soften with time) or walks out (`"walk-out"`).
 *
 * It knows no one's utility: it models principal `j`'s utility of an outcome
 * as its closeness to `j`'s public demands (`PositionStated`, or else the
 * terms of `j`'s latest offer, reported ones included), averaged over
 * the issues `j` stated a demand on:
 * - discrete issue: 1 if the outcome's option is the demanded one, else 0;
 * - integer / real issue: `1 - |x - demand| / (max - min)`;
 * - an issue `j` stated nothing on is neutral (left out of `j`'s average); a
 *   principal with no stated position is neutral everywhere.
 *
 * Outcomes are ranked by the product of these utilities over the principals
 * (the Nash product with a zero disagreement point), then by their sum, then
 * by outcome index. The ranking is computed once per set of positions and
 * outcome space, and cached across runs.
 *
 * @since 0.1.0
 */
import { HashMap } from "effect"
import { indexOf, type OutcomeSpace } from "../../analysis/OutcomeSpace.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import type { Strategy } from "../Strategy.ts"
import { termsOf } from "../strategies/Ladder.ts"
import { type MediationOptions, mediationMethod } from "./Method.ts"
import { publicPosition } from "./Position.ts"

const rankings = new WeakMap<OutcomeSpace, Map<string, Uint32Array>>()
const MAX_CACHED = 16

/**
 * Every outcome of `space`, best compromise first, for the stated demands of
 * each principal (one `Terms` per principal). O(size * principals * issues)
 * plus one sort.
 */
export const rankCompromises = (
  space: OutcomeSpace,
  demands: ReadonlyArray<Terms>,
): Uint32Array => {
  const n = space.issues.length
  const tables: Array<Array<Float64Array>> = []
  for (const d of demands) {
    const stated = space.issues.filter(
      (issue) => (d as Record<string, TermValue | undefined>)[issue.id] !== undefined,
    ).length
    if (stated === 0) continue
    tables.push(
      space.issues.map((issue, i) => {
        const vs = space.values[i]!
        const t = new Float64Array(vs.length)
        const want = (d as Record<string, TermValue | undefined>)[issue.id]
        if (want === undefined) return t
        for (let k = 0; k < vs.length; k++) {
          const v = vs[k]!
          const close =
            issue.kind !== "discrete" && typeof v === "number" && typeof want === "number"
              ? Math.max(
                  0,
                  1 - Math.abs(v - want) / (issue.max > issue.min ? issue.max - issue.min : 1),
                )
              : v === want
                ? 1
                : 0
          t[k] = close / stated
        }
        return t
      }),
    )
  }
  const size = space.size
  const product = new Float64Array(size)
  const sum = new Float64Array(size)
  const digits = new Int32Array(n)
  for (let index = 0; index < size; index++) {
    let prod = 1
    let total = 0
    for (const t of tables) {
      let u = 0
      for (let i = 0; i < n; i++) u += t[i]![digits[i]!]!
      prod *= u
      total += u
    }
    product[index] = prod
    sum[index] = total
    for (let i = n - 1; i >= 0; i--) {
      digits[i] = digits[i]! + 1
      if (digits[i]! < space.radix[i]!) break
      digits[i] = 0
    }
  }
  const order = new Uint32Array(size)
  for (let k = 0; k < size; k++) order[k] = k
  order.sort((a, b) => product[b]! - product[a]! || sum[b]! - sum[a]! || a - b)
  return order
}

const cachedRanking = (space: OutcomeSpace, demands: ReadonlyArray<Terms>): Uint32Array => {
  let bySpace = rankings.get(space)
  if (bySpace === undefined) {
    bySpace = new Map()
    rankings.set(space, bySpace)
  }
  const key = JSON.stringify(demands)
  let order = bySpace.get(key)
  if (order === undefined) {
    order = rankCompromises(space, demands)
    if (bySpace.size >= MAX_CACHED) {
      const oldest = bySpace.keys().next()
      if (oldest.done !== true) bySpace.delete(oldest.value)
    }
    bySpace.set(key, order)
  }
  return order
}

/** The cycling baseline (`method: "cycle"`). */
export const cyclingMediator = (spec: MediationOptions): Strategy => ({
  name: "mediator(cycle)",
  init: (view) => {
    const space = view.space
    const proposed = new Set<number>()
    let scanned = false
    let key = ""
    let order: Uint32Array | undefined
    let cursor = 0
    return {
      move: (turn) => {
        const state = turn.state
        if (!scanned) {
          scanned = true
          for (const offer of HashMap.values(state.offers)) {
            if (offer.by !== view.party || offer.status === "pending") continue
            const k = indexOf(space, offer.terms)
            if (k >= 0) proposed.add(k)
          }
        }
        const demands: Array<Terms> = []
        for (const party of state.parties)
          if (party.role === "principal" && party.present)
            demands.push(publicPosition(state, party.id))
        const next = JSON.stringify(demands)
        if (next !== key || order === undefined) {
          key = next
          order = cachedRanking(space, demands)
          cursor = 0
        }
        const ranked = order
        while (cursor < ranked.length && proposed.has(ranked[cursor]!)) cursor++
        if (cursor >= ranked.length) {
          if (spec.exhausted === "walk-out")
            return { type: "walk-out", reason: "no compromise left" }
          // Shuttle diplomacy: the parties' demands soften with time, so go round again from the best text.
          proposed.clear()
          cursor = 0
        }
        const index = ranked[cursor]!
        proposed.add(index)
        cursor++
        return { type: "offer", terms: termsOf(space, index) }
      },
    }
  },
})

/** `cycle`: the earlier cycling mediator, a baseline (see the file header). */
export const cycleMethod = mediationMethod({
  method: "cycle",
  note: "baseline",
  from: "parley's earlier mediator",
  does: "walks the compromises of the stated positions in a fixed order and starts over; kept only as a baseline",
  make: cyclingMediator,
})
