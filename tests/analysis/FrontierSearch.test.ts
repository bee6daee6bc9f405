import { readFileSync } from "node:fs"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { analyze, renderAnalysis } from "../../src/analysis/Analyze.ts"
import { frontierQuality } from "../../src/analysis/FrontierSearch.ts"
import { importGeniusFolderAny, parseGeniusPareto } from "../../src/analysis/GeniusNonlinear.ts"
import { utility } from "../../src/analysis/Preferences.ts"
import { fixture } from "./helpers.ts"

const load = (dir: string) =>
  Effect.runPromise(importGeniusFolderAny(fixture(dir)).pipe(Effect.provide(NodeFileSystem.layer)))

const pareto = (dir: string) =>
  Either.getOrThrow(
    parseGeniusPareto(readFileSync(fixture(`${dir}/pareto.xml`), "utf8"), `${dir}/pareto.xml`),
  )

describe("analysis of spaces too large to enumerate", () => {
  for (const dir of ["anac2014/10issues", "nonlinear/S-1NAGUNL-114", "anac2014/50issueswithRV"]) {
    it(`${dir}: an approximate frontier reaching >= 90% of GENIUS's pareto.xml within 0.01`, async () => {
      const g = await load(dir)
      const started = Date.now()
      const a = Either.getOrThrow(analyze(g.issues, g.profiles))
      const seconds = (Date.now() - started) / 1000
      expect(a.approximate?.method).toMatch(/simulated annealing/)
      expect(a.outcomes / 10 ** g.issues.length).toBeCloseTo(1, 12)
      expect(seconds).toBeLessThan(60)
      const found = a.paretoFrontier.map((e) => a.parties.map((p) => e.utilities[p]!))
      const q = frontierQuality(found, pareto(dir))
      expect(q.reached).toBeGreaterThanOrEqual(0.9)
      // each reported point's terms give its utilities
      const fns = g.profiles.map((p) => utility(p.preferences, g.issues))
      for (const e of a.paretoFrontier)
        expect(fns.map((f) => f(e.terms))).toEqual(a.parties.map((p) => e.utilities[p]))
      expect(renderAnalysis(a)).toMatch(/APPROXIMATE/)
    }, 120_000)
  }

  it("reaches the reference data's exact Nash point of 10issuesDiscountedwithRV (0.900787, 0.877333)", async () => {
    const g = await load("anac2014/10issuesDiscountedwithRV")
    const a = Either.getOrThrow(analyze(g.issues, g.profiles))
    expect(Object.values(a.nash!.utilities).map((x) => Number(x.toFixed(6)))).toEqual([
      0.900787, 0.877333,
    ])
  }, 120_000)

  it("small spaces keep the exact path; exactLimit forces the search, which then finds the exact frontier", async () => {
    const g = await load("nonlinear/simple")
    const exact = Either.getOrThrow(analyze(g.issues, g.profiles))
    expect(exact.approximate).toBeUndefined()
    const searched = Either.getOrThrow(
      analyze(g.issues, g.profiles, { exactLimit: 10, steps: 2000 }),
    )
    expect(searched.approximate).toBeDefined()
    expect(searched.paretoFrontier.map((e) => e.utilities)).toEqual(
      exact.paretoFrontier.map((e) => e.utilities),
    )
  })

  it("frontierQuality: the additive epsilon per reference point", () => {
    const q = frontierQuality(
      [
        [1, 0.5],
        [0.5, 0.995],
      ],
      [
        [1, 0.5],
        [0.5, 1],
        [0.8, 0.8],
      ],
    )
    expect(q.reached).toBeCloseTo(2 / 3, 12)
    expect(q.largestGap).toBeCloseTo(0.3, 12)
    expect(Either.isLeft(parseGeniusPareto("0.5, 1\nx, 2\n", "p.xml"))).toBe(true)
  })
})
