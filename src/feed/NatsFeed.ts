/**
 * The NATS state feed: reads what the projector publishes. A watch subscribes
 * to the state subject first, makes sure the server has the subscription,
 * then reads the latest state from the KV bucket, and goes on with the
 * subject: the projector writes the KV before the subject, so no version is
 * missed, and versions already seen are dropped.
 *
 * @since 0.1.0
 */
import type { KV } from "@nats-io/kv"
import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node"
import { Effect, Either, Layer, Option, Schema, Stream } from "effect"
import { messageOf } from "../domain/Errors.ts"
import { NegotiationId } from "../domain/Ids.ts"
import { Connection } from "../nats/Connection.ts"
import { allStatesSubject, layoutFor, type NatsLayout, stateSubject } from "../nats/Layout.ts"
import { openBuckets } from "./Projector.ts"
import { newerOnly, StateFeed, StateFeedError, type StateFeedService } from "./StateFeed.ts"
import { decodeState, type StateView } from "./StateSchema.ts"

/** Where the feed is: the event log's subject prefix (default `parley`). */
export interface NatsFeedOptions {
  readonly prefix?: string | undefined
}

const describe = (e: unknown): string => messageOf(e)

const isNegotiationId = Schema.is(NegotiationId)

/** A payload that is not a state (someone else published there) is logged and dropped. */
const decoded = (text: string, where: string): Effect.Effect<ReadonlyArray<StateView>> =>
  Either.match(decodeState(text), {
    onLeft: (problem) =>
      Effect.as(Effect.logWarning(`state feed: dropped a payload on ${where}: ${problem}`), []),
    onRight: (view) => Effect.succeed([view]),
  })

/** Builds the NATS feed on an open connection. */
export const fromConnection = (
  nc: NatsConnection,
  layout: NatsLayout,
): Effect.Effect<StateFeedService, StateFeedError> =>
  Effect.gen(function* () {
    const kv: KV = (yield* openBuckets(nc, layout).pipe(
      Effect.mapError((e) => new StateFeedError({ operation: e.operation, problem: e.problem })),
    )).states
    const tryFeed = <A>(operation: string, f: () => Promise<A>) =>
      Effect.tryPromise({
        try: f,
        catch: (e) => new StateFeedError({ operation, problem: describe(e) }),
      })

    /** Subscribes, then reads the latest values of `keys`, then follows the subscription. */
    const follow = (
      subject: string,
      latest: () => Promise<ReadonlyArray<string>>,
    ): Stream.Stream<StateView, StateFeedError> =>
      Stream.unwrapScoped(
        Effect.gen(function* () {
          const sub: Subscription = yield* Effect.acquireRelease(
            Effect.try({
              try: () => nc.subscribe(subject),
              catch: (e) =>
                new StateFeedError({ operation: `subscribe to ${subject}`, problem: describe(e) }),
            }),
            (s) => Effect.sync(() => s.unsubscribe()),
          )
          // The server has the subscription before the KV is read.
          yield* tryFeed(`subscribe to ${subject}`, () => nc.flush())
          const first = yield* tryFeed("read the latest states", latest)
          const initial = yield* Effect.forEach(first, (text) => decoded(text, "the KV"))
          // Not Stream.fromAsyncIterable: its release awaits iterator.return(), which waits
          // on the pending next(); unsubscribing (the release above) ends the iterator.
          const iterator = (sub as AsyncIterable<Msg>)[Symbol.asyncIterator]()
          const live = Stream.repeatEffectOption(
            Effect.flatMap(
              Effect.mapError(
                tryFeed(`follow ${subject}`, () => iterator.next()),
                Option.some,
              ),
              (r) => (r.done === true ? Effect.fail(Option.none()) : Effect.succeed(r.value)),
            ),
          ).pipe(
            Stream.mapEffect((m) => decoded(m.string(), m.subject)),
            Stream.flattenIterables,
          )
          return Stream.concat(Stream.fromIterable(initial.flat()), live).pipe(
            Stream.filter(newerOnly()),
          )
        }),
      )

    const latestOf = async (key: string) => {
      const entry = await kv.get(key)
      return entry === null || entry.operation !== "PUT" ? [] : [entry.string()]
    }

    return StateFeed.of({
      watchState: (negotiationId) =>
        isNegotiationId(negotiationId)
          ? follow(stateSubject(layout, negotiationId), () => latestOf(negotiationId))
          : Stream.fail(
              new StateFeedError({
                operation: `watch ${JSON.stringify(negotiationId)}`,
                problem: "not a negotiation id (1 to 64 letters, digits, '_' or '-')",
              }),
            ),
      watchAll: () =>
        follow(allStatesSubject(layout), async () => {
          const keys: Array<string> = []
          for await (const key of await kv.keys()) keys.push(key)
          return (await Promise.all(keys.map(latestOf))).flat()
        }),
    })
  })

/** Opens the NATS feed on the {@link Connection} in context: opens the state bucket. */
export const make = (
  options: NatsFeedOptions = {},
): Effect.Effect<StateFeedService, StateFeedError, Connection> =>
  Effect.flatMap(Connection, ({ nc }) => fromConnection(nc, layoutFor(options.prefix)))

/** A layer providing the NATS {@link StateFeed} on the {@link Connection} in context. */
export const layer = (
  options: NatsFeedOptions = {},
): Layer.Layer<StateFeed, StateFeedError, Connection> => Layer.effect(StateFeed, make(options))
