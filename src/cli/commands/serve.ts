/**
 * The command line of `parley serve [scenario] [--port P] [--pace 300ms] [--runs N] [--seed S]
 * [--set k=v]... [--human party]... [--human-timeout 10m] [--on-human-timeout
 * walk-out|reject]`; what it does is in `src/cli/serve.ts`, loaded
 * when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command, Options } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"
import { natsOption, seedOption, setOption } from "./Shared.ts"

const scenarioArg = Args.file({ name: "scenario", exists: "yes" }).pipe(
  Args.withDescription("a scenario to play live in process (.ts, .json or .yaml)"),
  Args.optional,
)
const portOption = Options.integer("port").pipe(
  Options.withDescription("the port to listen on (default 8080; 0 picks a free one)"),
  Options.withDefault(8080),
)
const hostOption = Options.text("host").pipe(
  Options.withDescription(
    "the address to listen on (default 127.0.0.1); a request must name it, or a loopback name, as its Host",
  ),
  Options.withDefault("127.0.0.1"),
)
const paceOption = Options.text("pace").pipe(
  Options.withDescription("the pause before each recorded decision: 300ms, 1s, 0 (default 300ms)"),
  Options.withDefault("300ms"),
)
const runsOption = Options.integer("runs").pipe(
  Options.withDescription("how many runs to play side by side (seeds S, S+1, ...; default 1)"),
  Options.withDefault(1),
)
const humanOption = Options.text("human").pipe(
  Options.withDescription(
    "a person plays this party from a page of their own, its secret address printed at start (repeatable)",
  ),
  Options.repeated,
)
const humanTimeoutOption = Options.text("human-timeout").pipe(
  Options.withDescription(
    "how long each turn waits for the person: 10m (default), 90s, ...; 0 waits for ever",
  ),
  Options.withDefault("10m"),
)
const onHumanTimeoutOption = Options.choice("on-human-timeout", ["walk-out", "reject"]).pipe(
  Options.withDescription(
    "what the seat does when the person has not moved in time: walk out (default), or reject the offer on the table and let the turn pass",
  ),
  Options.withDefault("walk-out" as const),
)

const config = {
  scenario: scenarioArg,
  port: portOption,
  host: hostOption,
  pace: paceOption,
  runs: runsOption,
  seed: seedOption,
  set: setOption,
  nats: natsOption,
  human: humanOption,
  humanTimeout: humanTimeoutOption,
  onHumanTimeout: onHumanTimeoutOption,
}
/** What `parley serve` is given. */
export type ServeArgs = Parsed<typeof config>

/** The `serve` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<ServeArgs, E, R>) =>
  Command.make("serve", config, handler).pipe(
    Command.withDescription(
      "Serve a live web page of negotiations; with a scenario, play it in process at a watchable pace",
    ),
  )
