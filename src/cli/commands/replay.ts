/**
 * The command line of `parley replay [<log.jsonl>] [--nats URL] [--negotiation
 * ID] [--until-version N | --at ISO-TIME] [--on-invalid fail|stop|skip]
 * [--json]`; what it does is in `src/cli/replay.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command, Options } from "@effect/cli"
import type { InvalidPolicy } from "../../app/Projection.ts"
import type { Handler, Parsed } from "./Lazy.ts"
import { jsonOption, natsOption } from "./Shared.ts"

const negotiationOption = Options.text("negotiation").pipe(
  Options.withAlias("n"),
  Options.withDescription("the negotiation to replay (needed when the log holds several)"),
  Options.optional,
)
const untilVersionOption = Options.integer("until-version").pipe(
  Options.withDescription("replay up to and including this version"),
  Options.optional,
)
const atOption = Options.text("at").pipe(
  Options.withDescription("replay the events that occurred at or before this ISO time"),
  Options.optional,
)
/** The projection's policies, each once (the compiler checks the list against `InvalidPolicy`). */
const invalidPolicies = Object.keys({ fail: 0, stop: 0, skip: 0 } satisfies Record<
  InvalidPolicy,
  0
>) as ReadonlyArray<InvalidPolicy>
/** `--on-invalid fail|stop|skip`: the projection's policy for input it cannot use. */
const onInvalidOption = Options.choice("on-invalid", invalidPolicies).pipe(
  Options.withDescription(
    "what to do with an unreadable line or commit, or an impossible event: fail (default) names where it lies; stop keeps its negotiation's last good state; skip sets it aside and goes on (each problem is printed on stderr)",
  ),
  Options.withDefault("fail" as InvalidPolicy),
)

const config = {
  log: Args.file({ name: "log.jsonl", exists: "yes" }).pipe(
    Args.withDescription("a JSONL event log (or use --nats)"),
    Args.optional,
  ),
  nats: natsOption,
  negotiation: negotiationOption,
  untilVersion: untilVersionOption,
  at: atOption,
  onInvalid: onInvalidOption,
  json: jsonOption,
}
/** What `parley replay` is given. */
export type ReplayArgs = Parsed<typeof config>

/** The `replay` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<ReplayArgs, E, R>) =>
  Command.make("replay", config, handler).pipe(
    Command.withDescription(
      "Replay an event log (JSONL file or NATS) and print the state of a negotiation",
    ),
  )
