/**
 * The tit-for-tat family: NegMAS's naive tit-for-tat (reciprocity in own
 * utility, kindness, initial concession: no deadlock with a cooperative
 * partner, never below the reservation value) and Faratin, Sierra &
 * Jennings' imitative tactics per issue (relative, random absolute and
 * averaged tit-for-tat: the exact next value, and mirroring on an ANAC domain).
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { outcomeSpace } from "../../../src/analysis/OutcomeSpace.ts"
import { Preferences } from "../../../src/analysis/Preferences.ts"
import type { Issue, Terms } from "../../../src/domain/Issue.ts"
import type { Move, Player, Strategy } from "../../../src/simulation/Strategy.ts"
import {
  ImitativeSpec,
  imitate,
  imitative,
  imitativeInfo,
  NaiveTitForTatSpec,
  naiveTitForTat,
  naiveTitForTatInfo,
  titForTatInfo,
} from "../../../src/simulation/strategies/TitForTat.ts"
import { importDomain, play, prepareDomain } from "../support/Play.ts"
import { offer, rng, seller, space, terms, turnAt, viewOf } from "./Driver.ts"

const naive = (s: object = {}): Strategy =>
  naiveTitForTat(Schema.decodeUnknownSync(NaiveTitForTatSpec)({ kind: "naive-tit-for-tat", ...s }))
const imitator = (s: object = {}): Strategy =>
  imitative(Schema.decodeUnknownSync(ImitativeSpec)({ kind: "imitative", ...s }))

// one real issue, 101 values: the seller's utility is price / 100
const priceIssues = Schema.decodeUnknownSync(Schema.Array(Schema.Any))([
  { kind: "real", id: "price", min: 0, max: 100 },
]) as ReadonlyArray<Issue>
const priceSpace = Either.getOrThrow(outcomeSpace(priceIssues, { realStep: 1 }))
const priceSeller = Schema.decodeUnknownSync(Preferences)({
  weights: { price: 1 },
  evaluations: { price: { kind: "monotone", best: "max" } },
  reservation: 0.2,
})
const termsOfMove = (m: Move): Record<string, string | number> => {
  if (m.type !== "offer") throw new Error(`expected an offer, got ${JSON.stringify(m)}`)
  return m.terms as Record<string, string | number>
}
const priceOf = (m: Move): number => termsOfMove(m).price as number

/** A seller player answering the buyer's successive terms (its first move opens). */
const answering = (player: Player) => {
  let round = 0
  return (buyer: Terms | undefined): Move => {
    const table = buyer === undefined ? undefined : offer("b", "s", buyer, round)
    const move = player.move(turnAt(round, 1000, table))
    round += 2
    return move
  }
}
const priceSellerPlaying = (strategy: Strategy, seed = 1) => {
  const view = viewOf("s", priceSeller, { space: priceSpace, seed })
  const answer = answering(strategy.init(view))
  return (price: number | undefined) => answer(price === undefined ? undefined : terms({ price }))
}

describe("specs", () => {
  it("decode with their defaults and describe themselves", () => {
    expect(Schema.decodeUnknownSync(NaiveTitForTatSpec)({ kind: "naive-tit-for-tat" })).toEqual({
      kind: "naive-tit-for-tat",
      kindness: 0.1,
      initialConcession: 0.05,
      alwaysConcede: true,
      step: true,
      tieBreak: "opponent",
      tolerance: 0.01,
    })
    expect(Schema.decodeUnknownSync(ImitativeSpec)({ kind: "imitative" })).toEqual({
      kind: "imitative",
      tactic: "relative",
      delta: 1,
      window: 2,
      noise: 0.05,
    })
    for (const info of [titForTatInfo, naiveTitForTatInfo, imitativeInfo])
      expect(info.reference).toMatch(/19\d\d|20\d\d/)
  })
})

describe("naive tit-for-tat, turn by turn", () => {
  it("opens with its best, concedes initially, then reciprocates (1 + kindness) times the opponent's concession", () => {
    // floor 0.2, best 1: the initial concession 0.05 of the range is 0.04
    const answer = priceSellerPlaying(naive({ kindness: 0.5, tolerance: 0, step: false }))
    expect(priceOf(answer(undefined))).toBe(100)
    expect(priceOf(answer(10))).toBe(96) // no concession measurable yet: 1 - 0.04
    expect(priceOf(answer(20))).toBe(81) // the buyer gave 0.1: 0.96 - 1.5 * 0.1
    expect(priceOf(answer(20))).toBe(81) // nothing given, nothing returned
    expect(priceOf(answer(15))).toBe(81) // a retraction is ignored (alwaysConcede)
    expect(priceOf(answer(25))).toBe(66) // 0.81 - 1.5 * 0.1 (from 15 to 25)
  })

  it("hardens after a retraction when alwaysConcede is off", () => {
    const answer = priceSellerPlaying(
      naive({ kindness: 0, tolerance: 0, step: false, alwaysConcede: false }),
    )
    answer(undefined)
    answer(10)
    expect(priceOf(answer(30))).toBe(76) // 0.96 - 0.2
    expect(priceOf(answer(20))).toBe(86) // the buyer retracted 0.1: so does it
  })

  it("with step, each new bid is at least one utility level below the previous one", () => {
    const answer = priceSellerPlaying(naive({ kindness: 0, tolerance: 0 }))
    expect(priceOf(answer(undefined))).toBe(100)
    expect(priceOf(answer(10))).toBe(96)
    expect(priceOf(answer(10))).toBe(95) // the buyer stood still: one level down anyway
    expect(priceOf(answer(10))).toBe(94)
  })

  it("accepts by AC_next and never offers below its reservation value", () => {
    const answer = priceSellerPlaying(naive({ kindness: 1, tolerance: 0, step: false }))
    answer(undefined)
    answer(0)
    expect(priceOf(answer(30))).toBe(36) // 0.96 - 2 * 0.3
    // 0.66: level 0.36 - 2 * 0.36 is below the floor 0.2, so it would bid 0.2; 0.66 beats that
    expect(answer(66).type).toBe("accept")
    // a concession that would take it below its floor: it bids its floor, 20
    const big = priceSellerPlaying(naive({ kindness: 3, tolerance: 0, step: false }))
    big(undefined)
    big(0)
    expect(priceOf(big(19.5))).toBe(20) // 0.96 - 4 * 0.195 = 0.18 < 0.2
    expect(priceOf(big(18))).toBe(20)
  })
})

describe("naive tit-for-tat in whole negotiations", () => {
  it("agrees with a Conceder on Laptop, either side opening, and with itself", async () => {
    const laptop = await importDomain("anac2011/Laptop")
    for (const pair of [
      [naive(), { kind: "conceder" }],
      [{ kind: "conceder" }, naive()],
      [naive(), naive()],
    ]) {
      const run = play(prepareDomain(laptop, pair, { rounds: 100 }), 1)
      expect(run.state.status).toBe("agreed")
    }
  })

  it("agrees on the 3-party Dinner (stacked alternating): with two Conceders and with itself", async () => {
    const dinner = await importDomain("anac2015/group2-dinner")
    for (const trio of [
      [naive(), { kind: "conceder" }, { kind: "conceder" }],
      [{ kind: "conceder" }, naive(), { kind: "conceder" }],
      [naive(), naive(), naive()],
    ]) {
      const run = play(prepareDomain(dinner, trio, { rounds: 100 }), 1)
      expect(run.state.status).toBe("agreed")
      expect(new Set(run.state.agreement!.acceptedBy).size).toBe(3)
    }
  })

  it("never offers below its reservation value, even against a hardliner", async () => {
    const laptop = await importDomain("anac2011/Laptop")
    const strict = {
      ...laptop,
      profiles: laptop.profiles.map((p) => ({
        ...p,
        preferences: { ...p.preferences, reservation: 0.8 },
      })),
    }
    const prepared = prepareDomain(strict, [naive(), { kind: "hardliner" }], {
      rounds: 60,
    })
    const me = prepared.parties[0]!
    const run = play(prepared, 2)
    const mine = (run.trace as ReadonlyArray<{ move?: string; party?: string; terms?: Terms }>)
      .filter((t) => t.move === "offered" && t.party === me.id)
      .map((t) => me.utility(t.terms!))
    expect(mine.length).toBeGreaterThan(20)
    expect(Math.min(...mine)).toBeGreaterThanOrEqual(0.8)
    // it stepped down to its floor: its lowest outcome worth at least 0.8 (0.815) ...
    expect(Math.min(...mine)).toBeLessThan(0.82)
    // ... and refused the hardliner's offer, worth 0.73 to it
    expect(run.state.agreement).toBeUndefined()
  })
})

describe("imitative tactics: the formula on a numeric issue", () => {
  it("relative tit-for-tat: x' = o[k-δ] / o[k-δ+1] * x, clamped to the issue's range", () => {
    const answer = priceSellerPlaying(imitator({ tactic: "relative" }))
    expect(priceOf(answer(undefined))).toBe(100)
    expect(priceOf(answer(10))).toBe(100) // one offer: nothing to imitate yet
    expect(priceOf(answer(20))).toBe(50) // 10 / 20 * 100
    expect(priceOf(answer(25))).toBe(40) // 20 / 25 * 50
    expect(priceOf(answer(5))).toBe(100) // 25 / 5 * 40 = 200, clamped to 100
  })

  it("relative tit-for-tat with δ = 2 imitates the step before the latest", () => {
    const answer = priceSellerPlaying(imitator({ tactic: "relative", delta: 2 }))
    answer(undefined)
    expect(priceOf(answer(1))).toBe(100)
    expect(priceOf(answer(2))).toBe(100) // two offers: not enough for δ = 2
    expect(priceOf(answer(4))).toBe(50) // o[k-2] / o[k-1] = 1 / 2
    expect(priceOf(answer(8))).toBe(25) // 2 / 4 * 50
  })

  it("averaged tit-for-tat: x' = o[k-γ] / o[k] * x; never below the reservation value", () => {
    const answer = priceSellerPlaying(imitator({ tactic: "averaged", window: 2 }))
    answer(undefined)
    expect(priceOf(answer(1))).toBe(100)
    expect(priceOf(answer(2))).toBe(100)
    expect(priceOf(answer(4))).toBe(25) // 1 / 4 * 100
    // 2 / 5 * 25 = 10: worth 0.1 < its reservation 0.2, so it repeats 25
    expect(priceOf(answer(5))).toBe(25)
    expect(priceOf(answer(5))).toBe(20) // 4 / 5 * 25
  })

  it("random absolute tit-for-tat: x' = x + (o[k-δ] - o[k-δ+1]) - R(M), R seeded", () => {
    const seed = 11
    const answer = priceSellerPlaying(imitator({ tactic: "random-absolute", noise: 0.1 }), seed)
    const draws = rng(seed)
    // the seller's evaluation increases with the price: s = 1, the noise is subtracted
    const r = () => draws() * 0.1 * 100
    answer(undefined)
    expect(priceOf(answer(10))).toBe(100)
    let x = 100 + (10 - 20) - r()
    expect(priceOf(answer(20))).toBe(Math.round(x))
    x = x + (20 - 35) - r()
    expect(priceOf(answer(35))).toBe(Math.round(x))
    // without noise, the opponent's step exactly
    const exact = priceSellerPlaying(imitator({ tactic: "random-absolute", noise: 0 }))
    exact(undefined)
    exact(10)
    expect(priceOf(exact(17))).toBe(93)
    expect(priceOf(exact(20))).toBe(90)
  })

  it("an undefined ratio keeps the previous value", () => {
    expect(imitate("relative", [10, 0], 40, { delta: 1, window: 2 }, () => 0)).toBeNaN()
    expect(imitate("averaged", [0, 5, 10], 40, { delta: 1, window: 2 }, () => 0)).toBe(0)
  })

  it("discrete issues follow its own evaluation order; integers are rounded", () => {
    // the Driver's seller: blue 1 > green 0.5 > red 0.2, so red = 1, green = 2, blue = 3;
    // qty best at 0, price best at 100
    const view = viewOf("s", seller, { space, seed: 1 })
    const answer = answering(imitator({ tactic: "relative" }).init(view))
    expect(termsOfMove(answer(undefined))).toEqual({ color: "blue", qty: 0, price: 100 })
    answer(terms({ color: "red", qty: 4, price: 10 }))
    // color: 1 / 2 * 3 = 1.5 -> green; qty: 4 / 3 * 0 = 0; price: 10 / 50 * 100 = 20
    expect(termsOfMove(answer(terms({ color: "green", qty: 3, price: 50 })))).toEqual({
      color: "green",
      qty: 0,
      price: 20,
    })
  })
})

describe("imitative tactics on ANAC Killer Robot (integer issues Guns 1-10, Height 1-50)", () => {
  it("mirrors the opponent's numeric values by the formula", async () => {
    const robot = await importDomain("anac2015/group9-killer_robot")
    const robotSpace = Either.getOrThrow(outcomeSpace(robot.issues))
    const view = viewOf("s", robot.profiles[0]!.preferences, {
      space: robotSpace,
      others: [{ party: "b", role: "principal" }],
    })
    const answer = answering(imitator({ tactic: "relative" }).init(view))
    const opening = termsOfMove(answer(undefined))
    // util1 likes few guns and a low robot
    expect([opening.Guns, opening.Height_m]).toEqual([1, 1])
    const theirs = (guns: number, height: number) =>
      terms({ ...opening, Guns: guns, Height_m: height })
    answer(theirs(10, 50))
    let g = (10 / 8) * 1 // 1.25 -> 1, kept unrounded
    let h = (50 / 20) * 1 // 2.5 -> 3 (half up)
    let mine = termsOfMove(answer(theirs(8, 20)))
    expect([mine.Guns, mine.Height_m]).toEqual([Math.round(g), Math.round(h)])
    g *= 8 / 5
    h *= 20 / 10
    mine = termsOfMove(answer(theirs(5, 10)))
    expect([mine.Guns, mine.Height_m]).toEqual([Math.round(g), Math.round(h)]) // 2, 5
    // discrete issues where the opponent stood still are kept
    for (const id of ["Torso", "Propulsion", "GunType", "Color"]) expect(mine[id]).toBe(opening[id])
  })

  for (const tactic of ["relative", "averaged", "random-absolute"] as const)
    it(`${tactic}: against a Conceder, every numeric move answers the opponent's in kind`, async () => {
      const robot = await importDomain("anac2015/group9-killer_robot")
      const prepared = prepareDomain(
        robot,
        [imitator({ tactic, noise: 0 }), { kind: "conceder" }],
        {
          rounds: 100,
          profiles: [0, 1],
        },
      )
      const run = play(prepared, 1)
      expect(run.state.status).toBe("agreed")
      const [me, them] = prepared.parties.map((p) => p.id)
      const offers = (run.trace as ReadonlyArray<{ move?: string; party?: string; terms?: Terms }>)
        .filter((t) => t.move === "offered")
        .map((t) => ({ party: t.party!, terms: t.terms as Record<string, number> }))
      const lag = tactic === "averaged" ? 2 : 1
      let moves = 0
      for (const id of ["Guns", "Height_m"]) {
        const received: Array<number> = []
        let previous: number | undefined
        for (const o of offers) {
          if (o.party === them) received.push(o.terms[id]!)
          else if (o.party === me) {
            const now = o.terms[id]!
            if (previous !== undefined && received.length > lag) {
              // the opponent's change it imitates: relative/absolute its latest step, averaged over γ
              const theirs = received.at(-1)! - received.at(-1 - lag)!
              expect((now - previous) * theirs).toBeLessThanOrEqual(0)
              if (now !== previous) moves++
            }
            previous = now
          }
        }
      }
      expect(moves).toBeGreaterThan(0)
    })
})
