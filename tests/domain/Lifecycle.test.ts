import { describe, expect, it } from "vitest"
import type { Party } from "../../src/domain/Event.ts"
import { findOffer } from "../../src/domain/Negotiation.ts"
import {
  A,
  accept,
  accepted,
  B,
  C,
  deadlinePassed,
  declareDeadlinePassed,
  full,
  given,
  M,
  makeOffer,
  NOW,
  O,
  offered,
  offerId,
  opened,
  ratify,
  resume,
  resumed,
  statePosition,
  suspend,
  suspended,
  t,
  walkedOut,
  walkOut,
  withdraw,
} from "../support/DomainGiven.ts"

const official = { status: "official" } as const
const walked = (by: typeof A) =>
  ({ schemaVersion: 1, type: "PartyWalkedOut", by, provenance: official }) as const

describe("walking out", () => {
  it("a party that must accept walking out collapses the talks and expires pending offers", () => {
    const state = given(opened(), offered("a1", A), offered("m1", M))
      .when(walkOut(B))
      .then(walked(B))
    expect(state.status).toBe("collapsed")
    expect(state.endedBecause).toMatch(/B walked out/)
    expect(findOffer(state, offerId("a1"))!.status).toBe("expired")
    expect(findOffer(state, offerId("m1"))!.status).toBe("expired")
    expect(state.pending).toEqual([])
    expect(state.parties.find((p) => p.id === B)!.present).toBe(false)
  })

  it("an observer walking out does not end anything", () => {
    const state = given(opened(), offered("a1", A)).when(walkOut(O)).then(walked(O))
    expect(state.status).toBe("open")
    expect(findOffer(state, offerId("a1"))!.status).toBe("pending")
    expect(state.parties.find((p) => p.id === O)!.present).toBe(false)
  })

  it("a mediator walking out does not end anything", () => {
    expect(given(opened()).when(walkOut(M)).then(walked(M)).status).toBe("open")
  })

  it("a party that walked out cannot walk out again, or move at all", () => {
    const g = given(opened(), walkedOut(M))
    g.when(walkOut(M)).thenRejects("PartyAbsent")
    g.when(statePosition(M, full())).thenRejects("PartyAbsent")
  })

  it("a principal that must ratify walking out collapses the talks, even before anything awaits ratification", () => {
    // Otherwise any offer accepted later would await a ratification that can never come.
    const parties: ReadonlyArray<Party> = [
      { id: A, name: "A", role: "principal" },
      { id: B, name: "B", role: "principal" },
      { id: C, name: "C", role: "principal" },
    ]
    const state = given(opened({ mustAccept: [A, B], mustRatify: [C] }, parties))
      .when(walkOut(C))
      .then(walked(C))
    expect(state.status).toBe("collapsed")
  })
})

describe("suspending and resuming", () => {
  const g = given(opened(), offered("a1", A), suspended())

  it("suspends the talks", () => {
    const state = given(opened())
      .when(suspend())
      .then({ schemaVersion: 1, type: "TalksSuspended", provenance: official })
    expect(state.status).toBe("suspended")
  })

  it("while suspended, no offer, answer or withdrawal", () => {
    g.when(makeOffer("b1", B)).thenRejects("TalksAreSuspended")
    g.when(accept("a1", B)).thenRejects("TalksAreSuspended")
    g.when(withdraw("a1", A)).thenRejects("TalksAreSuspended")
    g.when(suspend()).thenRejects("TalksAreSuspended")
  })

  it("while suspended, positions and walk-outs are still possible", () => {
    g.when(statePosition(A, full())).then({
      schemaVersion: 1,
      type: "PositionStated",
      by: A,
      demands: full(),
      provenance: official,
    })
    expect(g.when(walkOut(B)).then(walked(B)).status).toBe("collapsed")
  })

  it("resumes, and pending offers can be answered again", () => {
    const state = g
      .when(resume())
      .then({ schemaVersion: 1, type: "TalksResumed", provenance: official })
    expect(state.status).toBe("open")
    const agreed = given(opened(), offered("a1", A), suspended(), resumed())
      .when(accept("a1", B))
      .then(accepted("a1", B))
    expect(agreed.status).toBe("agreed")
  })

  it("cannot resume talks that are not suspended", () => {
    given(opened()).when(resume()).thenRejects("TalksNotSuspended")
  })

  it("an accepted offer cannot be ratified while suspended", () => {
    given(opened({ mustRatify: [A] }), offered("o1", A), accepted("o1", B), suspended())
      .when(ratify("o1", A))
      .thenRejects("TalksAreSuspended")
  })
})

describe("deadlines", () => {
  describe("by time", () => {
    const rules = { deadline: t(50) }

    it("a move at the deadline is still in time", () => {
      given(opened(rules))
        .when({ ...makeOffer("o1", A), at: t(50) })
        .then(offered("o1", A))
    })

    it("a move after the deadline is refused (DeadlineReached)", () => {
      const r = given(opened(rules))
        .when({ ...makeOffer("o1", A), at: t(51) })
        .thenRejects("DeadlineReached")
      expect(r.deadline).toBe(t(50))
      given(opened(rules), offered("o1", A))
        .when({ ...accept("o1", B), at: t(51) })
        .thenRejects("DeadlineReached")
    })

    it("the deadline cannot be declared passed before it is", () => {
      given(opened(rules), offered("o1", A))
        .when(declareDeadlinePassed(t(49)))
        .thenRejects("DeadlineNotReached")
      given(opened()).when(declareDeadlinePassed()).thenRejects("DeadlineNotReached")
    })

    it("once passed, the talks expire with their pending offers", () => {
      const state = given(opened(rules), offered("o1", A))
        .when(declareDeadlinePassed(t(60)))
        .then(deadlinePassed())
      expect(state.status).toBe("expired")
      expect(findOffer(state, offerId("o1"))!.status).toBe("expired")
      expect(state.endedBecause).toMatch(/deadline/)
    })

    it("the deadline passes even while talks are suspended", () => {
      const state = given(opened(rules), suspended())
        .when(declareDeadlinePassed(t(60)))
        .then(deadlinePassed())
      expect(state.status).toBe("expired")
    })
  })

  describe("by rounds", () => {
    it("passes once maxRounds offers have been made; answers are still possible until it is declared", () => {
      const g = given(opened({ maxRounds: 1 }), offered("o1", A))
      g.when(makeOffer("o2", B)).thenRejects("DeadlineReached")
      expect(g.when(accept("o1", B)).then(accepted("o1", B)).status).toBe("agreed")
      expect(g.when(declareDeadlinePassed()).then(deadlinePassed()).status).toBe("expired")
    })

    it("cannot be declared before the last round", () => {
      given(opened({ maxRounds: 2 }), offered("o1", A))
        .when(declareDeadlinePassed())
        .thenRejects("DeadlineNotReached")
    })
  })
})

describe("after the end", () => {
  const ended = {
    agreed: given(opened(), offered("o1", A), accepted("o1", B)),
    collapsed: given(opened(), walkedOut(A)),
    expired: given(opened({ maxRounds: 1 }), offered("o1", A), deadlinePassed()),
  }
  for (const [status, g] of Object.entries(ended)) {
    it(`nothing happens once ${status} (NegotiationClosed)`, () => {
      expect(g.state.status).toBe(status)
      expect(g.when(makeOffer("o9", B)).thenRejects("NegotiationClosed").status).toBe(status)
      g.when(accept("o1", B)).thenRejects("NegotiationClosed")
      g.when(statePosition(B, full())).thenRejects("NegotiationClosed")
      g.when(suspend()).thenRejects("NegotiationClosed")
      g.when(walkOut(B)).thenRejects("NegotiationClosed")
      g.when(declareDeadlinePassed()).thenRejects("NegotiationClosed")
    })
  }
})

describe("time", () => {
  it("a move earlier than the last one is refused (OutOfOrder)", () => {
    const g = given(opened(), offered("o1", A), offered("m1", M))
    const r = g.when({ ...accept("o1", B), at: t(1) }).thenRejects("OutOfOrder")
    expect(r).toMatchObject({ at: t(1), last: t(2) })
  })

  it("a move at the same moment as the last one is fine", () => {
    given(opened(), offered("o1", A))
      .when({ ...accept("o1", B), at: t(1) })
      .then(accepted("o1", B))
  })

  it("the command's moment is the event's moment", () => {
    const state = given(opened()).when(makeOffer("o1", A)).then(offered("o1", A))
    expect(state.updatedAt).toBe(NOW)
    expect(findOffer(state, offerId("o1"))!.madeAt).toBe(NOW)
  })
})
