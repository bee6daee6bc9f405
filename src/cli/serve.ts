/**
 * `parley serve [scenario] [--port P] [--pace 300ms] [--runs N] [--seed S]
 *  [--set k=v]...`: a live web page of negotiations. With a scenario it plays
 * it in process (on the embedded memory log) at a watchable pace, one
 * negotiation per run, while the page shows each one's timeline and charts
 * update as the events arrive (Server-Sent Events).
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Duration, Effect, Option } from "effect"
import type { NegotiationId } from "../domain/Ids.ts"
import * as NatsFeed from "../feed/NatsFeed.ts"
import { fromEventStore, fromStateFeed, serve } from "../report/Live.ts"
import { type Preferences, preferencesOf } from "../report/Model.ts"
import { loadScenario } from "../scenario/Load.ts"
import { prepare, run } from "../simulation/Runner.ts"
import { EventStore, type EventStoreService } from "../store/EventStore.ts"
import * as Memory from "../store/Memory.ts"
import * as Connection from "../store/nats/Connection.ts"
import { UsageError } from "./Errors.ts"
import { natsOption, overridesOf, seedOption, setOption } from "./Options.ts"

const scenarioArg = Args.file({ name: "scenario", exists: "yes" }).pipe(
  Args.withDescription("a scenario to play live in process (.ts, .json or .yaml)"),
  Args.optional,
)
const portOption = Options.integer("port").pipe(
  Options.withDescription("the port to listen on (default 8080; 0 picks a free one)"),
  Options.withDefault(8080),
)
const hostOption = Options.text("host").pipe(
  Options.withDescription("the address to listen on (default 127.0.0.1)"),
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

/** `300ms`, `1.5s`, `2m` or a bare number of milliseconds. */
export const parsePace = (text: string): Option.Option<Duration.Duration> => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text)
  if (m === null) return Option.none()
  const n = Number(m[1])
  return Option.some(Duration.millis(m[2] === "s" ? n * 1000 : m[2] === "m" ? n * 60_000 : n))
}

/** A store that waits `pace` before each append, so that a run unfolds at a watchable speed. */
export const paced = (store: EventStoreService, pace: Duration.Duration): EventStoreService =>
  Duration.toMillis(pace) <= 0
    ? store
    : {
        ...store,
        append: (id, events, expected) =>
          Effect.zipRight(Effect.sleep(pace), store.append(id, events, expected)),
      }

/** The `serve` command. */
export const command = Command.make(
  "serve",
  {
    scenario: scenarioArg,
    port: portOption,
    host: hostOption,
    pace: paceOption,
    runs: runsOption,
    seed: seedOption,
    set: setOption,
    nats: natsOption,
  },
  ({ scenario, port, host, pace, runs, seed, set, nats }) =>
    Effect.scoped(
      Effect.gen(function* () {
        const overrides = yield* overridesOf(set)
        const delay = parsePace(pace)
        if (Option.isNone(delay))
          return yield* new UsageError({ problem: `--pace: expected 300ms, 1s or 0, got ${pace}` })
        if (runs < 1) return yield* new UsageError({ problem: "--runs must be at least 1" })
        if (Option.isSome(nats)) {
          // Show what the projector publishes on NATS (`parley project`), from any writer.
          if (Option.isSome(scenario))
            return yield* new UsageError({
              problem:
                "with --nats, serve shows the live state feed; run the scenario with `parley run --nats`",
            })
          const settings = yield* Connection.optionsAt(nats.value)
          const servers = settings.servers
          const connection = yield* Connection.connect({ name: "parley-serve", ...settings })
          const feed = yield* NatsFeed.make({ prefix: settings.prefix }).pipe(
            Effect.provideService(Connection.Connection, connection),
          )
          const server = yield* serve({
            source: fromStateFeed(feed),
            preferences: () => undefined,
            port,
            host,
          })
          yield* Console.log(
            `parley live on ${server.url}, following the state feed on ${servers} (Ctrl-C to stop)`,
          )
          return yield* Effect.never
        }
        const store = yield* Memory.make
        const prepared = Option.isSome(scenario)
          ? yield* Effect.flatMap(loadScenario(scenario.value, overrides), prepare)
          : undefined
        const preferences: Preferences | undefined =
          prepared === undefined ? undefined : preferencesOf(prepared)
        const server = yield* serve({
          source: fromEventStore(store),
          preferences: () => preferences,
          port,
          host,
        })
        yield* Console.log(`parley live on ${server.url} (Ctrl-C to stop)`)
        if (prepared !== undefined) {
          const id = prepared.compiled.scenario.id
          yield* Effect.forEach(
            Array.from({ length: runs }, (_, i) => seed + i),
            (s) =>
              run(prepared, {
                seed: s,
                negotiationId: (runs === 1 ? id : `${id}-s${s}`).slice(0, 64) as NegotiationId,
              }).pipe(
                Effect.provideService(EventStore, paced(store, delay.value)),
                Effect.tap((r) =>
                  Console.log(`${r.negotiationId}: ${r.state.status} after ${r.events} events`),
                ),
              ),
            { concurrency: "unbounded", discard: true },
          )
        }
        return yield* Effect.never
      }),
    ),
).pipe(
  Command.withDescription(
    "Serve a live web page of negotiations; with a scenario, play it in process at a watchable pace",
  ),
)
