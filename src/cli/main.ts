/**
 * The `parley` command line: wires the commands and the Node platform.
 *
 * @since 0.1.0
 */
import { Command } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect } from "effect"
import { plainWhereNeeded, reportFailure } from "./Errors.ts"

// Each command's command line (its options, arguments and description, in
// ./commands/), loaded only when that command is named (or for the full
// help); its handler, with everything that imports, is loaded only when the
// command runs (./commands/Lazy.ts). A module exporting a whole `command`
// also works here, but makes the help load its handler. The order is the
// order of the help.
const commands = {
  run: () => import("./commands/run.ts"),
  simulate: () => import("./commands/simulate.ts"),
  analyze: () => import("./commands/analyze.ts"),
  report: () => import("./commands/report.ts"),
  serve: () => import("./commands/serve.ts"),
  import: () => import("./commands/importDomain.ts"),
  replay: () => import("./commands/replay.ts"),
  validate: () => import("./commands/validate.ts"),
  export: () => import("./commands/export.ts"),
  "import-log": () => import("./commands/importLog.ts"),
  project: () => import("./commands/project.ts"),
  watch: () => import("./commands/watch.ts"),
  schema: () => import("./commands/schema.ts"),
  strategies: () => import("./commands/strategies.ts"),
  tournament: () => import("./commands/tournament.ts"),
  sweep: () => import("./commands/sweep.ts"),
  agent: () => import("./commands/agent.ts"),
  agents: () => import("./commands/agents.ts"),
  worker: () => import("./commands/worker.ts"),
  batches: () => import("./commands/batches.ts"),
}

const named = process.argv[2]
const wanted =
  named !== undefined && Object.hasOwn(commands, named)
    ? [commands[named as keyof typeof commands]]
    : Object.values(commands)
const [first, ...rest] = (await Promise.all(wanted.map((load) => load()))).map((m) => m.command)

const parley = Command.make("parley").pipe(
  Command.withDescription("Event-sourced negotiation simulator"),
  Command.withSubcommands([first!, ...rest]),
)

const cli = Command.run(parley, { name: "parley", version: "0.1.0" })

cli(process.argv).pipe(
  reportFailure,
  plainWhereNeeded,
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true }),
)
