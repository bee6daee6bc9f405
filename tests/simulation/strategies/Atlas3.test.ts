/**
 * Atlas3 (Mori & Ito, ANAC 2015 winner): its lower limit of concession from
 * the firm/concede game, a threshold that follows it (and reaches it earlier
 * under a stronger discount), its end game over the others' popular bids, and
 * whole negotiations on real ANAC domains, bilateral and multilateral.
 */
import { Either, Schema } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import type { Imported } from "../../../src/analysis/Import.ts"
import { type OutcomeSpace, outcomeSpace } from "../../../src/analysis/OutcomeSpace.ts"
import type { PartyPreferences } from "../../../src/analysis/Preferences.ts"
import type { Terms } from "../../../src/domain/Issue.ts"
import type { Offer } from "../../../src/domain/Negotiation.ts"
import type { Move, PartyView, Strategy } from "../../../src/simulation/Strategy.ts"
import {
  ATLAS3_END_GAME,
  ATLAS3_THRESHOLD,
  type Atlas3Probe,
  Atlas3Spec,
  atlas3,
  atlas3Info,
  atlas3Threshold,
  expectedConcession,
  firmProbability,
  gameMatrix,
} from "../../../src/simulation/strategies/Atlas3.ts"
import { ladderOf, termsOf } from "../../../src/simulation/strategies/Ladder.ts"
import { importDomain, play, prepareDomain } from "../support/Play.ts"
import { offer, pid, stateWith, turnAt, viewOf } from "./Driver.ts"

const spec = Schema.decodeUnknownSync(Atlas3Spec)({ kind: "atlas3" })

const domains = new Map<string, Imported>()
const DIRS = [
  "anac2011/Laptop",
  "anac2011/Camera",
  "anac2015/group2-dinner",
  "anac2015/group2-politics",
  "anac2015/group9-killer_robot",
  "anac2015/group9-vacation",
]
beforeAll(async () => {
  for (const d of DIRS) domains.set(d, await importDomain(d))
})
const domain = (d: string): Imported => domains.get(d)!

/** A private view of profile `k` of a domain, facing `others`. */
const profileView = (
  imported: Imported,
  k: number,
  others: ReadonlyArray<string>,
  patch: Partial<PartyPreferences> = {},
): { view: PartyView; space: OutcomeSpace } => {
  const space = Either.getOrThrow(outcomeSpace(imported.issues))
  const prefs = { ...imported.profiles[k]!.preferences, ...patch } as PartyPreferences
  const view = viewOf("me", prefs, {
    space,
    others: others.map((party) => ({ party, role: "principal" as const })),
  })
  return { view, space }
}

/** One of its own outcomes whose utility is closest to `u`, skipping `used` ones. */
const outcomeNear = (view: PartyView, u: number, used = new Set<number>()): Terms => {
  const ladder = ladderOf(view)
  let best = -1
  for (let k = 0; k < ladder.length; k++) {
    if (used.has(ladder.order[k]!)) continue
    if (best < 0 || Math.abs(ladder.utilities[k]! - u) < Math.abs(ladder.utilities[best]! - u))
      best = k
  }
  used.add(ladder.order[best]!)
  return termsOf(ladder.space, ladder.order[best]!)
}

/**
 * Drives an Atlas3 player bilaterally: in each round the opponent `opp` has
 * just offered `history[round]`; returns its moves and its probe after each.
 */
const drive = (
  view: PartyView,
  history: ReadonlyArray<Terms>,
  rounds: number,
  strategySpec = spec,
): { moves: Array<Move>; probes: Array<Atlas3Probe> } => {
  const probes: Array<Atlas3Probe> = []
  const player = atlas3(strategySpec, (p) => probes.push(p)).init(view)
  const moves: Array<Move> = []
  const offers: Array<Offer> = []
  for (let r = 0; r < history.length; r++) {
    const o = offer("opp", "me", history[r]!, r)
    offers.push(o)
    const move = player.move(turnAt(r, rounds, o, stateWith([], offers)))
    moves.push(move)
    if (move.type === "accept") break
  }
  return { moves, probes }
}

describe("Atlas3: lower limit of concession (the firm/concede game)", () => {
  it("the others' stable mix and the expected utility of conceding follow the paper's matrix", () => {
    // No discount, no reservation value, best offer C = 0.5:
    // A11 = 0, A12 = 1, A21 = 0.5, A22 = 0.75; q = 1 / (1 - (0 - 0.5) / 0.25) = 1/3.
    const m = gameMatrix({ c: 0.5, reservation: 0, umax: 1, delta: 1, pf: 0.5, tf: 1 })
    expect(m).toEqual({ a11: 0, a12: 1, a21: 0.5, a22: 0.75 })
    expect(firmProbability(m)).toBeCloseTo(1 / 3, 12)
    // E = q·A21 + (1 − q)·A22 = 1/6 + 1/2.
    expect(expectedConcession(m)).toBeCloseTo(2 / 3, 12)
    // It is indifferent between its rows against that mix (the ESS condition).
    const q = firmProbability(m)
    expect(q * m.a11 + (1 - q) * m.a12).toBeCloseTo(q * m.a21 + (1 - q) * m.a22, 12)
  })

  it("rises with the best bid the others support, never falls below the discounted reservation value", () => {
    const e = (c: number, reservation = 0, delta = 1) =>
      expectedConcession(gameMatrix({ c, reservation, umax: 1, delta, pf: 0.5, tf: 1 }))
    const lows = [0.1, 0.3, 0.5, 0.7, 0.9].map((c) => e(c))
    for (let k = 1; k < lows.length; k++) expect(lows[k]!).toBeGreaterThan(lows[k - 1]!)
    // The best offer is worse than its reservation value: it concedes to no less than rv·δ.
    expect(e(0.2, 0.4, 0.8)).toBeCloseTo(0.4 * 0.8, 12)
    expect(e(0.6, 0.4, 0.8)).toBeGreaterThan(0.4 * 0.8)
  })

  it("the threshold falls linearly to the lower limit without discount, and reaches it at t ≈ δ(1 − L) with one", () => {
    const x = (time: number, delta: number) => ({
      time,
      delta,
      discountNow: delta ** time,
      expected: 0.5 * delta,
      umax: 1,
    })
    expect(atlas3Threshold(x(0, 1))).toBe(1)
    expect(atlas3Threshold(x(0.5, 1))).toBeCloseTo(0.75, 12)
    expect(atlas3Threshold(x(1, 1))).toBeCloseTo(0.5, 12)
    // With δ = 0.5 the line 1 − t/δ crosses the (rising) lower limit E/δ^t well before the deadline.
    const reached = (delta: number) => {
      for (let k = 0; k <= 1000; k++) {
        const t = k / 1000
        const at = x(t, delta)
        if (atlas3Threshold(at) <= at.expected / at.discountNow + 1e-12) return t
      }
      return 1
    }
    expect(reached(0.5)).toBeLessThan(reached(0.9))
    expect(reached(0.9)).toBeLessThan(1)
    expect(reached(1)).toBe(1)
  })
})

describe("Atlas3 turn by turn on real ANAC profiles", () => {
  it("its threshold follows the lower limit it estimates from the opponent's bids", () => {
    const dinner = domain("anac2015/group2-dinner")
    const rounds = 100
    const history = (kind: "tough" | "conceding") => {
      const { view } = profileView(dinner, 0, ["opp"])
      const used = new Set<number>()
      // Tough: the opponent keeps offering about 0.3 to it; conceding: from 0.3 up to 0.8 by round 80.
      return Array.from({ length: 81 }, (_, r) =>
        outcomeNear(view, kind === "tough" ? 0.3 : 0.3 + (0.5 * r) / 80, used),
      )
    }
    const run = (kind: "tough" | "conceding") => {
      const { view } = profileView(dinner, 0, ["opp"])
      const h = history(kind)
      const { moves, probes } = drive(view, h, rounds)
      return { moves, probes, view, best: Math.max(...h.map((t) => view.utility(t))) }
    }
    const tough = run("tough")
    const conceding = run("conceding")
    for (const r of [tough, conceding]) {
      // C is the best utility the opponent offered; the threshold is the paper's function of it.
      const last = r.probes.at(-1)!
      expect(last.c).toBeCloseTo(r.best, 12)
      const e = expectedConcession(
        gameMatrix({ c: r.best, reservation: 0, umax: 1, delta: 1, pf: 0.5, tf: 1 }),
      )
      expect(last.expected).toBeCloseTo(e, 12)
      expect(last.threshold).toBeCloseTo(e + (1 - e) * (1 - 80 / 99), 12)
      // It bids at or above its threshold, and accepts nothing below it.
      r.moves.forEach((m, k) => {
        expect(m.type).toBe("offer")
        if (m.type === "offer")
          expect(r.view.utility(m.terms)).toBeGreaterThanOrEqual(r.probes[k]!.threshold - 1e-12)
      })
    }
    // The paper's compromising direction: the more the opponent has conceded to it, the higher the
    // lower limit it expects at equilibrium, so the higher its threshold late in the session.
    const lt = tough.probes.at(-1)!
    const lc = conceding.probes.at(-1)!
    console.log(
      `Dinner, t = 0.81: tough history C = ${lt.c.toFixed(3)}, lower limit ${lt.lowerLimit.toFixed(3)}, threshold ${lt.threshold.toFixed(3)}; conceding history C = ${lc.c.toFixed(3)}, lower limit ${lc.lowerLimit.toFixed(3)}, threshold ${lc.threshold.toFixed(3)}`,
    )
    expect(lc.lowerLimit).toBeGreaterThan(lt.lowerLimit + 0.2)
    expect(lc.threshold).toBeGreaterThan(lt.threshold + 0.1)
    // Early on both start from its best utility: the history matters through the lower limit.
    expect(tough.probes[0]!.threshold).toBeCloseTo(1, 12)
    expect(conceding.probes[0]!.threshold).toBeCloseTo(1, 12)
  })

  it("a smaller discount factor makes it reach its lower limit earlier", () => {
    const camera = domain("anac2011/Camera")
    const rounds = 100
    const reachedAt = (discount: number) => {
      const { view } = profileView(camera, 0, ["opp"], { discount })
      const used = new Set<number>()
      const h = Array.from({ length: 99 }, () => outcomeNear(view, 0.1, used))
      const { probes } = drive(view, h, rounds, { ...spec, endGameShare: 0 })
      const k = probes.findIndex((p) => p.threshold <= p.lowerLimit + 1e-12)
      // Below its lower limit throughout, the opponent's offer is never accepted.
      expect(probes).toHaveLength(99)
      // Not before round 98: it reaches it at the deadline (t = 1), the end of its linear concession.
      return { round: k < 0 ? rounds - 1 : k, probes }
    }
    const strong = reachedAt(0.5)
    const mild = reachedAt(0.9)
    const none = reachedAt(1)
    console.log(
      `Camera, opponent at 0.1: lower limit reached in round ${strong.round} (δ = 0.5), ${mild.round} (δ = 0.9), ${none.round} (δ = 1)`,
    )
    expect(strong.round).toBeGreaterThan(0)
    expect(strong.round).toBeLessThan(mild.round)
    expect(mild.round).toBeLessThan(none.round)
    expect(none.round).toBe(rounds - 1)
    // Discounted to now, its lower limit is the same expected utility E throughout (L(t)·δ^t = E).
    const p = strong.probes[60]!
    expect(p.lowerLimit * 0.5 ** (60 / 99)).toBeCloseTo(p.expected, 12)
  })

  it("moves its bids toward the opponent's most frequent values wherever that costs it nothing", () => {
    const dinner = domain("anac2015/group2-dinner")
    const { view } = profileView(dinner, 0, ["opp"])
    const theirs = outcomeNear(view, 0.3)
    const { moves } = drive(
      view,
      Array.from({ length: 60 }, () => theirs),
      100,
    )
    const ids = dinner.issues.map((i) => i.id as string)
    const record = (t: Terms) => t as unknown as Record<string, string | number>
    let adopted = 0
    for (const m of moves) {
      if (m.type !== "offer") continue
      for (const id of ids) {
        if (record(m.terms)[id] === record(theirs)[id]) {
          adopted++
          continue
        }
        // Where it kept its own value, the opponent's would have cost it utility.
        const swapped = { ...record(m.terms), [id]: record(theirs)[id]! } as unknown as Terms
        expect(view.utility(swapped)).toBeLessThan(view.utility(m.terms))
      }
    }
    expect(adopted).toBeGreaterThan(0)
  })

  it("reservation value: it walks out once its discounted reservation value meets its threshold, and never accepts below it", () => {
    const camera = domain("anac2011/Camera")
    const rounds = 100
    const patch = { discount: 0.5, reservation: 0.6 }
    const { view } = profileView(camera, 0, ["opp"], patch)
    const used = new Set<number>()
    const h = Array.from({ length: rounds }, () => outcomeNear(view, 0.1, used))
    const { moves, probes } = drive(view, h, rounds)
    // C = 0.1 is below its reservation value: E = A21 = rv·δ = 0.3, L(t) = 0.3 / 0.5^t.
    expect(probes[0]!.expected).toBeCloseTo(0.3, 12)
    const out = moves.findIndex((m) => m.type === "walk-out")
    expect(out).toBeGreaterThan(0)
    const t = out / (rounds - 1)
    expect(0.6 * 0.5 ** t).toBeGreaterThanOrEqual(probes[out]!.threshold)
    const before = (out - 1) / (rounds - 1)
    expect(0.6 * 0.5 ** before).toBeLessThan(probes[out - 1]!.threshold)
    console.log(`Camera, rv 0.6, δ 0.5, opponent at 0.1: walks out at t = ${t.toFixed(3)}`)
    // Without walking out it holds on to the deadline and accepts nothing below its reservation value.
    const stay = drive(view, h, rounds, { ...spec, walkOut: false })
    expect(stay.moves).toHaveLength(rounds)
    expect(stay.moves.every((m) => m.type === "offer")).toBe(true)
    for (const m of stay.moves)
      if (m.type === "offer") expect(view.utility(m.terms)).toBeGreaterThanOrEqual(0.6)
  })

  it("end game: near the deadline it proposes the opponent's best bids, best first, then accepts", () => {
    const camera = domain("anac2011/Camera")
    const { view } = profileView(camera, 0, ["opp"], { discount: 1 })
    const rounds = 60
    const used = new Set<number>()
    // 50 distinct opponent bids worth 0.3..0.6 to it (shuffled), then a poor one repeated.
    const early = Array.from({ length: 50 }, (_, k) =>
      outcomeNear(view, 0.3 + (0.3 * ((k * 37) % 50)) / 49, used),
    )
    const poor = outcomeNear(view, 0.2, used)
    const history = [...early, ...Array.from({ length: 10 }, () => poor)]
    const { moves, probes } = drive(view, history, rounds)
    const best = [...early].sort((a, b) => view.utility(b) - view.utility(a))
    // Its window: min(candidates + 1, 10% of 60 rounds) = 6 turns: rounds 54..59.
    const endRounds = probes.flatMap((p, r) => (p.endGame ? [r] : []))
    expect(endRounds).toEqual([54, 55, 56, 57, 58, 59])
    // Before that, its bids are its own (above its threshold, better for it than any opponent bid).
    for (let r = 0; r < 54; r++) {
      const m = moves[r]!
      expect(m.type).toBe("offer")
      if (m.type === "offer") expect(view.utility(m.terms)).toBeGreaterThan(view.utility(best[0]!))
    }
    // Rounds 54..58: the opponent's five best bids, best first.
    for (let k = 0; k < 5; k++) {
      const m = moves[54 + k]!
      expect(m).toEqual({ type: "offer", terms: best[k] })
    }
    // Its last turn: it takes the offer on the table rather than risk no agreement.
    expect(moves[59]).toEqual({ type: "accept", rule: ATLAS3_END_GAME })
  })

  it("multilateral: only bids every other party supports enter its candidate list and its estimate", () => {
    const dinner = domain("anac2015/group2-dinner")
    const { view } = profileView(dinner, 0, ["a", "b"])
    const rounds = 40
    const used = new Set<number>()
    const supported = outcomeNear(view, 0.55, used)
    const unsupported = outcomeNear(view, 0.7, used)
    const poor = outcomeNear(view, 0.2, used)
    const probes: Array<Atlas3Probe> = []
    const player = atlas3(spec, (p) => probes.push(p)).init(view)
    const by = (maker: string, t: Terms, round: number, acceptedBy?: string): Offer => {
      const o = offer(maker, "me", t, round)
      return {
        ...o,
        to: [pid("me"), pid(maker === "a" ? "b" : "a")],
        responses:
          acceptedBy === undefined
            ? []
            : [
                {
                  by: pid(acceptedBy),
                  answer: "accepted",
                  provenance: { status: "official" },
                  version: o.version,
                },
              ],
      }
    }
    const offers: Array<Offer> = []
    const moves: Array<Move> = []
    for (let r = 0; r < rounds; r++) {
      // Round 5: a offers `supported` and b accepts it; round 6: b offers `unsupported`, nobody else agrees.
      const o =
        r === 5
          ? by("a", supported, r, "b")
          : r === 6
            ? by("b", unsupported, r)
            : by(r % 2 === 0 ? "a" : "b", poor, r)
      offers.push(o)
      moves.push(player.move(turnAt(r, rounds, o, stateWith([], offers))))
    }
    const last = probes.at(-1)!
    // MPBU: the best popular bid, not the better bid only its maker wants.
    expect(last.c).toBeCloseTo(view.utility(supported), 12)
    expect(last.candidates).toEqual([view.utility(supported)])
    // Its end game proposes the popular bid (window min(1 + 1, 4) = 2 turns: rounds 38 and 39).
    expect(probes.map((p) => p.endGame).lastIndexOf(false)).toBe(37)
    expect(moves[38]).toEqual({ type: "offer", terms: supported })
    expect(moves.some((m) => m.type === "offer" && m.terms === unsupported)).toBe(false)
  })
})

/** Plays `strategies` on a domain's chosen profiles; returns each seat's advantage. */
const advantages = (
  d: string,
  strategies: ReadonlyArray<Strategy | object>,
  seed: number,
  profiles?: ReadonlyArray<number>,
) => {
  const imported = domain(d)
  const r = play(
    prepareDomain(imported, strategies, profiles === undefined ? {} : { profiles }),
    seed,
  )
  const chosen = profiles ?? imported.profiles.map((_, k) => k)
  return {
    result: r,
    seats: chosen.map((k) => r.scores.parties[imported.profiles[k]!.party]!.advantage),
    ids: chosen.map((k) => imported.profiles[k]!.party),
  }
}

describe("Atlas3 in whole negotiations on ANAC domains", () => {
  it("reaches agreements with conceders, bilateral and multilateral, and in self-play on Dinner", () => {
    const cases: Array<[string, ReadonlyArray<number> | undefined]> = [
      ["anac2011/Laptop", undefined],
      ["anac2011/Camera", undefined],
      ["anac2015/group2-dinner", undefined],
      ["anac2015/group2-politics", [0, 1, 2]],
      ["anac2015/group9-killer_robot", [0, 1, 2]],
      ["anac2015/group9-vacation", [0, 1, 2]],
    ]
    for (const [d, profiles] of cases) {
      const n = profiles?.length ?? domain(d).profiles.length
      const { result, seats } = advantages(
        d,
        [atlas3(spec), ...Array.from({ length: n - 1 }, () => ({ kind: "conceder" }))],
        1,
        profiles,
      )
      expect(result.state.status, d).toBe("agreed")
      expect(seats[0]!, d).toBeGreaterThan(0)
    }
    const self = advantages("anac2015/group2-dinner", [atlas3(spec), atlas3(spec), atlas3(spec)], 1)
    expect(self.result.state.status).toBe("agreed")
    for (const a of self.seats) expect(a).toBeGreaterThan(0)
    // Its accepts name their rule.
    const accepts = self.result.trace.filter((e) => e.move === "accepted")
    expect(accepts.length).toBeGreaterThan(0)
    for (const e of accepts)
      expect([`by ${ATLAS3_THRESHOLD}`, `by ${ATLAS3_END_GAME}`]).toContain(e.note)
  })

  it("beats conceder and random on mean advantage over a pool of domains, with role rotation", () => {
    const pool: Array<[string, ReadonlyArray<number>]> = [
      ["anac2011/Laptop", [0, 1]],
      ["anac2011/Camera", [0, 1]],
      ["anac2015/group2-dinner", [0, 1, 2]],
      ["anac2015/group9-vacation", [0, 1, 2]],
    ]
    const seeds = [1, 2]
    for (const baseline of [{ kind: "conceder" }, { kind: "random" }]) {
      const mine: Array<number> = []
      const theirs: Array<number> = []
      for (const [d, profiles] of pool)
        for (let seat = 0; seat < profiles.length; seat++)
          for (const seed of seeds) {
            const strategies = profiles.map((_, k) => (k === seat ? atlas3(spec) : baseline))
            const { seats } = advantages(d, strategies, seed, profiles)
            for (let k = 0; k < seats.length; k++) (k === seat ? mine : theirs).push(seats[k]!)
          }
      const mean = (xs: ReadonlyArray<number>) => xs.reduce((s, x) => s + x, 0) / xs.length
      console.log(
        `atlas3 vs ${baseline.kind} (Laptop, Camera, Dinner, Vacation; every seat; seeds ${seeds.join(", ")}): atlas3 mean advantage ${mean(mine).toFixed(3)} over ${mine.length} seats, ${baseline.kind} ${mean(theirs).toFixed(3)} over ${theirs.length}`,
      )
      expect(mean(mine)).toBeGreaterThan(mean(theirs))
    }
  })

  it("is listed with its reference", () => {
    expect(atlas3Info.kind).toBe("atlas3")
    expect(atlas3Info.reference).toContain("Mori & Ito")
    expect(atlas3(spec).name).toBe("atlas3")
  })
})
