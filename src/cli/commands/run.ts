/**
 * The command line of `parley run <scenario> [--seed S] [--set k=v]... [--out
 * log.jsonl] [--json] [--from log.jsonl --until-version N]`; what it does is
 * in `src/cli/run.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import {
  agentOption,
  jsonOption,
  natsOption,
  scenarioArg,
  seedOption,
  setOption,
} from "./Shared.ts"

const outOption = Options.file("out").pipe(
  Options.withDescription(
    "record the run's events in this JSONL log (appended; the negotiation id must be new there)",
  ),
  Options.optional,
)
const fromOption = Options.text("from").pipe(
  Options.withDescription(
    "branch from a recording (with --until-version): a JSONL log, or with --nats the id of a negotiation on the NATS log",
  ),
  Options.optional,
)
const untilVersionOption = Options.integer("until-version").pipe(
  Options.withDescription(
    "with --from: replay the recorded negotiation up to this version, then play on",
  ),
  Options.optional,
)
const negotiationOption = Options.text("negotiation").pipe(
  Options.withDescription(
    "with --from log.jsonl: the recorded negotiation (default: the scenario's id)",
  ),
  Options.optional,
)

const config = {
  scenario: scenarioArg,
  seed: seedOption,
  set: setOption,
  agent: agentOption,
  out: outOption,
  from: fromOption,
  untilVersion: untilVersionOption,
  negotiation: negotiationOption,
  nats: natsOption,
  json: jsonOption,
}
/** What `parley run` is given. */
export type RunArgs = Parsed<typeof config>

/** The `run` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<RunArgs, E, R>) =>
  Command.make("run", config, handler).pipe(
    Command.withDescription("Run a scenario once: its timeline, then its strategies play on"),
  )
