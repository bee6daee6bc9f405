import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { analyze } from "../../src/analysis/Analyze.ts"
import {
  checkAnalysisFrontier,
  checkFrontier,
  type FrontierCheck,
} from "../../src/analysis/FrontierCheck.ts"
import { importGeniusFolder } from "../../src/analysis/Genius.ts"
import { importGeniusWebFolder } from "../../src/analysis/GeniusWeb.ts"
import { makeFrontier, paretoFrontier } from "../../src/analysis/Pareto.ts"
import { fixture } from "./helpers.ts"

const run = <A, E>(e: Effect.Effect<A, E, import("@effect/platform").FileSystem.FileSystem>) =>
  e.pipe(Effect.provide(NodeFileSystem.layer))

/** Folders under `dir` (recursively) that hold files ending in `ext`. */
const domainFolders = (dir: string, ext: string): Array<string> => {
  const out: Array<string> = []
  const walk = (d: string) => {
    const entries = readdirSync(d).sort()
    if (entries.some((e) => e.endsWith(ext))) out.push(d)
    for (const e of entries) if (statSync(join(d, e)).isDirectory()) walk(join(d, e))
  }
  walk(dir)
  return out
}

// 0.87875 and 0.8787499999999999 are one utility (ANAC 2011 Energy has both)
/** Every point of the frontier exact: none dominated, no outcome missing, no duplicate, right counts. */
const expectExact = (c: FrontierCheck) =>
  expect({ ...c, missing: c.missing.slice(0, 5) }).toMatchObject({
    dominated: [],
    missing: [],
    duplicates: [],
    countMismatch: false,
    ok: true,
  })

const x = 0.87875
const xLow = 0.8787499999999999

describe("Pareto frontier within rounding", () => {
  it("two parties: a point tied (to rounding) on one party and worse on the other is dominated", () => {
    for (const points of [
      [
        [x, 0.36771428571428577],
        [xLow, 0.40142857142857147],
      ],
      [
        [xLow, 0.40142857142857147],
        [x, 0.36771428571428577],
      ],
    ]) {
      const f = paretoFrontier(points)
      expect(f.map((p) => p.utilities)).toEqual([[xLow, 0.40142857142857147]])
    }
  })

  it("two parties: outcomes equal to rounding are one point, counted together, the first kept", () => {
    const f = paretoFrontier([
      [0.3, 0.7],
      [0.1 + 0.2, 0.7],
      [0.3, 0.7000000000000001],
      [0.2, 0.9],
    ])
    expect(f.map((p) => [p.index, p.count])).toEqual([
      [0, 3],
      [3, 1],
    ])
  })

  it("three and one parties: the same rule", () => {
    const f = paretoFrontier([
      [x, 0.5, 0.5],
      [xLow, 0.6, 0.5],
      [0.5, 0.5, 0.9],
      [0.5, 0.5, 0.9000000000000001],
    ])
    expect(f.map((p) => [p.index, p.count])).toEqual([
      [1, 1],
      [2, 2],
    ])
    const one = makeFrontier(1)
    one.add(0, [x])
    one.add(1, [xLow])
    one.add(2, [0.5])
    expect(one.points()).toEqual([{ index: 0, utilities: [x], count: 2 }])
  })
})

describe("exhaustive frontier check", () => {
  it.effect("finds a dominated point, a missing one and a duplicate in a doctored frontier", () =>
    run(
      Effect.gen(function* () {
        const imported = yield* importGeniusFolder(fixture("genius/anac2011/Laptop"))
        const a = yield* analyze(imported.issues, imported.profiles)
        const good = checkAnalysisFrontier(a, imported.issues, imported.profiles)
        assert.isTrue(good.ok)
        const [first, second, ...rest] = a.paretoFrontier
        const worse = {
          ...first!,
          utilities: Object.fromEntries(
            Object.entries(first!.utilities).map(([p, u], i) => [p, i === 0 ? u : u - 0.01]),
          ),
        }
        const bad = checkAnalysisFrontier(
          { ...a, paretoFrontier: [worse, second!, second!, ...rest] },
          imported.issues,
          imported.profiles,
        )
        assert.isFalse(bad.ok)
        expect(bad.dominated.map((d) => d.frontierPosition)).toEqual([0])
        expect(bad.missing.length).toBeGreaterThan(0)
        expect(bad.duplicates).toEqual([[1, 2]])
      }),
    ),
  )

  const genius = domainFolders(fixture("genius"), ".xml")
  const geniusweb = domainFolders(fixture("geniusweb"), ".json")

  it("covers the fixture domains, two-party and multilateral", () => {
    expect(genius.length).toBeGreaterThanOrEqual(12)
    expect(geniusweb.length).toBeGreaterThanOrEqual(4)
  })

  for (const dir of genius)
    it.effect(
      `GENIUS ${dir.slice(dir.indexOf("genius/"))}: every frontier point exact`,
      () =>
        run(
          Effect.map(importGeniusFolder(dir), (imported) => {
            const c = Either.getOrThrow(checkFrontier(imported.issues, imported.profiles))
            expectExact(c)
          }),
        ),
      120_000,
    )

  for (const dir of geniusweb)
    it.effect(`GeniusWeb ${dir.slice(dir.indexOf("geniusweb/"))}: every frontier point exact`, () =>
      run(
        Effect.map(importGeniusWebFolder(dir), (imported) => {
          const c = Either.getOrThrow(
            checkFrontier(imported.issues, imported.profiles, { realStep: imported.realSteps }),
          )
          expectExact(c)
        }),
      ),
    )
})
