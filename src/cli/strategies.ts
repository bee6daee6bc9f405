/**
 * `parley strategies [--json]`: every strategy kind a scenario or `--agent`
 * can name, with its parameters (name, default, meaning) and the paper or
 * competition description it is implemented from.
 *
 * @since 0.2.0
 */
import { Console } from "effect"
import {
  acceptanceCatalog,
  type CatalogEntry,
  catalog,
  modelCatalog,
} from "../simulation/strategies/Catalog.ts"
import type { StrategiesArgs } from "./commands/strategies.ts"
import { table } from "./Table.ts"

const shown = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v))

/** The text listing: a block per kind, its parameters as a table. */
export const renderCatalog = (entries: ReadonlyArray<CatalogEntry>): string => {
  const out: Array<string> = []
  for (const e of entries) {
    out.push(`${e.kind} — ${e.summary}`)
    if (e.reference !== "") out.push(`  reference: ${e.reference}`)
    if (e.parameters.length > 0) {
      const rows = e.parameters.map((p) => [
        p.name,
        p.required ? "(required)" : p.default === undefined ? "" : `= ${shown(p.default)}`,
        p.description ?? "",
      ])
      for (const line of table(rows, { indent: "    " })) out.push(line)
    }
    out.push("")
  }
  return out.join("\n").trimEnd()
}

/** What `parley strategies` does. */
export const handlers = {
  strategies: ({ json }: StrategiesArgs) => {
    const listing = {
      strategies: catalog(),
      acceptance: acceptanceCatalog(),
      models: modelCatalog(),
    }
    return Console.log(
      json
        ? JSON.stringify(listing, null, 2)
        : [
            renderCatalog(listing.strategies),
            "",
            'Acceptance conditions (the "acceptance" of a boa agent):',
            "",
            renderCatalog(listing.acceptance),
            "",
            'Opponent models (the "model" of a boa agent):',
            "",
            renderCatalog(listing.models),
          ].join("\n"),
    )
  },
}
