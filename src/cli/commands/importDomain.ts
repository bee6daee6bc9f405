/**
 * The command line of `parley import genius|geniusweb <domain> <profile>...
 * [-o scenario.json] [--id ID]`; what it does is in `src/cli/importDomain.ts`,
 * loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command, Options } from "@effect/cli"
import { loadedHandler, type Parsed } from "./Lazy.ts"

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

const handlers = () => import("../importDomain.ts")

const genius = Command.make(
  "genius",
  config,
  loadedHandler(handlers, (m) => m.handlers.genius),
).pipe(Command.withDescription("Import a GENIUS XML domain and its preference profiles"))

const geniusweb = Command.make(
  "geniusweb",
  config,
  loadedHandler(handlers, (m) => m.handlers.geniusweb),
).pipe(
  Command.withDescription(
    "Import a GeniusWeb JSON domain and its LinearAdditiveUtilitySpace profiles",
  ),
)

export const command = Command.make("import").pipe(
  Command.withDescription("Import a benchmark negotiation domain (ANAC) as a parley scenario"),
  Command.withSubcommands([genius, geniusweb]),
)
