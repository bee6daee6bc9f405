/**
 * The command line of `parley simulate <scenario> --runs N [--seed S] [--set k=v]...
 * [--out DIR] [--workers W] [--concurrency N] [--json] [--table runs.csv]
 * [--distributed --nats URL [--chunk N] [--keep-logs]]`; what it does is in `src/cli/simulate.ts`, loaded
 * when it runs.
 *
 * @since 0.4.0
 */
import { Command } from "@effect/cli"
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

const config = {
  scenario: scenarioArg,
  runs: runsOption("how many runs", 1000),
  seed: seedOption,
  set: setOption,
  agent: agentOption,
  out: outOption("write each run's event log as DIR/run-NNNNNN.jsonl"),
  workers: workersOption(`worker threads (${batchWorkersDefault})`),
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

/** The `simulate` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<SimulateArgs, E, R>) =>
  Command.make("simulate", config, handler).pipe(
    Command.withDescription("Run a scenario many times (Monte Carlo) and summarise the outcomes"),
  )
