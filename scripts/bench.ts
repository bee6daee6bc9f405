/**
 * `npm run bench [-- <substring>] [-- --json]`: runs every benchmark in
 * `scripts/bench/`, printing `BENCH <name> <value> <unit> ref=<v> ratio=<v>`
 * lines (or one JSON array with `--json`).
 */
import { readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import type { Benchmark, Result } from "./bench/Bench.ts"

const args = process.argv.slice(2)
const json = args.includes("--json")
const filters = args.filter((a) => !a.startsWith("--"))
const dir = join(dirname(fileURLToPath(import.meta.url)), "bench")

const format = (r: Result): string => {
  const parts = [`BENCH ${r.name} ${r.value} ${r.unit}`]
  if (r.ref !== undefined) parts.push(`ref=${r.ref}`)
  if (r.ratio !== undefined) parts.push(`ratio=${r.ratio}`)
  for (const [k, v] of Object.entries(r.extra ?? {})) parts.push(`${k}=${v}`)
  if (r.goal !== undefined) parts.push(`goal="${r.goal}"`)
  return parts.join(" ")
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "Bench.ts")
  .sort()
const all: Array<Result> = []
for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as {
    benchmarks?: ReadonlyArray<Benchmark>
  }
  for (const b of mod.benchmarks ?? []) {
    if (filters.length > 0 && !filters.some((f) => b.name.includes(f))) continue
    const results = await b.run()
    for (const r of results) {
      all.push(r)
      if (!json) console.log(format(r))
    }
  }
}
if (json) console.log(JSON.stringify(all, null, 2))
if (all.length === 0) {
  console.error(`no benchmark matches ${filters.join(", ")}`)
  process.exitCode = 1
}
