/**
 * The docs tables generated from the registries (the strategy table of
 * `docs/AGENTS.md`, the mediation methods table of `docs/MEDIATION.md`) are
 * what the registries generate today: a registry entry changed without
 * regenerating them fails here.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { generatedTables, markers, tableIn, withTable } from "../../scripts/lib/docsTables.ts"
import { mediationMethods } from "../../src/simulation/mediation/Methods.ts"
import { entryKinds } from "../../src/simulation/strategies/Entry.ts"
import { strategyEntries } from "../../src/simulation/strategies/Spec.ts"

describe("docs tables generated from the registries", () => {
  for (const { file, name, render } of generatedTables)
    it(`${file}: the ${name} table is the registry's`, () => {
      const text = readFileSync(file, "utf8")
      const message = `${file}'s ${name} table differs from the registry: run node --import tsx scripts/docs-tables.ts`
      expect(tableIn(text, name), message).toBe(render())
      expect(withTable(text, name, render()), message).toBe(text)
    })

  it("every strategy with a docs row, and every mediation method, has its row", () => {
    const strategies = readFileSync("docs/AGENTS.md", "utf8")
    for (const entry of strategyEntries)
      if (entry.docs !== undefined)
        expect(strategies).toContain(
          `| ${entryKinds(entry)
            .map((k) => `\`${k}\``)
            .join(", ")} |`,
        )
    const mediation = readFileSync("docs/MEDIATION.md", "utf8")
    for (const m of mediationMethods) expect(mediation).toContain(`| \`${m.method}\``)
  })

  it("a file without the markers is refused, naming them", () => {
    expect(() => withTable("no markers here", "strategies", "")).toThrow(markers("strategies").end)
  })
})
