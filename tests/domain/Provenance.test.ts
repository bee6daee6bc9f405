import { describe, expect, it } from "vitest"
import type { Party } from "../../src/domain/Event.ts"
import { findOffer, officiallyAcceptedBy } from "../../src/domain/Negotiation.ts"
import {
  A,
  accept,
  accepted,
  B,
  C,
  cast,
  confirm,
  confirmed,
  denied,
  deny,
  full,
  given,
  M,
  makeOffer,
  offered,
  offerId,
  opened,
  reject,
  rejected,
  reported,
  walkedOut,
  withdraw,
} from "../support/DomainGiven.ts"

const castWith = (extra: typeof A): ReadonlyArray<Party> => [
  ...cast,
  { id: extra, name: "Gammaria", role: "principal" },
]

const rumour = offered("r1", A, full(), { provenance: reported })

describe("reported offers", () => {
  it("a reported offer is recorded, pending but unconfirmed", () => {
    const state = given(opened())
      .when({
        type: "MakeOffer",
        at: confirm("x", A).at,
        offerId: offerId("r1"),
        by: A,
        terms: full(),
        provenance: reported,
      })
      .then(rumour)
    const offer = findOffer(state, offerId("r1"))!
    expect(offer.status).toBe("pending")
    expect(offer.confirmed).toBe(false)
  })

  describe("confirming and denying", () => {
    it("the offering party confirms it", () => {
      const state = given(opened(), rumour).when(confirm("r1", A)).then(confirmed("r1", A))
      expect(findOffer(state, offerId("r1"))!.confirmed).toBe(true)
      expect(findOffer(state, offerId("r1"))!.status).toBe("pending")
    })

    it("the offering party denies it, and it stops being pending", () => {
      const state = given(opened(), rumour).when(deny("r1", A)).then(denied("r1", A))
      expect(findOffer(state, offerId("r1"))!.status).toBe("denied")
      expect(state.pending).toEqual([])
    })

    it("nobody else can confirm or deny it", () => {
      given(opened(), rumour).when(confirm("r1", B)).thenRejects("NotYourOffer")
      given(opened(), rumour).when(deny("r1", M)).thenRejects("NotYourOffer")
    })

    it("an official offer cannot be confirmed or denied", () => {
      given(opened(), offered("o1", A)).when(confirm("o1", A)).thenRejects("AlreadyOfficial")
      given(opened(), offered("o1", A)).when(deny("o1", A)).thenRejects("AlreadyOfficial")
    })

    it("a confirmed offer cannot be confirmed again", () => {
      given(opened(), rumour, confirmed("r1", A))
        .when(confirm("r1", A))
        .thenRejects("AlreadyOfficial")
    })

    it("a confirmation must itself be official", () => {
      given(opened(), rumour)
        .when(confirm("r1", A, { provenance: reported }))
        .thenRejects("NotAllowed")
    })

    it("an unknown offer cannot be confirmed", () => {
      given(opened()).when(confirm("nope", A)).thenRejects("UnknownOffer")
    })

    it("a denied offer cannot be confirmed", () => {
      given(opened(), rumour, denied("r1", A)).when(confirm("r1", A)).thenRejects("OfferNotPending")
    })
  })

  describe("accepting a reported offer", () => {
    it("an official acceptance of an unconfirmed offer is refused (UnconfirmedOffer)", () => {
      given(opened(), rumour).when(accept("r1", B)).thenRejects("UnconfirmedOffer")
    })

    it("a reported acceptance is recorded but binds nothing", () => {
      const state = given(opened(), rumour)
        .when(accept("r1", B, { provenance: reported }))
        .then(accepted("r1", B, reported))
      const offer = findOffer(state, offerId("r1"))!
      expect(offer.status).toBe("pending")
      expect(offer.responses.map((r) => [r.by, r.answer, r.provenance.status])).toEqual([
        [B, "accepted", "reported"],
      ])
      expect(officiallyAcceptedBy(offer)).toEqual([A])
      expect(state.agreement).toBeUndefined()
    })

    it("a reported acceptance still does not bind once the offer is confirmed", () => {
      const state = given(opened(), rumour, accepted("r1", B, reported))
        .when(confirm("r1", A))
        .then(confirmed("r1", A))
      expect(state.status).toBe("open")
      expect(state.agreement).toBeUndefined()
    })

    it("once confirmed, the offer can be accepted officially and agreed", () => {
      const state = given(opened(), rumour, confirmed("r1", A))
        .when(accept("r1", B))
        .then(accepted("r1", B))
      expect(state.status).toBe("agreed")
      expect(state.agreement?.offerId).toBe("r1")
    })

    it("a reported offer may be rejected officially", () => {
      const state = given(opened(), rumour).when(reject("r1", B)).then(rejected("r1", B))
      expect(findOffer(state, offerId("r1"))!.status).toBe("rejected")
    })
  })

  describe("a report binds nothing until confirmed", () => {
    it("a reported new offer does not supersede the party's official pending offer", () => {
      const state = given(opened(), offered("o1", A))
        .when({
          type: "MakeOffer",
          at: confirm("x", A).at,
          offerId: offerId("r1"),
          by: A,
          terms: full({ troops: 900 }),
          provenance: reported,
        })
        .then(offered("r1", A, full({ troops: 900 }), { provenance: reported }))
      expect(findOffer(state, offerId("o1"))!.status).toBe("pending")
      expect(state.pending).toEqual(["o1", "r1"])
    })

    it("so the official offer can still be agreed while the report stands", () => {
      const state = given(
        opened(),
        offered("o1", A),
        offered("r1", A, full(), { provenance: reported }),
      )
        .when(accept("o1", B))
        .then(accepted("o1", B))
      expect(state.agreement?.offerId).toBe("o1")
    })

    it("and survives the report being denied", () => {
      const state = given(
        opened(),
        offered("o1", A),
        offered("r1", A, full(), { provenance: reported }),
      )
        .when(deny("r1", A))
        .then(denied("r1", A))
      expect(findOffer(state, offerId("o1"))!.status).toBe("pending")
    })

    it("confirming the report supersedes the party's earlier pending offers, as making it officially would have", () => {
      const state = given(
        opened(),
        offered("o1", A),
        offered("b1", B),
        offered("r1", A, full(), { provenance: reported }),
      )
        .when(confirm("r1", A))
        .then(confirmed("r1", A))
      expect(findOffer(state, offerId("o1"))!.status).toBe("superseded")
      expect(findOffer(state, offerId("b1"))!.status).toBe("pending")
      expect(state.pending).toEqual(["b1", "r1"])
    })

    it("an official offer supersedes the party's pending reports", () => {
      const state = given(opened(), offered("r1", A, full(), { provenance: reported }))
        .when(makeOffer("o2", A))
        .then(offered("o2", A))
      expect(findOffer(state, offerId("r1"))!.status).toBe("superseded")
    })
  })

  it("a party that walked out can no longer confirm, deny or withdraw its offers", () => {
    const g = given(
      opened({ mustAccept: [A, B] }, castWith(C)),
      offered("c1", C, full(), { to: [A, B] }),
      offered("r1", M, full(), { provenance: reported, to: [A, B] }),
      walkedOut(C),
      walkedOut(M),
    )
    expect(g.state.status).toBe("open")
    g.when(confirm("r1", M)).thenRejects("PartyAbsent")
    g.when(deny("r1", M)).thenRejects("PartyAbsent")
    g.when(withdraw("c1", C)).thenRejects("PartyAbsent")
  })
})
