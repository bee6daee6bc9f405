import { describe, expect, it } from "@effect/vitest"
import { Either, JSONSchema, Schema } from "effect"
import type { PartyPreferences } from "../../../src/analysis/Preferences.ts"
import {
  AcceptanceSpec,
  acCombi,
  acConst,
  acceptanceInfo,
  acDeadline,
  acNext,
  acPrev,
  acReservation,
  acTime,
  allOf,
  anyOf,
  decodeAcceptanceSpec,
  makeAcceptance,
} from "../../../src/simulation/boa/Acceptance.ts"
import {
  type AcceptanceKind,
  type Bid,
  boaPlayer,
  type Planned,
  type Session,
} from "../../../src/simulation/boa/Boa.ts"
import { OwnPace } from "../../../src/simulation/Pace.ts"
import type { TraceEntry } from "../../../src/simulation/Runner.ts"
import type { PartyView, Strategy, Turn } from "../../../src/simulation/Strategy.ts"
import { ladderOffering } from "../../../src/simulation/strategies/Concession.ts"
import { ladderOf } from "../../../src/simulation/strategies/Ladder.ts"
import { buyer, pid, terms, turnAt, viewOf } from "../strategies/Driver.ts"
import { importDomain, play, prepareDomain } from "../support/Play.ts"

/** The buyer of the driver's toy domain: reservation value 0.3, no discounting. */
const plainView = viewOf("me", buyer)

const bid = (utility: number, time = 0, round = 0): Bid => ({
  terms: terms({}),
  by: pid("opp"),
  utility,
  time,
  round,
})
const own = (utility: number, time = 0, round = 0): Bid => ({
  ...bid(utility, time, round),
  by: pid("me"),
})
const planned = (utility: number): Planned => ({ terms: terms({}), utility })

const sessionOf = (
  view: PartyView,
  received: ReadonlyArray<Bid> = [],
  sent: ReadonlyArray<Bid> = [],
  turn?: Turn,
): Session => ({
  view,
  ladder: ladderOf(view),
  history: { received, sent, public: 0 },
  model: undefined,
  anchor: undefined,
  paced:
    turn === undefined
      ? { last: false, turnsLeft: Number.POSITIVE_INFINITY, rounds: Infinity, next: 0 }
      : new OwnPace().see(turn),
})

/** A turn at normalised time `time` (round `round` of `rounds`, unless overridden). */
const at = (
  time: number,
  opts: { round?: number; rounds?: number; last?: boolean } = {},
): Turn => ({
  ...turnAt(opts.round ?? 50, opts.rounds ?? 101),
  time,
  ...(opts.last === undefined ? {} : { last: opts.last }),
})

/**
 * What `kind` says of the offer worth `u` at `turn`, given its next bid, its
 * history (the offer is appended to `received`, as `boaPlayer` does).
 */
const judge = (
  kind: AcceptanceKind,
  u: number,
  turn: Turn,
  opts: {
    next?: number | undefined
    received?: ReadonlyArray<Bid>
    sent?: ReadonlyArray<Bid>
    view?: PartyView
  } = {},
): string | undefined => {
  const view = opts.view ?? plainView
  const offer = bid(u, turn.time, turn.round)
  const session = sessionOf(view, [...(opts.received ?? []), offer], opts.sent ?? [], turn)
  const next =
    "next" in opts ? (opts.next === undefined ? undefined : planned(opts.next)) : planned(1)
  return kind.init(view).accepts({ turn, offer, next, session })
}

const EPS = 1e-9

const discounting = (extra: Partial<PartyPreferences>): PartyView =>
  viewOf("me", { ...buyer, ...extra } as PartyPreferences)

describe("AC_next(α, β)", () => {
  it("accepts exactly when α·u(offer) + β ≥ u(next bid): just above and just below", () => {
    const ac = acNext(1.02, 0)
    expect(ac.name).toBe("AC_next(1.02, 0)")
    expect(judge(ac, 0.5, at(0.5), { next: 0.51 })).toBe("AC_next(1.02, 0)")
    expect(judge(ac, 0.5, at(0.5), { next: 0.51 + EPS })).toBeUndefined()
    // α = 1.02 accepts an offer that plain AC_next turns down.
    expect(judge(ac, 0.5, at(0.5), { next: 0.509 })).toBeDefined()
    expect(judge(acNext(1, 0), 0.5, at(0.5), { next: 0.509 })).toBeUndefined()
  })

  it("β shifts the offer: AC_next(1, 0.02)", () => {
    const ac = acNext(1, 0.02)
    expect(judge(ac, 0.5, at(0.5), { next: 0.52 - EPS })).toBe("AC_next(1, 0.02)")
    expect(judge(ac, 0.5, at(0.5), { next: 0.52 + EPS })).toBeUndefined()
  })

  it("keeps its name AC_next for (1, 0), and accepts when nothing is left to bid", () => {
    expect(acNext(1, 0).name).toBe("AC_next")
    expect(judge(acNext(1, 0), 0.6, at(0.5), { next: 0.6 })).toBe("AC_next")
    expect(judge(acNext(1, 0), 0.31, at(0.5), { next: undefined })).toBe("AC_next")
  })
})

describe("AC_prev(α, β)", () => {
  it("never fires before its first bid, whatever the offer", () => {
    expect(judge(acPrev(1, 0), 1, at(0.5), { sent: [] })).toBeUndefined()
  })

  it("compares with its own previous bid (the last sent), not its next one", () => {
    const sent = [own(0.9, 0.1, 10), own(0.7, 0.4, 40)]
    expect(judge(acPrev(1, 0), 0.7, at(0.5), { sent, next: 0.99 })).toBe("AC_prev")
    expect(judge(acPrev(1, 0), 0.7 - EPS, at(0.5), { sent, next: 0.1 })).toBeUndefined()
    expect(judge(acPrev(1.02, 0), 0.7 / 1.02 + EPS, at(0.5), { sent })).toBe("AC_prev(1.02, 0)")
    expect(judge(acPrev(1.02, 0), 0.7 / 1.02 - EPS, at(0.5), { sent })).toBeUndefined()
  })
})

describe("AC_const(c)", () => {
  it("accepts exactly when u(offer) ≥ c, whatever the time or the next bid", () => {
    const ac = acConst(0.8)
    expect(judge(ac, 0.8, at(0.01), { next: 1 })).toBe("AC_const(0.8)")
    expect(judge(ac, 0.8 - EPS, at(1, { last: true }), { next: 0 })).toBeUndefined()
  })

  it("compares undiscounted, by definition", () => {
    const view = discounting({ discount: 0.5 })
    expect(view.discountAt(at(1)) * 0.8).toBeLessThan(0.8)
    expect(judge(acConst(0.8), 0.8, at(1), { view })).toBe("AC_const(0.8)")
  })
})

describe("AC_time(T)", () => {
  it("fires from time T on (not at T − ε), whatever the offer's utility", () => {
    const ac = acTime(0.7)
    expect(judge(ac, 0.31, at(0.7 - EPS))).toBeUndefined()
    expect(judge(ac, 0.31, at(0.7))).toBe("AC_time(0.7)")
    expect(judge(ac, 0.31, at(0.9))).toBe("AC_time(0.7)")
  })
})

describe("AC_combi(T, MAX^W) and AC_combi(T, AVG^W)", () => {
  // At t = 0.8 the default window W = 1 − t covers [0.6, 0.8]: the 0.95 at
  // t = 0.1 and the 0.05 at t = 0.5 lie outside it.
  const received = [bid(0.95, 0.1, 10), bid(0.05, 0.5, 50), bid(0.5, 0.65, 65), bid(0.7, 0.7, 70)]
  const now = at(0.8, { round: 80 })

  it("MAX^W: from T, accepts an offer at least the best received inside the window only", () => {
    const ac = acCombi(0.75, "max")
    expect(ac.name).toBe("AC_combi(0.75, MAX^W)")
    expect(judge(ac, 0.7, now, { received, next: 0.99 })).toBe("AC_combi(0.75, MAX^W)")
    expect(judge(ac, 0.7 - EPS, now, { received, next: 0.99 })).toBeUndefined()
    // Before T only its AC_next part may fire.
    expect(judge(acCombi(0.85, "max"), 0.9, now, { received, next: 0.99 })).toBeUndefined()
    expect(judge(acCombi(0.85, "max"), 0.9, now, { received, next: 0.9 })).toBe(
      "AC_combi(0.85, MAX^W)",
    )
  })

  it("AVG^W: accepts an offer at least the mean received inside the window", () => {
    const ac = acCombi(0.75, "avg")
    expect(ac.name).toBe("AC_combi(0.75, AVG^W)")
    // Mean of the window's earlier offers: (0.5 + 0.7) / 2 = 0.6 (with the old 0.05 it would be 0.417).
    expect(judge(ac, 0.6 + EPS, now, { received, next: 0.99 })).toBe("AC_combi(0.75, AVG^W)")
    expect(judge(ac, 0.6 - EPS, now, { received, next: 0.99 })).toBeUndefined()
    expect(judge(acCombi(0.75, "max"), 0.6 + EPS, now, { received, next: 0.99 })).toBeUndefined()
  })

  it("an explicit W sets the window: W = 0.75 reaches back to the 0.95", () => {
    const wide = acCombi(0.75, "max", 0.75)
    expect(wide.name).toBe("AC_combi(0.75, MAX^0.75)")
    expect(judge(wide, 0.9, now, { received, next: 0.99 })).toBeUndefined()
    expect(judge(acCombi(0.75, "max", 0.25), 0.7, now, { received, next: 0.99 })).toBeDefined()
  })

  it("the window slides as time passes within a run: an early best offer stops counting", () => {
    const view = plainView
    const ac = acCombi(0, "max").init(view)
    const history: Array<Bid> = []
    const session = sessionOf(view, history)
    const ask = (u: number, turn: Turn) => {
      const offer = bid(u, turn.time, turn.round)
      history.push(offer)
      return ac.accepts({ turn, offer, next: planned(0.99), session })
    }
    expect(ask(0.9, at(0.1, { round: 10 }))).toBeDefined()
    expect(ask(0.6, at(0.3, { round: 30 }))).toBeUndefined() // window [-0.4, 0.3] holds the 0.9
    expect(ask(0.5, at(0.5, { round: 50 }))).toBeUndefined() // window [0, 0.5]
    expect(ask(0.6, at(0.7, { round: 70 }))).toBeDefined() // window [0.4, 0.7]: 0.5 and 0.6
  })
})

describe("AC_reservation and AC_deadline", () => {
  it("AC_reservation accepts an offer worth at least the reservation value (0.3)", () => {
    expect(judge(acReservation, 0.3, at(0.1), { next: 1 })).toBe("AC_reservation")
    expect(judge(acReservation, 0.3 - EPS, at(0.1), { next: 1 })).toBeUndefined()
  })

  it("AC_deadline fires only on its last turn, and only when the offer beats no deal", () => {
    expect(judge(acDeadline, 1, at(0.99, { last: false }))).toBeUndefined()
    expect(judge(acDeadline, 0.3, at(1, { last: true }))).toBe("AC_deadline")
    expect(judge(acDeadline, 0.3 - EPS, at(1, { last: true }))).toBeUndefined()
    const view = discounting({ discount: 0.5 })
    expect(judge(acDeadline, 0.3, at(1, { last: true }), { view })).toBe("AC_deadline")
    expect(judge(acDeadline, 0.3 - EPS, at(1, { last: true }), { view })).toBeUndefined()
  })
})

describe("discounted comparison", () => {
  it("AC_next and AC_prev compare undiscounted utilities by default, as GENIUS's AC_Next and AC_Previous", () => {
    const view = discounting({ discount: 0.5 })
    const turn = turnAt(50, 101)
    expect(judge(acNext(1, 0), 0.8, turn, { view, next: 0.8 })).toBe("AC_next")
    expect(judge(acNext(1, 0), 0.8 - EPS, turn, { view, next: 0.8 })).toBeUndefined()
    const sent = [own(0.8, 0.49, 49)]
    expect(judge(acPrev(1, 0), 0.8, turn, { view, sent })).toBe("AC_prev")
    expect(judge(acPrev(1, 0), 0.8 - EPS, turn, { view, sent })).toBeUndefined()
  })

  it("with `discounted`, an offer now beats an equal-utility own bid at its next turn; the threshold is u(next)·D(next)/D(now)", () => {
    const view = discounting({ discount: 0.5 })
    const turn = turnAt(50, 101)
    const next = new OwnPace().see(turn).next
    expect(next).toBeGreaterThan(turn.time)
    const ratio = view.discountAt({ time: next, round: turn.round + 1 }) / view.discountAt(turn)
    expect(ratio).toBeLessThan(1)
    const acN = acNext(1, 0, true)
    expect(judge(acN, 0.8, turn, { view, next: 0.8 })).toBe("AC_next")
    expect(judge(acN, 0.8 * ratio + EPS, turn, { view, next: 0.8 })).toBe("AC_next")
    expect(judge(acN, 0.8 * ratio - EPS, turn, { view, next: 0.8 })).toBeUndefined()
    // Undiscounted, the same offer is turned down.
    expect(judge(acN, 0.8 * ratio + EPS, turn, { next: 0.8 })).toBeUndefined()
    // AC_prev reads its previous bid at its next turn too.
    const sent = [own(0.8, 0.49, 49)]
    expect(judge(acPrev(1, 0, true), 0.8 * ratio + EPS, turn, { view, sent })).toBe("AC_prev")
    expect(judge(acPrev(1, 0, true), 0.8 * ratio - EPS, turn, { view, sent })).toBeUndefined()
  })

  it("a per-round discount counts its next turn as round + 1", () => {
    const view = discounting({ discountPerRound: 0.9 })
    const turn = turnAt(5, 101)
    const acN = acNext(1, 0, true)
    expect(judge(acN, 0.8 * 0.9 + EPS, turn, { view, next: 0.8 })).toBe("AC_next")
    expect(judge(acN, 0.8 * 0.9 - EPS, turn, { view, next: 0.8 })).toBeUndefined()
  })

  it("AC_combi discounts the window's best to its next turn", () => {
    const view = discounting({ discountPerRound: 0.9 })
    const turn = { ...turnAt(80, 101), time: 0.8 }
    const received = [bid(0.7, 0.7, 70)]
    const ac = acCombi(0.75, "max")
    expect(judge(ac, 0.7 * 0.9 + EPS, turn, { view, received, next: 0.99 })).toBeDefined()
    expect(judge(ac, 0.7 * 0.9 - EPS, turn, { view, received, next: 0.99 })).toBeUndefined()
  })
})

describe("any and all", () => {
  const a = acConst(0.95)
  const b = acTime(0.5)
  it("any names the rule that fired (the first that fires)", () => {
    expect(anyOf([a, b]).name).toBe("any(AC_const(0.95), AC_time(0.5))")
    expect(judge(anyOf([a, b]), 0.96, at(0.6))).toBe("AC_const(0.95)")
    expect(judge(anyOf([b, a]), 0.96, at(0.6))).toBe("AC_time(0.5)")
    expect(judge(anyOf([a, b]), 0.5, at(0.6))).toBe("AC_time(0.5)")
    expect(judge(anyOf([a, b]), 0.5, at(0.4))).toBeUndefined()
  })

  it("all fires only when every condition does, naming them", () => {
    expect(judge(allOf([a, b]), 0.96, at(0.6))).toBe("all(AC_const(0.95), AC_time(0.5))")
    expect(judge(allOf([a, b]), 0.94, at(0.6))).toBeUndefined()
    expect(judge(allOf([a, b]), 0.96, at(0.4))).toBeUndefined()
  })
})

describe("AcceptanceSpec", () => {
  const decode = (u: unknown) => Either.getOrThrow(decodeAcceptanceSpec(u))

  it("decodes every kind with its defaults and makes the condition it names", () => {
    expect(decode({ kind: "next" })).toEqual({
      kind: "next",
      alpha: 1,
      beta: 0,
      discounted: false,
    })
    expect(decode({ kind: "prev", alpha: 1.02 })).toEqual({
      kind: "prev",
      alpha: 1.02,
      beta: 0,
      discounted: false,
    })
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [{ kind: "next" }, "AC_next"],
      [{ kind: "next", alpha: 1.02, beta: 0.01 }, "AC_next(1.02, 0.01)"],
      [{ kind: "prev" }, "AC_prev"],
      [{ kind: "const", c: 0.9 }, "AC_const(0.9)"],
      [{ kind: "time", T: 0.99 }, "AC_time(0.99)"],
      [{ kind: "combi-max", T: 0.99 }, "AC_combi(0.99, MAX^W)"],
      [{ kind: "combi-avg", T: 0.99, W: 0.1 }, "AC_combi(0.99, AVG^0.1)"],
      [{ kind: "reservation" }, "AC_reservation"],
      [{ kind: "deadline" }, "AC_deadline"],
      [
        {
          kind: "any",
          of: [
            { kind: "const", c: 0.8 },
            { kind: "all", of: [{ kind: "deadline" }] },
          ],
        },
        "any(AC_const(0.8), all(AC_deadline))",
      ],
    ]
    for (const [spec, name] of cases) expect(makeAcceptance(decode(spec)).name).toBe(name)
    // Every kind is listed, once.
    const kinds = acceptanceInfo.map((i) => i.kind)
    expect(new Set(kinds).size).toBe(kinds.length)
    expect([...kinds].sort()).toEqual(
      [...new Set([...cases.map(([s]) => (s as { kind: string }).kind), "all"])].sort(),
    )
  })

  it("rejects a bad spec with an error that names the field and the value", () => {
    const message = (u: unknown) => {
      const r = decodeAcceptanceSpec(u)
      return Either.isLeft(r) ? r.left.message : "decoded"
    }
    expect(message({ kind: "time", T: 1.5 })).toMatch(/\["T"\][\s\S]*actual 1\.5/)
    expect(message({ kind: "nope" })).toMatch(/\["kind"\][\s\S]*actual "nope"/)
    expect(message({ kind: "any", of: [] })).toMatch(/\["of"\][\s\S]*at least one/)
    expect(message({ kind: "any", of: [{ kind: "const" }] })).toMatch(/\["c"\][\s\S]*is missing/)
    expect(message({ kind: "deadline", c: 1 })).toMatch(/\["c"\][\s\S]*is unexpected/)
    expect(message({ kind: "next", alpha: -1 })).toMatch(/\["alpha"\]/)
  })

  it("describes every parameter", () => {
    const json = JSONSchema.make(AcceptanceSpec) as unknown as {
      $defs: { AcceptanceSpec: { anyOf: ReadonlyArray<{ properties: Record<string, object> }> } }
    }
    const members = json.$defs.AcceptanceSpec.anyOf
    expect(members).toHaveLength(10)
    for (const m of members)
      for (const [key, p] of Object.entries(m.properties))
        if (key !== "kind") expect(p, key).toHaveProperty("description")
    expect(Schema.is(AcceptanceSpec)({ kind: "deadline" })).toBe(true)
  })
})

describe("in a whole negotiation (ANAC 2011 Camera, against a Boulware seller)", () => {
  /** The buyer holds out at its best bid; only its acceptance condition decides when it settles. */
  const holdout = (acceptance: AcceptanceKind): Strategy => ({
    name: `holdout(${acceptance.name})`,
    init: (view) => {
      const ladder = ladderOf(view)
      const best = ladder.utilities[0]!
      return boaPlayer(view, {
        ladder,
        offering: ladderOffering("holdout", ladder, {
          target: () => best,
          tieBreak: "opponent",
          tolerance: 0.01,
        }),
        acceptance,
      })
    },
  })

  const BUYER = "camera_buyer_utility"
  const SELLER = "camera_seller_utility"

  const run = async (acceptance: AcceptanceKind) => {
    const imported = await importDomain("anac2011/Camera")
    const result = play(prepareDomain(imported, [holdout(acceptance), { kind: "boulware" }]), 1)
    const accepted = result.trace.find((e) => e.move === "accepted")
    const offers = result.trace.filter(
      (e): e is TraceEntry & { round: number } => e.move === "offered" && e.party === SELLER,
    )
    return { result, accepted, offers }
  }

  it("AC_const(0.9) holds out for a high offer; AC_time(0.2) settles at t = 0.2 for less", async () => {
    const patient = await run(acConst(0.9))
    const hasty = await run(acTime(0.2))
    for (const { accepted } of [patient, hasty]) expect(accepted?.party).toBe(BUYER)
    expect(patient.accepted?.note).toBe("by AC_const(0.9)")
    expect(hasty.accepted?.note).toBe("by AC_time(0.2)")

    // AC_const: the first seller offer worth 0.9 to the buyer is the one accepted.
    const u = (e: TraceEntry) => e.utilities?.[BUYER] ?? Number.NaN
    const first = patient.offers.find((e) => u(e) >= 0.9)
    expect(first?.offerId).toBe(patient.accepted?.offerId)
    // AC_time: accepted on its first turn at t ≥ 0.2: the first mover's move 2·20 of 200 in
    // round 20, at its own time 41/201 on the discrete timeline.
    expect(hasty.accepted?.round).toBe(20)
    expect(hasty.result.scores.agreementTime).toBeCloseTo(41 / 201, 12)

    const mine = (r: typeof patient) => r.result.scores.parties[BUYER]!.utility!
    expect(mine(patient)).toBeGreaterThanOrEqual(0.9)
    expect(mine(hasty)).toBeLessThan(0.9)
    expect(patient.result.scores.agreementTime!).toBeGreaterThan(0.5)
  })
})
