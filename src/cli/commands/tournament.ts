/**
 * The command line of `parley tournament <tournament.yaml|json> [--out DIR]
 * [--nats URL] [--workers N] [--concurrency N] [--resume] [--json] [--seed S] [--distributed ...]`; what it does is in `src/cli/tournament.ts`, loaded
 * when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
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
/** What `parley tournament` is given. */
export type TournamentArgs = Parsed<typeof config>

/** The `tournament` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<TournamentArgs, E, R>) =>
  Command.make("tournament", config, handler).pipe(
    Command.withDescription(
      "Play a tournament: competitors × scenarios × repetitions with role rotation, ranked",
    ),
  )
