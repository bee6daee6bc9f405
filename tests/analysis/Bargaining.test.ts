import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { finiteHorizon, finiteHorizonCommon, rubinstein } from "../../src/analysis/Bargaining.ts"

describe("alternating-offers equilibria", () => {
  it("Rubinstein: (1 - d2) / (1 - d1 d2)", () => {
    expect(Either.getOrThrow(rubinstein(0.9, 0.9)).proposer).toBeCloseTo(0.526316, 6)
    expect(Either.getOrThrow(rubinstein(0.9, 0.8)).proposer).toBeCloseTo(0.714286, 6)
    expect(Either.isLeft(rubinstein(1, 1))).toBe(true)
    expect(Either.isLeft(rubinstein(1.2, 0.5))).toBe(true)
  })

  it("finite horizon by backward induction: 0.91 for delta 0.9 and T = 3", () => {
    expect(Either.getOrThrow(finiteHorizon(0.9, 0.9, 3)).proposer).toBeCloseTo(0.91, 12)
    expect(Either.getOrThrow(finiteHorizon(0.9, 0.9, 1)).proposer).toBe(1)
    expect(Either.getOrThrow(finiteHorizon(0.9, 0.9, 2)).proposer).toBeCloseTo(0.1, 12)
    expect(finiteHorizonCommon(0.9, 3)).toBeCloseTo(0.91, 12)
    expect(Either.isLeft(finiteHorizon(0.9, 0.9, 0))).toBe(true)
  })

  it("property: backward induction equals the closed form for a common factor", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        (d, t) => {
          const x = Either.getOrThrow(finiteHorizon(d, d, t)).proposer
          return Math.abs(x - finiteHorizonCommon(d, t)) < 1e-9
        },
      ),
    )
  })

  it("property: the finite-horizon split converges to Rubinstein's as T grows", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.95, noNaN: true }),
        fc.double({ min: 0, max: 0.95, noNaN: true }),
        (d1, d2) => {
          const inf = Either.getOrThrow(rubinstein(d1, d2)).proposer
          const fin = Either.getOrThrow(finiteHorizon(d1, d2, 1001)).proposer
          return Math.abs(inf - fin) < 1e-6
        },
      ),
    )
  })
})
