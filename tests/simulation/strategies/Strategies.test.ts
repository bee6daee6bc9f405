import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { outcomeSpace } from "../../../src/analysis/OutcomeSpace.ts"
import { Preferences } from "../../../src/analysis/Preferences.ts"
import type { Issue, Terms } from "../../../src/domain/Issue.ts"
import type { PartyState, Position, State } from "../../../src/domain/Negotiation.ts"
import {
  decodeStrategySpec,
  equilibriumShare,
  geniusTarget,
  ladderOf,
  make,
  negmasTarget,
  PRESET_EXPONENTS,
  type StrategySpec,
  type StrategySpecEncoded,
} from "../../../src/simulation/strategies/index.ts"
import { termsOf } from "../../../src/simulation/strategies/Ladder.ts"
import {
  bilateral,
  buyer,
  offer,
  offered,
  pid,
  seller,
  space,
  stateWith,
  strategy,
  terms,
  turnAt,
  viewOf,
} from "./Driver.ts"

const spec = (s: StrategySpecEncoded): StrategySpec => Either.getOrThrow(decodeStrategySpec(s))
const shareOf = (t: Terms | undefined): number =>
  (t as Record<string, number> | undefined)?.share ?? Number.NaN

describe("StrategySpec", () => {
  it("decodes every kind from JSON with its defaults", () => {
    const td = spec({ kind: "boulware" })
    expect(td).toEqual({
      kind: "boulware",
      anchoring: "public",
      reported: "leave",
      convention: "genius",
      k: 0,
      floor: "reservation",
      tieBreak: "opponent",
      tolerance: 0.01,
    })
    expect(spec({ kind: "scripted", offers: [] })).toEqual({
      kind: "scripted",
      offers: [],
      exhausted: "repeat-last",
      accept: "acceptable",
    })
    expect(spec({ kind: "random" })).toEqual({ kind: "random", acceptProbability: 0.5 })
    expect(spec({ kind: "tit-for-tat" })).toMatchObject({ mode: "absolute", window: 1 })
    expect(spec({ kind: "red-line-concession" })).toMatchObject({
      redLines: {},
      preset: "boulware",
    })
    expect(spec({ kind: "hardliner" })).toEqual({
      kind: "hardliner",
      anchoring: "public",
      reported: "leave",
      tieBreak: "opponent",
      tolerance: 0.01,
    })
    expect(spec({ kind: "mediator" })).toEqual({ kind: "mediator", exhausted: "start-over" })
    expect(spec({ kind: "rubinstein", player: 2, delta1: 0.9, delta2: 0.8 })).toEqual({
      kind: "rubinstein",
      player: 2,
      delta1: 0.9,
      delta2: 0.8,
    })
    const kinds = [
      "scripted",
      "time-dependent",
      "boulware",
      "linear",
      "conceder",
      "tit-for-tat",
      "red-line-concession",
      "hardliner",
      "random",
      "mediator",
    ] as const
    for (const kind of kinds) {
      const s = kind === "scripted" ? { kind, offers: [] } : { kind }
      expect(typeof strategy(s as StrategySpecEncoded).init).toBe("function")
    }
  })

  it("rejects unknown kinds, bad parameters and excess properties", () => {
    expect(Either.isLeft(decodeStrategySpec({ kind: "nope" }))).toBe(true)
    expect(Either.isLeft(decodeStrategySpec({ kind: "random", acceptProbability: 2 }))).toBe(true)
    expect(Either.isLeft(decodeStrategySpec({ kind: "boulware", colour: "red" }))).toBe(true)
    expect(
      Either.isLeft(decodeStrategySpec({ kind: "rubinstein", player: 1, delta1: 1, delta2: 0.5 })),
    ).toBe(true)
  })
})

describe("time-dependent curves", () => {
  const ts = [0.25, 0.5, 0.75]
  for (const convention of ["genius", "negmas"] as const) {
    it(`${convention}: Boulware concedes later than linear, linear later than Conceder`, () => {
      const e = PRESET_EXPONENTS[convention]
      const at = (x: number, t: number) =>
        convention === "genius" ? geniusTarget(t, x, 0, 0.2, 1) : negmasTarget(t, x, 0.2, 1)
      for (const t of ts) {
        expect(at(e.boulware, t)).toBeGreaterThan(at(e.linear, t))
        expect(at(e.linear, t)).toBeGreaterThan(at(e.conceder, t))
      }
      for (const x of [e.boulware, e.linear, e.conceder]) {
        expect(at(x, 0)).toBeCloseTo(1, 12)
        expect(at(x, 1)).toBeCloseTo(0.2, 12)
      }
    })
  }

  it("GENIUS e = 1 and NegMAS e = 1 are both linear (and equal)", () => {
    for (let t = 0; t <= 1; t += 0.05) {
      expect(geniusTarget(t, 1, 0, 0.3, 0.9)).toBeCloseTo(0.9 - 0.6 * t, 12)
      expect(negmasTarget(t, 1, 0.3, 0.9)).toBeCloseTo(0.9 - 0.6 * t, 12)
    }
  })

  it("uses the documented preset exponents (GENIUS 0.2 / 1 / 2, NegMAS 4 / 1 / 0.25)", () => {
    expect(PRESET_EXPONENTS.genius).toMatchObject({ boulware: 0.2, linear: 1, conceder: 2 })
    expect(PRESET_EXPONENTS.negmas).toMatchObject({ boulware: 4, linear: 1, conceder: 0.25 })
  })

  it("GENIUS k is the initial concession; e = 0 never concedes", () => {
    expect(geniusTarget(0, 0.5, 0.25, 0, 1)).toBeCloseTo(0.75, 12)
    for (const t of ts) expect(geniusTarget(t, 0, 0, 0.1, 1)).toBe(1)
  })

  for (const convention of ["genius", "negmas"] as const) {
    it(`${convention}: the players' bids follow the curves (Boulware bids above Conceder)`, () => {
      const utilityOfBid = (kind: "boulware" | "conceder", t: number) => {
        const view = viewOf("b", buyer)
        const player = strategy({ kind, convention, tieBreak: "random" }).init(view)
        // normalised time t: round t * (rounds - 1)
        return view.utility(offered(player.move(turnAt(t * 99, 100))))
      }
      const ladder = ladderOf(viewOf("b", buyer))
      const max = ladder.utilities[0]!
      const e = PRESET_EXPONENTS[convention]
      for (const t of ts) {
        const ub = utilityOfBid("boulware", t)
        const uc = utilityOfBid("conceder", t)
        expect(ub).toBeGreaterThan(uc)
        const target = (x: number) =>
          convention === "genius" ? geniusTarget(t, x, 0, 0.3, max) : negmasTarget(t, x, 0.3, max)
        // at or just above the target
        expect(ub).toBeGreaterThanOrEqual(target(e.boulware) - 1e-12)
        expect(uc).toBeGreaterThanOrEqual(target(e.conceder) - 1e-12)
        expect(uc).toBeLessThan(target(e.conceder) + 0.1)
      }
    })
  }

  it("floor worst-bid: the curve ends at its worst bid (GENIUS's Pmin), its bids still at or above its reservation value", () => {
    const ladder = ladderOf(viewOf("b", buyer))
    const max = ladder.utilities[0]!
    const worst = ladder.utilities[ladder.length - 1]!
    expect(worst).toBeLessThan(0.3) // the buyer's reservation value
    for (const t of [0.5, 0.8, 0.95]) {
      const bid = (floor: "worst-bid" | "reservation") => {
        const view = viewOf("b", buyer)
        const player = strategy({ kind: "linear", floor, tieBreak: "random" }).init(view)
        return view.utility(offered(player.move(turnAt(t * 99, 100))))
      }
      const low = bid("worst-bid")
      expect(low).toBeGreaterThanOrEqual(Math.max(geniusTarget(t, 1, 0, worst, max), 0.3) - 1e-12)
      expect(low).toBeLessThan(Math.max(geniusTarget(t, 1, 0, worst, max), 0.3) + 0.1)
      // A lower end concedes further at the same time.
      expect(low).toBeLessThanOrEqual(bid("reservation") + 1e-12)
    }
  })

  it("opens with its best outcome and accepts by AC_next", () => {
    const view = viewOf("b", buyer)
    const player = strategy({ kind: "linear" }).init(view)
    const first = offered(player.move(turnAt(0, 10)))
    expect(view.utility(first)).toBeCloseTo(ladderOf(view).utilities[0]!, 12)
    // a poor offer early is countered
    const poor = offer("s", "b", terms({ color: "blue", qty: 0, price: 100 }))
    expect(player.move(turnAt(1, 10, poor)).type).toBe("offer")
    // the buyer's best outcome is accepted whenever it is on the table
    const best = offer("s", "b", first)
    expect(player.move(turnAt(2, 10, best))).toEqual({ type: "accept", rule: "AC_next" })
  })

  it("shares one ladder per (space, preferences) across runs", () => {
    expect(ladderOf(viewOf("b", buyer, { seed: 1 }))).toBe(
      ladderOf(viewOf("b", buyer, { seed: 2 })),
    )
    expect(ladderOf(viewOf("b", buyer))).not.toBe(ladderOf(viewOf("s", seller)))
    const l = ladderOf(viewOf("b", buyer))
    for (let k = 1; k < l.length; k++)
      expect(l.utilities[k]!).toBeLessThanOrEqual(l.utilities[k - 1]!)
  })

  it("two time-dependent players reach an agreement both find acceptable", () => {
    const bv = viewOf("b", buyer, { seed: 3 })
    const sv = viewOf("s", seller, { seed: 4 })
    const out = bilateral(
      { name: "b", strategy: strategy({ kind: "conceder" }), view: bv },
      { name: "s", strategy: strategy({ kind: "boulware", convention: "negmas" }), view: sv },
      100,
    )
    expect(out.agreement).toBeDefined()
    expect(bv.acceptable(out.agreement!)).toBe(true)
    expect(sv.acceptable(out.agreement!)).toBe(true)
  })
})

describe("hardliner (GENIUS: never concedes)", () => {
  it("bids its best outcome at every time, deadline included, and accepts only as much", () => {
    const view = viewOf("h", buyer)
    const ladder = ladderOf(view)
    const best = ladder.utilities[0]!
    const player = strategy({ kind: "hardliner" }).init(view)
    for (const round of [0, 5, 50, 98, 99]) {
      const move = player.move(turnAt(round, 100))
      expect(view.utility(offered(move))).toBe(best)
    }
    // Anything short of its best is rejected with its best, even on its very last turn.
    const second = ladder.utilities.find((u) => u < best)!
    const k = ladder.utilities.indexOf(second)
    const almost = offer("s", "h", termsOf(ladder.space, ladder.order[k]!))
    const last = player.move(turnAt(99, 100, almost))
    expect(last.type).toBe("offer")
    expect(view.utility(offered(last))).toBe(best)
    const top = offer("s", "h", termsOf(ladder.space, ladder.order[0]!))
    expect(player.move(turnAt(99, 100, top))).toEqual({ type: "accept", rule: "AC_next" })
  })
})

describe("red-line concession", () => {
  it("never offers or accepts terms crossing a red line (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom("red", "green", "blue"),
        fc.constantFrom(0, 1, 2, 3, 4),
        fc.constantFrom(...(["genius", "negmas"] as const)),
        fc.constantFrom(...(["boulware", "linear", "conceder"] as const)),
        (seed, color, qty, convention, preset) => {
          const hv = viewOf("h", buyer, { seed })
          const rv = viewOf("r", seller, { seed: seed + 1 })
          const hard = strategy({
            kind: "red-line-concession",
            redLines: { color: [color], qty: [qty] },
            convention,
            preset,
          })
          const opponent = strategy({ kind: "random", acceptProbability: 0.3 })
          const out = bilateral(
            { name: "h", strategy: hard, view: hv },
            { name: "r", strategy: opponent, view: rv },
            60,
          )
          const crosses = (t: Terms | undefined) =>
            t !== undefined &&
            ((t as Record<string, unknown>).color === color ||
              (t as Record<string, unknown>).qty === qty)
          for (const step of out.steps) {
            if (step.by !== "h") continue
            if (step.move.type === "offer") expect(crosses(step.move.terms)).toBe(false)
            if (step.move.type === "accept") expect(crosses(step.onTable)).toBe(false)
          }
          if (out.agreement !== undefined) expect(crosses(out.agreement)).toBe(false)
        },
      ),
      { numRuns: 60, seed: 42 },
    )
  })

  it("refuses to ratify across its red lines, even its best outcome otherwise", () => {
    const view = viewOf("h", buyer)
    const player = strategy({ kind: "red-line-concession", redLines: { color: ["red"] } }).init(
      view,
    )
    const best = offer("s", "h", terms({ color: "red", qty: 4, price: 0 }))
    expect(player.move(turnAt(5, 10, best)).type).toBe("offer")
    expect(player.ratify?.(turnAt(5, 10), best)).toBe(false)
  })
})

describe("random", () => {
  it("plays the same moves with the same seed (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, p) => {
          const run = () =>
            bilateral(
              {
                name: "a",
                strategy: strategy({ kind: "random", acceptProbability: p }),
                view: viewOf("a", buyer, { seed }),
              },
              {
                name: "b",
                strategy: strategy({ kind: "random", acceptProbability: p }),
                view: viewOf("b", seller, { seed: seed ^ 0x5bd1e995 }),
              },
              40,
            )
          expect(run()).toEqual(run())
        },
      ),
      { numRuns: 50, seed: 7 },
    )
  })

  it("offers only acceptable outcomes and never accepts unacceptable ones", () => {
    const view = viewOf("a", buyer, { seed: 9 })
    const player = strategy({ kind: "random", acceptProbability: 1 }).init(view)
    for (let r = 0; r < 200; r++)
      expect(view.acceptable(offered(player.move(turnAt(r, 200))))).toBe(true)
    const bad = offer("s", "a", terms({ color: "blue", qty: 0, price: 100 }))
    expect(player.move(turnAt(1, 10, bad)).type).toBe("offer")
    const good = offer("s", "a", terms({ color: "red", qty: 4, price: 0 }))
    expect(player.move(turnAt(2, 10, good))).toEqual({ type: "accept" })
  })
})

describe("tit-for-tat", () => {
  // one real issue, 101 values: utility = price / 100 for the mirror, so
  // concessions are exact to the grid
  const priceIssues = Schema.decodeUnknownSync(Schema.Array(Schema.Any))([
    { kind: "real", id: "price", min: 0, max: 100 },
  ]) as ReadonlyArray<Issue>
  const priceSpace = Either.getOrThrow(outcomeSpace(priceIssues, { realStep: 1 }))
  const sellerPrefs = Schema.decodeUnknownSync(Preferences)({
    weights: { price: 1 },
    evaluations: { price: { kind: "monotone", best: "max" } },
    reservation: 0.2,
  })
  const mirrorBids = (mode: "absolute" | "relative", buyerOffers: ReadonlyArray<number>) => {
    const view = viewOf("s", sellerPrefs, { space: priceSpace })
    const player = strategy({ kind: "tit-for-tat", mode, tolerance: 0 }).init(view)
    const bids: Array<number> = [view.utility(offered(player.move(turnAt(0, 100))))]
    buyerOffers.forEach((p, i) => {
      const m = player.move(turnAt(2 * i + 1, 100, offer("b", "s", terms({ price: p }))))
      bids.push(m.type === "offer" ? view.utility(m.terms) : -1)
    })
    return bids
  }

  it("absolute: concedes as much as the opponent conceded, step by step", () => {
    const bids = mirrorBids("absolute", [10, 15, 25, 25, 30])
    // first offer best; then mirrors +5, +10, 0, +5
    expect(bids).toEqual([1, 1, 0.95, 0.85, 0.85, 0.8])
  })

  it("relative: concedes in the same proportion", () => {
    const bids = mirrorBids("relative", [10, 20, 25])
    // the opponent doubled my utility, then raised it by a quarter
    expect(bids[2]).toBeCloseTo(0.5, 12)
    expect(bids[3]).toBeCloseTo(0.4, 12)
  })

  it("hardens when the opponent retracts, and never goes below its reservation value", () => {
    const bids = mirrorBids("absolute", [10, 30, 20, 90, 95])
    expect(bids[2]).toBeCloseTo(0.8, 12)
    expect(bids[3]).toBeCloseTo(0.9, 12)
    // 0.9 - 0.7 = 0.2 is the reservation: accepted instead of going lower
    expect(Math.min(...bids.filter((b) => b >= 0))).toBeGreaterThanOrEqual(0.2)
  })
})

describe("mediator", () => {
  const pos = (demands: Record<string, string | number>, version: number): Position => ({
    demands: terms(demands),
    statement: undefined,
    provenance: { status: "official" },
    version,
    at: "2025-01-01T00:00:00.000Z" as Position["at"],
  })
  const party = (id: string, role: PartyState["role"], position?: Position): PartyState => ({
    id: pid(id),
    name: id,
    role,
    present: true,
    position,
  })
  const parties = [
    party("a", "principal", pos({ color: "red", price: 20 }, 1)),
    party("b", "principal", pos({ color: "red", price: 80 }, 2)),
    party("m", "mediator"),
  ]

  it("first proposes the Nash point of the stated positions", () => {
    const player = make({ kind: "mediator", method: "cycle", exhausted: "start-over" }).init(
      viewOf("m", undefined, { role: "mediator" }),
    )
    const first = offered(player.move(turnAt(0, 10, undefined, stateWith(parties))))
    // (2 - |p - 20| / 100) (2 - |p - 80| / 100) peaks at 50; qty is neutral (ties by index)
    expect(first).toEqual({ color: "red", qty: 0, price: 50 })
  })

  it("does not re-propose a rejected text before trying every other, including one rejected before it took over", () => {
    const earlier = {
      ...offer("m", "a", terms({ color: "red", qty: 0, price: 50 })),
      status: "rejected" as const,
    }
    const state = stateWith(parties, [earlier])
    const player = make({ kind: "mediator", method: "cycle", exhausted: "walk-out" }).init(
      viewOf("m", undefined, { role: "mediator" }),
    )
    const seen = new Set<string>([JSON.stringify(earlier.terms)])
    for (let r = 0; r < space.size - 1; r++) {
      const text = offered(player.move(turnAt(r, space.size, undefined, state)))
      const key = JSON.stringify(text)
      expect(seen.has(key)).toBe(false)
      seen.add(key)
    }
    expect(seen.size).toBe(space.size)
    expect(player.move(turnAt(space.size, space.size + 1, undefined, state)).type).toBe("walk-out")
  })

  it("starts over from the best text once every text was tried (exhausted: start-over)", () => {
    const player = make({ kind: "mediator", method: "cycle", exhausted: "start-over" }).init(
      viewOf("m", undefined, { role: "mediator" }),
    )
    const state = stateWith(parties)
    const first = offered(player.move(turnAt(0, space.size + 1, undefined, state)))
    for (let r = 1; r < space.size; r++) player.move(turnAt(r, space.size + 1, undefined, state))
    expect(offered(player.move(turnAt(space.size, space.size + 1, undefined, state)))).toEqual(
      first,
    )
  })

  it("takes a principal's latest offer as its position when it stated none", () => {
    const proposal = (state: State) =>
      offered(
        make({ kind: "mediator", method: "cycle", exhausted: "start-over" })
          .init(viewOf("m", undefined, { role: "mediator" }))
          .move(turnAt(0, 10, undefined, state)),
      )
    const demands = terms({ color: "blue", qty: 0, price: 20 })
    const silent = [party("a", "principal"), parties[1]!, parties[2]!]
    const stated = [party("a", "principal", pos(demands, 1)), parties[1]!, parties[2]!]
    const fromOffer = proposal(stateWith(silent, [offer("a", "b", demands)]))
    expect(fromOffer).toEqual(proposal(stateWith(stated)))
    expect(fromOffer).not.toEqual(proposal(stateWith(silent)))
  })

  it("principals answer a mediator's text with accept or reject only", () => {
    const others = [
      { party: "m", role: "mediator" as const },
      { party: "s", role: "principal" as const },
    ]
    const text = offer("m", "b", terms({ color: "blue", qty: 0, price: 100 }))
    for (const kind of [
      "linear",
      "tit-for-tat",
      "hardliner",
      "red-line-concession",
      "random",
    ] as const) {
      const player = strategy({ kind }).init(viewOf("b", buyer, { others }))
      expect(player.move(turnAt(3, 10, text))).toEqual({ type: "reject" })
    }
    const good = offer("m", "b", terms({ color: "red", qty: 4, price: 0 }))
    expect(
      strategy({ kind: "linear" })
        .init(viewOf("b", buyer, { others }))
        .move(turnAt(3, 10, good)),
    ).toEqual({
      type: "accept",
      rule: "AC_next",
    })
  })
})

describe("rubinstein", () => {
  const pieIssues = Schema.decodeUnknownSync(Schema.Array(Schema.Any))([
    { kind: "real", id: "share", min: 0, max: 1 },
  ]) as ReadonlyArray<Issue>
  const pieSpace = Either.getOrThrow(outcomeSpace(pieIssues))
  const play = (delta1: number, delta2: number, horizon?: number) => {
    const h = horizon === undefined ? {} : { horizon }
    return bilateral(
      {
        name: "p1",
        strategy: strategy({ kind: "rubinstein", player: 1, delta1, delta2, ...h }),
        view: viewOf("p1", undefined, { space: pieSpace }),
      },
      {
        name: "p2",
        strategy: strategy({ kind: "rubinstein", player: 2, delta1, delta2, ...h }),
        view: viewOf("p2", undefined, { space: pieSpace }),
      },
      20,
    )
  }

  it("agrees at once on 0.526316 for 0.9 / 0.9 and 0.714286 for 0.9 / 0.8", () => {
    for (const [d1, d2, share] of [
      [0.9, 0.9, 0.526316],
      [0.9, 0.8, 0.714286],
    ] as const) {
      const out = play(d1, d2)
      expect(out.rounds).toBe(2)
      expect(Math.abs(shareOf(out.agreement) - share)).toBeLessThan(1e-6)
    }
  })

  it("the equilibrium pair agrees at once on (1 - d2) / (1 - d1 d2) for any deltas (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (d1, d2) => {
          const out = play(d1, d2)
          expect(out.rounds).toBe(2)
          expect(out.steps[1]!.move.type).toBe("accept")
          const expected = (1 - d2) / (1 - d1 * d2)
          expect(Math.abs(shareOf(out.agreement) - expected)).toBeLessThan(1e-6)
        },
      ),
      { numRuns: 200, seed: 11 },
    )
  })

  it("player 2 proposes d1 (1 - d2) / (1 - d1 d2) and accepts exactly its continuation value", () => {
    const p2 = strategy({ kind: "rubinstein", player: 2, delta1: 0.9, delta2: 0.8 }).init(
      viewOf("p2", undefined, { space: pieSpace }),
    )
    // P1 offers 0.75 to P2 (P2 keeps 0.25 < 0.8 * 0.2 / 0.28 = 0.5714...): rejected with a counter
    const counter = p2.move(turnAt(1, 20, offer("p1", "p2", terms({ share: 0.75 }))))
    expect(shareOf(offered(counter)) - (0.9 * 0.2) / 0.28).toBeCloseTo(0, 9)
  })

  it("finite horizon follows backward induction: 0.91 for delta 0.9 and T = 3", () => {
    expect(equilibriumShare(0.9, 0.9, 3)).toBeCloseTo(0.91, 12)
    const out = play(0.9, 0.9, 3)
    expect(out.rounds).toBe(2)
    expect(shareOf(out.agreement)).toBeCloseTo(0.91, 9)
  })

  it("finite horizon with a common delta matches (1 - (-delta)^T) / (1 + delta) (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.integer({ min: 1, max: 30 }),
        (d, T) => {
          const expected = (1 - (-d) ** T) / (1 + d)
          expect(Math.abs(equilibriumShare(d, d, T) - expected)).toBeLessThan(1e-9)
          const out = play(d, d, T)
          expect(out.rounds).toBe(2)
          expect(Math.abs(shareOf(out.agreement) - expected)).toBeLessThan(1e-6)
        },
      ),
      { numRuns: 100, seed: 13 },
    )
  })

  it("a horizon of 1 gives player 1 the whole pie", () => {
    expect(equilibriumShare(0.5, 0.5, 1)).toBe(1)
  })
})

describe("scripted", () => {
  const script = [
    terms({ color: "red", qty: 4, price: 0 }),
    terms({ color: "green", qty: 3, price: 20 }),
  ]

  it("offers its terms in turn, then repeats the last", () => {
    const p = strategy({ kind: "scripted", offers: script, accept: "never" }).init(
      viewOf("b", buyer),
    )
    expect(offered(p.move(turnAt(0, 10)))).toEqual(script[0])
    expect(offered(p.move(turnAt(2, 10)))).toEqual(script[1])
    expect(offered(p.move(turnAt(4, 10)))).toEqual(script[1])
  })

  it("walks out when told to once its script runs out", () => {
    const p = strategy({ kind: "scripted", offers: script, exhausted: "walk-out" }).init(
      viewOf("b", buyer),
    )
    p.move(turnAt(0, 10))
    p.move(turnAt(2, 10))
    expect(p.move(turnAt(4, 10)).type).toBe("walk-out")
  })

  it("accepts by its rule: never, when acceptable, when at least its next offer", () => {
    const ok = offer("s", "b", terms({ color: "green", qty: 2, price: 30 }))
    const u = viewOf("b", buyer).utility
    expect(u(ok.terms)).toBeGreaterThan(buyer.reservation)
    expect(u(ok.terms)).toBeLessThan(u(script[1]!))
    const moveWith = (accept: "never" | "acceptable" | "next") =>
      strategy({ kind: "scripted", offers: script, accept })
        .init(viewOf("b", buyer))
        .move(turnAt(1, 10, ok)).type
    expect(moveWith("never")).toBe("offer")
    expect(moveWith("acceptable")).toBe("accept")
    expect(moveWith("next")).toBe("offer")
    const great = offer("s", "b", script[0]!)
    expect(
      strategy({ kind: "scripted", offers: script, accept: "next" })
        .init(viewOf("b", buyer))
        .move(turnAt(1, 10, great)),
    ).toEqual({ type: "accept" })
  })
})
