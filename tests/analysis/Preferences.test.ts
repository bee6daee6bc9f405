import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import {
  acceptable,
  type CustomPreferences,
  Preferences,
  preferencesProblem,
  utility,
  violatesRedLine,
} from "../../src/analysis/Preferences.ts"
import type { Issue, Terms } from "../../src/domain/Issue.ts"

const issues = Schema.decodeUnknownSync(Schema.Array(Schema.Any))([
  { kind: "discrete", id: "color", options: ["red", "green", "blue"] },
  { kind: "integer", id: "qty", min: 1, max: 5 },
  { kind: "real", id: "price", min: 0, max: 100 },
]) as ReadonlyArray<Issue>

const prefs = Schema.decodeUnknownSync(Preferences)({
  weights: { color: 2, qty: 1, price: 1 },
  evaluations: {
    color: { kind: "options", scores: { red: 10, green: 5 } },
    qty: { kind: "monotone", best: "max" },
    price: { kind: "linear", atLow: 1, atHigh: 0.5 },
  },
  reservation: 0.4,
  redLines: { color: ["blue"] },
})
const t = (x: Record<string, string | number>) => x as unknown as Terms

describe("Preferences", () => {
  it("decodes with defaults", () => {
    expect(prefs.discount).toBe(1)
    expect(prefs.kind).toBe("linear-additive")
    expect(preferencesProblem(prefs, issues)).toBeUndefined()
  })

  it("renormalises weights and normalises option scores by the largest (GENIUS rule)", () => {
    const u = utility(prefs, issues)
    expect(u(t({ color: "red", qty: 5, price: 0 }))).toBeCloseTo(1, 12)
    expect(u(t({ color: "green", qty: 1, price: 100 }))).toBeCloseTo(0.5 * 0.5 + 0 + 0.25 * 0.5, 12)
    expect(u(t({ color: "blue", qty: 3, price: 50 }))).toBeCloseTo(0.25 * 0.5 + 0.25 * 0.75, 12)
  })

  it("applies red lines and reservation", () => {
    expect(violatesRedLine(prefs, issues)(t({ color: "blue", qty: 5, price: 0 }))).toBe(true)
    const ok = acceptable(prefs, issues)
    expect(ok(t({ color: "blue", qty: 5, price: 0 }))).toBe(false)
    expect(ok(t({ color: "red", qty: 5, price: 0 }))).toBe(true)
    expect(ok(t({ color: "green", qty: 1, price: 100 }))).toBe(false)
  })

  it("reports problems", () => {
    const bad = Schema.decodeUnknownSync(Preferences)({
      weights: { color: 1, nope: 1 },
      evaluations: { color: { kind: "options", scores: { red: 1 } } },
    })
    expect(preferencesProblem(bad, issues)).toMatch(/nope/)
    expect(
      Either.isLeft(
        Schema.decodeUnknownEither(Preferences, { onExcessProperty: "error" })({
          weights: { "a.b": 1 },
          evaluations: {},
        }),
      ),
    ).toBe(true)
  })

  it("accepts custom utility functions", () => {
    const custom: CustomPreferences = {
      kind: "custom",
      utility: (x) => (x["qty" as never] === 5 ? 1 : 0),
    }
    expect(utility(custom, issues)(t({ qty: 5 }))).toBe(1)
  })
})
