import { describe, expect, it } from "vitest"
import { findOffer } from "../../src/domain/Negotiation.ts"
import {
  A,
  B,
  full,
  GHOST,
  given,
  M,
  makeOffer,
  O,
  offered,
  offerId,
  opened,
  partial,
  statePosition,
  walkedOut,
  withdrawn,
} from "../support/DomainGiven.ts"

describe("making offers", () => {
  it("a principal offers a full package to the other principals by default", () => {
    const state = given(opened())
      .when(makeOffer("o1", A))
      .then(offered("o1", A, full(), { to: [B] }))
    const offer = findOffer(state, offerId("o1"))!
    expect(offer.status).toBe("pending")
    expect(offer.confirmed).toBe(true)
    expect(offer.complete).toBe(true)
    expect(offer.round).toBe(1)
    expect(state.pending).toEqual(["o1"])
    expect(state.round).toBe(1)
  })

  it("a mediator may propose to both principals", () => {
    given(opened())
      .when(makeOffer("m1", M))
      .then(offered("m1", M, full(), { to: [A, B] }))
  })

  it("the default addressees leave out parties that walked out", () => {
    const cast3 = [
      { id: A, name: "A", role: "principal" as const },
      { id: B, name: "B", role: "principal" as const },
      { id: GHOST, name: "third", role: "principal" as const },
    ]
    given(opened({ mustAccept: [A] }, cast3), walkedOut(GHOST))
      .when(makeOffer("o1", A))
      .then(offered("o1", A, full(), { to: [B] }))
  })

  it("an unknown party cannot offer", () => {
    const r = given(opened())
      .when(makeOffer("o1", GHOST, full(), { to: [A] }))
      .thenRejects("UnknownParty")
    expect(r.party).toBe("ghost")
  })

  it("an offer to an unknown party is refused", () => {
    given(opened())
      .when(makeOffer("o1", A, full(), { to: [B, GHOST] }))
      .thenRejects("UnknownParty")
  })

  it("a party that walked out can neither offer nor be offered to", () => {
    const g = given(opened({ mustAccept: [A, B] }), walkedOut(M))
    g.when(makeOffer("o1", M)).thenRejects("PartyAbsent")
    g.when(makeOffer("o1", A, full(), { to: [B, M] })).thenRejects("PartyAbsent")
  })

  it("an observer cannot offer", () => {
    const r = given(opened())
      .when(makeOffer("o1", O, full(), { to: [A] }))
      .thenRejects("NotAllowed")
    expect(r.problem).toMatch(/observer/)
  })

  it("an offer id is used once", () => {
    given(opened(), offered("o1", A), withdrawn("o1", A))
      .when(makeOffer("o1", B))
      .thenRejects("DuplicateOffer")
  })

  it("a party cannot address an offer to itself", () => {
    const r = given(opened())
      .when(makeOffer("o1", A, full(), { to: [B, A] }))
      .thenRejects("NotAllowed")
    expect(r.problem).toMatch(/itself/)
  })

  it("an offer must be addressed to someone", () => {
    given(opened())
      .when(makeOffer("o1", A, full(), { to: [] }))
      .thenRejects("NotAllowed")
  })

  it("a reply must refer to an existing offer", () => {
    given(opened())
      .when(makeOffer("o1", A, full(), { inReplyTo: offerId("nope") }))
      .thenRejects("UnknownOffer")
    given(opened(), offered("o1", A))
      .when(makeOffer("o2", B, full(), { inReplyTo: offerId("o1") }))
      .then(offered("o2", B, full(), { inReplyTo: "o1" }))
  })

  describe("terms must fit the issues", () => {
    const invalid = (terms: Record<string, string | number>, issue: string | undefined) => {
      const r = given(opened())
        .when(makeOffer("o1", A, full(terms)))
        .thenRejects("InvalidTerms")
      expect(r.issue).toBe(issue)
    }
    it("a discrete issue takes one of its options", () => invalid({ border: "sea" }, "border"))
    it("a discrete issue takes no number", () => invalid({ border: 1 }, "border"))
    it("an integer issue takes an integer", () => invalid({ troops: 1.5 }, "troops"))
    it("an integer issue takes no string", () => invalid({ troops: "500" }, "troops"))
    it("an integer issue stays in range", () => {
      invalid({ troops: -1 }, "troops")
      invalid({ troops: 10_001 }, "troops")
    })
    it("a real issue stays in range", () => {
      invalid({ aid: -0.01 }, "aid")
      invalid({ aid: 1.51 }, "aid")
    })
    it("a real issue takes no string", () => invalid({ aid: "0.5" }, "aid"))
    it("an unknown issue is refused", () => invalid({ water: 3 }, undefined))
    it("the bounds themselves are fine", () => {
      given(opened())
        .when(makeOffer("o1", A, full({ troops: 10_000, aid: 0 })))
        .then(offered("o1", A, full({ troops: 10_000, aid: 0 })))
    })
  })

  describe("partial offers", () => {
    it("are refused unless the rules allow partial agreements", () => {
      const r = given(opened())
        .when(makeOffer("o1", A, partial({ border: "river" })))
        .thenRejects("InvalidTerms")
      expect(r.problem).toMatch(/missing troops, aid/)
    })

    it("are accepted when the rules allow partial agreements", () => {
      const state = given(opened({ partialAgreements: true }))
        .when(makeOffer("o1", A, partial({ border: "river" })))
        .then(offered("o1", A, partial({ border: "river" })))
      expect(findOffer(state, offerId("o1"))!.complete).toBe(false)
    })

    it("must still give some issue a value", () => {
      given(opened({ partialAgreements: true }))
        .when(makeOffer("o1", A, partial({})))
        .thenRejects("InvalidTerms")
    })
  })

  describe("rounds", () => {
    it("no offer once maxRounds offers have been made", () => {
      const g = given(opened({ maxRounds: 2 }), offered("o1", A), offered("o2", B))
      expect(g.state.round).toBe(2)
      const r = g.when(makeOffer("o3", A)).thenRejects("DeadlineReached")
      expect(r.deadline).toBe("2 rounds")
    })

    it("the last allowed round is fine", () => {
      given(opened({ maxRounds: 2 }), offered("o1", A))
        .when(makeOffer("o2", B))
        .then(offered("o2", B))
    })
  })

  describe("a new offer supersedes the same party's pending offers", () => {
    it("its own earlier offers are superseded, the others' stay pending", () => {
      const state = given(opened(), offered("a1", A), offered("b1", B), offered("m1", M))
        .when(makeOffer("a2", A, full({ troops: 700 })))
        .then(offered("a2", A, full({ troops: 700 })))
      expect(findOffer(state, offerId("a1"))!.status).toBe("superseded")
      expect(findOffer(state, offerId("b1"))!.status).toBe("pending")
      expect(findOffer(state, offerId("m1"))!.status).toBe("pending")
      expect(state.pending).toEqual(["b1", "m1", "a2"])
    })

    it("a superseded offer can no longer be accepted", () => {
      const r = given(opened(), offered("a1", A), offered("a2", A))
        .when({ type: "AcceptOffer", at: makeOffer("x", A).at, offerId: offerId("a1"), by: B })
        .thenRejects("OfferNotPending")
      expect(r.status).toBe("superseded")
    })
  })

  describe("stating a position", () => {
    it("records the party's demands, partial or not", () => {
      const state = given(opened())
        .when(statePosition(A, partial({ border: "hills" })))
        .then({
          schemaVersion: 1,
          type: "PositionStated",
          by: A,
          demands: partial({ border: "hills" }),
          provenance: { status: "official" },
        })
      expect(state.parties.find((p) => p.id === A)!.position?.demands).toEqual({ border: "hills" })
    })

    it("demands must fit the issues", () => {
      given(opened())
        .when(statePosition(A, partial({ troops: 99_999 })))
        .thenRejects("InvalidTerms")
    })
  })
})
