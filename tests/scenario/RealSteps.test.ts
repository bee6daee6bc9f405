import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { outcomeSpace } from "../../src/analysis/OutcomeSpace.ts"
import { realSteps, Scenario } from "../../src/scenario/Scenario.ts"

const scenario = (realStep?: unknown) =>
  Schema.decodeUnknownSync(Scenario)({
    id: "steps",
    title: "steps",
    parties: [{ id: "a", name: "A", role: "principal" }],
    issues: [
      { kind: "real", id: "price", min: 10, max: 30 },
      { kind: "real", id: "share", min: 0, max: 1 },
      { kind: "real", id: "fixed", min: 2, max: 2 },
      { kind: "integer", id: "n", min: 0, max: 3 },
    ],
    protocol: { kind: "alternating", rounds: 10 },
    ...(realStep === undefined ? {} : { realStep }),
  })

const values = (s: Scenario, options: Parameters<typeof outcomeSpace>[1]) =>
  Either.getOrThrow(outcomeSpace(s.issues, options)).values

describe("the default discretisation of real issues: one rule", () => {
  it("an outcome space without steps equals the scenario's (what analyze, run and simulate use)", () => {
    const s = scenario()
    expect(values(s, {})).toEqual(values(s, { realStep: realSteps(s) }))
    expect(realSteps(s)).toEqual({ price: 0.2, share: 0.01, fixed: 1 })
    expect(values(s, {}).map((v) => v.length)).toEqual([101, 101, 1, 4])
  })

  it("a step the scenario gives wins, for all real issues or per issue", () => {
    expect(realSteps(scenario(0.5))).toEqual({ price: 0.5, share: 0.5, fixed: 0.5 })
    const s = scenario({ price: 5 })
    expect(realSteps(s)).toEqual({ price: 5, share: 0.01, fixed: 1 })
    expect(values(s, { realStep: realSteps(s) })[0]).toEqual([10, 15, 20, 25, 30])
  })
})
