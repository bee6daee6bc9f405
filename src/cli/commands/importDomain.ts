/**
 * `parley import genius <domain.xml> <profile.xml>... [-o scenario.json] [--id ID]`
 * `parley import geniusweb <domain.json> <profile.json>... [-o scenario.json] [--id ID]`
 *
 * Turns a benchmark domain into a runnable parley scenario (JSON). What it
 * runs with is imported when it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import type { Imported } from "../../analysis/Import.ts"
import type { FilePreferences } from "../../analysis/Preferences.ts"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"

const outputOption = Options.file("output").pipe(
  Options.withAlias("o"),
  Options.withDescription("write the scenario here (default: print it)"),
  Options.optional,
)
const idOption = Options.text("id").pipe(
  Options.withDescription("the scenario id (default: the domain's name)"),
  Options.optional,
)
const domainArg = Args.file({ name: "domain", exists: "yes" }).pipe(
  Args.withDescription("the domain file: its issues and their values"),
)
const profilesArg = Args.file({ name: "profile", exists: "yes" }).pipe(
  Args.withDescription("a party's preference profile over that domain (one file per party)"),
  Args.atLeast(1),
)

const config = { domain: domainArg, profiles: profilesArg, output: outputOption, id: idOption }

const write = (
  imported: Imported<FilePreferences>,
  realSteps: Readonly<Record<string, number>> | undefined,
  files: ReadonlyArray<string>,
  id: Option.Option<string>,
  output: Option.Option<string>,
) =>
  Effect.gen(function* () {
    const { writeFile } = yield* Effect.promise(() => import("node:fs/promises"))
    const { scenarioFromDomain } = yield* Effect.promise(
      () => import("../../scenario/FromDomain.ts"),
    )
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

/** Refuses an output that is one of the files read. */
const checkPaths = (
  domain: string,
  profiles: ReadonlyArray<string>,
  output: Option.Option<string>,
) =>
  Effect.gen(function* () {
    const { realpathSync } = yield* Effect.promise(() => import("node:fs"))
    const { refuseOverwrite } = yield* Effect.promise(() => import("../Options.ts"))
    const seen = new Map<string, string>()
    for (const profile of profiles) {
      const real = realpathSync(profile)
      const before = seen.get(real)
      if (before !== undefined)
        return yield* new UsageError({
          problem: `profile ${profile} is given twice (as ${before}): each party needs its own profile`,
        })
      seen.set(real, profile)
    }
    yield* refuseOverwrite(
      [["-o", Option.getOrUndefined(output)]],
      [["domain", domain], ...profiles.map((p) => ["profile", p] as const)],
    )
  })

/** `parley import genius`. */
const genius = Command.make("genius", config, ({ domain, profiles, output, id }) =>
  Effect.gen(function* () {
    yield* checkPaths(domain, profiles, output)
    const { importGeniusAny } = yield* Effect.promise(
      () => import("../../analysis/GeniusNonlinear.ts"),
    )
    const imported = yield* importGeniusAny(domain, profiles)
    yield* write(imported, undefined, [domain, ...profiles], id, output)
  }),
).pipe(
  Command.withDescription(
    described("Import a GENIUS XML domain and its preference profiles", [
      "parley import genius domain.xml profile1.xml profile2.xml -o deal.json",
    ]),
  ),
)

/** `parley import geniusweb`. */
const geniusweb = Command.make("geniusweb", config, ({ domain, profiles, output, id }) =>
  Effect.gen(function* () {
    yield* checkPaths(domain, profiles, output)
    const { importGeniusWeb } = yield* Effect.promise(() => import("../../analysis/GeniusWeb.ts"))
    const imported = yield* importGeniusWeb(domain, profiles)
    yield* write(imported, imported.realSteps, [domain, ...profiles], id, output)
  }),
).pipe(
  Command.withDescription(
    described("Import a GeniusWeb JSON domain and its LinearAdditiveUtilitySpace profiles", [
      "parley import geniusweb domain.json profileA.json profileB.json --id party -o party.json",
    ]),
  ),
)

/** `parley import` and its subcommands. */
export const command = Command.make("import").pipe(
  Command.withDescription(
    described("Import a benchmark negotiation domain (ANAC) as a parley scenario", [
      "parley import genius domain.xml profile1.xml profile2.xml -o deal.json",
    ]),
  ),
  Command.withSubcommands([genius, geniusweb]),
)
