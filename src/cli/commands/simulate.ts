/**
 * The command line of `parley simulate <scenario> --runs N [--seed S] [--set k=v]...
 * [--out DIR] [--workers W] [--concurrency N] [--json] [--table runs.csv]
 * [--distributed --nats URL [--chunk N] [--keep-logs]]`; what it does is in `src/cli/simulate.ts`, loaded
 * when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command, Options } from "@effect/cli"
import { loadedHandler, type Parsed } from "./Lazy.ts"
import {
  agentOption,
  chunkOption,
  distributedOption,
  jsonOption,
  keepLogsOption,
  natsOption,
  remoteConcurrency,
  seedOption,
  setOption,
  tableOption,
} from "./Shared.ts"

const runsOption = Options.integer("runs").pipe(
  Options.withDescription("how many runs"),
  Options.withDefault(1000),
)
const outDirOption = Options.directory("out").pipe(
  Options.withDescription("write each run's event log as DIR/run-NNNNNN.jsonl"),
  Options.optional,
)
const workersOption = Options.integer("workers").pipe(
  Options.withDescription("worker threads (default: one per core from 1,000 runs)"),
  Options.optional,
)

const concurrencyOption = Options.integer("concurrency").pipe(
  Options.withDescription(
    `with remote agents: how many runs wait on them at once (default ${remoteConcurrency}; such batches play in this process, without worker threads)`,
  ),
  Options.optional,
)

const config = {
  scenario: Args.file({ name: "scenario", exists: "yes" }),
  runs: runsOption,
  seed: seedOption,
  set: setOption,
  agent: agentOption,
  out: outDirOption,
  workers: workersOption,
  concurrency: concurrencyOption,
  nats: natsOption,
  json: jsonOption,
  table: tableOption,
  distributed: distributedOption,
  chunk: chunkOption,
  keepLogs: keepLogsOption,
}
/** What `parley simulate` is given. */
export type SimulateArgs = Parsed<typeof config>

export const command = Command.make(
  "simulate",
  config,
  loadedHandler(
    () => import("../simulate.ts"),
    (m) => m.handlers.simulate,
  ),
).pipe(
  Command.withDescription("Run a scenario many times (Monte Carlo) and summarise the outcomes"),
)
