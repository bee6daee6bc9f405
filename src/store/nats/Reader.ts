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
import { classify, isTransient } from "../../nats/Errors.ts"
import { type CorruptEvent, StoreError } from "../EventStore.ts"

/** How many messages a consumer asks for at a time, and the largest chunk read. */
const BATCH = 1000

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
        // The consumer calls back with each message as the client parses it: every
        // message of one socket read is buffered before the stream pulls, so a chunk
        // is a whole burst, with no promise or timer per message.
        const buffer: Array<JsMsg> = []
        let taken = 0
        let wake: (() => void) | undefined
        const messages = yield* Effect.acquireRelease(
          tryNats(() =>
            consumer.consume({
              max_messages: BATCH,
              callback: (m) => {
                buffer.push(m)
                if (wake !== undefined) wake()
              },
            }),
          ),
          (m) => Effect.sync(() => m.stop()),
        )
        /** Set once the consumer stopped: `error` is why, when it failed. */
        let closed: { readonly error: unknown } | undefined
        messages
          .closed()
          .then((error) => {
            closed = { error }
            if (wake !== undefined) wake()
          })
          .catch((error: unknown) => {
            closed = { error }
            if (wake !== undefined) wake()
          })
        let done = false
        const fail = classify(`read ${filter}`, servers)
        /** The buffered messages (at most a batch), read; the end once `stop` was read. */
        const take = (): Effect.Effect<Chunk.Chunk<A>, Option.Option<E | StoreError>> => {
          const end = Math.min(buffer.length, taken + BATCH)
          const out: Array<A> = []
          for (; taken < end; ) {
            const m = buffer[taken++] as JsMsg
            const problem = read(m, out)
            if (problem !== undefined) return Effect.fail(Option.some(problem))
            if (stop !== undefined && m.seq >= stop) {
              done = true
              break
            }
          }
          if (taken === buffer.length) {
            buffer.length = 0
            taken = 0
          }
          return out.length === 0 && done
            ? Effect.fail(Option.none())
            : Effect.succeed(Chunk.unsafeFromArray(out))
        }
        const pull: Effect.Effect<Chunk.Chunk<A>, Option.Option<E | StoreError>> = Effect.suspend(
          () => {
            if (done) return Effect.fail(Option.none())
            if (taken < buffer.length) return take()
            if (closed !== undefined)
              return closed.error === undefined || closed.error === null
                ? Effect.fail(Option.none())
                : Effect.fail(Option.some(fail(closed.error)))
            return Effect.async<Chunk.Chunk<A>, Option.Option<E | StoreError>>((resume) => {
              wake = () => {
                wake = undefined
                resume(pull)
              }
              return Effect.sync(() => {
                wake = undefined
              })
            })
          },
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
            new StoreError({
              reason: "ConsumerGone",
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
