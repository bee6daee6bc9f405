/**
 * Who answers an offer (`rules.answers`), and what an answer to a mediator's
 * text may carry (`verdict`, `criticism`, the offer's `currentText`).
 */
import { describe, expect, it } from "vitest"
import type { NegotiationEvent } from "../../src/domain/Event.ts"
import { findOffer } from "../../src/domain/Negotiation.ts"
import { toView } from "../../src/domain/View.ts"
import {
  A,
  accept,
  accepted,
  B,
  C,
  full,
  given,
  issueId,
  M,
  makeOffer,
  offered,
  offerId,
  opened,
  reject,
  rejected,
  walkedOut,
} from "../support/DomainGiven.ts"

const everyone = opened({ answers: "every-addressee" })

const rejectedWith = (
  id: string,
  by: typeof A,
  extra: Partial<Extract<NegotiationEvent, { type: "OfferRejected" }>>,
): NegotiationEvent => ({ ...(rejected(id, by) as object), ...extra }) as NegotiationEvent

describe("who answers an offer", () => {
  it("by default the first official rejection kills a text, so the second addressee never answers it", () => {
    const g = given(opened(), offered("m1", M), rejected("m1", A))
    expect(findOffer(g.state, offerId("m1"))!.status).toBe("rejected")
    g.when(reject("m1", B)).thenRejects("OfferNotPending")
  })

  it("under every-addressee a text stays open after one rejection until every addressee has answered", () => {
    const g = given(everyone, offered("m1", M), rejected("m1", A))
    expect(findOffer(g.state, offerId("m1"))!.status).toBe("pending")
    expect(g.state.pending).toEqual(["m1"])
    const after = g.when(accept("m1", B)).then(accepted("m1", B))
    const text = findOffer(after, offerId("m1"))!
    expect(text.status).toBe("rejected")
    expect(text.responses.map((r) => [r.by, r.answer])).toEqual([
      [A, "rejected"],
      [B, "accepted"],
    ])
    expect(after.pending).toEqual([])
    expect(after.status).toBe("open")
  })

  it("under every-addressee a text every required party accepts is agreed", () => {
    const state = given(everyone, offered("m1", M), accepted("m1", A))
      .when(accept("m1", B))
      .then(accepted("m1", B))
    expect(state.status).toBe("agreed")
    expect(state.agreement?.offerId).toBe("m1")
  })

  it("under every-addressee nobody answers twice", () => {
    given(everyone, offered("m1", M), rejected("m1", A))
      .when(reject("m1", A))
      .thenRejects("AlreadyDone")
  })

  it("an addressee who left the table is not waited for", () => {
    const cast3 = [
      { id: A, name: "A", role: "principal" as const },
      { id: B, name: "B", role: "principal" as const },
      { id: C, name: "C", role: "principal" as const },
      { id: M, name: "M", role: "mediator" as const },
    ]
    const state = given(
      opened({ answers: "every-addressee", mustAccept: [A, B] }, cast3),
      offered("m1", M, full(), { to: [A, B, C] }),
      rejected("m1", A),
      walkedOut(C),
    )
      .when(reject("m1", B))
      .then(rejected("m1", B))
    expect(findOffer(state, offerId("m1"))!.status).toBe("rejected")
  })

  it("the rule is recorded on the opening and shown in the public state", () => {
    const { state } = given(everyone)
    expect(state.rules.answers).toBe("every-addressee")
    expect(toView(state).rules.answers).toBe("every-addressee")
    expect(given(opened()).state.rules.answers).toBeUndefined()
  })
})

describe("what an answer carries", () => {
  const withCurrent: NegotiationEvent = {
    ...(offered("m2", M, full({ border: "river" })) as object),
    currentText: offerId("m1"),
  } as NegotiationEvent

  it("a verdict and a criticism are recorded on the answer and shown in the public state", () => {
    const criticism = [{ issue: issueId("border"), toward: "hills", redLine: true }]
    const state = given(everyone, offered("m1", M), withCurrent)
      .when({ ...reject("m2", A), verdict: "worse", criticism })
      .then(rejectedWith("m2", A, { verdict: "worse", criticism }))
    const text = findOffer(state, offerId("m2"))!
    expect(text.currentText).toBe("m1")
    expect(text.responses[0]).toMatchObject({ by: A, verdict: "worse", criticism })
    const view = toView(state).offers.find((o) => o.offerId === "m2")!
    expect(view.currentText).toBe("m1")
    expect(view.responses[0]!.verdict).toBe("worse")
    expect(view.responses[0]!.criticism).toEqual(criticism)
  })

  it("an acceptance may carry a verdict too", () => {
    given(everyone, offered("m1", M))
      .when({ ...accept("m1", A), verdict: "better" })
      .then({ ...(accepted("m1", A) as object), verdict: "better" } as NegotiationEvent)
  })

  it("a criticism must name an issue and a value it can take", () => {
    const g = given(everyone, offered("m1", M))
    g.when({
      ...reject("m1", A),
      criticism: [{ issue: issueId("colour"), toward: "red" }],
    }).thenRejects("InvalidTerms")
    const bad = g
      .when({ ...reject("m1", A), criticism: [{ issue: issueId("border"), toward: "sea" }] })
      .thenRejects("InvalidTerms")
    expect(bad.message).toMatch(/criticism/)
  })

  it("an offer names as its current text only an offer that exists", () => {
    given(everyone)
      .when(makeOffer("m2", M, full(), { currentText: offerId("m1") }))
      .thenRejects("UnknownOffer")
    given(everyone, offered("m1", M))
      .when(makeOffer("m2", M, full({ border: "river" }), { currentText: offerId("m1") }))
      .then(withCurrent)
  })

  it("a stored answer naming an unknown issue breaks replay", () => {
    expect(() =>
      given(
        everyone,
        offered("m1", M),
        rejectedWith("m1", A, { criticism: [{ issue: issueId("colour"), toward: "red" }] }),
      ),
    ).toThrow(/colour/)
  })
})
