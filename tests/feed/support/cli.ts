/**
 * The feed commands wired exactly as `src/cli/main.ts` wires commands, so the
 * tests run them as the real `parley` process would (signals included).
 *
 *     node --import tsx tests/feed/support/cli.ts project --nats URL
 */
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { project, schema, watch } from "../../../src/cli/Commands.ts"
import { reportFailure } from "../../../src/cli/Errors.ts"

const parley = Command.make("parley").pipe(Command.withSubcommands([project, watch, schema]))

Command.run(parley, { name: "parley", version: "0.1.0" })(process.argv).pipe(
  reportFailure,
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true }),
)
