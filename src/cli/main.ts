/**
 * The `parley` command line: wires the commands and the Node platform.
 *
 * @since 0.1.0
 */
import { Command } from "@effect/cli"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect } from "effect"
import { commands } from "./Commands.ts"
import { plainWhereNeeded, reportFailure } from "./Errors.ts"

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
