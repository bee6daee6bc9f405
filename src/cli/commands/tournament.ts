/**
 * `parley tournament <tournament.yaml|json> [--out DIR] [--nats URL]
 *  [--workers N] [--concurrency N] [--resume] [--json] [--seed S]`: competitors × scenarios ×
 * repetitions, every negotiation an ordinary event log (a JSONL file under
 * `--out`, or the NATS event stream with `--nats`), the competitors ranked.
 * A tournament with remote competitors plays in this process, `--concurrency`
 * negotiations at once, its agents reached through `--nats` or `PARLEY_NATS_URL`.
 *
 * With `--nats` and no `--out`, the results are kept in memory and printed
 * only, and `--resume` reads what is complete from the stream alone (the
 * complete negotiations are replayed from their seeds to score them, and
 * checked against the stream). What it runs with is imported when it runs (the
 * help loads none of it).
 *
 * @since 0.2.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import type { TournamentResult } from "../../tournament/Result.ts"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
import { table } from "../Table.ts"
import {
  chunkOption,
  concurrencyOption,
  distributedOption,
  jsonOption,
  keepLogsOption,
  natsOption,
  outOption,
  workersOption,
} from "./Shared.ts"

const resumeOption = Options.boolean("resume").pipe(
  Options.withDescription(
    "keep the negotiations whose log (under --out, or on the stream with --nats) is complete; play the others (again), or finish them on the stream",
  ),
)
const seedOption = Options.integer("seed").pipe(
  Options.withDescription("replace the tournament file's seed"),
  Options.optional,
)

const config = {
  file: Args.file({ name: "tournament", exists: "yes" }).pipe(
    Args.withDescription("a tournament file (.yaml or .json)"),
  ),
  out: outOption(
    "write DIR/logs/<negotiation>.jsonl (not with --nats), DIR/negotiations.csv, DIR/scores.csv and DIR/tournament.json",
  ),
  nats: natsOption.pipe(
    Options.withDescription(
      "log every negotiation in this NATS server's event stream instead of under --out/logs",
    ),
  ),
  workers: workersOption(
    "worker threads (default: from 200 negotiations, one per core but one, up to 8; 0 or 1: none)",
  ),
  concurrency: concurrencyOption,
  resume: resumeOption,
  json: jsonOption,
  seed: seedOption,
  distributed: distributedOption,
  chunk: chunkOption,
  keepLogs: keepLogsOption,
}
const f = (x: number) => x.toFixed(4)
const percent = (x: number) => `${(100 * x).toFixed(1)}%`

/** The ranking as a text table. */
export const renderRanking = (result: TournamentResult): Array<string> =>
  table(
    [
      ["#", "competitor", result.score, "95% interval", "agreements", "utility", "advantage", "n"],
      ...result.ranking.map((r, i) => [
        String(i + 1),
        r.competitor,
        f(r.score),
        `[${f(r.interval[0])}, ${f(r.interval[1])}]`,
        percent(r.agreementRate),
        f(r.meanUtility),
        f(r.meanAdvantage),
        String(r.negotiations),
      ]),
    ],
    { right: [0, 2, 4, 5, 6, 7] },
  )

/** A progress bar with the estimated time left, on a terminal only. */
const progressBar = () => {
  if (!process.stderr.isTTY) return undefined
  const started = Date.now()
  let last = 0
  return (done: number, total: number) => {
    const now = Date.now()
    if (done < total && now - last < 100) return
    last = now
    const width = 30
    const filled = Math.round((done / total) * width)
    const elapsed = (now - started) / 1000
    const eta = done === 0 ? "" : ` · ETA ${Math.ceil((elapsed / done) * (total - done))} s`
    process.stderr.write(
      `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} negotiations${done === total ? "\n" : eta}\x1b[K`,
    )
  }
}

/** `parley tournament`. */
export const command = Command.make(
  "tournament",
  config,
  ({ file, out, nats, workers, concurrency, resume, json, seed, distributed, chunk, keepLogs }) =>
    Effect.gen(function* () {
      const { runTournament } = yield* Effect.promise(
        () => import("../../tournament/Tournament.ts"),
      )
      const { tournamentEngineOf } = yield* Effect.promise(() => import("../Distributed.ts"))
      const { concurrencyOf, connectAgentsHere } = yield* Effect.promise(
        () => import("../RemoteAgents.ts"),
      )
      const { refuseOverwrite, workersOf } = yield* Effect.promise(() => import("../Options.ts"))
      const outDir = Option.getOrUndefined(out)
      yield* refuseOverwrite([["--out", outDir]], [["tournament", file]])
      const engine = yield* tournamentEngineOf({ distributed, nats, chunk, keepLogs, quiet: json })
      if (engine !== undefined && resume)
        return yield* new UsageError({
          problem:
            "--distributed resumes by itself (run the same command again); --resume is for local runs",
        })
      // With --distributed, --nats is the workers' server; the logs are kept with --keep-logs.
      const natsUrl = engine === undefined ? Option.getOrUndefined(nats) : undefined
      if (resume && outDir === undefined && natsUrl === undefined)
        return yield* new UsageError({
          problem: "--resume needs --out DIR or --nats URL (where the logs are)",
        })
      if (Option.isSome(workers) && workers.value < 0)
        return yield* new UsageError({ problem: "--workers must be at least 0" })
      const w = yield* workersOf(workers)
      const { result, counts, seconds, remote } = yield* runTournament(file, {
        outDir,
        nats: natsUrl,
        workers: w,
        resume,
        seed: Option.getOrUndefined(seed),
        onProgress: json ? undefined : progressBar(),
        engine,
        concurrency: yield* concurrencyOf(concurrency),
        // Remote competitors talk over --nats (or PARLEY_NATS_URL), connected before anything plays.
        connect: connectAgentsHere({ nats, distributed: engine !== undefined }),
      })
      const n = result.negotiations.length
      if (json) {
        yield* Console.log(
          JSON.stringify({ id: result.id, negotiations: n, ranking: result.ranking }, null, 2),
        )
        return
      }
      const agreed = result.negotiations.filter((x) => x.agreement !== null).length
      yield* Console.log(
        [
          `${result.id}: ${result.ranking.length} competitors, ${result.scenarios.length} scenarios, ${n} negotiations (seed ${result.seed}), ranked by mean ${result.score}`,
          ...renderRanking(result),
          `${n} negotiations in ${seconds.toFixed(2)} s (${(n / seconds).toFixed(1)}/s) · ${percent(n === 0 ? 0 : agreed / n)} agreed` +
            (resume
              ? ` · ${counts.complete} complete already, ${counts.restarted} restarted, ${counts.new} new`
              : "") +
            (outDir === undefined ? "" : ` · results in ${outDir}/tournament.json`) +
            (natsUrl !== undefined
              ? " · logs on the NATS event stream"
              : outDir === undefined
                ? ""
                : `, logs in ${outDir}/logs`),
          ...(remote === undefined
            ? []
            : [
                `remote agents: played in this process (no worker threads), ${remote === 1 ? "one negotiation at a time" : `up to ${remote} negotiations at once`}`,
              ]),
        ].join("\n"),
      )
    }),
).pipe(
  Command.withDescription(
    described(
      "Play a tournament: competitors × scenarios × repetitions with role rotation, ranked",
      [
        "parley tournament tournaments/anac-style.yaml --out results",
        "parley tournament tournaments/anac-style.yaml --out results --resume",
        "parley tournament tournaments/anac-style.yaml --nats nats://127.0.0.1:4222 --distributed",
      ],
    ),
  ),
)
