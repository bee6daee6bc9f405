/**
 * Reading the stream: ordered consumers filtered to one subject (or to every
 * negotiation's), pulled in batches, read into streams that get one chunk per
 * burst of messages instead of one effect per message; and following the
 * stream for good, resuming after the last message delivered when a consumer
 * ends or the servers are lost.
 *
 * @since 0.1.0
 */
import type { JetStreamClient, JsMsg } from "@nats-io/jetstream"
import { Chunk, Effect, Option, Schedule, Stream } from "effect"
import type { CorruptEvent, StoreError } from "../EventStore.ts"
import { ConsumerGone, classify, isTransient } from "./Errors.ts"

/** How many messages a consumer asks for at a time, and the largest chunk read. */
const BATCH = 1000

const LATER = Symbol("later")
/** Resolves once the I/O queue has had a turn: anything already buffered settles first. */
const later = () => new Promise<typeof LATER>((resolve) => setImmediate(() => resolve(LATER)))

/**
 * Reads a message iterator in batches: the first message awaited plus
 * whatever is already buffered behind it (up to `max`), so a stream gets one
 * chunk per burst instead of one effect per message. What is buffered is told
 * by racing the next message against setImmediate (the iterator's pending
 * count also counts status callbacks, and waiting on it stalled reads that
 * started mid-log); a next() that lost the race is kept for the following
 * batch, never dropped. `done` is set once the iterator ends or `last` says so.
 */
const batches = (
  iterator: AsyncIterator<JsMsg>,
  max: number,
  last: (m: JsMsg) => boolean = () => false,
) => {
  let carried: Promise<IteratorResult<JsMsg>> | undefined
  const state = { done: false }
  const next = async (): Promise<Array<JsMsg>> => {
    const out: Array<JsMsg> = []
    if (state.done) return out
    let result: IteratorResult<JsMsg> | typeof LATER = await (carried ?? iterator.next())
    carried = undefined
    while (result !== LATER) {
      if (result.done === true) {
        state.done = true
        break
      }
      out.push(result.value)
      if (last(result.value)) {
        state.done = true
        break
      }
      if (out.length >= max) break
      const pending = iterator.next()
      result = await Promise.race([pending, later()])
      if (result === LATER) carried = pending
    }
    return out
  }
  return { next, state }
}

/** Reads one message into `out` (zero, one or many items), or says why it cannot. */
export type ReadMessage<A, E> = (m: JsMsg, out: Array<A>) => E | undefined

/** Reads the messages of one stream. */
export interface Reader {
  /**
   * The messages on `filter` from stream sequence `start`, each read by
   * `read`, through an ordered consumer pulled in batches (it pulls more
   * only as the stream is read). Ends after the message at `stop`, when the
   * consumer ends, or never.
   */
  readonly consume: <A, E>(
    filter: string,
    start: number,
    stop: number | undefined,
    read: ReadMessage<A, E>,
  ) => Stream.Stream<A, E | StoreError>
  /**
   * The messages on `filter` from stream sequence `start` on, never ending:
   * when the consumer ends or fails for a transient reason (see
   * `isTransient`), a new one resumes after the last message read, so
   * nothing is skipped or repeated. Any other failure ends the stream.
   */
  readonly follow: <A, E extends StoreError | CorruptEvent>(
    filter: string,
    start: number,
    read: ReadMessage<A, E>,
  ) => Stream.Stream<A, E | StoreError>
}

/** A reader of `stream` through `js`; `servers` names the servers in errors. */
export const make = (js: JetStreamClient, stream: string, servers: string): Reader => {
  const consume = <A, E>(
    filter: string,
    start: number,
    stop: number | undefined,
    read: ReadMessage<A, E>,
  ): Stream.Stream<A, E | StoreError> =>
    Stream.unwrapScoped(
      Effect.gen(function* () {
        const tryNats = <B>(f: () => Promise<B>) =>
          Effect.tryPromise({ try: f, catch: classify(`read ${filter}`, servers) })
        const consumer = yield* Effect.acquireRelease(
          tryNats(() =>
            js.consumers.get(stream, { filter_subjects: filter, opt_start_seq: start }),
          ),
          (c) =>
            Effect.ignore(
              Effect.timeout(
                Effect.tryPromise(() => c.delete()),
                "2 seconds",
              ),
            ),
        )
        const messages = yield* Effect.acquireRelease(
          tryNats(() => consumer.consume({ max_messages: BATCH })),
          (m) => Effect.sync(() => m.stop()),
        )
        // Not Stream.fromAsyncIterable: its release awaits iterator.return(), which
        // waits on a pending next(); stop() (the release above) ends it instead.
        const reader = batches(
          messages[Symbol.asyncIterator](),
          BATCH,
          (m) => stop !== undefined && m.seq >= stop,
        )
        const batch = tryNats(reader.next)
        const pull: Effect.Effect<Chunk.Chunk<A>, Option.Option<E | StoreError>> = Effect.suspend(
          () =>
            reader.state.done
              ? Effect.fail(Option.none())
              : Effect.flatMap(Effect.mapError(batch, Option.some), (msgs) => {
                  const out: Array<A> = []
                  for (const m of msgs) {
                    const problem = read(m, out)
                    if (problem !== undefined) return Effect.fail(Option.some(problem))
                  }
                  return out.length === 0 && reader.state.done
                    ? Effect.fail(Option.none())
                    : Effect.succeed(Chunk.unsafeFromArray(out))
                }),
        )
        return Stream.repeatEffectChunkOption(pull)
      }),
    )

  const follow = <A, E extends StoreError | CorruptEvent>(
    filter: string,
    start: number,
    read: ReadMessage<A, E>,
  ): Stream.Stream<A, E | StoreError> =>
    Stream.suspend(() => {
      let next = Math.max(1, start)
      const once = Stream.suspend(() =>
        consume(filter, next, undefined, (m, out: Array<A>) => {
          const problem = read(m, out)
          if (problem === undefined) next = m.seq + 1
          return problem
        }),
      ).pipe(
        Stream.concat(
          Stream.fail(
            new ConsumerGone({
              operation: `follow ${filter}`,
              problem: "the consumer ended (connection lost or consumer deleted)",
            }),
          ),
        ),
      )
      return once.pipe(
        Stream.retry(
          Schedule.exponential("100 millis").pipe(
            Schedule.union(Schedule.spaced("2 seconds")),
            Schedule.whileInput((e: E | StoreError) => isTransient(e)),
          ),
        ),
      )
    })

  return { consume, follow }
}
