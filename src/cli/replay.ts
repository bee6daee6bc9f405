/**
 * `parley replay <log.jsonl> [--negotiation ID] [--until-version N | --at ISO-TIME] [--skip-invalid] [--json]`
 *
 * `--skip-invalid` sets unreadable commits (and a history's impossible tail)
 * aside, prints each on stderr with where it lies, and replays the rest.
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { replayFile } from "../app/ReplayLog.ts"
import { replayNegotiation } from "../app/ReplayStore.ts"
import { toInstant } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import type { State } from "../domain/Negotiation.ts"
import { toEnd, type Until, untilTime, untilVersion } from "../domain/Replay.ts"
import { toView } from "../domain/View.ts"
import { type CorruptEvent, validateNegotiationId } from "../store/EventStore.ts"
import { UsageError } from "./Errors.ts"
import { renderState } from "./Render.ts"
import { natsOption, storeLayer } from "./Store.ts"

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
const skipInvalidOption = Options.boolean("skip-invalid").pipe(
  Options.withDescription(
    "set unreadable or impossible events aside (each printed on stderr with where it lies) and replay the rest",
  ),
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

/** Replays one negotiation from NATS JetStream. */
const replayFromNats = (
  nats: Option.Option<string>,
  negotiation: Option.Option<string>,
  until: Until,
  skipInvalid: boolean,
) =>
  Effect.gen(function* () {
    if (Option.isNone(negotiation))
      return yield* new UsageError({ problem: "replaying from NATS needs --negotiation ID" })
    const id = yield* validateNegotiationId(negotiation.value)
    const { state, problems, notApplied } = yield* replayNegotiation(id, { until, skipInvalid })
    yield* printSetAside(problems, notApplied)
    if (state.version === 0)
      return yield* new UsageError({ problem: `no events of negotiation "${id}" in the NATS log` })
    return state
  }).pipe(Effect.provide(storeLayer({ nats })))

/** The report of `--skip-invalid`, on stderr (stdout keeps the state, `--json` stays parseable). */
const printSetAside = (problems: ReadonlyArray<CorruptEvent>, notApplied: number) =>
  Effect.gen(function* () {
    if (problems.length === 0) return
    yield* Console.error(`parley: set aside ${problems.length} invalid commit(s) or event(s):`)
    for (const p of problems) yield* Console.error(`  ${p.message}`)
    if (notApplied > 0)
      yield* Console.error(
        `  ${notApplied} later event(s) not applied: the history broke before them`,
      )
  })

export const command = Command.make(
  "replay",
  {
    log: Args.file({ name: "log.jsonl", exists: "yes" }).pipe(
      Args.withDescription("a JSONL event log (or use --nats)"),
      Args.optional,
    ),
    nats: natsOption,
    negotiation: negotiationOption,
    untilVersion: untilVersionOption,
    at: atOption,
    skipInvalid: skipInvalidOption,
    json: jsonOption,
  },
  ({ log, nats, negotiation, untilVersion, at, skipInvalid, json }) =>
    Effect.gen(function* () {
      const until = yield* untilFrom(untilVersion, at)
      const print = (state: State) =>
        Console.log(json ? JSON.stringify(toView(state), null, 2) : renderState(state))
      if (Option.isNone(log))
        return yield* print(yield* replayFromNats(nats, negotiation, until, skipInvalid))
      const chosen = Option.getOrUndefined(negotiation) as NegotiationId | undefined
      const { states, problems } = yield* replayFile(log.value, {
        negotiation: chosen,
        until,
        keepGoing: skipInvalid,
      })
      yield* printSetAside(problems, 0)
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
).pipe(
  Command.withDescription(
    "Replay an event log (JSONL file or NATS) and print the state of a negotiation",
  ),
)
