import { describe, expect, it } from "vitest"
import type { Party } from "../../src/domain/Event.ts"
import type { Issue } from "../../src/domain/Issue.ts"
import {
  A,
  B,
  cast,
  GHOST,
  given,
  issueId,
  issues,
  M,
  makeOffer,
  NOW,
  O,
  open,
  opened,
} from "../support/DomainGiven.ts"

describe("opening a negotiation", () => {
  it("opens with its parties, issues and rules", () => {
    const state = given().when(open()).then(opened())
    expect(state.status).toBe("open")
    expect(state.negotiationId).toBe("talks")
    expect(state.parties.map((p) => [p.id, p.present])).toEqual([
      [A, true],
      [B, true],
      [M, true],
      [O, true],
    ])
    expect(state.openedAt).toBe(NOW)
    expect(state.version).toBe(1)
  })

  it("keeps the description when there is one", () => {
    given()
      .when(open({ description: "round one" }))
      .then({ ...opened(), description: "round one" })
  })

  it("cannot open twice", () => {
    given(opened()).when(open()).thenRejects("AlreadyOpened")
  })

  it("nothing but opening is possible before it opens", () => {
    given().when(makeOffer("o1", A)).thenRejects("NotOpened")
  })

  describe("rejects an invalid setup", () => {
    const invalid = (overrides: Parameters<typeof open>[0], problem: RegExp) => {
      const rejection = given().when(open(overrides)).thenRejects("InvalidSetup")
      expect(rejection.problem).toMatch(problem)
    }

    it("a party declared twice", () =>
      invalid(
        { parties: [...cast, { id: A, name: "Alphaland again", role: "observer" }] },
        /party "A" is declared twice/,
      ))

    it("no principal", () =>
      invalid(
        {
          parties: cast.map((p): Party => ({ ...p, role: "mediator" })),
          rules: { mustAccept: [A], mustRatify: [], partialAgreements: false },
        },
        /at least one principal/,
      ))

    it("an issue declared twice", () =>
      invalid({ issues: [...issues, issues[0]!] }, /issue "border" is declared twice/))

    it("no issue", () => invalid({ issues: [] }, /at least one issue/))

    it("an empty integer range", () =>
      invalid(
        { issues: [{ kind: "integer", id: issueId("troops"), min: 5, max: 4 }] },
        /issue "troops": min 5 is greater than max 4/,
      ))

    it("an empty real range", () =>
      invalid(
        { issues: [{ kind: "real", id: issueId("aid"), min: 0.5, max: 0.25 }] },
        /issue "aid": min 0.5 is greater than max 0.25/,
      ))

    it("repeated options of a discrete issue", () =>
      invalid(
        { issues: [{ kind: "discrete", id: issueId("border"), options: ["line", "line"] }] },
        /options must be distinct/,
      ))

    it("nobody who must accept", () =>
      invalid(
        { rules: { mustAccept: [], mustRatify: [], partialAgreements: false } },
        /mustAccept must name at least one party/,
      ))

    it("an unknown party who must accept", () =>
      invalid(
        { rules: { mustAccept: [A, GHOST], mustRatify: [], partialAgreements: false } },
        /mustAccept names unknown party "ghost"/,
      ))

    it("an unknown party who must ratify", () =>
      invalid(
        { rules: { mustAccept: [A, B], mustRatify: [GHOST], partialAgreements: false } },
        /mustRatify names unknown party "ghost"/,
      ))

    it("a ratifier who is not a principal", () =>
      invalid(
        { rules: { mustAccept: [A, B], mustRatify: [A, M], partialAgreements: false } },
        /mustRatify names "M", which is not a principal/,
      ))
  })

  it("accepts a single-value range (min = max)", () => {
    const point: ReadonlyArray<Issue> = [{ kind: "integer", id: issueId("x"), min: 3, max: 3 }]
    given()
      .when(open({ issues: point }))
      .then(opened({}, cast, point))
  })
})
