/**
 * The command line of `parley import genius|geniusweb <domain> <profile>...
 * [-o scenario.json] [--id ID]`; what it does is in `src/cli/importDomain.ts`,
 * loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"

const outputOption = Options.file("output").pipe(
  Options.withAlias("o"),
  Options.withDescription("write the scenario here (default: print it)"),
  Options.optional,
)
const idOption = Options.text("id").pipe(
  Options.withDescription("the scenario id (default: the domain's name)"),
  Options.optional,
)
const domainArg = Args.file({ name: "domain", exists: "yes" })
const profilesArg = Args.file({ name: "profile", exists: "yes" }).pipe(Args.atLeast(1))

const config = { domain: domainArg, profiles: profilesArg, output: outputOption, id: idOption }
/** What `parley import genius` is given. */
export type GeniusArgs = Parsed<typeof config>
/** What `parley import geniusweb` is given. */
export type GeniusWebArgs = Parsed<typeof config>

/** The `import` command and its subcommands, running `handlers` (`../Commands.ts` gives them, loaded when one runs). */
export const command = <E1, R1, E2, R2>(handlers: {
  readonly genius: Handler<GeniusArgs, E1, R1>
  readonly geniusweb: Handler<GeniusWebArgs, E2, R2>
}) =>
  Command.make("import").pipe(
    Command.withDescription("Import a benchmark negotiation domain (ANAC) as a parley scenario"),
    Command.withSubcommands([
      Command.make("genius", config, handlers.genius).pipe(
        Command.withDescription("Import a GENIUS XML domain and its preference profiles"),
      ),
      Command.make("geniusweb", config, handlers.geniusweb).pipe(
        Command.withDescription(
          "Import a GeniusWeb JSON domain and its LinearAdditiveUtilitySpace profiles",
        ),
      ),
    ]),
  )
