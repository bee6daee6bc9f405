/**
 * The feed commands wired exactly as `src/cli/main.ts` wires commands, so the
 * tests run them as the real `parley` process would (signals included).
 *
 *     node --import tsx tests/feed/support/cli.ts project --nats URL
 */
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import * as Project from "../../../src/cli/commands/project.ts"
import * as Schema from "../../../src/cli/commands/schema.ts"
import * as Watch from "../../../src/cli/commands/watch.ts"
import { reportFailure } from "../../../src/cli/Errors.ts"

const parley = Command.make("parley").pipe(
  Command.withSubcommands([Project.command, Watch.command, Schema.command]),
)

Command.run(parley, { name: "parley", version: "0.1.0" })(process.argv).pipe(
  reportFailure,
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true }),
)
