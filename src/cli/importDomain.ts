/**
 * `parley import genius <domain.xml> <profile.xml>... [-o scenario.json] [--id ID]`
 * `parley import geniusweb <domain.json> <profile.json>... [-o scenario.json] [--id ID]`
 *
 * Turns a benchmark domain into a runnable parley scenario (JSON).
 *
 * @since 0.1.0
 */
import { writeFile } from "node:fs/promises"
import { Console, Effect, Option } from "effect"
import { importGeniusAny } from "../analysis/GeniusNonlinear.ts"
import { importGeniusWeb } from "../analysis/GeniusWeb.ts"
import type { Imported } from "../analysis/Import.ts"
import type { FilePreferences } from "../analysis/Preferences.ts"
import { scenarioFromDomain } from "../scenario/FromDomain.ts"
import type { GeniusArgs, GeniusWebArgs } from "./commands/importDomain.ts"
import { UsageError } from "./Errors.ts"

const write = (
  imported: Imported<FilePreferences>,
  realSteps: Readonly<Record<string, number>> | undefined,
  files: ReadonlyArray<string>,
  id: Option.Option<string>,
  output: Option.Option<string>,
) =>
  Effect.gen(function* () {
    const scenario = scenarioFromDomain(imported, {
      id: Option.getOrUndefined(id),
      realSteps,
      source: files.join(", "),
    })
    const text = `${JSON.stringify(scenario, null, 2)}\n`
    if (Option.isNone(output)) return yield* Console.log(text.trimEnd())
    yield* Effect.tryPromise({
      try: () => writeFile(output.value, text),
      catch: (e) => new UsageError({ problem: `cannot write ${output.value}: ${String(e)}` }),
    })
    yield* Console.log(
      `wrote ${output.value}: ${imported.issues.length} issues, parties ${imported.profiles.map((p) => p.party).join(", ")}`,
    )
  })

/** What `parley import genius` and `parley import geniusweb` do. */
export const handlers = {
  genius: ({ domain, profiles, output, id }: GeniusArgs) =>
    Effect.flatMap(importGeniusAny(domain, profiles), (imported) =>
      write(imported, undefined, [domain, ...profiles], id, output),
    ),
  geniusweb: ({ domain, profiles, output, id }: GeniusWebArgs) =>
    Effect.flatMap(importGeniusWeb(domain, profiles), (imported) =>
      write(imported, imported.realSteps, [domain, ...profiles], id, output),
    ),
}
