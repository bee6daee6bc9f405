/**
 * The options several commands share — a scenario, `--seed`, `--set`,
 * `--agent`, `--json`, `--nats`, `--table`, `--runs`, `--workers`, `--out`,
 * `--concurrency` and the `--distributed` flags — written once (where their
 * meaning differs by command, the command gives the words). Definitions
 * only: this module is loaded by the help and the parser, so it imports
 * `@effect/cli` and `effect` and nothing of parley's engines (their parsing
 * helpers are in `src/cli/Options.ts`).
 *
 * @since 0.4.0
 */
import { Args, Options } from "@effect/cli"
import { Config, Option } from "effect"

/** The scenario file a command works on. */
export const scenarioArg = Args.file({ name: "scenario", exists: "yes" }).pipe(
  Args.withDescription("a scenario file: .ts module, .json or .yaml"),
)
/** `--seed S`: the seed of the random generators. */
export const seedOption = Options.integer("seed").pipe(
  Options.withDescription("the seed of the random generators (default 1)"),
  Options.withDefault(1),
)
/** `--set name=value`: a scenario parameter fixed by hand. */
export const setOption = Options.keyValueMap("set").pipe(
  Options.withDescription("override a scenario parameter: --set name=value (repeatable)"),
  Options.optional,
)

/** `--runs N` of the Monte Carlo commands: `what` the runs are, `fallback` when not given (the help says it). */
export const runsOption = (what: string, fallback: number) =>
  Options.integer("runs").pipe(
    Options.withDescription(`${what} (default ${fallback})`),
    Options.withDefault(fallback),
  )

/** How many worker threads a Monte Carlo batch (`simulate`, each point of `sweep`) uses when not told: `MonteCarlo.ts`'s rule. */
export const batchWorkersDefault = "default: one per core from 1,000 runs"

/** `--workers N`: how many worker threads play; `description` says how many when not given. */
export const workersOption = (description: string) =>
  Options.integer("workers").pipe(Options.withDescription(description), Options.optional)

/** `--out DIR`: a directory the command writes to; `description` says what it writes. */
export const outOption = (description: string) =>
  Options.directory("out").pipe(Options.withDescription(description), Options.optional)

/** `--json`: print JSON instead of text. */
export const jsonOption = Options.boolean("json").pipe(Options.withDescription("print JSON"))

const natsText = Options.text("nats").pipe(
  Options.withDescription(
    "NATS server URL, e.g. nats://127.0.0.1:4222 (default: $PARLEY_NATS_URL; credentials from PARLEY_NATS_*)",
  ),
)

/**
 * `--nats URL`: the NATS server holding the log. Commands that can also work
 * on a file fall back to `PARLEY_NATS_URL` themselves, after the file.
 */
export const natsOption = Options.optional(natsText)

/**
 * `PARLEY_NATS_URL`, as the connection reads it (`urlConfig` of
 * `src/nats/Connection.ts`, which imports the NATS client: the help
 * must not load it). `tests/cli/Options.test.ts` checks that both read the
 * same variable.
 */
export const natsUrlConfig: Config.Config<string> = Config.string("PARLEY_NATS_URL").pipe(
  Config.withDescription("the NATS server URL, e.g. nats://127.0.0.1:4222"),
)

/**
 * `--nats URL` for commands that only work on NATS: `PARLEY_NATS_URL` when not
 * given. A blank value is no URL (an exported but empty variable), so the
 * command says what is missing rather than failing to reach "".
 */
export const natsOrEnvOption = natsText.pipe(
  Options.withFallbackConfig(natsUrlConfig),
  Options.optional,
  Options.map(Option.filter((url: string) => url.trim() !== "")),
)

/** `--agent party=strategy[:param=value,...]` (repeatable): replace a party's strategy. */
export const agentOption = Options.text("agent").pipe(
  Options.withDescription(
    "replace a party's strategy: --agent party=kind[:param=value,...] or --agent 'party={JSON spec}' (repeatable; see parley strategies)",
  ),
  Options.repeated,
)

/** `--table FILE`: one CSV row per run. */
export const tableOption = Options.text("table").pipe(
  Options.withDescription(
    "write one CSV row per run (parameters, outcome, each party's scores) to FILE",
  ),
  Options.optional,
)

/** `--distributed`: play the batch on `parley worker`s (simulate, sweep, tournament). */
export const distributedOption = Options.boolean("distributed").pipe(
  Options.withDescription(
    "play the batch on `parley worker`s through the NATS server of --nats (resumes the same batch when run again)",
  ),
)
/** `--chunk N`: runs or negotiations per work item, with `--distributed`. */
export const chunkOption = Options.integer("chunk").pipe(
  Options.withDescription(
    "with --distributed: runs (or negotiations) per work item (default 100 runs, 10 negotiations)",
  ),
  Options.optional,
)
/** `--keep-logs`: keep the runs' event logs on the NATS server, with `--distributed`. */
export const keepLogsOption = Options.boolean("keep-logs").pipe(
  Options.withDescription(
    "with --distributed: keep each run's event log on the event stream of the NATS server",
  ),
)

/**
 * How many runs (or negotiations) wait on remote agents at once by default: `remoteConcurrency`
 * of `src/simulation/MonteCarlo.ts`, which the help must not load;
 * `tests/cli/Options.test.ts` checks that the two agree.
 */
export const remoteConcurrency = 8

/**
 * `--concurrency N` of the batch commands (`simulate`, `sweep`,
 * `tournament`), checked by `concurrencyOf` of `src/cli/RemoteAgents.ts`:
 * with remote agents, how many negotiations (runs) wait on them at once.
 */
export const concurrencyOption = Options.integer("concurrency").pipe(
  Options.withDescription(
    `with remote agents: how many negotiations wait on them at once (default ${remoteConcurrency}; they play in this process, without worker threads; results do not depend on it)`,
  ),
  Options.optional,
)
