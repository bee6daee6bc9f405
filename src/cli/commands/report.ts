/**
 * The command line of `parley report`; what it does is in
 * `src/cli/report.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
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
    "a folder written by parley tournament --out DIR: report the tournament (from DIR/tournament.json) and write a run report per negotiation under DIR/reports/",
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
/** What `parley report` is given. */
export type ReportArgs = Parsed<typeof config>

/** The `report` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<ReportArgs, E, R>) =>
  Command.make("report", config, handler).pipe(
    Command.withDescription(
      "Write a self-contained HTML report of a run (a scenario run once, or a log), of a Monte Carlo batch, of a sweep or of a tournament",
    ),
  )
