/**
 * MiCRO (de Jonge, IJCAI 2022): its definition turn by turn — a new, lower
 * proposal only when the opponent has made at least as many distinct
 * proposals; otherwise a repetition of an earlier one; acceptance at the
 * lowest proposal made or about to be made; never below the reservation
 * value — and whole negotiations on ANAC domains.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { outcomeSpace } from "../../../src/analysis/OutcomeSpace.ts"
import { Preferences } from "../../../src/analysis/Preferences.ts"
import type { Issue, Terms } from "../../../src/domain/Issue.ts"
import type { Offer } from "../../../src/domain/Negotiation.ts"
import type { Move, Player } from "../../../src/simulation/Strategy.ts"
import { AC_MICRO, MicroSpec, micro, microInfo } from "../../../src/simulation/strategies/Micro.ts"
import { importDomain, play, prepareDomain } from "../support/Play.ts"
import { offer, stateWith, terms, turnAt, viewOf } from "./Driver.ts"

// one real issue, 101 values: the seller's utility is price / 100, so its
// ladder is 100, 99, 98, ... (one outcome per utility level)
const priceIssues = Schema.decodeUnknownSync(Schema.Array(Schema.Any))([
  { kind: "real", id: "price", min: 0, max: 100 },
]) as ReadonlyArray<Issue>
const priceSpace = Either.getOrThrow(outcomeSpace(priceIssues, { realStep: 1 }))
const seller = Schema.decodeUnknownSync(Preferences)({
  weights: { price: 1 },
  evaluations: { price: { kind: "monotone", best: "max" } },
  reservation: 0.2,
})
const priceOf = (m: Move): number => {
  if (m.type !== "offer") throw new Error(`expected an offer, got ${m.type}`)
  return (m.terms as Record<string, number>).price!
}

/** Drives a MiCRO seller against a buyer's prices, one seller turn per buyer offer. */
const driver = (seed = 1, others = [{ party: "b", role: "principal" as const }]) => {
  const view = viewOf("s", seller, { space: priceSpace, seed, others })
  const player: Player = micro({ kind: "micro" }).init(view)
  let round = 0
  const offers: Array<Offer> = []
  return {
    view,
    /** The seller's move after the buyer (or `by`) offers `price` (nothing on the table when undefined). */
    answer: (price: number | undefined, by = "b"): Move => {
      let table: Offer | undefined
      if (price !== undefined) {
        table = offer(by, "s", terms({ price }), round)
        offers.push(table)
      }
      const move = player.move(turnAt(round, 1000, table, stateWith([], offers)))
      round += 2
      return move
    },
  }
}

describe("MiCRO spec", () => {
  it("decodes { kind: micro } and describes itself", () => {
    expect(Schema.decodeUnknownSync(MicroSpec)({ kind: "micro" })).toEqual({ kind: "micro" })
    expect(microInfo.kind).toBe("micro")
    expect(microInfo.reference).toContain("IJCAI 2022")
  })
})

describe("MiCRO turn by turn", () => {
  it("proposes a new, lower outcome only when the opponent has made as many distinct proposals", () => {
    const d = driver()
    expect(priceOf(d.answer(undefined))).toBe(100) // m = 0 <= n = 0: its best
    expect(priceOf(d.answer(10))).toBe(99) // n = 1, m = 1: concedes
    // the buyer repeats itself: n stays 1 < m = 2, so MiCRO repeats one of 100, 99
    for (let k = 0; k < 5; k++) expect([100, 99]).toContain(priceOf(d.answer(10)))
    expect(priceOf(d.answer(20))).toBe(98) // n = 2 = m: concedes
    expect(priceOf(d.answer(30))).toBe(97) // n = 3 = m
    // going back to an earlier offer is not a new proposal
    for (let k = 0; k < 5; k++) expect([100, 99, 98, 97]).toContain(priceOf(d.answer(20)))
    expect(priceOf(d.answer(31))).toBe(96)
  })

  it("repeats its earlier proposals at random (seeded), each of them in time", () => {
    const repeats = (seed: number) => {
      const d = driver(seed)
      d.answer(undefined)
      for (const p of [1, 2, 3, 4]) d.answer(p) // proposals 99 .. 96
      return Array.from({ length: 60 }, () => priceOf(d.answer(4)))
    }
    const a = repeats(7)
    expect(new Set(a)).toEqual(new Set([100, 99, 98, 97, 96]))
    expect(repeats(7)).toEqual(a) // the seed fixes the draws
    expect(repeats(8)).not.toEqual(a)
  })

  it("accepts at the lowest proposal it has made or would make next", () => {
    // ready to concede (the 97 is a new distinct proposal: n = 3 = m): threshold u(w4) = 0.97
    const ready = driver()
    ready.answer(undefined)
    expect(priceOf(ready.answer(10))).toBe(99)
    expect(priceOf(ready.answer(20))).toBe(98)
    expect(ready.answer(97)).toEqual({ type: "accept", rule: AC_MICRO })

    // not ready (the 97 is a repetition: n = 2 < m = 3): threshold u(w3) = 0.98
    const waiting = driver()
    waiting.answer(undefined)
    expect(priceOf(waiting.answer(97))).toBe(99) // 0.97 < u(w2) = 0.99
    expect(priceOf(waiting.answer(10))).toBe(98)
    expect(waiting.answer(97).type).toBe("offer") // 0.97 < 0.98: rejected, a repetition
    expect(priceOf(waiting.answer(96))).toBe(97) // new (n = 3): 0.96 < u(w4) = 0.97
    // repeated 97 with m = 4 > n = 3: its lowest proposal 97 is met
    expect(waiting.answer(97)).toEqual({ type: "accept", rule: AC_MICRO })
  })

  it("never proposes below its reservation value, then only repeats", () => {
    const d = driver()
    const bids = [priceOf(d.answer(undefined))]
    for (let p = 0; p < 120; p++) {
      const m = d.answer(p / 10) // always new, always worth < 0.2 to the seller
      bids.push(priceOf(m))
    }
    expect(Math.min(...bids)).toBe(20) // u = 0.2, its reservation value
    expect(bids.slice(0, 81)).toEqual(Array.from({ length: 81 }, (_, k) => 100 - k))
    for (const b of bids.slice(81)) expect(b).toBeGreaterThanOrEqual(20)
  })

  it("multilateral: concedes only when EVERY opponent has made as many distinct proposals", () => {
    const d = driver(1, [
      { party: "b", role: "principal" },
      { party: "c", role: "principal" },
    ])
    expect(priceOf(d.answer(undefined))).toBe(100)
    // b proposes twice, c never: n = min(2, 0) = 0 < m = 1
    expect(priceOf(d.answer(10, "b"))).toBe(100)
    expect(priceOf(d.answer(11, "b"))).toBe(100)
    // c proposes once: n = min(2, 1) = 1 = m
    expect(priceOf(d.answer(12, "c"))).toBe(99)
    expect([100, 99]).toContain(priceOf(d.answer(13, "b"))) // n = min(3, 1) = 1 < 2
    expect(priceOf(d.answer(14, "c"))).toBe(98) // n = min(3, 2) = 2 = m
  })

  it("walks out when no outcome meets its reservation value", () => {
    // at best 0.5, below its reservation value 0.6
    const poor = Schema.decodeUnknownSync(Preferences)({
      weights: { price: 1 },
      evaluations: { price: { kind: "linear", atLow: 0, atHigh: 0.5 } },
      reservation: 0.6,
    })
    const player = micro({ kind: "micro" }).init(viewOf("s", poor, { space: priceSpace }))
    expect(player.move(turnAt(0, 10)).type).toBe("walk-out")
  })
})

/** The offers of a run's trace, in order: who made them and the terms. */
const offersOf = (trace: ReadonlyArray<unknown>) =>
  (trace as ReadonlyArray<{ move?: string; party?: string; terms?: Terms }>)
    .filter((t) => t.move === "offered")
    .map((t) => ({ party: t.party!, terms: t.terms! }))

describe("MiCRO in whole negotiations", () => {
  for (const domain of ["anac2011/Laptop", "anac2010/ItexvsCypress", "anac2010/EnglandZimbabwe"])
    it(`agrees in self-play on ${domain}, conceding no faster than its opponent`, async () => {
      const imported = await importDomain(domain)
      const m = micro({ kind: "micro" })
      const prepared = prepareDomain(imported, [m, m], { rounds: 100 })
      const run = play(prepared, 3)
      expect(run.state.status).toBe("agreed")
      const key = (t: Terms) => JSON.stringify(t)
      const made = new Map<string, Set<string>>()
      const lowest = new Map<string, number>()
      for (const { party, terms: t } of offersOf(run.trace)) {
        const mine = made.get(party) ?? new Set()
        made.set(party, mine)
        const theirs = [...made].filter(([p]) => p !== party).map(([, s]) => s.size)
        const n = theirs.length === 0 ? 0 : Math.min(...theirs)
        const u = prepared.parties.find((p) => p.id === party)!.utility(t)
        if (!mine.has(key(t))) {
          // a new proposal: only when n >= m, and never above an earlier one
          expect(mine.size).toBeLessThanOrEqual(n)
          expect(u).toBeLessThanOrEqual((lowest.get(party) ?? 1) + 1e-12)
          lowest.set(party, u)
          mine.add(key(t))
        }
      }
      const agreed = run.state.agreement!.terms
      for (const p of prepared.parties) expect(p.utility(agreed)).toBeGreaterThan(0.5)
    })
})
