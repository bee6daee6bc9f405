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

// Each command's module, loaded only when that command runs (or for the full
// help): a command then loads what it needs and nothing else. The order is
// the order of the help.
const commands = {
  run: () => import("./run.ts"),
  simulate: () => import("./simulate.ts"),
  analyze: () => import("./analyze.ts"),
  report: () => import("./report.ts"),
  serve: () => import("./serve.ts"),
  import: () => import("./importDomain.ts"),
  replay: () => import("./replay.ts"),
  validate: () => import("./validate.ts"),
  export: () => import("./export.ts"),
  "import-log": () => import("./importLog.ts"),
  project: () => import("./project.ts"),
  watch: () => import("./watch.ts"),
  schema: () => import("./schema.ts"),
  strategies: () => import("./strategies.ts"),
  tournament: () => import("./tournament.ts"),
  sweep: () => import("./sweep.ts"),
  agent: () => import("./agent.ts"),
  agents: () => import("./agents.ts"),
  worker: () => import("./worker.ts"),
  batches: () => import("./batches.ts"),
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
