/**
 * `parley replay <log.jsonl> [--negotiation ID] [--until-version N | --at ISO-TIME] [--skip-invalid] [--json]`
 *
 * `--skip-invalid` sets unreadable commits (and a history's impossible tail)
 * aside, prints each on stderr with where it lies, and replays the rest.
 * What it runs with is imported when it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import type { InvalidPolicy, ProjectionProblem } from "../../app/Projection.ts"
import type { State } from "../../domain/Negotiation.ts"
import type { Until } from "../../domain/Replay.ts"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
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
/** Turns the CLI's --until-version / --at into a replay bound. */
const untilFrom = (version: Option.Option<number>, at: Option.Option<string>) =>
  Effect.gen(function* () {
    const { toInstant } = yield* Effect.promise(() => import("../../domain/Event.ts"))
    const { toEnd, untilTime, untilVersion } = yield* Effect.promise(
      () => import("../../domain/Replay.ts"),
    )
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

/**
 * Refuses a bound outside the negotiation's log — `--until-version 0`, a
 * version past its last, an `--at` before its first event — naming where the
 * log starts and ends; `full` is the negotiation replayed to its end.
 */
const inRange = (until: Until, full: State, where: string) => {
  if (until._tag === "End") return Effect.void
  const id = full.negotiationId ?? "?"
  const range = `negotiation "${id}" in ${where} runs from version 1 (${full.openedAt ?? "?"}) to version ${full.version} (${full.updatedAt ?? "?"})`
  if (until._tag === "Version" && (until.version < 1 || until.version > full.version))
    return new UsageError({
      problem: `--until-version ${until.version} is outside the log: ${range}`,
    })
  if (until._tag === "Time" && full.openedAt !== undefined && until.at < full.openedAt)
    return new UsageError({ problem: `--at ${until.at} is before the log starts: ${range}` })
  return Effect.void
}

/** What `--on-invalid stop|skip` set aside, on stderr (stdout keeps the state, `--json` stays parseable). */
const printSetAside = (problems: ReadonlyArray<ProjectionProblem>) =>
  Effect.gen(function* () {
    const invalid = problems.filter((p) => p._tag !== "AfterInvalid")
    const notApplied = problems.length - invalid.length
    if (invalid.length === 0) return
    const { asCorruptEvent } = yield* Effect.promise(() => import("../../app/Projection.ts"))
    yield* Console.error(`parley: set aside ${invalid.length} invalid commit(s) or event(s):`)
    for (const p of invalid) yield* Console.error(`  ${asCorruptEvent(p).message}`)
    if (notApplied > 0)
      yield* Console.error(
        `  ${notApplied} later event(s) not applied: the history broke before them`,
      )
  })

/** Replays one negotiation from NATS JetStream. */
const replayFromNats = (
  nats: Option.Option<string>,
  negotiation: Option.Option<string>,
  until: Until,
  policy: InvalidPolicy,
) =>
  Effect.gen(function* () {
    if (Option.isNone(negotiation))
      return yield* new UsageError({ problem: "replaying from NATS needs --negotiation ID" })
    const { stateIn } = yield* Effect.promise(() => import("../../app/Projection.ts"))
    const { replayNegotiation } = yield* Effect.promise(() => import("../../app/Replay.ts"))
    const { validateNegotiationId } = yield* Effect.promise(
      () => import("../../store/EventStore.ts"),
    )
    const { storeLayer } = yield* Effect.promise(() => import("../Store.ts"))
    return yield* Effect.gen(function* () {
      const id = yield* validateNegotiationId(negotiation.value)
      if (until._tag !== "End") {
        const full = stateIn(yield* replayNegotiation(id, { policy }), id)
        if (full.version > 0) yield* inRange(until, full, "the NATS log")
      }
      const projected = yield* replayNegotiation(id, { until, policy })
      yield* printSetAside(projected.problems)
      const state = stateIn(projected, id)
      if (state.version === 0)
        return yield* new UsageError({
          problem: `no events of negotiation "${id}" in the NATS log`,
        })
      return state
    }).pipe(Effect.provide(storeLayer({ nats })))
  })

/** `parley replay`. */
export const command = Command.make(
  "replay",
  config,
  ({ log, nats, negotiation, untilVersion, at, onInvalid, json }) =>
    Effect.gen(function* () {
      const until = yield* untilFrom(untilVersion, at)
      const { replayFile } = yield* Effect.promise(() => import("../../app/Replay.ts"))
      const { toView } = yield* Effect.promise(() => import("../../domain/View.ts"))
      const { renderState } = yield* Effect.promise(() => import("../Render.ts"))
      const print = (state: State) =>
        Console.log(json ? JSON.stringify(toView(state), null, 2) : renderState(state))
      if (Option.isNone(log))
        return yield* print(yield* replayFromNats(nats, negotiation, until, onInvalid))
      const path = log.value
      const chosen = Option.getOrUndefined(negotiation)
      if (until._tag !== "End") {
        // Where the negotiation's log starts and ends, to refuse a bound outside it.
        const full = yield* replayFile(path, { negotiation: chosen, policy: onInvalid })
        if (full.states.size === 1) yield* inRange(until, [...full.states.values()][0]!, path)
      }
      const { states, problems } = yield* replayFile(path, {
        negotiation: chosen,
        until,
        policy: onInvalid,
      })
      yield* printSetAside(problems)
      if (states.size === 0)
        return yield* new UsageError({
          problem:
            chosen === undefined
              ? `${path} holds no events`
              : `${path} holds no events of negotiation "${chosen}"`,
        })
      if (states.size > 1)
        return yield* new UsageError({
          problem: `${path} holds ${states.size} negotiations (${[...states.keys()].join(", ")}): choose one with --negotiation`,
        })
      yield* print([...states.values()][0]!)
    }),
).pipe(
  Command.withDescription(
    described("Replay an event log (JSONL file or NATS) and print the state of a negotiation", [
      "parley replay examples/supply-contract.jsonl",
      "parley replay examples/supply-contract.jsonl --until-version 6 --json",
      "parley replay --nats nats://127.0.0.1:4222 --negotiation supply-2025 --at 2025-03-01",
    ]),
  ),
)
