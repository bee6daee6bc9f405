/**
 * `node --import tsx scripts/check-frontiers.ts <dir>...`: runs the
 * exhaustive Pareto frontier check (`src/analysis/FrontierCheck.ts`) on every
 * benchmark domain under the given directories: each folder holding GENIUS
 * XML files (one domain, its profiles) or GeniusWeb JSON files. Prints one
 * line per domain (parties, outcomes, frontier points, and what the check
 * found) and a summary; exits with 1 when a frontier is wrong or a domain
 * cannot be read or analysed.
 *
 * The check is O(outcomes x frontier) at worst: seconds for most ANAC
 * domains, about twenty for ANAC 2015 KillerRobot (5 parties, 240,000 outcomes).
 */
import { readdirSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import type { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { Effect, Either } from "effect"
import { checkFrontier } from "../src/analysis/FrontierCheck.ts"
import { importGeniusFolder } from "../src/analysis/Genius.ts"
import { importGeniusWebFolder } from "../src/analysis/GeniusWeb.ts"
import type { Imported } from "../src/analysis/Import.ts"
import type { ImportError } from "../src/analysis/ImportError.ts"

const roots = process.argv.slice(2).filter((a) => !a.startsWith("--"))
if (roots.length === 0) {
  console.error("usage: node --import tsx scripts/check-frontiers.ts <dir>...")
  process.exit(2)
}

const folders: Array<{ dir: string; root: string; kind: "genius" | "geniusweb" }> = []
const walk = (root: string, dir: string) => {
  const entries = readdirSync(dir).sort()
  if (entries.some((e) => e.toLowerCase().endsWith(".xml")))
    folders.push({ dir, root, kind: "genius" })
  else if (entries.some((e) => e.toLowerCase().endsWith(".json")))
    folders.push({ dir, root, kind: "geniusweb" })
  for (const e of entries) if (statSync(join(dir, e)).isDirectory()) walk(root, join(dir, e))
}
for (const root of roots) walk(root, root)

let failed = 0
let wrongPoints = 0
let frontierPoints = 0
for (const { dir, root, kind } of folders) {
  const name = relative(root, dir) || dir
  const load: Effect.Effect<
    Imported & { readonly realSteps?: Readonly<Record<string, number>> },
    ImportError,
    FileSystem.FileSystem
  > = kind === "genius" ? importGeniusFolder(dir) : importGeniusWebFolder(dir)
  const imported = await Effect.runPromise(
    Effect.either(load).pipe(Effect.provide(NodeFileSystem.layer)),
  )
  if (Either.isLeft(imported)) {
    failed++
    console.log(`FAIL ${name}: cannot import: ${imported.left.message}`)
    continue
  }
  const { issues, profiles, realSteps } = imported.right
  const started = performance.now()
  const checked = checkFrontier(issues, profiles, { realStep: realSteps })
  const ms = Math.round(performance.now() - started)
  if (Either.isLeft(checked)) {
    failed++
    console.log(`FAIL ${name}: cannot analyse: ${checked.left}`)
    continue
  }
  const c = checked.right
  frontierPoints += c.frontier
  const facts = `${profiles.length} parties, ${c.outcomes} outcomes, ${c.frontier} frontier points (${ms} ms)`
  if (c.ok) {
    console.log(`ok   ${name}: ${facts}`)
    continue
  }
  failed++
  wrongPoints += c.dominated.length
  console.log(
    `FAIL ${name}: ${facts}: ${c.dominated.length} dominated, ${c.missing.length} outcomes missing, ${c.duplicates.length} duplicates${c.countMismatch ? ", outcome counts wrong" : ""}`,
  )
  for (const d of c.dominated.slice(0, 3))
    console.log(
      `       [${d.utilities.join(", ")}] dominated by outcome ${d.by} [${d.byUtilities.join(", ")}]`,
    )
}
console.log(
  `${folders.length} domains, ${frontierPoints} frontier points: ${failed === 0 ? "all exact" : `${failed} domains wrong (${wrongPoints} dominated frontier points)`}`,
)
process.exitCode = failed === 0 ? 0 : 1
