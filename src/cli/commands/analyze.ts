/**
 * The command line of `parley analyze <scenario> [--set k=v]... [--json]`;
 * what it does is in `src/cli/analyze.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command } from "@effect/cli"
import { loadedHandler, type Parsed } from "./Lazy.ts"
import { jsonOption, scenarioArg, setOption } from "./Shared.ts"

const config = { scenario: scenarioArg, set: setOption, json: jsonOption }
/** What `parley analyze` is given. */
export type AnalyzeArgs = Parsed<typeof config>

export const command = Command.make(
  "analyze",
  config,
  loadedHandler(
    () => import("../analyze.ts"),
    (m) => m.handlers.analyze,
  ),
).pipe(
  Command.withDescription(
    "Analyse a scenario: Pareto frontier, Nash, Kalai-Smorodinsky, egalitarian, max welfare",
  ),
)
