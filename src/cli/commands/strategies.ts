/**
 * `parley strategies [--json]`: every strategy kind a scenario or `--agent`
 * can name, with its parameters (name, default, meaning) and the paper or
 * competition description it is implemented from. What it runs with is
 * imported when it runs (the help loads none of it).
 *
 * @since 0.2.0
 */
import { Command } from "@effect/cli"
import { Console, Effect } from "effect"
import type { CatalogEntry } from "../../simulation/strategies/Catalog.ts"
import { described } from "../Help.ts"
import { table } from "../Table.ts"
import { jsonOption } from "./Shared.ts"

const config = { json: jsonOption }

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

/** `parley strategies`. */
export const command = Command.make("strategies", config, ({ json }) =>
  Effect.gen(function* () {
    const { acceptanceCatalog, catalog, modelCatalog } = yield* Effect.promise(
      () => import("../../simulation/strategies/Catalog.ts"),
    )
    const listing = {
      strategies: catalog(),
      acceptance: acceptanceCatalog(),
      models: modelCatalog(),
    }
    yield* Console.log(
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
  }),
).pipe(
  Command.withDescription(
    described(
      "List every strategy kind with its parameters and the reference it is implemented from",
      ["parley strategies", "parley strategies --json"],
    ),
  ),
)
