/**
 * `parley replay <log.jsonl> [--negotiation ID] [--until-version N | --at ISO-TIME] [--json]`
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { replayFile } from "../app/ReplayLog.ts"
import { toInstant } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import { toEnd, type Until, untilTime, untilVersion } from "../domain/Replay.ts"
import { toView } from "../domain/View.ts"
import { UsageError } from "./Errors.ts"
import { renderState } from "./Render.ts"

export const negotiationOption = Options.text("negotiation").pipe(
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
export const jsonOption = Options.boolean("json").pipe(Options.withDescription("print JSON"))

/** Turns the CLI's --until-version / --at into a replay bound. */
export const untilFrom = (version: Option.Option<number>, at: Option.Option<string>) =>
  Effect.gen(function* () {
    if (Option.isSome(version) && Option.isSome(at))
      return yield* new UsageError({ problem: "give --until-version or --at, not both" })
    if (Option.isSome(version)) {
      if (version.value < 0)
        return yield* new UsageError({ problem: "--until-version must be >= 0" })
      return untilVersion(version.value)
    }
    if (Option.isSome(at)) {
      const instant = toInstant(at.value)
      if (instant === undefined)
        return yield* new UsageError({
          problem: `--at ${JSON.stringify(at.value)} is not a date or ISO time`,
        })
      return untilTime(instant)
    }
    return toEnd as Until
  })

export const command = Command.make(
  "replay",
  {
    log: Args.file({ name: "log.jsonl", exists: "yes" }),
    negotiation: negotiationOption,
    untilVersion: untilVersionOption,
    at: atOption,
    json: jsonOption,
  },
  ({ log, negotiation, untilVersion, at, json }) =>
    Effect.gen(function* () {
      const until = yield* untilFrom(untilVersion, at)
      const chosen = Option.getOrUndefined(negotiation) as NegotiationId | undefined
      const { states } = yield* replayFile(log, { negotiation: chosen, until })
      if (states.size === 0)
        return yield* new UsageError({
          problem:
            chosen === undefined
              ? `${log} holds no events`
              : `${log} holds no events of negotiation "${chosen}"`,
        })
      if (states.size > 1)
        return yield* new UsageError({
          problem: `${log} holds ${states.size} negotiations (${[...states.keys()].join(", ")}): choose one with --negotiation`,
        })
      const state = [...states.values()][0]!
      yield* Console.log(json ? JSON.stringify(toView(state), null, 2) : renderState(state))
    }),
).pipe(Command.withDescription("Replay a JSONL event log and print the state of a negotiation"))
