/**
 * `parley replay <log.jsonl> [--negotiation ID] [--until-version N | --at ISO-TIME] [--skip-invalid] [--json]`
 *
 * `--skip-invalid` sets unreadable commits (and a history's impossible tail)
 * aside, prints each on stderr with where it lies, and replays the rest.
 *
 * @since 0.1.0
 */
import { Console, Effect, Option } from "effect"
import {
  asCorruptEvent,
  type InvalidPolicy,
  type ProjectionProblem,
  stateIn,
} from "../app/Projection.ts"
import { replayFile, replayNegotiation } from "../app/Replay.ts"
import { toInstant } from "../domain/Event.ts"
import type { State } from "../domain/Negotiation.ts"
import { toEnd, type Until, untilTime, untilVersion } from "../domain/Replay.ts"
import { toView } from "../domain/View.ts"
import { validateNegotiationId } from "../store/EventStore.ts"
import type { ReplayArgs } from "./commands/replay.ts"
import { UsageError } from "./Errors.ts"
import { renderState } from "./Render.ts"
import { storeLayer } from "./Store.ts"

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
  policy: InvalidPolicy,
) =>
  Effect.gen(function* () {
    if (Option.isNone(negotiation))
      return yield* new UsageError({ problem: "replaying from NATS needs --negotiation ID" })
    const id = yield* validateNegotiationId(negotiation.value)
    const projected = yield* replayNegotiation(id, { until, policy })
    yield* printSetAside(projected.problems)
    const state = stateIn(projected, id)
    if (state.version === 0)
      return yield* new UsageError({ problem: `no events of negotiation "${id}" in the NATS log` })
    return state
  }).pipe(Effect.provide(storeLayer({ nats })))

/** What `--on-invalid stop|skip` set aside, on stderr (stdout keeps the state, `--json` stays parseable). */
const printSetAside = (problems: ReadonlyArray<ProjectionProblem>) =>
  Effect.gen(function* () {
    const invalid = problems.filter((p) => p._tag !== "AfterInvalid")
    const notApplied = problems.length - invalid.length
    if (invalid.length === 0) return
    yield* Console.error(`parley: set aside ${invalid.length} invalid commit(s) or event(s):`)
    for (const p of invalid) yield* Console.error(`  ${asCorruptEvent(p).message}`)
    if (notApplied > 0)
      yield* Console.error(
        `  ${notApplied} later event(s) not applied: the history broke before them`,
      )
  })

/** What `parley replay` does. */
export const handlers = {
  replay: ({ log, nats, negotiation, untilVersion, at, onInvalid, json }: ReplayArgs) =>
    Effect.gen(function* () {
      const until = yield* untilFrom(untilVersion, at)
      const print = (state: State) =>
        Console.log(json ? JSON.stringify(toView(state), null, 2) : renderState(state))
      if (Option.isNone(log))
        return yield* print(yield* replayFromNats(nats, negotiation, until, onInvalid))
      const path = log.value
      const chosen = Option.getOrUndefined(negotiation)
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
}
