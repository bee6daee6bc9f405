/**
 * `parley sweep <scenario> --vary name=min:max:steps [--vary ...] [--grid]
 *  --runs N [--seed S] [--set k=v]... [--workers W] [--concurrency N] [--json]
 *  [--table runs.csv] [--out DIR]`:
 * a Monte Carlo batch at each point of a parameter sweep, the agreement rate
 * and mean utilities with their intervals, and the parameters ranked by
 * partial rank correlation (see `simulation/Sweep.ts` for the methods).
 * `--out DIR` writes `DIR/sweep.json`, which `parley report --sweep DIR`
 * draws (as `simulate --out` and `tournament --out` write what their
 * reports read). A sweep with remote agents plays in this process,
 * `--concurrency` runs at once, its agents reached through `--nats` or
 * `PARLEY_NATS_URL`. What it runs with is imported when it runs (the help
 * loads none of it).
 *
 * @since 0.3.0
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Either, Option } from "effect"
import type { MeanInterval } from "../../analysis/Statistics.ts"
import type { PointResult, SweepResult, Vary } from "../../simulation/Sweep.ts"
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
/** The `--vary` values, each parsed; the first bad one as a {@link UsageError}. */
const variesOf = (
  values: ReadonlyArray<string>,
  parseVary: (text: string) => Either.Either<Vary, string>,
): Either.Either<Array<Vary>, UsageError> => {
  const out: Array<Vary> = []
  for (const v of values) {
    const parsed = parseVary(v)
    if (Either.isLeft(parsed)) return Either.left(new UsageError({ problem: parsed.left }))
    out.push(parsed.right)
  }
  return Either.right(out)
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`
const fixed = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined || !Number.isFinite(x) ? "-" : x.toFixed(digits)
const withInterval = (m: MeanInterval | undefined) =>
  m === undefined
    ? "-"
    : m.interval === null
      ? fixed(m.mean)
      : `${fixed(m.mean)} [${fixed(m.interval[0])}, ${fixed(m.interval[1])}]`

const pointTable = (
  result: SweepResult,
  points: ReadonlyArray<PointResult>,
  names: ReadonlyArray<string>,
) => {
  const header = [
    ...names,
    "agreement [95% Wilson]",
    ...result.parties.map((p) => `${p} utility [95% t]`),
    "rounds med/mean",
    "Pareto",
  ]
  const rows = points.map((p) => [
    ...names.map((n) => String(p.values[n] ?? "")),
    `${percent(p.agreementRate)} [${percent(p.interval[0])}, ${percent(p.interval[1])}]`,
    ...result.parties.map((party) => withInterval(p.meanUtility[party])),
    p.roundsToAgreement === null
      ? "-"
      : `${p.roundsToAgreement.median} / ${p.roundsToAgreement.mean.toFixed(1)}`,
    p.paretoEfficientShare === null ? "-" : percent(p.paretoEfficientShare),
  ])
  return table([header, ...rows], {
    right: Array.from({ length: header.length }, (_, i) => i),
  })
}

/**
 * A sweep as readable text: a table per varied parameter (one for a grid) and the sensitivity
 * ranking; `bound` is the |PRCC| below which a coefficient is not distinguishable from 0.
 */
const renderSweep = (
  result: SweepResult,
  varies: ReadonlyArray<Vary>,
  grid: boolean,
  runs: number,
  bound: number | null,
): string => {
  const out = [
    result.title,
    `${result.points.length} points × ${runs} runs (${grid ? "full grid" : "one parameter at a time"}; the same seeds at every point)`,
  ]
  if (grid) {
    out.push("")
    out.push(
      ...pointTable(
        result,
        result.points,
        varies.map((v) => v.name),
      ),
    )
  } else
    for (const v of varies) {
      out.push("", `${v.name}:`)
      out.push(
        ...pointTable(
          result,
          result.points.filter((p) => v.name in p.values),
          [v.name],
        ),
      )
    }
  out.push(
    "",
    `sensitivity: partial rank correlation (PRCC, Marino et al. 2008) over all ${result.rows.length} runs, strongest effect on agreement first`,
  )
  out.push(
    ...table(
      [
        ["parameter", "agreement", ...result.parties.map((p) => `${p} utility`)],
        ...result.sensitivity.map((s) => [
          s.parameter,
          fixed(s.agreement),
          ...result.parties.map((p) => fixed(s.utility[p])),
        ]),
      ],
      { right: Array.from({ length: result.parties.length + 1 }, (_, i) => i + 1) },
    ),
  )
  if (bound !== null)
    out.push(`  |PRCC| below ${bound.toFixed(3)} is not distinguishable from 0 at the 5% level`)
  return out.join("\n")
}

/** The sweep as `--json` prints it (without the per-run rows, which `--table` writes). */
const sweepJson = (result: SweepResult) => ({
  points: result.points,
  sensitivity: result.sensitivity,
})

/** `parley sweep`. */
export const command = Command.make(
  "sweep",
  config,
  ({
    scenario,
    vary,
    grid,
    runs,
    seed,
    set,
    agent,
    workers,
    concurrency,
    json,
    table: tableFile,
    out,
    distributed,
    nats,
    chunk,
    keepLogs,
  }) =>
    Effect.gen(function* () {
      const { mkdirSync, renameSync, writeFileSync } = yield* Effect.promise(
        () => import("node:fs"),
      )
      const { join } = yield* Effect.promise(() => import("node:path"))
      const { prccThreshold } = yield* Effect.promise(() => import("../../analysis/Statistics.ts"))
      const { messageOf } = yield* Effect.promise(() => import("../../domain/Errors.ts"))
      const { readDefinition } = yield* Effect.promise(() => import("../../scenario/Load.ts"))
      const { runsCsv } = yield* Effect.promise(() => import("../../simulation/RunsTable.ts"))
      const { checkVaries, parseVary, sweep, sweepFile } = yield* Effect.promise(
        () => import("../../simulation/Sweep.ts"),
      )
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
      if (vary.length === 0)
        return yield* new UsageError({
          problem:
            "give at least one --vary name=min:max:steps, e.g. --vary ukraineReservation=0.2:0.5:4",
        })
      const varies = yield* variesOf(vary, parseVary)
      const overrides = yield* overridesOf(set)
      const agents = yield* agentsOf(agent)
      const problem = checkVaries(yield* readDefinition(scenario), varies, overrides)
      if (problem !== undefined) return yield* new UsageError({ problem })
      const progress =
        json || !process.stderr.isTTY
          ? undefined
          : (done: number, total: number) =>
              process.stderr.write(`\rpoint ${done}/${total}${done === total ? "\n" : ""}`)
      const result = yield* sweep(scenario, overrides, agents, {
        varies,
        grid,
        runs,
        seed,
        workers: yield* workersOf(workers),
        engine,
        onPoint: progress,
        concurrency: yield* concurrencyOf(concurrency),
        // Remote agents talk over --nats (or PARLEY_NATS_URL), connected once before any point.
        connect: connectAgentsHere({ nats, distributed: engine !== undefined }),
      })
      if (Option.isSome(tableFile))
        writeFileSync(
          tableFile.value,
          runsCsv(result.rows, {
            parameters: result.parameters,
            parties: result.parties,
            issues: result.issues,
            points: true,
          }),
        )
      if (Option.isSome(out)) {
        const file = join(out.value, "sweep.json")
        const text = JSON.stringify(
          sweepFile(result, { scenario, overrides, varies, grid, runs, seed }),
          null,
          1,
        )
        yield* Effect.try({
          try: () => {
            // Written whole or not at all: a reader never sees half a file.
            mkdirSync(out.value, { recursive: true })
            writeFileSync(`${file}.part`, `${text}\n`)
            renameSync(`${file}.part`, file)
          },
          catch: (e) => new UsageError({ problem: `cannot write ${file}: ${messageOf(e)}` }),
        })
      }
      yield* Console.log(
        json
          ? JSON.stringify(sweepJson(result), null, 2)
          : renderSweep(
              result,
              varies,
              grid,
              runs,
              prccThreshold(result.rows.length, result.sensitivity.length),
            ),
      )
      if (Option.isSome(out) && !json)
        yield* Console.log(
          `sweep in ${join(out.value, "sweep.json")} (draw it with parley report --sweep ${out.value} -o sweep.html)`,
        )
      if (Option.isSome(tableFile) && !json)
        yield* Console.log(
          `${result.rows.length} runs in ${tableFile.value} (CSV, one row per run)`,
        )
    }).pipe(Effect.scoped),
).pipe(
  Command.withDescription(
    described(
      "Sweep scenario parameters: a Monte Carlo batch at each point, agreement rates with intervals, and a sensitivity ranking",
      [
        "parley sweep scenarios/ceasefire-freeze.ts --vary ukraineReservation=0.2:0.5:4 --runs 200",
        "parley sweep deal.yaml --vary a=0.2:0.5:3 --vary b=0:1:3 --grid --out sweep",
      ],
    ),
  ),
)
