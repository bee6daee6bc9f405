/**
 * `node --import tsx scripts/preferences-figures.ts <dir>...`: the figures of
 * docs/PREFERENCES.md for GENIUS domain folders.
 *
 * - A folder with non-linear profiles: time to import, time to analyse
 *   (`analyze`: exact up to 5,000,000 outcomes, else by search), frontier
 *   points, and, where the folder has GENIUS's `pareto.xml`, the share of its
 *   points reached within 0.01 and the largest gap (`frontierQuality`).
 * - A folder with uncertainty profiles: per profile, the ranking size, and
 *   the accuracy of the linear-programming estimate from a GENIUS 10.4 ranking
 *   against the true utility over every outcome (`estimateAccuracy`).
 *
 * The last column is the process's peak resident memory so far (run one
 * folder per invocation for a per-domain figure). Prints Markdown rows.
 */
import { existsSync, readFileSync } from "node:fs"
import { NodeFileSystem } from "@effect/platform-node"
import { Effect, Either } from "effect"
import { analyze } from "../src/analysis/Analyze.ts"
import { frontierQuality } from "../src/analysis/FrontierSearch.ts"
import { importGeniusFolderAny, parseGeniusPareto } from "../src/analysis/GeniusNonlinear.ts"
import {
  estimateAccuracy,
  estimateFromRanking,
  geniusRanking,
  parseGeniusUncertainty,
  rankingSpace,
} from "../src/analysis/Uncertainty.ts"

const dirs = process.argv.slice(2)
if (dirs.length === 0) {
  console.error("usage: node --import tsx scripts/preferences-figures.ts <dir>...")
  process.exit(2)
}

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024)
const name = (dir: string) => dir.replace(/\/+$/, "").split("/").slice(-2).join("/")

for (const dir of dirs) {
  const t0 = performance.now()
  const imported = await Effect.runPromise(
    importGeniusFolderAny(dir).pipe(Effect.provide(NodeFileSystem.layer)),
  )
  const importMs = performance.now() - t0
  const kinds = new Set(imported.profiles.map((p) => p.preferences.kind))
  const settings = imported.profiles.map((p) =>
    Either.getOrThrow(parseGeniusUncertainty(readFileSync(p.file, "utf8"), p.file)),
  )
  if (settings.some((s) => s !== undefined)) {
    const space = Either.getOrThrow(rankingSpace(imported.issues))
    imported.profiles.forEach((p, k) => {
      const s = settings[k]
      if (s === undefined) return
      const t = performance.now()
      const ranking = geniusRanking(space, p.preferences, s.comparisons)
      const estimate = estimateFromRanking(space, ranking)
      const a = estimateAccuracy(space, p.preferences, estimate.utility)
      console.log(
        `| ${name(dir)} | ${p.party} | ${space.size} | ${s.comparisons} | ${a.meanAbsoluteError.toFixed(4)} | ${a.pearson.toFixed(4)} | ${a.spearman.toFixed(4)} | ${Math.round(performance.now() - t)} ms |`,
      )
    })
    continue
  }
  const t1 = performance.now()
  const analysis = Either.getOrThrow(analyze(imported.issues, imported.profiles))
  const analyseMs = performance.now() - t1
  const paretoFile = `${dir}/pareto.xml`
  let quality = "no pareto.xml | -"
  if (existsSync(paretoFile)) {
    const reference = Either.getOrThrow(
      parseGeniusPareto(readFileSync(paretoFile, "utf8"), paretoFile),
    )
    const found = analysis.paretoFrontier.map((e) => analysis.parties.map((q) => e.utilities[q]!))
    const q = frontierQuality(found, reference)
    quality = `${Math.round(q.reached * q.reference)}/${q.reference} (${(100 * q.reached).toFixed(0)}%) | ${q.largestGap.toExponential(2)}`
  }
  const nash = analysis.nash
    ? analysis.parties.map((q) => analysis.nash!.utilities[q]!.toFixed(6)).join(", ")
    : "none"
  console.log(
    `| ${name(dir)} | ${[...kinds].join(", ")} | ${analysis.outcomes.toPrecision(3)} | ${Math.round(importMs)} ms | ${(analyseMs / 1000).toFixed(1)} s ${analysis.approximate ? "(search)" : "(exact)"} | ${analysis.paretoFrontier.length} | ${quality} | (${nash}) | ${peakMb()} MB |`,
  )
}
