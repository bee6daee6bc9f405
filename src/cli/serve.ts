/**
 * `parley serve [scenario] [--port P] [--pace 300ms] [--runs N] [--seed S]
 *  [--set k=v]... [--human party]... [--human-timeout 10m]
 *  [--on-human-timeout walk-out|reject]`: a live web page of negotiations.
 * With a scenario it plays it in process (on the embedded memory log) at a
 * watchable pace, one negotiation per run, while the page shows each one's
 * timeline and charts update as the events arrive (Server-Sent Events).
 * With `--human party` a person plays that party from their own page, whose
 * secret address is printed at start (see `human/Seat.ts`).
 *
 * @since 0.1.0
 */
import { Console, Duration, Effect, Option } from "effect"
import type { NegotiationId, PartyId } from "../domain/Ids.ts"
import * as NatsFeed from "../feed/NatsFeed.ts"
import { makeSeat, type Seat } from "../human/Seat.ts"
import * as Connection from "../nats/Connection.ts"
import { fromEventStore, fromStateFeed, serve } from "../report/Live.ts"
import type { Preferences } from "../report/Model.ts"
import { loadScenario } from "../scenario/Load.ts"
import { prepare, run } from "../simulation/Runner.ts"
import { EventStore, type EventStoreService } from "../store/EventStore.ts"
import * as Spec from "../store/Spec.ts"
import type { ServeArgs } from "./commands/serve.ts"
import { UsageError } from "./Errors.ts"
import { overridesOf } from "./Options.ts"
import { preferencesOf } from "./ReportData.ts"

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

/** What `parley serve` does. */
export const handlers = {
  serve: ({
    scenario,
    port,
    host,
    pace,
    runs,
    seed,
    set,
    nats,
    human,
    humanTimeout,
    onHumanTimeout,
  }: ServeArgs) =>
    Effect.scoped(
      Effect.gen(function* () {
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
}
