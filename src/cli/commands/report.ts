/**
 * `parley report <log.jsonl | scenario> [--scenario S] [--negotiation ID]
 *  [--seed N] [--set k=v]... -o report.html` and
 * `parley report --batch DIR [--scenario S] -o batch.html` and
 * `parley report --sweep DIR -o sweep.html` and
 * `parley report --tournament DIR [--logs-only] -o t.html`: one
 * self-contained HTML page (inline CSS and SVG, nothing loaded from the
 * network) with the timeline, concession curves, utility space and final
 * state of a run, the outcome distributions of a Monte Carlo batch (with
 * agreement by drawn parameter and the sensitivity ranking), the curves,
 * tornado charts and agreed terms of a sweep, or the
 * ranking, score distributions, head-to-head heat-map and per-scenario
 * breakdown of a tournament (with a run report per negotiation under
 * a folder beside the page, `<page>-runs/`, unless `--logs-only`). What it runs with is imported when
 * it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
import { seedOption, setOption } from "./Shared.ts"

const inputArg = Args.file({ name: "log.jsonl | scenario", exists: "yes" }).pipe(
  Args.withDescription(
    "a JSONL event log (.jsonl) to replay, or a scenario file to run once (seeded)",
  ),
  Args.optional,
)
const scenarioOption = Options.file("scenario", { exists: "yes" }).pipe(
  Options.withDescription(
    "with a log or --batch: the scenario whose preferences the utility charts use",
  ),
  Options.optional,
)
const negotiationOption = Options.text("negotiation").pipe(
  Options.withDescription("with a log: the negotiation to report (default: the first in the log)"),
  Options.optional,
)
const batchOption = Options.directory("batch", { exists: "yes" }).pipe(
  Options.withDescription("a folder written by parley simulate --out DIR: report the whole batch"),
  Options.optional,
)
const sweepOption = Options.directory("sweep", { exists: "yes" }).pipe(
  Options.withDescription(
    "a folder written by parley sweep --out DIR: report the sweep (from DIR/sweep.json)",
  ),
  Options.optional,
)
const tournamentOption = Options.directory("tournament", { exists: "yes" }).pipe(
  Options.withDescription(
    "a folder written by parley tournament --out DIR: report the tournament (from DIR/tournament.json) and write a run report per negotiation in a folder beside the page (t.html: t-runs/)",
  ),
  Options.optional,
)
const logsOnlyOption = Options.boolean("logs-only").pipe(
  Options.withDescription(
    "with --tournament: link each negotiation to its log instead of writing its run report",
  ),
)
const outOption = Options.file("out").pipe(
  Options.withAlias("o"),
  Options.withDescription("the HTML file to write"),
)

const config = {
  input: inputArg,
  scenario: scenarioOption,
  negotiation: negotiationOption,
  batch: batchOption,
  sweep: sweepOption,
  tournament: tournamentOption,
  logsOnly: logsOnlyOption,
  seed: seedOption,
  set: setOption,
  out: outOption,
}
/** `parley report`. */
export const command = Command.make(
  "report",
  config,
  ({ input, scenario, negotiation, batch, sweep, tournament, logsOnly, seed, set, out }) =>
    Effect.gen(function* () {
      const { writeFile } = yield* Effect.promise(() => import("node:fs/promises"))
      const { messageOf } = yield* Effect.promise(() => import("../../domain/Errors.ts"))
      const { batchPage } = yield* Effect.promise(() => import("../../report/BatchPage.ts"))
      const { runPage } = yield* Effect.promise(() => import("../../report/Page.ts"))
      const { ReportError } = yield* Effect.promise(() => import("../../report/Report.ts"))
      const { fromSweep, sweepPage } = yield* Effect.promise(() => import("../../report/Sweep.ts"))
      const { tournamentPage } = yield* Effect.promise(() => import("../../report/Tournament.ts"))
      const { fromTournament } = yield* Effect.promise(
        () => import("../../report/TournamentData.ts"),
      )
      const { overridesOf, refuseOverwrite } = yield* Effect.promise(() => import("../Options.ts"))
      yield* refuseOverwrite(
        [["--out", out]],
        [
          ["input", Option.getOrUndefined(input)],
          ["--scenario", Option.getOrUndefined(scenario)],
        ],
      )
      const { fromBatch, fromLog, fromScenario } = yield* Effect.promise(
        () => import("../ReportData.ts"),
      )
      /** Writes a page and says where. */
      const write = (path: string, html: string) =>
        Effect.tryPromise({
          try: () => writeFile(path, html, "utf8"),
          catch: (e) => new ReportError({ problem: `cannot write ${path}: ${messageOf(e)}` }),
        }).pipe(
          Effect.zipRight(
            Console.log(`wrote ${path} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)`),
          ),
        )
      const overrides = yield* overridesOf(set)
      const generatedAt = new Date().toISOString()
      const given = [input, batch, sweep, tournament].filter(Option.isSome).length
      if (given > 1)
        return yield* new UsageError({
          problem:
            "give one of --tournament DIR, --sweep DIR, --batch DIR or a log/scenario, not several",
        })
      if (Option.isSome(sweep)) {
        if (logsOnly)
          return yield* new UsageError({ problem: "--logs-only goes with --tournament DIR" })
        const data = yield* fromSweep(sweep.value)
        return yield* write(out, sweepPage(data, generatedAt))
      }
      if (Option.isSome(tournament)) {
        const data = yield* fromTournament(tournament.value, { out, logsOnly })
        return yield* write(out, tournamentPage(data, generatedAt))
      }
      if (logsOnly)
        return yield* new UsageError({ problem: "--logs-only goes with --tournament DIR" })
      if (Option.isSome(batch)) {
        const data = yield* fromBatch(batch.value, {
          scenario: Option.getOrUndefined(scenario),
          overrides: Option.isSome(set) ? overrides : undefined,
        })
        return yield* write(out, batchPage(data, generatedAt))
      }
      if (Option.isNone(input))
        return yield* new UsageError({
          problem:
            "give a log (.jsonl) or a scenario to report, or --batch DIR, --sweep DIR or --tournament DIR",
        })
      const file = input.value
      const data = file.toLowerCase().endsWith(".jsonl")
        ? yield* fromLog(file, {
            negotiation: Option.getOrUndefined(negotiation),
            scenario: Option.getOrUndefined(scenario),
            overrides,
          })
        : yield* fromScenario(file, { seed, overrides })
      yield* write(out, runPage(data, generatedAt))
    }),
).pipe(
  Command.withDescription(
    described(
      "Write a self-contained HTML report of a run (a scenario run once, or a log), of a Monte Carlo batch, of a sweep or of a tournament",
      [
        "parley report scenarios/ceasefire-freeze.ts -o run.html",
        "parley report run.jsonl --scenario scenarios/anac-laptop.json -o run.html",
        "parley report --batch batch -o batch.html",
        "parley report --tournament results -o tournament.html",
      ],
    ),
  ),
)
