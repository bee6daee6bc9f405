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
 * Stopping (SIGTERM/SIGINT): no new item is taken, the items in hand are
 * finished, published and acked, a message pulled meanwhile is handed back
 * (nak), and the process exits 0.
 *
 * @since 0.3.0
 */
import { hostname } from "node:os"
import { type Consumer, type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream"
import { Effect, Either } from "effect"
import { messageOf } from "../domain/Errors.ts"
import * as Connection from "../nats/Connection.ts"
import { batchSubject, layoutFor, malformedSubject } from "../nats/Layout.ts"
import { startPlayingThread, type ThreadKind } from "../simulation/PlayingThread.ts"
import { decodeItem, type ItemFailure, type ItemResult, type WorkItem } from "./Item.ts"
import { ensureQueue, MAX_DELIVER, recordMsgId, WORKING_EVERY_MS } from "./Queue.ts"
import type { ThreadReply, ThreadRequest } from "./Thread.ts"

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  readonly nats: string
  readonly threads: number
  /** The name shown by `parley batches` (default: host-pid). */
  readonly name?: string | undefined
  /** A line for the operator (stderr). */
  readonly log?: ((line: string) => void) | undefined
}

/** A worker's playing thread (see `simulation/PlayingThread.ts`). */
const playingThread: ThreadKind = {
  module: new URL("./Thread.ts", import.meta.url),
  bundled: "distributed-thread.mjs",
}

/** A thread and the item it plays. */
const startThread = (nats: string) =>
  new Promise<{ play: (item: WorkItem) => Promise<ThreadReply>; stop: () => Promise<number> }>(
    (resolve, reject) => {
      const thread = startPlayingThread(playingThread, { nats })
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

/** Runs a worker until interrupted; then finishes the items in hand and returns. */
export const runWorker = (options: WorkerOptions) =>
  Effect.gen(function* () {
    const log = options.log ?? (() => {})
    const name = options.name ?? `${hostname()}-${process.pid}`
    const settings = yield* Connection.optionsAt(options.nats)
    const { nc } = yield* Connection.connect({ ...settings, name: `parley worker ${name}` })
    const layout = layoutFor(settings.prefix)
    const js = jetstream(nc)
    yield* Effect.tryPromise(async () => ensureQueue(await jetstreamManager(nc), layout))
    const consumer = yield* Effect.tryPromise(() =>
      js.consumers.get(layout.workStream, layout.workersConsumer),
    )
    const threads = yield* Effect.tryPromise(() =>
      Promise.all(
        Array.from({ length: Math.max(1, options.threads) }, () => startThread(options.nats)),
      ),
    )
    const state = { stopping: false }
    log(`worker ${name}: ${threads.length} thread(s) on ${options.nats}, waiting for work`)

    /**
     * Plays an item; resolves once its thread is free, with what is left to do
     * (publish and ack) as a function, so that the loop does not wait for it.
     */
    const handle = async (
      m: JsMsg,
      thread: (typeof threads)[number],
    ): Promise<(() => Promise<void>) | undefined> => {
      const decoded = decodeItem(m.data)
      if (Either.isLeft(decoded)) {
        log(`worker ${name}: set aside message ${m.seq} on ${m.subject}: ${decoded.left}`)
        await js.publish(
          malformedSubject(layout),
          json({
            subject: m.subject,
            seq: m.seq,
            worker: name,
            problem: decoded.left,
            data: new TextDecoder().decode(m.data.slice(0, 500)),
          }),
          { msgID: `malformed.${m.seq}` },
        )
        // Recorded with its payload, then acked: off the queue for good (a term leaves it there on 2.9).
        await m.ackAck()
        return
      }
      const item = decoded.right
      const deliveries = m.info.deliveryCount
      const claim = () =>
        js.publish(
          batchSubject(layout, item.batch, "claim", item.item),
          json({ worker: name, delivery: deliveries, at: new Date().toISOString() }),
        )
      // Stored before the result (see `finish`), not before playing: the thread starts at once.
      const claimed = claim()
      claimed.catch(() => undefined) // awaited in `finish`; a failure there leaves the item unacked
      const working = setInterval(() => {
        m.working()
        // On its last delivery an item is never delivered again: renew the claim, so that a
        // coordinator or `parley batches` tells a live worker's item from a dead one's (see `exhausted`).
        if (deliveries >= MAX_DELIVER) void claim().catch(() => undefined)
      }, WORKING_EVERY_MS)
      const played = await thread.play(item).finally(() => clearInterval(working))
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
          await js.publish(batchSubject(layout, item.batch, "result", item.item), json(result), {
            msgID: recordMsgId(item.batch, "result", item.item, m.seq),
          })
          await m.ackAck()
          return
        } catch (e) {
          // The result cannot be published (too large, say): as much a failure as a throw.
          reply = { id: reply.id, ok: false, error: `publishing the result: ${messageOf(e)}` }
        }
      }
      if (deliveries >= MAX_DELIVER) {
        log(`worker ${name}: item ${item.batch}/${item.item} failed for good: ${reply.error}`)
        await js.publish(
          batchSubject(layout, item.batch, "failed", item.item),
          json({
            batch: item.batch,
            item: item.item,
            worker: name,
            deliveries,
            error: reply.error,
          } satisfies ItemFailure),
          { msgID: recordMsgId(item.batch, "failed", item.item, m.seq) },
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
        log(`worker ${name}: stopping after the items in hand`)
        return loops
      })
    })
    yield* Effect.promise(() => Promise.all(threads.map((t) => t.stop())))
    log(`worker ${name}: stopped`)
  }).pipe(Effect.scoped)
