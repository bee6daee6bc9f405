import { readFileSync } from "node:fs"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { importGeniusFolder } from "../../src/analysis/Genius.ts"
import { termsAt } from "../../src/analysis/OutcomeSpace.ts"
import { utility } from "../../src/analysis/Preferences.ts"
import { solveLp } from "../../src/analysis/Simplex.ts"
import {
  elicitRank,
  estimateAccuracy,
  estimateFromRanking,
  geniusRanking,
  parseGeniusUncertainty,
  rankingSpace,
} from "../../src/analysis/Uncertainty.ts"
import { fixture } from "./helpers.ts"

// README of the reference data: <comparisons> per profile and the true minimum utility (max is 1)
const DOMAINS: ReadonlyArray<[string, ReadonlyArray<[number, number]>]> = [
  [
    "Laptop",
    [
      [10, 0.35042],
      [10, 0.352692],
    ],
  ],
  [
    "JapanTrip",
    [
      [10, 0.255714],
      [20, 0.295],
      [50, 0.29],
    ],
  ],
  [
    "Jobs",
    [
      [50, 0.196667],
      [10, 0.160145],
    ],
  ],
  [
    "Party",
    [
      [100, 0.31331],
      [10, 0.130748],
    ],
  ],
  [
    "Politics",
    [
      [100, 0.044771],
      [20, 0.03683],
      [100, 0.067389],
    ],
  ],
]

describe("GENIUS preference-uncertainty profiles", () => {
  for (const [name, expected] of DOMAINS) {
    it(`${name}: settings, GENIUS 10.4's ranking rule, and the LP estimate's accuracy`, async () => {
      const g = await Effect.runPromise(
        importGeniusFolder(fixture(`uncertainty/${name}`)).pipe(
          Effect.provide(NodeFileSystem.layer),
        ),
      )
      const space = Either.getOrThrow(rankingSpace(g.issues))
      expect(g.profiles.length).toBe(expected.length)
      g.profiles.forEach((p, k) => {
        const s = Either.getOrThrow(parseGeniusUncertainty(readFileSync(p.file, "utf8"), p.file))
        expect(s).toEqual({
          comparisons: expected[k]![0],
          errors: 0,
          elicitationCost: 0,
          fixedSeed: true,
          experimental: false,
        })
        const r = geniusRanking(space, p.preferences, s!.comparisons)
        expect(r.outcomes.length).toBe(s!.comparisons)
        expect(new Set(r.outcomes).size).toBe(r.outcomes.length)
        expect(Number(r.lowUtility.toFixed(6))).toBe(expected[k]![1])
        expect(r.highUtility).toBeCloseTo(1, 12)
        const u = utility(p.preferences, g.issues)
        const us = r.outcomes.map((i) => u(termsAt(space, i)))
        for (let j = 1; j < us.length; j++) expect(us[j]!).toBeGreaterThanOrEqual(us[j - 1]!)
        const e = estimateFromRanking(space, r)
        expect(e.slack).toBeCloseTo(0, 9) // an additive estimate can order any ranking of an additive truth
        for (let j = 1; j < us.length; j++)
          expect(e.utility(termsAt(space, r.outcomes[j]!))).toBeGreaterThanOrEqual(
            e.utility(termsAt(space, r.outcomes[j - 1]!)) - 1e-9,
          )
        const a = estimateAccuracy(space, p.preferences, e.utility)
        expect(a.spearman).toBeGreaterThan(s!.comparisons >= 50 ? 0.99 : 0.1)
        if (s!.comparisons >= 50) expect(a.meanAbsoluteError).toBeLessThan(0.05)
      })
    }, 60_000)
  }

  it("a linear profile has no uncertainty settings; bad numbers name the element", () => {
    const xml = (body: string) =>
      `<utility_space type="UNCERTAIN"><objective/>${body}</utility_space>`
    expect(
      Either.getOrThrow(
        parseGeniusUncertainty("<utility_space><objective/></utility_space>", "a.xml"),
      ),
    ).toBeUndefined()
    const bad = parseGeniusUncertainty(xml("<comparisons> ten </comparisons>"), "b.xml")
    expect(Either.isLeft(bad) && bad.left.message).toBe(
      'b.xml: utility_space/comparisons: not a non-negative integer: "ten"',
    )
    expect(
      Either.getOrThrow(
        parseGeniusUncertainty(xml("<elicitation_cost>0.01</elicitation_cost>"), "c.xml"),
      )?.elicitationCost,
    ).toBe(0.01)
  })
})

describe("simplex", () => {
  it("solves a small program exactly and reports infeasibility", () => {
    // min -x - y, x + 2y + s1 = 4, 3x + y + s2 = 6: optimum x = 1.6, y = 1.2
    const r = solveLp(
      [
        [1, 2, 1, 0],
        [3, 1, 0, 1],
      ],
      [4, 6],
      [-1, -1, 0, 0],
    )
    expect(r.status).toBe("optimal")
    if (r.status === "optimal") {
      expect(r.x[0]).toBeCloseTo(1.6, 9)
      expect(r.x[1]).toBeCloseTo(1.2, 9)
      expect(r.value).toBeCloseTo(-2.8, 9)
    }
    expect(solveLp([[1, 1]], [-1], [1, 1]).status).toBe("infeasible")
    expect(solveLp([[1, -1]], [0], [-1, 0]).status).toBe("unbounded")
  })
})

describe("elicitation and GENIUS 9.1.10's rule", () => {
  it("elicitRank inserts a bid at its true place and adds the cost once; 9.1.10 draws comparisons + 1 bids", async () => {
    const g = await Effect.runPromise(
      importGeniusFolder(fixture("uncertainty/Jobs")).pipe(Effect.provide(NodeFileSystem.layer)),
    )
    const space = Either.getOrThrow(rankingSpace(g.issues))
    const truth = g.profiles[1]!.preferences
    const u = utility(truth, g.issues)
    const start = { ranking: geniusRanking(space, truth, 10), bother: 0 }
    let e = start
    const asked = [7, 100, 250, 251, 400, 7]
    for (const k of asked) e = elicitRank(space, truth, e, k, 0.01)
    const fresh = new Set(asked.filter((k) => !start.ranking.outcomes.includes(k))).size
    expect(e.bother).toBeCloseTo(0.01 * fresh, 12)
    expect(e.ranking.outcomes.length).toBe(10 + fresh)
    const us = e.ranking.outcomes.map((i) => u(termsAt(space, i)))
    for (let j = 1; j < us.length; j++) expect(us[j]!).toBeGreaterThanOrEqual(us[j - 1]!)
    const old = geniusRanking(space, truth, 10, 314, "9.1.10")
    expect(old.outcomes.length).toBe(11)
    expect(old.lowUtility).toBe(u(termsAt(space, old.outcomes[0]!)))
    expect(old.highUtility).toBe(u(termsAt(space, old.outcomes[10]!)))
  })
})
