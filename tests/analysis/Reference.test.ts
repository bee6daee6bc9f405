import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import {
  type Analysis,
  agreementEfficiency,
  analyze,
  offerMetrics,
  renderAnalysis,
} from "../../src/analysis/Analyze.ts"
import { importGenius, importGeniusFolder } from "../../src/analysis/Genius.ts"
import { bruteForce, dom, fixture } from "./helpers.ts"

const vec = (a: Analysis, p: { utilities: Readonly<Record<string, number>> } | undefined) =>
  p === undefined ? [] : a.parties.map((name) => p.utilities[name]!)

const close = (actual: ReadonlyArray<number>, expected: ReadonlyArray<number>) => {
  expect(actual.length).toBe(expected.length)
  for (const [i, x] of actual.entries()) expect(Math.abs(x - expected[i]!)).toBeLessThan(1e-6)
}

const reference = [
  {
    name: "anac2011/Laptop",
    domain: "laptop_domain.xml",
    profiles: ["laptop_buyer_utility.xml", "laptop_seller_utility.xml"],
    outcomes: 27,
    pareto: 4,
    nash: [1.0, 0.815063],
    welfare: [1.0, 0.815063],
    ks: [0.873979, 0.873979],
  },
  {
    name: "anac2010/EnglandZimbabwe",
    domain: "EnglandZimbabwe_domain.xml",
    profiles: ["England.xml", "Zimbabwe.xml"],
    outcomes: 576,
    pareto: 25,
    nash: [0.910916, 0.733218],
    welfare: [0.910916, 0.733218],
    ks: [0.822286, 0.78657],
  },
  {
    name: "anac2010/ItexvsCypress",
    domain: "ItexvsCypress_domain.xml",
    profiles: ["ItexvsCypress_Itex.xml", "ItexvsCypress_Cypress.xml"],
    outcomes: 180,
    pareto: 18,
    nash: [0.721478, 0.670478],
    welfare: [0.721478, 0.670478],
    ks: [0.721478, 0.670478],
  },
  {
    name: "anac2011/Amsterdam",
    domain: "Amsterdam_domain.xml",
    profiles: ["Amsterdam_party1.xml", "Amsterdam_party2.xml"],
    outcomes: 3024,
    pareto: 11,
    nash: [0.83, 0.855833],
    welfare: [0.83, 0.855833],
    ks: [0.83, 0.855833],
  },
]

const run = <A, E>(e: Effect.Effect<A, E, import("@effect/platform").FileSystem.FileSystem>) =>
  e.pipe(Effect.provide(NodeFileSystem.layer))

describe("published ANAC reference points (data README)", () => {
  for (const r of reference) {
    it.effect(
      `${r.name}: outcomes, Pareto count, Nash, max welfare, Kalai-Smorodinsky to 1e-6`,
      () =>
        run(
          Effect.gen(function* () {
            const dir = `genius/${r.name}`
            const imported = yield* importGenius(
              fixture(`${dir}/${r.domain}`),
              r.profiles.map((p) => fixture(`${dir}/${p}`)),
            )
            const a = yield* analyze(imported.issues, imported.profiles)
            assert.strictEqual(a.outcomes, r.outcomes)
            assert.strictEqual(a.paretoFrontier.length, r.pareto)
            close(vec(a, a.nash), r.nash)
            close(vec(a, a.maxWelfare), r.welfare)
            close(vec(a, a.kalaiSmorodinsky), r.ks)
            // the egalitarian point (GENIUS's "KS") has the smallest |u1 - u2| on the frontier
            const [e1, e2] = vec(a, a.egalitarian)
            for (const p of a.paretoFrontier) {
              const [x, y] = vec(a, p)
              expect(Math.abs(e1! - e2!)).toBeLessThanOrEqual(Math.abs(x! - y!) + 1e-12)
            }
            expect(renderAnalysis(a, { issues: imported.issues })).toContain("Nash")
          }),
        ),
    )
  }
})

const multilateral = ["group2-dinner", "group9-vacation", "group2-politics"]

describe("ANAC 2015 multilateral domains against brute force", () => {
  for (const name of multilateral) {
    it.effect(
      `${name}: frontier, Nash, KS, egalitarian and max welfare equal a brute-force pass`,
      () =>
        run(
          Effect.gen(function* () {
            const imported = yield* importGeniusFolder(fixture(`genius/anac2015/${name}`))
            expect(imported.profiles.length).toBeGreaterThanOrEqual(3)
            const a = yield* analyze(imported.issues, imported.profiles)
            const all = bruteForce(imported.issues, imported.profiles)
            assert.strictEqual(a.outcomes, all.length)
            const d = imported.profiles.map((p) => p.preferences.reservation)
            const rational = all.filter((o) => o.u.every((x, i) => x >= d[i]!))
            assert.strictEqual(a.individuallyRational, rational.length)
            // frontier vs brute force in O(n f): no outcome dominates a frontier point,
            // every outcome is dominated by or equal (to 1e-12) to one
            const front = a.paretoFrontier.map((p) => vec(a, p))
            const same = (x: ReadonlyArray<number>, y: ReadonlyArray<number>) =>
              x.every((v, i) => Math.abs(v - y[i]!) <= 1e-12)
            let onFrontier = 0
            let dominatesFrontier = 0
            let uncovered = 0
            for (const o of all) {
              for (const f of front) if (dom(o.u, f) && !same(o.u, f)) dominatesFrontier++
              const covered = front.some((f) => dom(f, o.u) && !same(f, o.u))
              if (!covered) {
                if (front.some((f) => same(f, o.u))) onFrontier++
                else uncovered++
              }
            }
            assert.strictEqual(dominatesFrontier, 0)
            assert.strictEqual(uncovered, 0)
            assert.strictEqual(
              a.paretoFrontier.reduce((s, p) => s + p.outcomes, 0),
              onFrontier,
            )
            // Nash product, KS min-gain, max welfare: brute-force maxima
            const nash = Math.max(
              ...rational.map((o) => o.u.reduce((s, x, i) => s * (x - d[i]!), 1)),
            )
            expect(vec(a, a.nash).reduce((s, x, i) => s * (x - d[i]!), 1)).toBeCloseTo(nash, 12)
            const welfare = Math.max(...all.map((o) => o.u.reduce((s, x) => s + x, 0)))
            expect(vec(a, a.maxWelfare).reduce((s, x) => s + x, 0)).toBeCloseTo(welfare, 12)
            const ideal = d.map((_, i) => Math.max(...rational.map((o) => o.u[i]!)))
            const gain = (u: ReadonlyArray<number>) =>
              Math.min(...u.map((x, i) => (x - d[i]!) / (ideal[i]! - d[i]!)))
            expect(gain(vec(a, a.kalaiSmorodinsky))).toBeCloseTo(
              Math.max(...rational.map((o) => gain(o.u))),
              12,
            )
            const spread = (u: ReadonlyArray<number>) => Math.max(...u) - Math.min(...u)
            const rationalFront = front.filter((u) => u.every((x, i) => x >= d[i]!))
            expect(spread(vec(a, a.egalitarian))).toBeCloseTo(
              Math.min(...rationalFront.map(spread)),
              12,
            )
          }),
        ),
    )
  }

  it.effect("group9-killer_robot (5 parties, integer issues) analyses consistently", () =>
    run(
      Effect.gen(function* () {
        const imported = yield* importGeniusFolder(fixture("genius/anac2015/group9-killer_robot"))
        const a = yield* analyze(imported.issues, imported.profiles)
        assert.strictEqual(a.outcomes, 240_000)
        assert.strictEqual(imported.profiles.length, 5)
        const front = a.paretoFrontier.map((p) => vec(a, p))
        // sample: no frontier point dominates another
        let dominated = 0
        for (let i = 0; i < front.length; i += 37)
          for (const q of front) if (dom(q, front[i]!)) dominated++
        assert.strictEqual(dominated, 0)
        const nash = vec(a, a.nash).join(",")
        expect(front.some((p) => p.join(",") === nash)).toBe(true)
      }),
    ),
  )
})

describe("agreement metrics", () => {
  it.effect("the Nash point of Laptop has welfare and Nash ratio 1 and lies on the frontier", () =>
    run(
      Effect.gen(function* () {
        const imported = yield* importGeniusFolder(fixture("genius/anac2011/Laptop"))
        const a = yield* analyze(imported.issues, imported.profiles)
        const e = agreementEfficiency(a, imported.issues, imported.profiles, a.nash!.terms)
        expect(e.welfareRatio).toBeCloseTo(1, 12)
        expect(e.nashRatio).toBeCloseTo(1, 12)
        assert.strictEqual(e.distanceToFrontier, 0)
        const none = agreementEfficiency(a, imported.issues, imported.profiles, undefined)
        assert.strictEqual(none.welfare, 0)
        // GENIUS discounts by normalised time: u * d^t, with d = 0.42441038 in the profile.
        const at = (time: number) =>
          agreementEfficiency(a, imported.issues, imported.profiles, a.nash!.terms, {
            time,
            round: 37,
          }).utilities.laptop_buyer_utility!
        const u = e.utilities.laptop_buyer_utility!
        expect(at(1)).toBeCloseTo(u * 0.42441038, 7)
        expect(at(0.5)).toBeCloseTo(u * Math.sqrt(0.42441038), 7)
        expect(at(0)).toBe(u)
        const m = offerMetrics(a, imported.issues, imported.profiles)
        for (const p of a.paretoFrontier) assert.isTrue(m(p.terms).paretoOptimal)
        assert.strictEqual(m(a.nash!.terms).distanceToNash, 0)
      }),
    ),
  )
})
