/**
 * `parley worker`: pulls work items from the shared consumer, plays each on
 * one of its threads, publishes the result, and only then acks the item
 * (at-least-once: a worker that dies before the ack leaves the item to be
 * delivered again, to any worker, after the ack wait). While an item is
 * played its message is marked in progress every {@link WORKING_EVERY_MS}.
 * A failed item is handed back with a growing delay, and on its last
 * delivery reported failed with its error. A message that is not a work
 * item is reported on `parley.batches.malformed` (with its first bytes)
 * and acked off the queue, never delivered again; it never stops the worker.
 *
 * A thread waits on the server only for the pull of its next item: the
 * item's claim goes out while it plays (the result is published only once
 * the claim is stored, so a claim never follows its result), and the result
 * is published and the item acked while the thread already plays the next.
 *
 * Every item is checked before it is played: its signature under the work
 * key (`Sign.ts`; an unsigned or forged item is set aside, naming the batch
 * it claims), and the worker's bounds (`ItemBounds`; an item beyond them is
 * recorded failed for good, with why). Everything the worker publishes is
 * signed.
 *
 * Stopping (SIGTERM/SIGINT): no new item is taken, the items in hand have
 * {@link STOP_GRACE_MS} to finish (published and acked); an item still
 * playing then is handed back (nak) and its thread stopped mid-run, so a
 * worker stops within seconds however long its item; a message pulled
 * meanwhile is handed back too, and the process exits 0.
 *
 * @since 0.3.0
 */
import { hostname } from "node:os"
import { type Consumer, type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream"
import { Config, Effect, Either } from "effect"
import { UnknownException } from "effect/Cause"
import { messageOf } from "../domain/Errors.ts"
import * as Connection from "../nats/Connection.ts"
import { batchSubject, layoutFor, malformedSubject } from "../nats/Layout.ts"
import { startPlayingThread, type ThreadKind } from "../simulation/PlayingThread.ts"
import { StreamMismatch } from "../store/nats/LogStream.ts"
import {
  DEFAULT_BOUNDS,
  decodeItem,
  type ItemBounds,
  type ItemFailure,
  type ItemResult,
  type WorkItem,
} from "./Item.ts"
import { ensureQueue, MAX_DELIVER, recordMsgId, WORKING_EVERY_MS } from "./Queue.ts"
import { refusal, signedHeaders, verify, workKey } from "./Sign.ts"
import type { ThreadData, ThreadReply, ThreadRequest } from "./Thread.ts"

/** How long the items in hand may go on playing after SIGTERM before they are handed back. */
export const STOP_GRACE_MS = 3_000

/** The worker's bounds, from `PARLEY_WORKER_MAX_RUNS` and `PARLEY_WORKER_MAX_ROUNDS`. */
export const boundsConfig: Config.Config<ItemBounds> = Config.all({
  runs: Config.integer("PARLEY_WORKER_MAX_RUNS").pipe(
    Config.validate({ message: "must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(DEFAULT_BOUNDS.runs),
  ),
  rounds: Config.integer("PARLEY_WORKER_MAX_ROUNDS").pipe(
    Config.validate({ message: "must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(DEFAULT_BOUNDS.rounds),
  ),
})

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  readonly nats: string
  readonly threads: number
  /** The name shown by `parley batches` (default: host-pid). */
  readonly name?: string | undefined
  /** A line for the operator (stderr). */
  readonly log?: ((line: string) => void) | undefined
  /** The most one item may ask (default: {@link boundsConfig}). */
  readonly bounds?: ItemBounds | undefined
}

/** A worker's playing thread (see `simulation/PlayingThread.ts`). */
const playingThread: ThreadKind = {
  module: new URL("./Thread.ts", import.meta.url),
  bundled: "distributed-thread.mjs",
}

/** A thread and the item it plays. */
const startThread = (data: ThreadData) =>
  new Promise<{ play: (item: WorkItem) => Promise<ThreadReply>; stop: () => Promise<number> }>(
    (resolve, reject) => {
      const thread = startPlayingThread(playingThread, data)
      let next = 0
      const waiting = new Map<number, (r: ThreadReply) => void>()
      let ready = false
      thread.on("message", (m: ThreadReply | { ready: true }) => {
        if ("ready" in m) {
          ready = true
          resolve({
            play: (item) =>
              new Promise((done) => {
                const id = next++
                waiting.set(id, done)
                thread.postMessage({ id, item } satisfies ThreadRequest)
              }),
            stop: () => thread.terminate(),
          })
          return
        }
        waiting.get(m.id)?.(m)
        waiting.delete(m.id)
      })
      thread.on("error", (e) => {
        reject(e)
        if (!ready) return
        // A thread that died (out of memory, say) cannot be trusted with more: the process
        // exits, and the items it held come back to the queue after the ack wait.
        process.stderr.write(
          `parley worker: a thread died (${messageOf(e)}); exiting, its items will be delivered again\n`,
        )
        process.exit(1)
      })
    },
  )

const encoder = new TextEncoder()
const json = (value: unknown) => encoder.encode(JSON.stringify(value))

/** Runs a worker until interrupted; then gives the items in hand {@link STOP_GRACE_MS} to finish, hands back the rest and returns. */
export const runWorker = (options: WorkerOptions) =>
  Effect.gen(function* () {
    const log = options.log ?? (() => {})
    const name = options.name ?? `${hostname()}-${process.pid}`
    const key = yield* workKey
    const bounds = options.bounds ?? (yield* boundsConfig)
    const settings = yield* Connection.optionsAt(options.nats)
    const { nc } = yield* Connection.connect({ ...settings, name: `parley worker ${name}` })
    const layout = layoutFor(settings.prefix)
    const js = jetstream(nc)
    yield* Effect.tryPromise({
      try: async () => ensureQueue(await jetstreamManager(nc), layout),
      catch: (e) => (e instanceof StreamMismatch ? e : new UnknownException(e, messageOf(e))),
    })
    const consumer = yield* Effect.tryPromise(() =>
      js.consumers.get(layout.workStream, layout.workersConsumer),
    )
    const threads = yield* Effect.tryPromise(() =>
      Promise.all(
        Array.from({ length: Math.max(1, options.threads) }, () =>
          startThread({ nats: options.nats, bounds }),
        ),
      ),
    )
    const state = { stopping: false }
    /** Resolves when the items in hand are out of time after a stop: they are handed back. */
    let abort = () => {}
    const aborted = new Promise<undefined>((resolve) => {
      abort = () => resolve(undefined)
    })
    log(`worker ${name}: ${threads.length} thread(s) on ${options.nats}, waiting for work`)
    /** Publishes `value` on `subject`, signed. */
    const publish = (subject: string, value: unknown, msgID?: string) => {
      const data = json(value)
      return js.publish(subject, data, {
        headers: signedHeaders(key, subject, data),
        ...(msgID === undefined ? {} : { msgID }),
      })
    }
    const setAside = async (m: JsMsg, problem: string) => {
      log(`worker ${name}: set aside message ${m.seq} on ${m.subject}: ${problem}`)
      await publish(
        malformedSubject(layout),
        {
          subject: m.subject,
          seq: m.seq,
          worker: name,
          problem,
          data: new TextDecoder().decode(m.data.slice(0, 500)),
        },
        `malformed.${m.seq}`,
      )
      // Recorded with its payload, then acked: off the queue for good (a term leaves it there on 2.9).
      await m.ackAck()
    }

    /**
     * Plays an item; resolves once its thread is free, with what is left to do
     * (publish and ack) as a function, so that the loop does not wait for it.
     */
    const handle = async (
      m: JsMsg,
      thread: (typeof threads)[number],
    ): Promise<(() => Promise<void>) | undefined> => {
      const decoded = decodeItem(m.data)
      if (Either.isLeft(decoded)) return void (await setAside(m, decoded.left))
      const verdict = verify(key, m.subject, m.data, m.headers)
      if (verdict !== "signed")
        return void (await setAside(
          m,
          refusal(verdict, `the coordinator of batch ${decoded.right.batch}`),
        ))
      const item = decoded.right
      const deliveries = m.info.deliveryCount
      const claim = () =>
        publish(batchSubject(layout, item.batch, "claim", item.item), {
          worker: name,
          delivery: deliveries,
          at: new Date().toISOString(),
        })
      // Stored before the result (see `finish`), not before playing: the thread starts at once.
      const claimed = claim()
      claimed.catch(() => undefined) // awaited in `finish`; a failure there leaves the item unacked
      const working = setInterval(() => {
        m.working()
        // On its last delivery an item is never delivered again: renew the claim, so that a
        // coordinator or `parley batches` tells a live worker's item from a dead one's (see `exhausted`).
        if (deliveries >= MAX_DELIVER) void claim().catch(() => undefined)
      }, WORKING_EVERY_MS)
      const played = await Promise.race([thread.play(item), aborted]).finally(() =>
        clearInterval(working),
      )
      if (played === undefined) {
        // Stopped and out of time: handed back at once, for another worker.
        log(`worker ${name}: item ${item.batch}/${item.item} handed back unfinished`)
        m.nak()
        return
      }
      return () => finish(m, item, deliveries, played, claimed)
    }

    /** Publishes a played item's result (or its failure) and acks it; a nak hands a failed one back. */
    const finish = async (
      m: JsMsg,
      item: WorkItem,
      deliveries: number,
      played: ThreadReply,
      claimed: Promise<unknown>,
    ) => {
      let reply = played
      await claimed
      if (reply.ok) {
        const result: ItemResult = {
          batch: item.batch,
          item: item.item,
          worker: name,
          ...(reply.outcomes === undefined ? {} : { outcomes: reply.outcomes }),
          ...(reply.results === undefined ? {} : { results: reply.results }),
        }
        try {
          await publish(
            batchSubject(layout, item.batch, "result", item.item),
            result,
            recordMsgId(item.batch, "result", item.item, m.seq),
          )
          await m.ackAck()
          return
        } catch (e) {
          // The result cannot be published (too large, say): as much a failure as a throw.
          reply = { id: reply.id, ok: false, error: `publishing the result: ${messageOf(e)}` }
        }
      }
      // Refused (beyond the bounds): no other delivery would play it either.
      if (deliveries >= MAX_DELIVER || reply.refused === true) {
        log(`worker ${name}: item ${item.batch}/${item.item} failed for good: ${reply.error}`)
        await publish(
          batchSubject(layout, item.batch, "failed", item.item),
          {
            batch: item.batch,
            item: item.item,
            worker: name,
            deliveries,
            error: reply.error,
          } satisfies ItemFailure,
          recordMsgId(item.batch, "failed", item.item, m.seq),
        )
        await m.ackAck()
      } else {
        log(
          `worker ${name}: item ${item.batch}/${item.item} failed (delivery ${deliveries}): ${reply.error}`,
        )
        m.nak(1000 * deliveries)
      }
    }

    /** Items played whose result is being published and acked. */
    const finishing = new Set<Promise<void>>()
    const track = (m: JsMsg, work: Promise<void>) => {
      const tracked = work.catch((e) => {
        // The server went away before the ack: the item comes back after the ack wait.
        log(`worker ${name}: item at ${m.subject} not finished: ${messageOf(e)}`)
      })
      finishing.add(tracked)
      void tracked.then(() => finishing.delete(tracked))
    }

    const loop = async (thread: (typeof threads)[number], c: Consumer) => {
      while (!state.stopping) {
        let m: JsMsg | null = null
        try {
          m = await c.next({ expires: 2000 })
        } catch (e) {
          if (state.stopping) break
          log(`worker ${name}: pulling failed: ${messageOf(e)}; retrying`)
          await new Promise((r) => setTimeout(r, 1000))
          continue
        }
        if (m === null) continue
        if (state.stopping) {
          m.nak()
          break
        }
        try {
          const rest = await handle(m, thread)
          if (rest !== undefined) track(m, rest())
        } catch (e) {
          // The server went away mid-item: no ack, so the item comes back after the ack wait.
          log(`worker ${name}: item at ${m.subject} not finished: ${messageOf(e)}`)
        }
      }
    }

    const loops = Promise.all(threads.map((t) => loop(t, consumer))).then(async () => {
      // Until nothing is left to publish: an item tracked while another finishes is waited for too.
      while (finishing.size > 0) await Promise.all(finishing)
    })
    yield* Effect.async<void>((resume) => {
      void loops.then(() => resume(Effect.void))
      // Interrupted (SIGTERM/SIGINT): take nothing new, finish what is in hand.
      return Effect.promise(() => {
        state.stopping = true
        log(
          `worker ${name}: stopping after the items in hand (at most ${STOP_GRACE_MS / 1000} s, then they are handed back)`,
        )
        const timer = setTimeout(abort, STOP_GRACE_MS)
        return loops.finally(() => clearTimeout(timer))
      })
    })
    yield* Effect.promise(() => Promise.all(threads.map((t) => t.stop())))
    log(`worker ${name}: stopped`)
  }).pipe(Effect.scoped)
