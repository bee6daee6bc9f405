/**
 * A tiny stand-in for the runner: private views built from preferences, a
 * fake public state, and a bilateral alternating-offers loop. Independent of
 * the real runner on purpose.
 */
import { Either, HashMap, Schema } from "effect"
import { type OutcomeSpace, outcomeSpace } from "../../../src/analysis/OutcomeSpace.ts"
import {
  acceptable,
  type PartyPreferences,
  Preferences,
  utility,
} from "../../../src/analysis/Preferences.ts"
import type { Instant, Role } from "../../../src/domain/Event.ts"
import type { OfferId, PartyId } from "../../../src/domain/Ids.ts"
import type { Issue, Terms } from "../../../src/domain/Issue.ts"
import {
  initialState,
  type Offer,
  type PartyState,
  type State,
} from "../../../src/domain/Negotiation.ts"
import { mulberry32 } from "../../../src/simulation/Random.ts"
import { normalisedTime } from "../../../src/simulation/Scores.ts"
import {
  type Move,
  type PartyView,
  partyView,
  type Strategy,
  type Turn,
} from "../../../src/simulation/Strategy.ts"
import {
  decodeStrategySpec,
  make,
  type StrategySpecEncoded,
} from "../../../src/simulation/strategies/index.ts"

/** Seeded PRNG in [0, 1) (mulberry32). */
export const rng = mulberry32

export const pid = (s: string) => s as PartyId
export const terms = (x: Record<string, string | number>) => x as unknown as Terms

export const issues = Schema.decodeUnknownSync(Schema.Array(Schema.Any))([
  { kind: "discrete", id: "color", options: ["red", "green", "blue"] },
  { kind: "integer", id: "qty", min: 0, max: 4 },
  { kind: "real", id: "price", min: 0, max: 100 },
]) as ReadonlyArray<Issue>

export const space: OutcomeSpace = Either.getOrThrow(outcomeSpace(issues))

export const buyer = Schema.decodeUnknownSync(Preferences)({
  weights: { color: 1, qty: 1, price: 2 },
  evaluations: {
    color: { kind: "options", scores: { red: 1, green: 0.5, blue: 0.2 } },
    qty: { kind: "monotone", best: "max" },
    price: { kind: "monotone", best: "min" },
  },
  reservation: 0.3,
})

export const seller = Schema.decodeUnknownSync(Preferences)({
  weights: { color: 1, qty: 1, price: 2 },
  evaluations: {
    color: { kind: "options", scores: { red: 0.2, green: 0.5, blue: 1 } },
    qty: { kind: "monotone", best: "min" },
    price: { kind: "monotone", best: "max" },
  },
  reservation: 0.3,
})

/** A private view of a party over a space. */
export const viewOf = (
  party: string,
  prefs: PartyPreferences | undefined,
  opts: {
    readonly seed?: number
    readonly others?: ReadonlyArray<{ party: string; role: Role }>
    readonly role?: Role
    readonly space?: OutcomeSpace
  } = {},
): PartyView => {
  const sp = opts.space ?? space
  const u = prefs === undefined ? () => 0 : utility(prefs, sp.issues)
  const ok = prefs === undefined ? () => true : acceptable(prefs, sp.issues)
  return partyView({
    party: pid(party),
    role: opts.role ?? "principal",
    issues: sp.issues,
    preferences: prefs,
    utility: u,
    acceptable: ok,
    space: sp,
    random: rng(opts.seed ?? 1),
    others: (opts.others ?? []).map((o) => ({ party: pid(o.party), role: o.role })),
  })
}

let offerCounter = 0
const T0 = "2025-01-01T00:00:00.000Z" as Instant

/** A pending official offer. */
export const offer = (by: string, to: string, t: Terms, round = 0): Offer => ({
  offerId: `o${++offerCounter}` as OfferId,
  by: pid(by),
  to: [pid(to)],
  terms: t,
  inReplyTo: undefined,
  provenance: { status: "official" },
  confirmed: true,
  confirmation: undefined,
  status: "pending",
  responses: [],
  ratifiedBy: [],
  complete: true,
  madeAt: T0,
  version: offerCounter,
  round,
})

/** A public state with these parties (and optionally these offers). */
export const stateWith = (
  parties: ReadonlyArray<PartyState> = [],
  offers: ReadonlyArray<Offer> = [],
): State => ({
  ...initialState,
  status: "open",
  parties,
  offers: HashMap.fromIterable(offers.map((o) => [o.offerId, o] as const)),
})

/** A turn at `round` of `rounds`. */
export const turnAt = (
  round: number,
  rounds: number,
  onTable?: Offer,
  state: State = stateWith(),
): Turn => ({
  state,
  round,
  rounds,
  time: normalisedTime(round, rounds),
  last: round >= rounds - 1,
  onTable,
  messages: [],
})

/** One move in a driven negotiation. */
export interface Step {
  readonly by: string
  readonly round: number
  readonly move: Move
  readonly onTable: Terms | undefined
}

/** How a driven bilateral negotiation ended. */
export interface Outcome {
  readonly steps: ReadonlyArray<Step>
  readonly agreement: Terms | undefined
  readonly rounds: number
}

/**
 * Bilateral alternating offers: `a` opens; each offer is answered by the
 * other (accept, or reject-and-counter); a plain reject hands the turn over
 * with nothing on the table; a walk-out or the deadline ends it.
 */
export const bilateral = (
  a: { readonly name: string; readonly strategy: Strategy; readonly view: PartyView },
  b: { readonly name: string; readonly strategy: Strategy; readonly view: PartyView },
  rounds: number,
): Outcome => {
  const players = [a.strategy.init(a.view), b.strategy.init(b.view)]
  const names = [a.name, b.name]
  const steps: Array<Step> = []
  let table: Offer | undefined
  for (let round = 0; round < rounds; round++) {
    const me = round % 2
    const move = players[me]!.move(turnAt(round, rounds, table))
    steps.push({ by: names[me]!, round, move, onTable: table?.terms })
    switch (move.type) {
      case "accept":
        if (table !== undefined) return { steps, agreement: table.terms, rounds: round + 1 }
        table = undefined
        break
      case "offer":
        table = offer(names[me]!, names[1 - me]!, move.terms, round)
        break
      case "reject":
        table = undefined
        break
      case "walk-out":
        return { steps, agreement: undefined, rounds: round + 1 }
    }
  }
  return { steps, agreement: undefined, rounds }
}

/** The strategy a spec (JSON-shaped, defaults omitted) describes; throws on a bad spec. */
export const strategy = (s: StrategySpecEncoded | object): Strategy =>
  make(Either.getOrThrow(decodeStrategySpec(s)))

/** The terms of an offer move (throws on any other move). */
export const offered = (m: Move): Terms => {
  if (m.type !== "offer") throw new Error(`expected an offer, got ${m.type}`)
  return m.terms
}
