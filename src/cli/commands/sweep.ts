/**
 * The command line of `parley sweep <scenario> --vary name=min:max:steps [--vary ...]
 * [--grid] --runs N [--seed S] [--set k=v]... [--workers W] [--concurrency N] [--json] [--table
 * runs.csv] [--out DIR] [--distributed ...]`; what it does is in `src/cli/sweep.ts`, loaded
 * when it runs.
 *
 * @since 0.4.0
 */
import { Command, Options } from "@effect/cli"
import { loadedHandler, type Parsed } from "./Lazy.ts"
import {
  agentOption,
  chunkOption,
  concurrencyOption,
  distributedOption,
  jsonOption,
  keepLogsOption,
  natsOption,
  scenarioArg,
  seedOption,
  setOption,
  tableOption,
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
const runsOption = Options.integer("runs").pipe(
  Options.withDescription("runs at each point (default 200)"),
  Options.withDefault(200),
)
const workersOption = Options.integer("workers").pipe(
  Options.withDescription("worker threads per point (default: one per core from 1,000 runs)"),
  Options.optional,
)
const outOption = Options.directory("out").pipe(
  Options.withDescription(
    "write the sweep (points, agreed terms, sensitivity) as DIR/sweep.json, for parley report --sweep DIR",
  ),
  Options.optional,
)

const config = {
  scenario: scenarioArg,
  vary: varyOption,
  grid: gridOption,
  runs: runsOption,
  seed: seedOption,
  set: setOption,
  agent: agentOption,
  workers: workersOption,
  concurrency: concurrencyOption,
  json: jsonOption,
  table: tableOption,
  out: outOption,
  distributed: distributedOption,
  nats: natsOption,
  chunk: chunkOption,
  keepLogs: keepLogsOption,
}
/** What `parley sweep` is given. */
export type SweepArgs = Parsed<typeof config>

export const command = Command.make(
  "sweep",
  config,
  loadedHandler(
    () => import("../sweep.ts"),
    (m) => m.handlers.sweep,
  ),
).pipe(
  Command.withDescription(
    "Sweep scenario parameters: a Monte Carlo batch at each point, agreement rates with intervals, and a sensitivity ranking",
  ),
)
