/**
 * The command line of `parley analyze <scenario> [--set k=v]... [--json]`;
 * what it does is in `src/cli/analyze.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import { jsonOption, scenarioArg, setOption } from "./Shared.ts"

const config = { scenario: scenarioArg, set: setOption, json: jsonOption }
/** What `parley analyze` is given. */
export type AnalyzeArgs = Parsed<typeof config>

/** The `analyze` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<AnalyzeArgs, E, R>) =>
  Command.make("analyze", config, handler).pipe(
    Command.withDescription(
      "Analyse a scenario: Pareto frontier, Nash, Kalai-Smorodinsky, egalitarian, max welfare",
    ),
  )
