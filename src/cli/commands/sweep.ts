/**
 * The command line of `parley sweep <scenario> --vary name=min:max:steps [--vary ...]
 * [--grid] --runs N [--seed S] [--set k=v]... [--workers W] [--concurrency N] [--json] [--table
 * runs.csv] [--out DIR] [--distributed ...]`; what it does is in `src/cli/sweep.ts`, loaded
 * when it runs.
 *
 * @since 0.4.0
 */
import { Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import {
  agentOption,
  batchWorkersDefault,
  chunkOption,
  concurrencyOption,
  distributedOption,
  jsonOption,
  keepLogsOption,
  natsOption,
  outOption,
  runsOption,
  scenarioArg,
  seedOption,
  setOption,
  tableOption,
  workersOption,
} from "./Shared.ts"

const varyOption = Options.text("vary").pipe(
  Options.withDescription(
    "sweep a number parameter over steps evenly spaced values: --vary name=min:max:steps (repeatable)",
  ),
  Options.repeated,
)
const gridOption = Options.boolean("grid").pipe(
  Options.withDescription(
    "every combination of the varied values (default: one parameter at a time, the others at their defaults)",
  ),
)
const outDirOption = outOption(
  "write the sweep (points, agreed terms, sensitivity) as DIR/sweep.json, for parley report --sweep DIR",
)

const config = {
  scenario: scenarioArg,
  vary: varyOption,
  grid: gridOption,
  runs: runsOption("runs at each point", 200),
  seed: seedOption,
  set: setOption,
  agent: agentOption,
  workers: workersOption(`worker threads per point (${batchWorkersDefault})`),
  concurrency: concurrencyOption,
  json: jsonOption,
  table: tableOption,
  out: outDirOption,
  distributed: distributedOption,
  nats: natsOption,
  chunk: chunkOption,
  keepLogs: keepLogsOption,
}
/** What `parley sweep` is given. */
export type SweepArgs = Parsed<typeof config>

/** The `sweep` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<SweepArgs, E, R>) =>
  Command.make("sweep", config, handler).pipe(
    Command.withDescription(
      "Sweep scenario parameters: a Monte Carlo batch at each point, agreement rates with intervals, and a sensitivity ranking",
    ),
  )
