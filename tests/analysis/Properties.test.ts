import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { analyze, type PartyProfile } from "../../src/analysis/Analyze.ts"
import type { Preferences } from "../../src/analysis/Preferences.ts"
import type { Issue } from "../../src/domain/Issue.ts"
import { bruteForce, dom } from "./helpers.ts"

/** Random small domains: 1-4 issues (discrete or integer), 2-4 parties, integer scores (ties on purpose). */
const domain = fc
  .record({
    issues: fc.array(
      fc.oneof(
        fc.integer({ min: 1, max: 4 }).map((n) => ({ kind: "discrete" as const, n })),
        fc.integer({ min: 0, max: 3 }).map((n) => ({ kind: "integer" as const, n })),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    parties: fc.integer({ min: 2, max: 4 }),
  })
  .chain(({ issues, parties }) =>
    fc
      .array(
        fc.record({
          weights: fc.array(fc.integer({ min: 0, max: 5 }), {
            minLength: issues.length,
            maxLength: issues.length,
          }),
          scores: fc.array(
            fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 5, maxLength: 5 }),
            {
              minLength: issues.length,
              maxLength: issues.length,
            },
          ),
          best: fc.array(fc.boolean(), { minLength: issues.length, maxLength: issues.length }),
          reservation: fc.constantFrom(0, 0.2, 0.5),
        }),
        { minLength: parties, maxLength: parties },
      )
      .map((ps) => {
        const is: Array<Issue> = issues.map((spec, i) =>
          spec.kind === "discrete"
            ? ({
                kind: "discrete",
                id: `i${i}`,
                options: Array.from({ length: spec.n }, (_, k) => `o${k}`),
              } as unknown as Issue)
            : ({ kind: "integer", id: `i${i}`, min: 0, max: spec.n } as unknown as Issue),
        )
        const profiles: Array<PartyProfile> = ps.map((p, j) => {
          const weights: Record<string, number> = {}
          const evaluations: Record<string, Preferences["evaluations"][never]> = {}
          is.forEach((issue, i) => {
            weights[issue.id] = p.weights[i]! + (i === 0 ? 1 : 0)
            evaluations[issue.id] =
              issue.kind === "discrete"
                ? {
                    kind: "options",
                    normalize: "max",
                    scores: Object.fromEntries(issue.options.map((o, k) => [o, p.scores[i]![k]!])),
                  }
                : { kind: "monotone", best: p.best[i] ? "max" : "min" }
          })
          return {
            party: `p${j}`,
            preferences: {
              kind: "linear-additive",
              weights: weights as Preferences["weights"],
              evaluations: evaluations as Preferences["evaluations"],
              reservation: p.reservation,
              discount: 1,
              discountPerRound: 1,
              redLines: {},
            },
          }
        })
        return { issues: is, profiles }
      }),
  )

const setup = (d: { issues: Array<Issue>; profiles: Array<PartyProfile> }) => {
  const a = Either.getOrThrow(analyze(d.issues, d.profiles))
  const all = bruteForce(d.issues, d.profiles)
  const vec = (u: Readonly<Record<string, number>>) => a.parties.map((p) => u[p]!)
  const front = a.paretoFrontier.map((e) => vec(e.utilities))
  const same = (x: ReadonlyArray<number>, y: ReadonlyArray<number>) =>
    x.every((v, i) => Math.abs(v - y[i]!) <= 1e-12)
  return { a, all, vec, front, same }
}

describe("analysis properties", () => {
  it("property: no frontier point is dominated by any outcome", () => {
    fc.assert(
      fc.property(domain, (d) => {
        const { all, front, same } = setup(d)
        return front.every((f) => !all.some((o) => dom(o.u, f) && !same(o.u, f)))
      }),
      { numRuns: 200 },
    )
  })

  it("property: every outcome is dominated by or equal to a frontier point", () => {
    fc.assert(
      fc.property(domain, (d) => {
        const { all, front, same } = setup(d)
        return all.every((o) => front.some((f) => dom(f, o.u) || same(f, o.u)))
      }),
      { numRuns: 200 },
    )
  })

  it("property: Nash, Kalai-Smorodinsky, egalitarian and max welfare lie on the frontier", () => {
    fc.assert(
      fc.property(domain, (d) => {
        const { a, vec, front, same } = setup(d)
        return [a.nash, a.kalaiSmorodinsky, a.egalitarian, a.maxWelfare].every(
          (p) => p === undefined || front.some((f) => same(f, vec(p.utilities))),
        )
      }),
      { numRuns: 200 },
    )
  })

  it("property: Nash exists exactly when some outcome is individually rational, and maximises the Nash product", () => {
    fc.assert(
      fc.property(domain, (d) => {
        const { a, all, vec } = setup(d)
        const r = d.profiles.map((p) => p.preferences.reservation ?? 0)
        const rational = all.filter((o) => o.u.every((x, i) => x >= r[i]!))
        if (rational.length !== a.individuallyRational) return false
        if (rational.length === 0) return a.nash === undefined && a.kalaiSmorodinsky === undefined
        const best = Math.max(...rational.map((o) => o.u.reduce((s, x, i) => s * (x - r[i]!), 1)))
        const got = vec(a.nash!.utilities).reduce((s, x, i) => s * (x - r[i]!), 1)
        return Math.abs(best - got) <= 1e-12
      }),
      { numRuns: 200 },
    )
  })

  it("property: every utility lies in [0, 1]", () => {
    fc.assert(
      fc.property(domain, (d) => {
        const { all, front } = setup(d)
        return [...all.map((o) => o.u), ...front].every((u) =>
          u.every((x) => x >= 0 && x <= 1 + 1e-12),
        )
      }),
      { numRuns: 200 },
    )
  })

  it("red lines remove outcomes from the analysis", () => {
    const issues = [
      { kind: "discrete", id: "a", options: ["x", "y"] },
      { kind: "discrete", id: "b", options: ["x", "y"] },
    ] as unknown as Array<Issue>
    const prefs = (best: string, red: Record<string, Array<string>>): Preferences =>
      ({
        kind: "linear-additive",
        weights: { a: 1, b: 1 },
        evaluations: {
          a: { kind: "options", normalize: "max", scores: { [best]: 1 } },
          b: { kind: "options", normalize: "max", scores: { [best]: 1 } },
        },
        reservation: 0,
        discount: 1,
        discountPerRound: 1,
        redLines: red,
      }) as unknown as Preferences
    const a = Either.getOrThrow(
      analyze(issues, [
        { party: "p", preferences: prefs("x", { a: ["y"] }) },
        { party: "q", preferences: prefs("y", {}) },
      ]),
    )
    expect(a.outcomes).toBe(4)
    expect(a.excludedByRedLines).toBe(2)
    for (const p of a.paretoFrontier) expect(p.terms["a" as never]).toBe("x")
  })
})
