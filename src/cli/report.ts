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
 * `DIR/reports/`, unless `--logs-only`).
 *
 * @since 0.1.0
 */
import { writeFile } from "node:fs/promises"
import { Console, Effect, Option } from "effect"
import { messageOf } from "../domain/Errors.ts"
import { batchPage } from "../report/BatchPage.ts"
import { runPage } from "../report/Page.ts"
import { ReportError } from "../report/Report.ts"
import { fromSweep, sweepPage } from "../report/Sweep.ts"
import { tournamentPage } from "../report/Tournament.ts"
import { fromTournament } from "../report/TournamentData.ts"
import type { ReportArgs } from "./commands/report.ts"
import { UsageError } from "./Errors.ts"
import { overridesOf } from "./Options.ts"
import { fromBatch, fromLog, fromScenario } from "./ReportData.ts"

/** Writes a page and says where. */
const write = (path: string, html: string) =>
  Effect.tryPromise({
    try: () => writeFile(path, html, "utf8"),
    catch: (e) =>
      new ReportError({
        problem: `cannot write ${path}: ${messageOf(e)}`,
      }),
  }).pipe(
    Effect.zipRight(
      Console.log(`wrote ${path} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)`),
    ),
  )

/** What `parley report` does. */
export const handlers = {
  report: ({
    input,
    scenario,
    negotiation,
    batch,
    sweep,
    tournament,
    logsOnly,
    seed,
    set,
    out,
  }: ReportArgs) =>
    Effect.gen(function* () {
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
}
