/**
 * The `parley` command line: wires the commands and the Node platform.
 *
 * @since 0.1.0
 */
import { Command } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect } from "effect"
import * as Agent from "./commands/agent.ts"
import * as Agents from "./commands/agents.ts"
import * as Analyze from "./commands/analyze.ts"
import * as Batches from "./commands/batches.ts"
import * as Export from "./commands/export.ts"
import * as ImportDomain from "./commands/importDomain.ts"
import * as ImportLog from "./commands/importLog.ts"
import * as Project from "./commands/project.ts"
import * as Replay from "./commands/replay.ts"
import * as Report from "./commands/report.ts"
import * as Run from "./commands/run.ts"
import * as Schema from "./commands/schema.ts"
import * as Serve from "./commands/serve.ts"
import * as Simulate from "./commands/simulate.ts"
import * as Strategies from "./commands/strategies.ts"
import * as Sweep from "./commands/sweep.ts"
import * as Tournament from "./commands/tournament.ts"
import * as Validate from "./commands/validate.ts"
import * as Watch from "./commands/watch.ts"
import * as Worker from "./commands/worker.ts"
import { plainWhereNeeded, reportFailure } from "./Errors.ts"

// Every command's command line — its options, arguments and description, in
// ./commands/ — is loaded with this module: small, and all the help and the
// parser need. A command's handler, with everything it imports, is loaded
// only when that command runs (./commands/Lazy.ts). A new command adds its
// light module here. The order is the order of the help.
const commands = [
  Run.command,
  Simulate.command,
  Analyze.command,
  Report.command,
  Serve.command,
  ImportDomain.command,
  Replay.command,
  Validate.command,
  Export.command,
  ImportLog.command,
  Project.command,
  Watch.command,
  Schema.command,
  Strategies.command,
  Tournament.command,
  Sweep.command,
  Agent.command,
  Agents.command,
  Worker.command,
  Batches.command,
] as const

const parley = Command.make("parley").pipe(
  Command.withDescription("Event-sourced negotiation simulator"),
  Command.withSubcommands(commands),
)

const cli = Command.run(parley, { name: "parley", version: "0.1.0" })

cli(process.argv).pipe(
  reportFailure,
  plainWhereNeeded,
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true }),
)
