/**
 * `parley simulate <scenario> --runs N [--seed S] [--set k=v]... [--out DIR]
 *  [--workers W] [--concurrency N] [--json] [--table runs.csv] [--distributed --nats URL
 *  [--chunk N] [--keep-logs]]`: a Monte Carlo batch and its summary, played here or on
 *  `parley worker`s. A batch with remote agents plays in this process, `--concurrency`
 *  runs at once, its agents reached through `--nats` or `PARLEY_NATS_URL`. What it runs
 *  with is imported when it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Command } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import type { Summary } from "../../simulation/Summary.ts"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
import { table } from "../Table.ts"
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
const percent = (x: number) => `${(100 * x).toFixed(1)}%`

/** The summary as readable text. */
export const renderSummary = (s: Summary): string => {
  const out = [
    `${s.runs} runs (seeds ${s.seed}..${s.seed + s.runs - 1}) in ${s.seconds.toFixed(2)} s · ${Math.round(s.runs / s.seconds)} runs/s · ${s.events} events`,
    `outcomes: ${Object.entries(s.statuses)
      .map(([k, v]) => `${k} ${v} (${percent(v / s.runs)})`)
      .join(", ")}`,
    `agreement rate: ${percent(s.agreementRate)}`,
  ]
  if (s.roundsToAgreement !== null)
    out.push(
      `rounds to agreement: median ${s.roundsToAgreement.median}, p90 ${s.roundsToAgreement.p90}, mean ${s.roundsToAgreement.mean.toFixed(2)}`,
    )
  if (s.meanAgreementTime !== null)
    out.push(`mean agreement time (normalised, 0..1): ${s.meanAgreementTime.toFixed(3)}`)
  out.push(
    "per party: mean discounted utility (discounted reservation value without agreement), mean advantage over no deal:",
  )
  out.push(
    ...table(
      Object.entries(s.meanUtility).map(([p, u]) => [
        p,
        u.toFixed(4),
        (s.meanAdvantage[p] ?? 0).toFixed(4),
      ]),
      { right: [1, 2] },
    ),
  )
  if (s.paretoEfficientShare !== null)
    out.push(`Pareto-efficient agreements: ${percent(s.paretoEfficientShare)}`)
  const drawn = Object.entries(s.drawn)
  if (drawn.length > 0) {
    out.push("uncertain parameters (drawn per run): mean in agreed runs / in the others")
    const f = (x: number | null) => (x === null ? "-" : x.toFixed(3))
    out.push(
      ...table(
        drawn.map(([name, d]) => [
          d.noEffectUnder === undefined ? name : `${name} (no effect under ${d.noEffectUnder})`,
          `[${d.min}, ${d.max}]`,
          `${f(d.meanAgreed)} / ${f(d.meanOther)}`,
        ]),
      ),
    )
  }
  if (Object.keys(s.optionFrequencies).length > 0) {
    out.push("agreed options (share of agreements):")
    out.push(
      ...table(
        Object.entries(s.optionFrequencies).map(([issue, values]) => [
          issue,
          agreedValues(values, percent),
        ]),
      ),
    )
  }
  return out.join("\n")
}

/**
 * The agreed values of one issue on one line: each option with its share, or,
 * for a numeric issue with more than {@link LISTED} values, their spread (every
 * value counted, none cut: the batch report draws them all).
 */
const LISTED = 8
const agreedValues = (
  shares: Readonly<Record<string, number>>,
  percent: (x: number) => string,
): string => {
  const entries = Object.entries(shares)
  if (entries.length <= LISTED || !entries.every(([v]) => Number.isFinite(Number(v))))
    return entries
      .sort((a, b) => b[1] - a[1])
      .map(([v, f]) => `${v} ${percent(f)}`)
      .join(", ")
  const sorted = entries.map(([v, f]) => [Number(v), f] as const).sort((a, b) => a[0] - b[0])
  const at = (q: number) => {
    let acc = 0
    for (const [v, f] of sorted) {
      acc += f
      if (acc >= q - 1e-9) return v
    }
    return sorted.at(-1)![0]
  }
  const mean = sorted.reduce((m, [v, f]) => m + v * f, 0)
  const most = entries.reduce((a, b) => (b[1] > a[1] ? b : a))
  return `${entries.length} values: min ${sorted[0]![0]} · q1 ${at(0.25)} · median ${at(0.5)} · q3 ${at(0.75)} · max ${sorted.at(-1)![0]} · mean ${Number(mean.toPrecision(6))}; most often ${most[0]} (${percent(most[1])})`
}

const progressBar = () => {
  if (!process.stderr.isTTY) return undefined
  let last = 0
  return (total: number) => (done: number) => {
    const now = Date.now()
    if (done < total && now - last < 100) return
    last = now
    const width = 30
    const filled = Math.round((done / total) * width)
    process.stderr.write(
      `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} runs${done === total ? "\n" : ""}`,
    )
  }
}

/** `parley simulate`. */
export const command = Command.make(
  "simulate",
  config,
  ({
    scenario,
    runs,
    seed,
    set,
    agent,
    out,
    workers,
    concurrency,
    nats,
    json,
    table: tableFile,
    distributed,
    chunk,
    keepLogs,
  }) =>
    Effect.gen(function* () {
      const { writeFileSync } = yield* Effect.promise(() => import("node:fs"))
      const { loadBatch } = yield* Effect.promise(() => import("../../simulation/Batch.ts"))
      const { remoteConcurrency, simulate } = yield* Effect.promise(
        () => import("../../simulation/MonteCarlo.ts"),
      )
      const { runsCsv } = yield* Effect.promise(() => import("../../simulation/RunsTable.ts"))
      const { runEngineOf } = yield* Effect.promise(() => import("../Distributed.ts"))
      const { agentsOf, overridesOf, refuseOverwrite, workersOf } = yield* Effect.promise(
        () => import("../Options.ts"),
      )
      const { concurrencyOf, connectAgentsHere } = yield* Effect.promise(
        () => import("../RemoteAgents.ts"),
      )
      yield* refuseOverwrite(
        [
          ["--table", Option.getOrUndefined(tableFile)],
          ["--out", Option.getOrUndefined(out)],
        ],
        [["scenario", scenario]],
      )
      if (runs < 1) return yield* new UsageError({ problem: "--runs must be at least 1" })
      const engine = yield* runEngineOf({ distributed, nats, chunk, keepLogs, quiet: json })
      if (engine !== undefined && Option.isSome(out))
        return yield* new UsageError({
          problem: "--out writes logs on this machine; with --distributed use --keep-logs",
        })
      const overrides = yield* overridesOf(set)
      const agents = yield* agentsOf(agent)
      const atOnce = yield* concurrencyOf(concurrency)
      // Remote agents talk over --nats (or PARLEY_NATS_URL), connected before any run starts.
      const batch = yield* loadBatch(
        scenario,
        overrides,
        agents,
        connectAgentsHere({ nats, distributed: engine !== undefined }),
      )
      const remote = batch.transport !== undefined
      const bar = json ? undefined : progressBar()?.(runs)
      const { summary, outcomes } = yield* simulate(batch, {
        runs,
        seed,
        outDir: Option.getOrUndefined(out),
        // With --distributed, --nats is the workers' server, and the logs are kept with --keep-logs only.
        nats: engine === undefined ? Option.getOrUndefined(nats) : undefined,
        workers: yield* workersOf(workers),
        concurrency: atOnce,
        onProgress: bar,
        engine,
      })
      if (Option.isSome(tableFile)) {
        const parameters = batch.uncertain.map((u) => u.name)
        writeFileSync(
          tableFile.value,
          runsCsv(
            outcomes.map((outcome) => ({ parameters: outcome.drawn, outcome })),
            {
              parameters,
              parties: Object.keys(summary.meanUtility),
              issues: batch.base.compiled.scenario.issues.map((i) => i.id as string),
              points: false,
            },
          ),
        )
      }
      yield* Console.log(
        json
          ? JSON.stringify(summary, null, 2)
          : `${batch.base.compiled.scenario.title}\n${renderSummary(summary)}`,
      )
      const at = atOnce ?? remoteConcurrency
      if (remote && !json)
        yield* Console.log(
          `remote agents: played in this process (no worker threads), ${at === 1 ? "one run at a time" : `up to ${at} runs at once`}`,
        )
      if (Option.isSome(out) && !json) yield* Console.log(`logs in ${out.value}/run-NNNNNN.jsonl`)
      if (Option.isSome(tableFile) && !json)
        yield* Console.log(`${outcomes.length} runs in ${tableFile.value} (CSV, one row per run)`)
    }).pipe(Effect.scoped),
).pipe(
  Command.withDescription(
    described("Run a scenario many times (Monte Carlo) and summarise the outcomes", [
      "parley simulate scenarios/anac-laptop.json --runs 1000",
      "parley simulate scenarios/ceasefire-freeze.ts --runs 500 --table runs.csv --out batch",
      "parley simulate scenarios/anac-laptop.json --runs 100000 --distributed",
    ]),
  ),
)
