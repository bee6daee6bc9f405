import { describe, expect, it } from "vitest"
import type { Party } from "../../src/domain/Event.ts"
import { findOffer } from "../../src/domain/Negotiation.ts"
import {
  A,
  accept,
  accepted,
  B,
  C,
  confirmed,
  full,
  given,
  M,
  makeOffer,
  NOW,
  O,
  offered,
  offerId,
  opened,
  partial,
  ratified,
  ratify,
  reject,
  rejected,
  reported,
  suspend,
  walkOut,
  withdraw,
  withdrawn,
} from "../support/DomainGiven.ts"

const three: ReadonlyArray<Party> = [
  { id: A, name: "Alphaland", role: "principal" },
  { id: B, name: "Betastan", role: "principal" },
  { id: C, name: "Gammaria", role: "principal" },
  { id: M, name: "Mediator", role: "mediator" },
  { id: O, name: "Observer", role: "observer" },
]

describe("answering offers", () => {
  it("an addressee rejects an offer, which stops being pending", () => {
    const state = given(opened(), offered("o1", A)).when(reject("o1", B)).then(rejected("o1", B))
    expect(findOffer(state, offerId("o1"))!.status).toBe("rejected")
    expect(state.pending).toEqual([])
  })

  it("only an addressee may answer", () => {
    given(opened(), offered("o1", A)).when(accept("o1", M)).thenRejects("NotAddressedToYou")
    given(opened(), offered("o1", A)).when(reject("o1", O)).thenRejects("NotAddressedToYou")
  })

  it("an unknown party or offer is refused", () => {
    given(opened(), offered("o1", A)).when(accept("nope", B)).thenRejects("UnknownOffer")
    given(opened(), offered("o1", A))
      .when(accept("o1", "ghost" as typeof A))
      .thenRejects("UnknownParty")
  })

  it("an offer answered officially cannot be answered again", () => {
    const g = given(
      opened({ mustAccept: [A, B, C] }, three),
      offered("o1", A, full(), { to: [B, C] }),
      accepted("o1", B),
    )
    const r = g.when(accept("o1", B)).thenRejects("AlreadyDone")
    expect(r.party).toBe(B)
    g.when(reject("o1", B)).thenRejects("AlreadyDone")
  })

  it("a rejected offer cannot be accepted", () => {
    given(opened(), offered("o1", A), rejected("o1", B))
      .when(accept("o1", B))
      .thenRejects("OfferNotPending")
  })

  it("the offering party withdraws its offer", () => {
    const state = given(opened(), offered("o1", A)).when(withdraw("o1", A)).then(withdrawn("o1", A))
    expect(findOffer(state, offerId("o1"))!.status).toBe("withdrawn")
    expect(state.pending).toEqual([])
  })

  it("nobody else can withdraw it, and a withdrawn offer is not pending", () => {
    given(opened(), offered("o1", A)).when(withdraw("o1", B)).thenRejects("NotYourOffer")
    given(opened(), offered("o1", A), withdrawn("o1", A))
      .when(accept("o1", B))
      .thenRejects("OfferNotPending")
  })
})

describe("agreement", () => {
  it("is reached when every party that must accept has accepted (the offerer counts)", () => {
    const state = given(opened(), offered("o1", A)).when(accept("o1", B)).then(accepted("o1", B))
    expect(state.status).toBe("agreed")
    expect(state.agreement).toEqual({
      offerId: "o1",
      terms: full(),
      acceptedBy: [A, B],
      ratifiedBy: [],
      version: 3,
      at: NOW,
    })
    expect(findOffer(state, offerId("o1"))!.status).toBe("accepted")
  })

  it("waits for every party that must accept", () => {
    const g = given(
      opened({ mustAccept: [A, B, C] }, three),
      offered("o1", A, full(), { to: [B, C] }),
    )
    const afterB = g.when(accept("o1", B)).then(accepted("o1", B))
    expect(afterB.status).toBe("open")
    expect(afterB.agreement).toBeUndefined()
    const afterC = given(
      opened({ mustAccept: [A, B, C] }, three),
      offered("o1", A, full(), { to: [B, C] }),
      accepted("o1", B),
    )
      .when(accept("o1", C))
      .then(accepted("o1", C))
    expect(afterC.status).toBe("agreed")
    expect(afterC.agreement?.acceptedBy).toEqual([A, B, C])
  })

  it("an acceptance by a party the rules do not require does not conclude", () => {
    const state = given(
      opened({ mustAccept: [A, C] }, three),
      offered("o1", A, full(), { to: [B, C] }),
    )
      .when(accept("o1", B))
      .then(accepted("o1", B))
    expect(state.status).toBe("open")
  })

  it("a mediator's proposal is agreed when the principals accept it", () => {
    const state = given(opened(), offered("m1", M), accepted("m1", A))
      .when(accept("m1", B))
      .then(accepted("m1", B))
    expect(state.agreement?.acceptedBy).toEqual([M, A, B])
  })

  it("supersedes every other pending offer", () => {
    const state = given(opened(), offered("a1", A), offered("m1", M), offered("b1", B))
      .when(accept("a1", B))
      .then(accepted("a1", B))
    expect(findOffer(state, offerId("m1"))!.status).toBe("superseded")
    expect(findOffer(state, offerId("b1"))!.status).toBe("superseded")
    expect(state.pending).toEqual([])
  })

  it("ends the negotiation: nothing more is offered or accepted", () => {
    const g = given(opened(), offered("o1", A), offered("m1", M), accepted("o1", B))
    expect(g.when(makeOffer("o2", A)).thenRejects("NegotiationClosed").status).toBe("agreed")
    g.when(accept("m1", A)).thenRejects("NegotiationClosed")
    g.when(walkOut(A)).thenRejects("NegotiationClosed")
  })

  it("when the offerer is the only party that must accept, its official offer is agreed at once", () => {
    const state = given(opened({ mustAccept: [A] }))
      .when(makeOffer("o1", A))
      .then(offered("o1", A))
    expect(state.status).toBe("agreed")
    expect(state.agreement?.acceptedBy).toEqual([A])
  })

  it("(the same as when its reported offer is confirmed)", () => {
    const state = given(
      opened({ mustAccept: [A] }),
      offered("r1", A, full(), { provenance: reported }),
    )
      .when({ type: "ConfirmOffer", at: NOW, offerId: offerId("r1"), by: A })
      .then(confirmed("r1", A))
    expect(state.status).toBe("agreed")
  })
})

describe("ratification", () => {
  const ratifying = opened({ mustRatify: [A, B] })
  const acceptedOffer = [ratifying, offered("o1", A), offered("m1", M), accepted("o1", B)] as const

  it("an accepted offer awaits ratification when the rules require it", () => {
    const state = given(ratifying, offered("o1", A), offered("m1", M))
      .when(accept("o1", B))
      .then(accepted("o1", B))
    expect(state.status).toBe("open")
    expect(state.acceptedOffer).toBe("o1")
    expect(state.agreement).toBeUndefined()
    expect(findOffer(state, offerId("m1"))!.status).toBe("superseded")
  })

  it("is agreed once every required principal ratified", () => {
    const half = given(...acceptedOffer)
      .when(ratify("o1", A))
      .then(ratified("o1", A))
    expect(half.status).toBe("open")
    const state = given(...acceptedOffer, ratified("o1", A))
      .when(ratify("o1", B))
      .then(ratified("o1", B))
    expect(state.status).toBe("agreed")
    expect(state.agreement).toMatchObject({ offerId: "o1", ratifiedBy: [A, B] })
  })

  it("blocks new offers and answers while awaiting ratification", () => {
    const g = given(...acceptedOffer)
    expect(g.when(makeOffer("o2", B)).thenRejects("AwaitingRatification").offerId).toBe("o1")
    g.when(withdraw("o1", A)).thenRejects("AwaitingRatification")
  })

  it("only required principals ratify, once, officially, and only the accepted offer", () => {
    const g = given(...acceptedOffer)
    g.when(ratify("o1", M)).thenRejects("NotAllowed")
    g.when(ratify("m1", A)).thenRejects("NothingToRatify")
    g.when(ratify("o1", A, { provenance: reported })).thenRejects("NotAllowed")
    given(...acceptedOffer, ratified("o1", A))
      .when(ratify("o1", A))
      .thenRejects("AlreadyDone")
  })

  it("nothing to ratify before an offer is accepted", () => {
    given(ratifying, offered("o1", A)).when(ratify("o1", A)).thenRejects("NothingToRatify")
  })

  it("talks may be suspended while awaiting ratification, and ratifying waits for resumption", () => {
    const state = given(...acceptedOffer)
      .when(suspend())
      .then({
        schemaVersion: 1,
        type: "TalksSuspended",
        provenance: { status: "official" },
      })
    expect(state.status).toBe("suspended")
  })

  it("a ratifier walking out while an offer awaits ratification collapses the talks", () => {
    const state = given(...acceptedOffer)
      .when(walkOut(B))
      .then({ schemaVersion: 1, type: "PartyWalkedOut", by: B, provenance: { status: "official" } })
    expect(state.status).toBe("collapsed")
    expect(state.agreement).toBeUndefined()
  })
})

describe("partial agreements", () => {
  const rules = { partialAgreements: true }

  it("an accepted partial offer settles its issues and the talks go on", () => {
    const state = given(
      opened(rules),
      offered("p1", A, partial({ border: "river" })),
      offered("b1", B),
    )
      .when(accept("p1", B))
      .then(accepted("p1", B))
    expect(state.status).toBe("open")
    expect(state.agreement).toBeUndefined()
    expect(state.partialAgreements).toEqual({
      border: { value: "river", offerId: "p1", version: 4 },
    })
    expect(findOffer(state, offerId("p1"))!.status).toBe("accepted")
    expect(findOffer(state, offerId("b1"))!.status).toBe("pending")
    expect(state.pending).toEqual(["b1"])
  })

  it("a full package is still the agreement", () => {
    const state = given(
      opened(rules),
      offered("p1", A, partial({ border: "river" })),
      accepted("p1", B),
      offered("f1", A),
    )
      .when(accept("f1", B))
      .then(accepted("f1", B))
    expect(state.status).toBe("agreed")
    expect(state.agreement?.offerId).toBe("f1")
  })
})
