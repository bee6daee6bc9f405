/**
 * `parley serve [scenario] [--port P] [--pace 300ms] [--runs N] [--seed S]
 *  [--set k=v]... [--human party]... [--human-timeout 10m]
 *  [--on-human-timeout walk-out|reject]`: a live web page of negotiations.
 * With a scenario it plays it in process (on the embedded memory log) at a
 * watchable pace, one negotiation per run, while the page shows each one's
 * timeline and charts update as the events arrive (Server-Sent Events).
 * With `--human party` a person plays that party from their own page, whose
 * secret address is printed at start (see `human/Seat.ts`). What it runs with
 * is imported when it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Duration, Effect, Option } from "effect"
import type { NegotiationId, PartyId } from "../../domain/Ids.ts"
import type { Seat } from "../../human/Seat.ts"
import type { Preferences } from "../../report/Model.ts"
import type { EventStoreService } from "../../store/EventStore.ts"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
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

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"])

/**
 * What the page may draw while people sit at the table: only their own
 * utilities (the others' preferences, the outcome cloud and the frontier
 * would reveal what the other side wants).
 */
const withheld = (preferences: Preferences, seats: ReadonlyArray<Seat>): Preferences =>
  seats.length === 0
    ? preferences
    : {
        evaluators: preferences.evaluators.filter((e) => seats.some((s) => s.party === e.party)),
        cloud: undefined,
        analysis: undefined,
      }

/** `parley serve`. */
export const command = Command.make(
  "serve",
  config,
  ({ scenario, port, host, pace, runs, seed, set, nats, human, humanTimeout, onHumanTimeout }) =>
    Effect.scoped(
      Effect.gen(function* () {
        const NatsFeed = yield* Effect.promise(() => import("../../feed/NatsFeed.ts"))
        const { makeSeat } = yield* Effect.promise(() => import("../../human/Seat.ts"))
        const Connection = yield* Effect.promise(() => import("../../nats/Connection.ts"))
        const { fromEventStore, fromStateFeed, serve } = yield* Effect.promise(
          () => import("../../report/Live.ts"),
        )
        const { loadScenario } = yield* Effect.promise(() => import("../../scenario/Load.ts"))
        const { prepare, run } = yield* Effect.promise(() => import("../../simulation/Runner.ts"))
        const { EventStore } = yield* Effect.promise(() => import("../../store/EventStore.ts"))
        const Spec = yield* Effect.promise(() => import("../../store/Spec.ts"))
        const { overridesOf } = yield* Effect.promise(() => import("../Options.ts"))
        const { preferencesOf } = yield* Effect.promise(() => import("../ReportData.ts"))
        const overrides = yield* overridesOf(set)
        const delay = parsePace(pace)
        if (Option.isNone(delay))
          return yield* new UsageError({ problem: `--pace: expected 300ms, 1s or 0, got ${pace}` })
        if (runs < 1) return yield* new UsageError({ problem: "--runs must be at least 1" })
        const timeout = parsePace(humanTimeout)
        if (Option.isNone(timeout))
          return yield* new UsageError({
            problem: `--human-timeout: expected 10m, 90s or 0, got ${humanTimeout}`,
          })
        if (human.length > 0 && (Option.isNone(scenario) || Option.isSome(nats)))
          return yield* new UsageError({
            problem: "--human needs a scenario to play in process (and no --nats)",
          })
        if (human.length > 0 && runs !== 1)
          return yield* new UsageError({ problem: "--human plays a single negotiation: no --runs" })
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
        const store = yield* Spec.openStore(Spec.memory)
        const compiled = Option.isSome(scenario)
          ? yield* loadScenario(scenario.value, overrides)
          : undefined
        const seats: Array<Seat> = []
        for (const party of new Set(human)) {
          const declared = compiled?.scenario.parties.map((p) => p.id) ?? []
          if (!declared.includes(party as PartyId))
            return yield* new UsageError({
              problem: `--human ${party}: unknown party (this scenario has ${declared.join(", ")})`,
            })
          const ms = Duration.toMillis(timeout.value)
          seats.push(
            makeSeat({
              party: party as PartyId,
              negotiationId: compiled!.scenario.id,
              timeoutMs: ms > 0 ? ms : undefined,
              onTimeout: onHumanTimeout,
            }),
          )
        }
        const prepared =
          compiled === undefined
            ? undefined
            : yield* prepare(compiled, Object.fromEntries(seats.map((s) => [s.party, s.strategy])))
        const preferences: Preferences | undefined =
          prepared === undefined ? undefined : withheld(preferencesOf(prepared), seats)
        const server = yield* serve({
          source: fromEventStore(store),
          preferences: () => preferences,
          port,
          host,
          seats,
          notices: seats.map(
            (s) =>
              `A person plays ${s.party}: each seat's page draws only that party's own utilities; the other parties' preferences and reservation values stay private.`,
          ),
        })
        yield* Console.log(`parley live on ${server.url} (Ctrl-C to stop)`)
        const waits = Duration.toMillis(timeout.value) > 0
        for (const seat of seats)
          yield* Console.log(
            `seat of ${seat.party} (give this address only to the person who plays it): ${server.url}seat/${encodeURIComponent(seat.party)}?token=${seat.token}`,
          )
        if (seats.length > 0 && !LOOPBACK.has(host))
          yield* Console.error(
            `parley: warning: --host ${host} serves the seats beyond this machine over plain HTTP; anyone who can read that traffic can read a seat's token and take the seat`,
          )
        if (seats.length > 0)
          yield* Console.log(
            waits
              ? `each turn waits ${humanTimeout} for the person, then the seat ${onHumanTimeout === "walk-out" ? "walks out" : "rejects the offer on the table"} (--human-timeout, --on-human-timeout)`
              : "each turn waits for the person as long as it takes (--human-timeout 0)",
          )
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
                Effect.tap((r) => {
                  for (const seat of seats) seat.finish(r.state)
                  return Console.log(
                    `${r.negotiationId}: ${r.state.status} after ${r.events} events`,
                  )
                }),
              ),
            { concurrency: "unbounded", discard: true },
          )
        }
        return yield* Effect.never
      }),
    ),
).pipe(
  Command.withDescription(
    described(
      "Serve a live web page of negotiations; with a scenario, play it in process at a watchable pace",
      [
        "parley serve scenarios/ceasefire-freeze.ts --pace 500ms",
        "parley serve scenarios/anac-laptop.json --human laptop_buyer_utility",
        "parley serve --nats nats://127.0.0.1:4222",
      ],
    ),
  ),
)
