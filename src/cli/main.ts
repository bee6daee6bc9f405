/**
 * The `parley` command line: wires the commands and the Node platform.
 *
 * @since 0.1.0
 */
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import * as Analyze from "./analyze.ts"
import * as Batches from "./batches.ts"
import { plainWhereNeeded, reportFailure } from "./Errors.ts"
import * as Export from "./export.ts"
import * as ImportDomain from "./importDomain.ts"
import * as ImportLog from "./importLog.ts"
import * as Project from "./project.ts"
import * as Replay from "./replay.ts"
import * as Report from "./report.ts"
import * as Run from "./run.ts"
import * as SchemaCommand from "./schema.ts"
import * as Serve from "./serve.ts"
import * as Simulate from "./simulate.ts"
import * as Strategies from "./strategies.ts"
import * as Sweep from "./sweep.ts"
import * as Tournament from "./tournament.ts"
import * as Validate from "./validate.ts"
import * as Watch from "./watch.ts"
import * as Worker from "./worker.ts"

const parley = Command.make("parley").pipe(
  Command.withDescription("Event-sourced negotiation simulator"),
  Command.withSubcommands([
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
    SchemaCommand.command,
    Strategies.command,
    Tournament.command,
    Sweep.command,
    Worker.command,
    Batches.command,
  ]),
)

const cli = Command.run(parley, { name: "parley", version: "0.1.0" })

cli(process.argv).pipe(
  reportFailure,
  plainWhereNeeded,
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true }),
)
