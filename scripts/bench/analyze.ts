/**
 * Analysis benchmarks: full `analyze` of ANAC 2010 Travel (188,160 outcomes,
 * two profiles) and of a generated three-party domain of 1,000,000 outcomes,
 * each next to a naive reference pass over the same outcomes that only
 * computes every party's utility (decode each outcome to terms, call the
 * compiled utility). Ratio = reference time / analysis time (higher is better).
 */
import { fileURLToPath } from "node:url"
import { getHeapStatistics } from "node:v8"
import { NodeFileSystem } from "@effect/platform-node"
import { Effect, Either } from "effect"
import { analyze, type PartyProfile } from "../../src/analysis/Analyze.ts"
import { importGeniusFolder } from "../../src/analysis/Genius.ts"
import { outcomeSpace, termsAt } from "../../src/analysis/OutcomeSpace.ts"
import type { Preferences } from "../../src/analysis/Preferences.ts"
import { utility } from "../../src/analysis/Preferences.ts"
import type { Issue } from "../../src/domain/Issue.ts"
import { type Benchmark, type Result, round, time } from "./Bench.ts"

const naive = (issues: ReadonlyArray<Issue>, profiles: ReadonlyArray<PartyProfile>) => {
  const space = Either.getOrThrow(outcomeSpace(issues))
  const fns = profiles.map((p) => utility(p.preferences, issues))
  let sink = 0
  for (let k = 0; k < space.size; k++) {
    const terms = termsAt(space, k)
    for (const f of fns) sink += f(terms)
  }
  return sink
}

const heapMB = () => getHeapStatistics().total_heap_size / 1e6

const measure = (
  name: string,
  issues: ReadonlyArray<Issue>,
  profiles: ReadonlyArray<PartyProfile>,
  goalSeconds: number,
): Result => {
  const before = heapMB()
  let frontier = 0
  let outcomes = 0
  const value = time(() => {
    const a = Either.getOrThrow(analyze(issues, profiles))
    frontier = a.paretoFrontier.length
    outcomes = a.outcomes
  })
  const heapGrowth = heapMB() - before
  const ref = time(() => {
    naive(issues, profiles)
  }, 1)
  return {
    name,
    value: round(value * 1000, 1),
    unit: "ms",
    ref: round(ref * 1000, 1),
    ratio: round(ref / value, 2),
    goal: `value < ${goalSeconds * 1000} ms`,
    extra: {
      outcomes,
      parties: profiles.length,
      frontier,
      heapGrowthMB: round(heapGrowth, 1),
      maxRssMB: round(process.resourceUsage().maxRSS / 1024, 0),
    },
  }
}

/** A seeded three-party domain: 6 issues x 10 options, partly opposed preferences. */
export const generatedDomain = (
  issuesCount = 6,
  options = 10,
): { issues: Array<Issue>; profiles: Array<PartyProfile> } => {
  let seed = 42
  const rnd = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0
    return seed / 2 ** 32
  }
  const issues = Array.from({ length: issuesCount }, (_, i) => ({
    kind: "discrete" as const,
    id: `issue${i}`,
    options: Array.from({ length: options }, (_, k) => `v${k}`),
  })) as unknown as Array<Issue>
  const score = (party: number, i: number, k: number) =>
    party === 0 ? k + rnd() : party === 1 ? options - k + rnd() : ((k * 3 + i) % options) + rnd()
  const profiles = [0, 1, 2].map((party) => {
    const weights: Record<string, number> = {}
    const evaluations: Record<string, unknown> = {}
    issues.forEach((issue, i) => {
      weights[issue.id] = 0.1 + rnd()
      evaluations[issue.id] = {
        kind: "options",
        normalize: "max",
        scores: Object.fromEntries(
          Array.from({ length: options }, (_, k) => [`v${k}`, score(party, i, k)]),
        ),
      }
    })
    const preferences = {
      kind: "linear-additive",
      weights,
      evaluations,
      reservation: 0.3,
      discount: 1,
      discountPerRound: 1,
      redLines: {},
    } as unknown as Preferences
    return { party: `party${party}`, preferences }
  })
  return { issues, profiles }
}

/** The analysis benchmarks. */
export const benchmarks: ReadonlyArray<Benchmark> = [
  {
    name: "analyze-travel",
    run: async () => {
      const dir = fileURLToPath(
        new URL("../../tests/fixtures/genius/anac2010/Travel", import.meta.url),
      )
      const imported = await Effect.runPromise(
        importGeniusFolder(dir).pipe(Effect.provide(NodeFileSystem.layer)),
      )
      return [measure("analyze-travel", imported.issues, imported.profiles, 0.15)]
    },
  },
  {
    name: "analyze-generated-1M-3party",
    run: async () => {
      const { issues, profiles } = generatedDomain()
      return [measure("analyze-generated-1M-3party", issues, profiles, 3)]
    },
  },
]
