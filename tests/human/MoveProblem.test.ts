/**
 * The seat's dry run: a person's move is judged by the decider itself,
 * against the state the runner waits on, through the commands the runner
 * will issue — so what the decider refuses (an observer's offer, an offer
 * while talks are suspended, a partial package where the rules want a full
 * one, an answer to an offer already withdrawn) never reaches the runner.
 * Given/when examples on the decider's own fixtures (tests/support/DomainGiven.ts).
 */
import { describe, expect, it } from "vitest"
import type { Offer } from "../../src/domain/Negotiation.ts"
import { findOffer } from "../../src/domain/Negotiation.ts"
import { moveProblem, packageProblem } from "../../src/human/Seat.ts"
import {
  A,
  B,
  full,
  issues,
  NID,
  O,
  offered,
  offerId,
  opened,
  partial,
  stateOf,
  suspended,
  withdrawn,
} from "../support/DomainGiven.ts"

const onTable = (state: ReturnType<typeof stateOf>, id: string): Offer =>
  findOffer(state, offerId(id))!

describe("the decider judges a person's move before the runner sees it", () => {
  it("legal moves pass: an offer, an answer to the offer on the table, a counter-offer, a walk-out", () => {
    const state = stateOf(opened(), offered("b1", B))
    const table = onTable(state, "b1")
    expect(
      moveProblem(NID, stateOf(opened()), A, { type: "offer", terms: full() }, undefined),
    ).toBeUndefined()
    expect(moveProblem(NID, state, A, { type: "accept" }, table)).toBeUndefined()
    expect(moveProblem(NID, state, A, { type: "reject" }, table)).toBeUndefined()
    expect(
      moveProblem(NID, state, A, { type: "offer", terms: full({ border: "river" }) }, table),
    ).toBeUndefined()
    expect(moveProblem(NID, state, A, { type: "walk-out" }, table)).toBeUndefined()
  })

  it("what the decider refuses is refused with its reason", () => {
    const open = stateOf(opened())
    expect(moveProblem(NID, open, O, { type: "offer", terms: full() }, undefined)).toMatch(
      /observer/i,
    )
    expect(
      moveProblem(
        NID,
        stateOf(opened(), suspended()),
        A,
        { type: "offer", terms: full() },
        undefined,
      ),
    ).toMatch(/suspended/i)
    expect(
      moveProblem(NID, open, A, { type: "offer", terms: partial({ border: "line" }) }, undefined),
    ).toBe("invalid terms: the rules do not allow partial agreements; missing troops, aid")
    const gone = stateOf(opened(), offered("b1", B), withdrawn("b1", B))
    expect(moveProblem(NID, gone, A, { type: "accept" }, onTable(gone, "b1"))).toBeDefined()
    // A counter-offer rejects the table first: refused when that rejection is.
    expect(
      moveProblem(NID, gone, A, { type: "offer", terms: full() }, onTable(gone, "b1")),
    ).toBeDefined()
    expect(moveProblem(NID, open, A, { type: "accept" }, undefined)).toBe(
      "there is no offer on the table to accept",
    )
  })

  it("a package must give every issue a value it can take", () => {
    expect(packageProblem(issues, full())).toBeUndefined()
    expect(packageProblem(issues, full({ troops: 10_001 }))).toBe(
      "troops: expected an integer in [0, 10000], got 10001",
    )
    expect(packageProblem(issues, full({ aid: 0.25, troops: 2.5 }))).toBe(
      "troops: expected an integer in [0, 10000], got 2.5",
    )
    expect(packageProblem(issues, partial({ border: "line", troops: 1 }))).toBe(
      "choose a value for aid",
    )
    expect(packageProblem(issues, { ...full(), fence: "x" } as never)).toBe('unknown issue "fence"')
  })
})
