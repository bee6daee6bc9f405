import { readFileSync } from "node:fs"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { analyze } from "../../src/analysis/Analyze.ts"
import { importGenius, parseGeniusDomain } from "../../src/analysis/Genius.ts"
import {
  importGeniusFolderAny,
  parseGeniusNonlinearProfile,
} from "../../src/analysis/GeniusNonlinear.ts"
import type { Imported } from "../../src/analysis/Import.ts"
import { HyperRectangles } from "../../src/analysis/Nonlinear.ts"
import {
  type FilePreferences,
  preferencesProblem,
  utility,
} from "../../src/analysis/Preferences.ts"
import type { Issue, Terms } from "../../src/domain/Issue.ts"
import { fixture } from "./helpers.ts"

const load = (dir: string): Promise<Imported<FilePreferences>> =>
  Effect.runPromise(importGeniusFolderAny(fixture(dir)).pipe(Effect.provide(NodeFileSystem.layer)))

/** Terms of a bid written as the values of GENIUS issue index 1, 2, ..., n. */
const bid = (g: Imported<FilePreferences>, values: ReadonlyArray<number>): Terms => {
  const terms: Record<string, number> = {}
  // every domain here declares its issues in index order 1..n
  g.issues.forEach((issue, k) => {
    terms[issue.id] = values[k]!
  })
  return terms as Terms
}

const utilities = (g: Imported<FilePreferences>, terms: Terms) =>
  g.profiles.map((p) => utility(p.preferences, g.issues)(terms))

// README of the reference data: raw sums and utilities of bids A (all 0), B (all 9), C ((k-1) mod 10)
const REFERENCE: ReadonlyArray<{
  dir: string
  n: number
  a: [number, number]
  b: [number, number]
  c: [number, number]
}> = [
  { dir: "nonlinear/simple", n: 3, a: [0, 0], b: [0.142857, 0], c: [0, 0.375] },
  {
    dir: "anac2014/10issues",
    n: 10,
    a: [0.280967, 0.59887],
    b: [0.019637, 0.218079],
    c: [0.155589, 0.349153],
  },
  {
    dir: "anac2014/10issuesDiscountedwithRV",
    n: 10,
    a: [0.461417, 0.290667],
    b: [0.373228, 0.105333],
    c: [0.770079, 0.538667],
  },
  {
    dir: "nonlinear/S-1NAGUNL-114",
    n: 10,
    a: [0.419453, 0.243655],
    b: [0.319909, 0.366497],
    c: [0.731003, 0.588832],
  },
  {
    dir: "anac2014/30issuesDiscounted",
    n: 30,
    a: [0.175481, 0.251523],
    b: [0.28766, 0.20235],
    c: [0.397436, 0.684943],
  },
  {
    dir: "anac2014/50issueswithRV",
    n: 40,
    a: [0.277999, 0.210642],
    b: [0.300861, 0.33928],
    c: [0.570908, 0.57277],
  },
]

describe("GENIUS non-linear profiles", () => {
  for (const r of REFERENCE) {
    it(`${r.dir}: named bids score as GENIUS's rules give`, async () => {
      const g = await load(r.dir)
      expect(g.issues.length).toBe(r.n)
      expect(g.profiles.map((p) => p.preferences.kind)).toEqual([
        "hyper-rectangles",
        "hyper-rectangles",
      ])
      const all = (v: number) =>
        bid(
          g,
          Array.from({ length: r.n }, () => v),
        )
      const u = (t: Terms) => utilities(g, t).map((x) => Number(x.toFixed(6)))
      expect(u(all(0))).toEqual(r.a)
      expect(u(all(9))).toEqual(r.b)
      expect(
        u(
          bid(
            g,
            Array.from({ length: r.n }, (_, k) => k % 10),
          ),
        ),
      ).toEqual(r.c)
      for (const p of g.profiles)
        expect(preferencesProblem(p.preferences, g.issues)).toBeUndefined()
    })
  }

  it("utilities are exact rationals raw / maxutility (10issues, bid A: 186/662, 530/885)", async () => {
    const g = await load("anac2014/10issues")
    const u = utilities(
      g,
      bid(
        g,
        Array.from({ length: 10 }, () => 0),
      ),
    )
    expect(u).toEqual([186 / 662, 530 / 885])
  })

  it("reads discount and reservation as linear profiles do", async () => {
    const g = await load("anac2014/10issuesDiscountedwithRV")
    for (const p of g.profiles) {
      expect(p.preferences.discount).toBe(0.5)
      expect(p.preferences.reservation).toBe(0.75)
    }
    const s = await load("nonlinear/S-1NAGUNL-114")
    expect(s.profiles.map((p) => [p.preferences.discount, p.preferences.reservation])).toEqual([
      [0.95, 0.6],
      [0.95, 0.5],
    ])
  })

  it("simple (1000 outcomes): exhaustive analysis gives the one Pareto bid (4,5,7) at (1, 1), and hand-checked bids", async () => {
    const g = await load("nonlinear/simple")
    expect(utilities(g, bid(g, [4, 5, 6]))).toEqual([120 / 140, 1])
    expect(utilities(g, bid(g, [2, 4, 7]))).toEqual([50 / 140, 0.5])
    const a = Either.getOrThrow(analyze(g.issues, g.profiles))
    expect(a.outcomes).toBe(1000)
    expect(a.paretoFrontier.length).toBe(1)
    expect(Object.values(a.paretoFrontier[0]!.utilities)).toEqual([1, 1])
    expect(Object.values(a.paretoFrontier[0]!.terms)).toEqual([4, 5, 7])
  })

  it("Nash / KS bids of the reference data lie on GENIUS's pareto.xml", async () => {
    const cases: ReadonlyArray<[string, Array<number>, [number, number]]> = [
      ["anac2014/10issues", [5, 5, 8, 7, 0, 3, 0, 0, 6, 5], [0.758308, 0.916384]],
      ["anac2014/10issuesDiscountedwithRV", [1, 0, 7, 0, 0, 8, 0, 9, 8, 5], [0.900787, 0.877333]],
      ["nonlinear/S-1NAGUNL-114", [4, 7, 8, 6, 2, 4, 2, 0, 3, 6], [0.944529, 0.993909]],
    ]
    for (const [dir, values, expected] of cases) {
      const g = await load(dir)
      const u = utilities(g, bid(g, values))
      expect(u.map((x) => Number(x.toFixed(6)))).toEqual(expected)
      const pareto = readFileSync(fixture(`${dir}/pareto.xml`), "utf8")
        .trim()
        .split(/\r?\n/)
        .map((l) => l.split(",").map(Number))
      expect(
        pareto.some(([x, y]) => Math.abs(x! - u[0]!) < 1e-6 && Math.abs(y! - u[1]!) < 1e-6),
      ).toBe(true)
    }
  })

  it("EXCLUDES: a rectangle counts when some bound is violated (S-1NAGUNL-114 differs from an INCLUDES reading)", async () => {
    const g = await load("nonlinear/S-1NAGUNL-114")
    const p = g.profiles[0]!.preferences
    if (p.kind !== "hyper-rectangles") throw new Error("expected hyper-rectangles")
    const excl = p.rectangles.filter((r) => (r.excludes?.length ?? 0) > 0)
    expect(excl.length).toBeGreaterThan(0)
    const asIncludes = {
      ...p,
      rectangles: p.rectangles.map((r) =>
        r.excludes === undefined ? r : { utility: r.utility, includes: r.excludes },
      ),
    }
    const t = bid(
      g,
      Array.from({ length: 10 }, () => 0),
    )
    expect(utility(asIncludes, g.issues)(t)).not.toBe(utility(p, g.issues)(t))
  })

  it("the linear importer refuses a non-linear profile, naming the file and the element", async () => {
    const r = await Effect.runPromise(
      Effect.either(
        importGenius(fixture("anac2014/10issues/10issues-domain.xml"), [
          fixture("anac2014/10issues/profile-1.xml"),
        ]).pipe(Effect.provide(NodeFileSystem.layer)),
      ),
    )
    expect(Either.isLeft(r) && r.left.message).toMatch(
      /profile-1\.xml: utility_space@type: a non-linear/,
    )
  })

  it("bad bounds are errors naming the element", async () => {
    const d = Either.getOrThrow(
      parseGeniusDomain(
        readFileSync(fixture("nonlinear/simple/simple-domain.xml"), "utf8"),
        "simple-domain.xml",
      ),
    )
    const profile = (rect: string, max = "140") =>
      `<!-- c -->\n<?xml version="1.0"?>\n<utility_space type="nonlinear"><objective><utility maxutility="${max}"><ufun aggregation="sum">${rect}</ufun></utility></objective></utility_space>`
    const err = (text: string) => {
      const r = parseGeniusNonlinearProfile(text, "p.xml", d)
      return Either.isLeft(r) ? r.left.message : "ok"
    }
    expect(
      err(
        profile(
          '<hyperRectangle utility="3"><INCLUDES index="7" min="0" max="1"/></hyperRectangle>',
        ),
      ),
    ).toBe(
      'p.xml: utility_space/objective/utility/ufun/hyperRectangle[1]/INCLUDES[1]@index: no domain issue has index "7"',
    )
    expect(err(profile('<hyperRectangle utility="x"/>'))).toMatch(
      /hyperRectangle\[1\]@utility: not a number/,
    )
    expect(
      err(
        profile(
          '<hyperRectangle utility="3"><EXCLUDES index="1" min="5" max="1"/></hyperRectangle>',
        ),
      ),
    ).toMatch(/EXCLUDES\[1\]: min 5 is greater than max 1/)
    expect(err(profile("", "0"))).toMatch(/utility@maxutility: not a positive number/)
  })
})

describe("hyper-rectangle preferences written by hand", () => {
  const issues: ReadonlyArray<Issue> = [
    { kind: "integer", id: "x" as Issue["id"], min: 0, max: 9 },
    { kind: "integer", id: "y" as Issue["id"], min: 0, max: 9 },
    { kind: "discrete", id: "colour" as Issue["id"], options: ["red", "blue"] },
  ]
  const decode = Schema.decodeUnknownEither(HyperRectangles, { onExcessProperty: "error" })

  it("sum, min, max and nested functions aggregate as GENIUS's UtilityFunction", async () => {
    const p = Either.getOrThrow(
      decode({
        kind: "hyper-rectangles",
        maxUtility: 10,
        rectangles: [
          { utility: 4, includes: [{ issue: "x", min: 2, max: 5 }] },
          { utility: 3, weight: 2, excludes: [{ issue: "y", min: 0, max: 4 }] },
          { utility: 1 },
        ],
        ufuns: [
          {
            aggregation: "min",
            weight: 0.5,
            rectangles: [
              { utility: 6, includes: [{ issue: "x", min: 0, max: 9 }] },
              { utility: 2, includes: [{ issue: "y", min: 9, max: 9 }] },
            ],
          },
          { aggregation: "max", weight: 1, rectangles: [] },
        ],
      }),
    )
    const u = utility(p, issues)
    // x=3,y=9: 4 + 6 + 1 + 0.5*min(6,2) + 1*(-(2^31-1)) -> negative raw, clamped to 0
    expect(u({ x: 3, y: 9, colour: "red" } as Terms)).toBe(0)
    const q = { ...p, ufuns: p.ufuns.slice(0, 1) }
    const v = utility(q, issues)
    expect(v({ x: 3, y: 9, colour: "red" } as Terms)).toBe(1) // 4 + 6 + 1 + 1 = 12 > 10
    expect(v({ x: 3, y: 2, colour: "red" } as Terms)).toBe(0.5) // 4 + 0 + 1 + 0.5*min(6, 0) = 5
    expect(v({ x: 7, y: 5, colour: "red" } as Terms)).toBe(0.7) // 0 + 6 + 1 + 0 = 7
    expect(v({ y: 5 } as Terms)).toBe(0.7) // missing x: outside every bound, an EXCLUDES holds
  })

  it("errors name the field", async () => {
    const problem = (x: unknown) => preferencesProblem(Either.getOrThrow(decode(x)), issues)
    const base = { kind: "hyper-rectangles", maxUtility: 1 }
    expect(
      problem({
        ...base,
        rectangles: [{ utility: 1, includes: [{ issue: "z", min: 0, max: 1 }] }],
      }),
    ).toBe('rectangles[0].includes[0].issue: unknown issue "z"')
    expect(
      problem({
        ...base,
        ufuns: [{ rectangles: [{ utility: 1, excludes: [{ issue: "colour", min: 0, max: 1 }] }] }],
      }),
    ).toMatch(/^ufuns\[0\]\.rectangles\[0\]\.excludes\[0\]\.issue: "colour" is discrete/)
    expect(
      problem({
        ...base,
        rectangles: [
          {
            utility: 1,
            includes: [{ issue: "x", min: 0, max: 1 }],
            excludes: [{ issue: "y", min: 0, max: 1 }],
          },
        ],
      }),
    ).toBe("rectangles[0]: give includes or excludes, not both")
    expect(Either.isLeft(decode({ ...base, maxUtility: 0 }))).toBe(true)
    expect(Either.isLeft(decode({ ...base, rectangles: [{ utility: 1, inclusions: [] }] }))).toBe(
      true,
    )
  })
})
