/**
 * HardHeaded (ANAC 2011 winner): its defining behaviour on real ANAC domains.
 * Its bids are read from driven negotiations (the driver's bilateral loop);
 * its results against other agents from whole runs through the runner.
 */
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import type { Imported } from "../../../src/analysis/Import.ts"
import { outcomeSpace } from "../../../src/analysis/OutcomeSpace.ts"
import { type Preferences, utility } from "../../../src/analysis/Preferences.ts"
import type { Strategy } from "../../../src/simulation/Strategy.ts"
import {
  AC_LOWEST_OWN_BID,
  HardHeadedSpec,
  hardheaded,
  hardheadedInfo,
  hardheadedTarget,
} from "../../../src/simulation/strategies/HardHeaded.ts"
import { decodeStrategySpec, make } from "../../../src/simulation/strategies/index.ts"
import { firstAtOrBelow, ladderOf, termsOf } from "../../../src/simulation/strategies/Ladder.ts"
import { importDomain, play, prepareDomain } from "../support/Play.ts"
import { bilateral, offer, turnAt, viewOf } from "./Driver.ts"

const spec = (x: object = {}) =>
  Schema.decodeUnknownSync(HardHeadedSpec)({ kind: "hardheaded", ...x })
const strategy = (x: object) => make(Either.getOrThrow(decodeStrategySpec(x)))

const domains = new Map<string, Promise<Imported>>()
const domain = (d: string) => {
  let p = domains.get(d)
  if (p === undefined) {
    p = importDomain(d)
    domains.set(d, p)
  }
  return p
}

const withDiscount = (p: Preferences, discount: number): Preferences => ({ ...p, discount })

/** HardHeaded (first profile) against `other` (second profile), driven; its bids with time and both utilities. */
const drive = async (
  d: string,
  hh: Strategy,
  other: Strategy,
  options: { readonly rounds?: number; readonly discount?: number; readonly seed?: number } = {},
) => {
  const imported = await domain(d)
  const space = Either.getOrThrow(outcomeSpace(imported.issues))
  const rounds = options.rounds ?? 200
  const [a, b] = imported.profiles
  const mine = withDiscount(a!.preferences, options.discount ?? 1)
  const out = bilateral(
    { name: "hh", strategy: hh, view: viewOf("hh", mine, { space, seed: options.seed ?? 1 }) },
    { name: "other", strategy: other, view: viewOf("other", b!.preferences, { space, seed: 7 }) },
    rounds,
  )
  const uMe = utility(mine, imported.issues)
  const uThem = utility(b!.preferences, imported.issues)
  const bids = out.steps.flatMap((s) =>
    s.by === "hh" && s.move.type === "offer"
      ? [{ t: s.round / (rounds - 1), own: uMe(s.move.terms), theirs: uThem(s.move.terms) }]
      : [],
  )
  return { out, bids }
}

/** A strategy that plays `inner` but never sees (so never accepts) an offer: the talks last to the deadline. */
const deaf = (inner: Strategy): Strategy => ({
  name: `deaf ${inner.name}`,
  init: (view) => {
    const player = inner.init(view)
    return { move: (turn) => player.move({ ...turn, onTable: undefined }) }
  },
})

/** A party that never offers nor accepts. */
const silent: Strategy = { name: "silent", init: () => ({ move: () => ({ type: "reject" }) }) }

const mean = (xs: ReadonlyArray<number>) => xs.reduce((s, x) => s + x, 0) / xs.length

describe("hardheaded", () => {
  it("decodes with the published constants", () => {
    expect(spec()).toMatchObject({
      minimumUtility: 0.585,
      ka: 0.05,
      e: 0.05,
      tolerance: 0.01,
      selected: 5,
      catchUp: true,
      model: { kind: "frequency", learningRate: 0.2 },
    })
    expect(hardheadedInfo.kind).toBe("hardheaded")
  })

  it("its curve holds out until the end, and melts at t = d when the discount d is strong", () => {
    const p1 = hardheadedTarget(spec(), 1, 0.585, 1)
    expect(p1(0)).toBeCloseTo(0.585 + 0.95 * 0.415, 12)
    expect(p1(0.9)).toBeGreaterThan(0.9)
    expect(p1(1)).toBeCloseTo(0.585, 12)
    const p05 = hardheadedTarget(spec(), 0.5, 0.585, 1)
    expect(p05(0.25)).toBeGreaterThan(0.95)
    expect(p05(0.5)).toBeCloseTo(0.585 + 0.415 * 0.5, 12)
    expect(p05(0.6)).toBeLessThan(0.65)
    // a discount of 0.9 or more is ignored
    expect(hardheadedTarget(spec(), 0.95, 0.585, 1)(0.5)).toBe(p1(0.5))
  })

  it("concedes little before the end: its bids stay high for 90% of the time, then it concedes", async () => {
    const figures: Array<string> = []
    for (const d of ["anac2011/Camera", "anac2011/Amsterdam", "anac2010/ItexvsCypress"]) {
      // against a Conceder (which ends the talks when it reaches HardHeaded's demands)
      const vsConceder = await drive(d, hardheaded(spec()), strategy({ kind: "conceder" }))
      const early = vsConceder.bids.filter((b) => b.t < 0.9)
      expect(early.length).toBeGreaterThan(0)
      for (const b of early) expect(b.own).toBeGreaterThan(0.88)
      // against a hardliner that never gives in, the whole curve shows
      const vsWall = await drive(
        d,
        hardheaded(spec()),
        strategy({ kind: "time-dependent", preset: "hardheaded" }),
      )
      const before = vsWall.bids.filter((b) => b.t < 0.9).map((b) => b.own)
      const end = vsWall.bids.filter((b) => b.t > 0.97).map((b) => b.own)
      figures.push(
        `${d}: vs conceder agreed at round ${vsConceder.out.rounds}, lowest early bid ${Math.min(...early.map((b) => b.own)).toFixed(3)}; vs hardliner min before 0.9 ${Math.min(...before).toFixed(3)}, mean after 0.97 ${mean(end).toFixed(3)}`,
      )
      expect(Math.min(...before)).toBeGreaterThan(0.88)
      expect(mean(end)).toBeLessThan(Math.min(...before) - 0.1)
    }
    console.log(figures.join("\n"))
  })

  it("without catch-up it walks one bid at a time, as the original, and in 100 rounds never reaches its end-game", async () => {
    const d = "anac2011/Camera"
    const caught = await drive(d, hardheaded(spec()), silent, { rounds: 100 })
    const walking = await drive(d, hardheaded(spec({ catchUp: false })), silent, { rounds: 100 })
    const lastOf = (x: typeof caught) => x.bids.at(-1)!.own
    expect(lastOf(caught)).toBeLessThan(0.7)
    expect(lastOf(walking)).toBeGreaterThan(0.9)
  })

  it("concedes sooner when its discount factor is small", async () => {
    const wall = silent
    const figures: Array<string> = []
    for (const d of ["anac2011/Camera", "anac2011/Laptop", "anac2011/Amsterdam"]) {
      const patient = await drive(d, hardheaded(spec()), wall, { discount: 1 })
      const hurried = await drive(d, hardheaded(spec()), wall, { discount: 0.5 })
      const mid = (bids: typeof patient.bids) =>
        mean(bids.filter((b) => b.t >= 0.55 && b.t < 0.9).map((b) => b.own))
      figures.push(
        `${d}: mean own bid for t in [0.55, 0.9): discount 1 ${mid(patient.bids).toFixed(3)}, discount 0.5 ${mid(hurried.bids).toFixed(3)}`,
      )
      expect(mid(hurried.bids)).toBeLessThan(mid(patient.bids) - 0.1)
    }
    console.log(figures.join("\n"))
  })

  it("uses its opponent model: at the same own utility its end-game bids differ, in the opponent's favour", async () => {
    // The opponent never sees HardHeaded's offers (deaf), so both variants face the
    // very same bids; they differ only by HardHeaded's model (frequency vs none).
    const figures: Array<string> = []
    const gains: Array<number> = []
    const T = 0.85
    // Large domains, where a 0.01 window holds enough bids for the model to choose among
    // (on ItexvsCypress's 180 outcomes, or on Laptop, it seldom does).
    for (const d of ["anac2011/Camera", "anac2010/Travel", "anac2010/EnglandZimbabwe"]) {
      const opponent = deaf(strategy({ kind: "boulware" }))
      const withModel = await drive(d, hardheaded(spec()), opponent, { rounds: 1000 })
      const without = await drive(d, hardheaded(spec({ model: { kind: "none" } })), opponent, {
        rounds: 1000,
      })
      const late = (x: typeof withModel) => x.bids.filter((b) => b.t >= T)
      const own = (x: typeof withModel) => mean(late(x).map((b) => b.own))
      const theirs = (x: typeof withModel) => mean(late(x).map((b) => b.theirs))
      const pairs = late(withModel).map((b, k) => [b, late(without)[k]] as const)
      const differ = pairs.filter(([x, y]) => y !== undefined && x.theirs !== y.theirs).length
      figures.push(
        `${d}: ${differ} of ${pairs.length} bids after t = ${T} differ; own ${own(withModel).toFixed(3)} vs ${own(without).toFixed(3)} without model; opponent's ${theirs(withModel).toFixed(3)} vs ${theirs(without).toFixed(3)}`,
      )
      expect(differ / pairs.length).toBeGreaterThan(0)
      expect(Math.abs(own(withModel) - own(without))).toBeLessThan(0.01)
      expect(theirs(withModel)).toBeGreaterThan(theirs(without) - 0.005)
      gains.push(theirs(withModel) - theirs(without))
    }
    console.log(figures.join("\n"))
    // measured: 10, 40 and 4 of 75 bids differ (a 0.01 window seldom holds the five
    // candidates that make it consult its model); gains for the opponent Camera 0.009,
    // Travel 0.027, EnglandZimbabwe 0.001 (the model's estimates correlate about 0.6 with
    // the truth)
    expect(mean(gains)).toBeGreaterThan(0.005)
  })

  it("beats conceder and random on mean advantage over ANAC domains and seeds", async () => {
    const rows: Array<{ domain: string; opponent: string; hh: number; them: number }> = []
    for (const d of [
      "anac2011/Laptop",
      "anac2011/Camera",
      "anac2011/Amsterdam",
      "anac2010/ItexvsCypress",
    ]) {
      const imported = await domain(d)
      for (const opponent of ["conceder", "random"])
        for (const side of [0, 1])
          for (const seed of [1, 2]) {
            const strategies: Array<object> = []
            strategies[side] = hardheaded(spec())
            strategies[1 - side] = { kind: opponent }
            const run = play(prepareDomain(imported, strategies, { rounds: 100 }), seed)
            const me = imported.profiles[side]!.party
            const them = imported.profiles[1 - side]!.party
            rows.push({
              domain: d,
              opponent,
              hh: run.scores.parties[me]!.advantage,
              them: run.scores.parties[them]!.advantage,
            })
          }
    }
    const summary: Record<string, { hardheaded: number; opponent: number; runs: number }> = {}
    for (const opponent of ["conceder", "random"]) {
      const r = rows.filter((x) => x.opponent === opponent)
      summary[opponent] = {
        hardheaded: Number(mean(r.map((x) => x.hh)).toFixed(3)),
        opponent: Number(mean(r.map((x) => x.them)).toFixed(3)),
        runs: r.length,
      }
      expect(summary[opponent]!.hardheaded).toBeGreaterThan(summary[opponent]!.opponent + 0.1)
    }
    console.log("mean advantage, hardheaded vs its opponent:")
    console.table(summary)
  }, 30_000)

  it("accepts above its lowest bid so far, or at least its next bid, and names the rule", async () => {
    const imported = await domain("anac2011/Camera")
    const space = Either.getOrThrow(outcomeSpace(imported.issues))
    const prefs = imported.profiles[0]!.preferences
    const fresh = () => {
      const view = viewOf("hh", prefs, { space, others: [{ party: "other", role: "principal" }] })
      return { view, player: hardheaded(spec()).init(view), ladder: ladderOf(view) }
    }
    // (1) it opens with its best bid; an offer as good as its best is at least its next bid
    const a = fresh()
    const opening = a.player.move(turnAt(0, 100))
    expect(opening.type === "offer" && a.view.utility(opening.terms)).toBe(a.ladder.utilities[0])
    const best = termsOf(space, a.ladder.order[0]!)
    expect(a.player.move(turnAt(2, 100, offer("other", "hh", best)))).toEqual({
      type: "accept",
      rule: "AC_next",
    })
    // (2) after a few bids, an offer worth more than the lowest of them is accepted as such
    const b = fresh()
    let lowest = Number.POSITIVE_INFINITY
    for (let r = 0; r < 96; r += 2) {
      const m = b.player.move(turnAt(r, 100))
      if (m.type === "offer") lowest = Math.min(lowest, b.view.utility(m.terms))
    }
    expect(lowest).toBeLessThan(b.ladder.utilities[0]!)
    const above = firstAtOrBelow(b.ladder, lowest) - 1 // the cheapest rung worth more than it
    const tempting = termsOf(space, b.ladder.order[above]!)
    expect(b.player.move(turnAt(96, 100, offer("other", "hh", tempting)))).toEqual({
      type: "accept",
      rule: AC_LOWEST_OWN_BID,
    })
    // (3) an offer below both is answered with a bid of its own
    const c = fresh()
    c.player.move(turnAt(0, 100))
    const poor = termsOf(space, c.ladder.order[c.ladder.length - 1]!)
    expect(c.player.move(turnAt(2, 100, offer("other", "hh", poor))).type).toBe("offer")
  })
})
