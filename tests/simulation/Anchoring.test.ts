/**
 * Agents remember the scripted timeline: a party's own public offers anchor
 * it (it accepts what is at least as good as one of them, and its concession
 * starts from its last one), unless the offer was denied or the scenario
 * calls reported offers cheap talk; confirming or denying a reported offer is
 * a strategy's move.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { OfferId } from "../../src/domain/Ids.ts"
import type { Offer, State } from "../../src/domain/Negotiation.ts"
import { instantiate } from "../../src/scenario/Load.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import type { StrategySpecEncoded } from "../../src/simulation/strategies/index.ts"
import * as Memory from "../../src/store/Memory.ts"
import {
  buyer,
  offer,
  offered,
  stateWith,
  strategy,
  terms,
  turnAt,
  viewOf,
} from "./strategies/Driver.ts"

/** The buyer's own public offer (the scripted timeline), with the provenance given. */
const own = (
  status: "official" | "reported",
  extra: Partial<Offer> = {},
  t = terms({ color: "green", qty: 2, price: 50 }),
): Offer => ({
  ...offer("b", "s", t),
  provenance:
    status === "official" ? { status } : { status, sources: [{ reportedBy: "a news wire" }] },
  confirmed: status === "official",
  ...extra,
})

const withRecord = (...offers: Array<Offer>): State => ({
  ...stateWith([], offers),
  pending: offers.filter((o) => o.status === "pending").map((o) => o.offerId),
})

const firstBid = (spec: StrategySpecEncoded, state: State) => {
  const view = viewOf("b", buyer)
  return view.utility(
    offered(
      strategy(spec)
        .init(view)
        .move(turnAt(0, 100, undefined, state)),
    ),
  )
}

describe("the public record anchors an agent", () => {
  const view = viewOf("b", buyer)
  const record = own("official")
  const anchor = view.utility(record.terms)

  it("its concession starts from its last public offer, not from its best outcome", () => {
    expect(anchor).toBeLessThan(0.9)
    const fresh = firstBid({ kind: "boulware" }, withRecord())
    const anchored = firstBid({ kind: "boulware" }, withRecord(record))
    expect(fresh).toBeGreaterThan(0.99)
    expect(anchored).toBeGreaterThanOrEqual(anchor - 1e-12)
    expect(anchored).toBeLessThan(anchor + 0.02)
  })

  it("it accepts an offer at least as good for it as its own public offer, from the first turn (AC_own-public-offer)", () => {
    const player = strategy({ kind: "boulware" }).init(viewOf("b", buyer))
    const same = offer("s", "b", record.terms)
    expect(player.move(turnAt(0, 100, same, withRecord(record)))).toEqual({
      type: "accept",
      rule: "AC_own-public-offer",
    })
    const worse = offer("s", "b", terms({ color: "red", qty: 0, price: 100 }))
    expect(viewOf("b", buyer).utility(worse.terms)).toBeLessThan(anchor)
    const other = strategy({ kind: "boulware" }).init(viewOf("b", buyer))
    expect(other.move(turnAt(0, 100, worse, withRecord(record))).type).toBe("offer")
  })

  it("a denied offer never anchors; a reported one anchors unless reported offers are cheap talk", () => {
    expect(firstBid({ kind: "boulware" }, withRecord(own("official", { status: "denied" })))).toBe(
      firstBid({ kind: "boulware" }, withRecord()),
    )
    const reported = own("reported")
    expect(firstBid({ kind: "boulware" }, withRecord(reported))).toBeLessThan(anchor + 0.02)
    expect(firstBid({ kind: "boulware", anchoring: "confirmed" }, withRecord(reported))).toBe(
      firstBid({ kind: "boulware" }, withRecord()),
    )
    expect(firstBid({ kind: "boulware", anchoring: "none" }, withRecord(record))).toBe(
      firstBid({ kind: "boulware" }, withRecord()),
    )
  })

  it("confirming or denying its own reported offer is a strategy's move, made before it bids on", () => {
    const reported = own("reported")
    const state = withRecord(reported)
    const confirm = strategy({ kind: "boulware", reported: "confirm" }).init(viewOf("b", buyer))
    expect(confirm.move(turnAt(0, 100, undefined, state))).toEqual({
      type: "confirm",
      offerId: reported.offerId,
    })
    const deny = strategy({ kind: "linear", reported: "deny" }).init(viewOf("b", buyer))
    expect(deny.move(turnAt(0, 100, undefined, state))).toEqual({
      type: "deny",
      offerId: reported.offerId,
    })
    const leave = strategy({ kind: "linear" }).init(viewOf("b", buyer))
    expect(leave.move(turnAt(0, 100, undefined, state)).type).toBe("offer")
  })
})

describe("through the runner: a reported offer in the timeline", () => {
  const definition = (strategyOfSeller: object) => ({
    id: "anchored",
    title: "A reported offer, then agents",
    opened: "2025-01-01",
    sources: [{ id: "wire", reportedBy: "a news wire" }],
    parties: [
      {
        id: "seller",
        name: "Seller",
        role: "principal",
        preferences: {
          weights: { price: 1 },
          evaluations: { price: { kind: "monotone", best: "max" } },
        },
        strategy: strategyOfSeller,
      },
      {
        id: "buyer",
        name: "Buyer",
        role: "principal",
        preferences: {
          weights: { price: 1 },
          evaluations: { price: { kind: "monotone", best: "min" } },
        },
        strategy: { kind: "boulware" },
      },
    ],
    issues: [{ kind: "integer", id: "price", min: 0, max: 100 }],
    protocol: { kind: "alternating", rounds: 20 },
    timeline: [
      {
        at: "2025-01-02",
        type: "MakeOffer",
        offerId: "s0",
        by: "seller",
        terms: { price: 60 },
        status: "reported",
        sources: ["wire"],
      },
    ],
  })
  const runWith = (seller: object) =>
    Effect.runSync(
      Effect.flatMap(instantiate("anchored.json", definition(seller), {}), (c) =>
        Effect.flatMap(prepare(c), (p) => run(p, { seed: 3, trace: true })),
      ).pipe(Effect.provide(Memory.layer)),
    )

  it("a seller told to confirm it confirms it on its first turn, and never asks more than 60 after", () => {
    const result = runWith({ kind: "boulware", reported: "confirm" })
    const moves = result.trace.filter((t) => t.status === "simulated" && t.party === "seller")
    expect(moves[0]).toMatchObject({ move: "confirmed", offerId: "s0" })
    const bids = moves
      .filter((t) => t.move === "offered")
      .map((t) => (t.terms as { price: number }).price)
    expect(bids.length).toBeGreaterThan(0)
    for (const price of bids) expect(price).toBeLessThanOrEqual(60)
  })

  it("a seller told to deny it denies it, and is then free of it: it bids from its best", () => {
    const result = runWith({ kind: "boulware", reported: "deny" })
    expect(
      result.trace.find((t) => t.party === "seller" && t.status === "simulated"),
    ).toMatchObject({ move: "denied", offerId: "s0" as OfferId })
    const bids = result.trace
      .filter((t) => t.party === "seller" && t.move === "offered" && t.status === "simulated")
      .map((t) => (t.terms as { price: number }).price)
    expect(bids[0]).toBe(100)
  })
})
