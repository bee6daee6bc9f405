/**
 * The `mediator` strategy: a learning single-text mediator by `method`
 * (`mediation/Mediators.ts`), or the cycling baseline this file implements.
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
import { HashMap, Schema } from "effect"
import { indexOf, type OutcomeSpace } from "../../analysis/OutcomeSpace.ts"
import type { PartyId } from "../../domain/Ids.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import type { Offer, State } from "../../domain/Negotiation.ts"
import { learningMediator } from "../mediation/Mediators.ts"
import type { Strategy } from "../Strategy.ts"
import { strategyEntry } from "./Entry.ts"
import { termsOf } from "./Ladder.ts"
import { described } from "./Parameters.ts"

/**
 * Mediator (single text), by `method` (see `mediation/Mediators.ts`):
 * `raiffa` (the default: Raiffa's single negotiating text, revised from both
 * sides' criticism), `veto`, `hill-climbing`, `feedback`, or `cycle` (the
 * earlier cycling mediator, a baseline). `bias` weighs the mediator's own
 * preferences against the compromise.
 */
export const MediatorSpec = Schema.Struct({
  kind: Schema.Literal("mediator"),
  /** How it mediates (default `raiffa`, resolved when the strategy is made). */
  method: Schema.optionalWith(
    described(
      Schema.Literal("veto", "hill-climbing", "feedback", "raiffa", "cycle"),
      "veto | hill-climbing | feedback | raiffa (default) | cycle (baseline)",
    ),
    { exact: true },
  ),
  /** Weight of its own utility against the compromise (default 0: none). */
  bias: Schema.optionalWith(
    described(
      Schema.Number.pipe(Schema.between(0, 1)),
      "weight in [0, 1] of its own preferences against the compromise (default 0)",
    ),
    { exact: true },
  ),
  /** Its first text relays these terms (an offer made to it: `of` names it in the event's metadata). */
  relay: Schema.optionalWith(
    described(
      Schema.Struct({
        terms: Schema.Record({
          key: Schema.String,
          value: Schema.Union(Schema.String, Schema.Number),
        }),
        of: Schema.optional(Schema.String),
      }),
      "its first text: { terms, of? } (terms it was given to relay, and the offer they come from)",
    ),
    { exact: true },
  ),
  /** `cycle` only: when every text was tried, start over from the best (default) or walk out. */
  exhausted: Schema.optionalWith(
    described(Schema.Literal("start-over", "walk-out"), "cycle only: when every text was tried"),
    { default: () => "start-over" as const },
  ),
})
export type MediatorSpec = typeof MediatorSpec.Type

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

/**
 * A principal's public position: its stated demands, or else the terms of
 * the latest offer it made (reported offers included: they are public too).
 */
export const publicPosition = (state: State, party: PartyId): Terms => {
  const stated = state.parties.find((p) => p.id === party)?.position
  if (stated !== undefined) return stated.demands
  let latest: Offer | undefined
  for (const offer of HashMap.values(state.offers))
    if (offer.by === party && (latest === undefined || offer.version > latest.version))
      latest = offer
  return latest?.terms ?? ({} as Terms)
}

/**
 * The method a mediator spec asks for when it names none: Raiffa's single
 * negotiating text. It is the procedure mediators of international talks
 * used (Camp David), it learns from both sides' criticism every round, and
 * unlike the veto-based methods it can trade one side's gain against the
 * other's, where a veto mediator stops at the first text some party would
 * lose by leaving.
 */
export const DEFAULT_METHOD = "raiffa" as const

/** The mediator strategy (for a mediator party in the single-text protocol). */
export const mediator = (
  spec: MediatorSpec = { kind: "mediator", exhausted: "start-over" },
): Strategy => {
  const method = spec.method ?? DEFAULT_METHOD
  const strategy =
    method === "cycle" ? cyclingMediator(spec) : learningMediator({ method, bias: spec.bias ?? 0 })
  return spec.relay === undefined ? strategy : relaying(strategy, spec.relay)
}

/**
 * A mediator whose first text relays terms it was given (an offer made to it,
 * as in shuttle diplomacy); then its method takes over, reading the relayed
 * text and the answers to it from the public record like any other text.
 */
const relaying = (method: Strategy, relay: NonNullable<MediatorSpec["relay"]>): Strategy => ({
  ...method,
  init: (view) => {
    const player = method.init(view)
    let relayed = false
    return {
      ...player,
      move: (turn) => {
        if (relayed) return player.move(turn)
        relayed = true
        return {
          type: "offer",
          terms: relay.terms as Terms,
          ...(relay.of === undefined ? {} : { metadata: { relayed: relay.of } }),
        }
      },
    }
  },
})

/** The cycling baseline (`method: "cycle"`). */
export const cyclingMediator = (spec: MediatorSpec): Strategy => ({
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

/** Its registration (see `Registry.ts`). */
export const mediatorEntry = strategyEntry({
  specs: [MediatorSpec],
  make: mediator,
  about: [
    {
      kind: "mediator",
      summary:
        "Single-text mediator that learns from every answer: method raiffa (default; revises one text from both sides' criticism), veto, hill-climbing, feedback, or cycle (the earlier cycling baseline)",
      reference:
        "Raiffa, The Art and Science of Negotiation, Harvard UP 1982 (single negotiating text); Klein, Faratin, Sayama & Bar-Yam, Negotiating complex contracts, Group Decision and Negotiation 12(2), 2003 (hill-climbing); NegMAS VetoSTMechanism / HillClimbingSTMechanism; Aydoğan, Hindriks & Jonker, Multilateral mediated negotiation protocols with feedback, 2014 (GENIUS MediatorFeedbackBasedProtocol)",
    },
  ],
})
