/**
 * `node --import tsx scripts/docs-tables.ts`: rewrites the docs tables
 * generated from the registries (the strategy table of `docs/AGENTS.md`, the
 * mediation methods table of `docs/MEDIATION.md`; see
 * `scripts/lib/docsTables.ts`) between their marker comments, and says which
 * files changed. Run it after adding or changing a registry entry;
 * `tests/docs/Tables.test.ts` fails until the committed tables match.
 */
import { readFileSync, writeFileSync } from "node:fs"
import { generatedTables, withTable } from "./lib/docsTables.ts"

for (const { file, name, render } of generatedTables) {
  const text = readFileSync(file, "utf8")
  const next = withTable(text, name, render())
  if (next === text) console.log(`${file}: ${name} table up to date`)
  else {
    writeFileSync(file, next)
    console.log(`${file}: ${name} table rewritten`)
  }
}
