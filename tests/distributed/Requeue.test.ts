/**
 * A malformed result published by the worker that holds the item — as a
 * worker of this build publishes a result (message id per work message,
 * then the ack) — never loses the item: whether the worker acks before or
 * after the coordinator looks at the work stream, the item is queued again
 * and the batch completes with exactly a local run's outcomes. A result that
 * is malformed every time (a number JSON wrote as null) is not queued again
 * without end: after `MAX_MALFORMED` set-asides the item is recorded as
 * failed and the batch fails naming the field.
 */
import { type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Effect } from "effect"
import { afterAll, beforeAll, expect, it } from "vitest"
import { monteCarloDefinition } from "../../src/distributed/Coordinator.ts"
import { ensureQueue, MAX_MALFORMED, recordMsgId } from "../../src/distributed/Queue.ts"
import { layoutFor, malformedSubject } from "../../src/nats/Layout.ts"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import {
  inProcess,
  queuedOnceAcked,
  startWorker,
  stopWorker,
  subjects,
  until,
  type WorkerProcess,
  withoutSeconds,
} from "./support.ts"

/** The default layout: the names a deployment without a prefix uses. */
const layout = layoutFor()

const scenario = "scenarios/anac-laptop.json"

const batchId = (seed: number, runs: number, chunk: number) =>
  Effect.runPromise(
    Effect.flatMap(loadBatch(scenario, {}), (batch) =>
      monteCarloDefinition(batch, { seed, runs, chunk }),
    ),
  ).then((d) => d.batch)

const localSummary = (seed: number, runs: number) =>
  Effect.runPromise(
    Effect.flatMap(loadBatch(scenario, {}), (batch) => simulate(batch, { runs, seed, workers: 0 })),
  ).then((r) => r.summary)

const coordinator = (url: string, seed: number, runs: number, chunk: number) =>
  inProcess([
    "simulate",
    scenario,
    "--runs",
    String(runs),
    "--seed",
    String(seed),
    "--chunk",
    String(chunk),
    "--json",
    "--distributed",
    "--nats",
    url,
  ])

/** The coordinator's outcome, or a clear failure instead of a hang. */
const within = <A>(p: Promise<A>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`the batch did not finish in ${ms / 1000} s`)), ms),
    ),
  ])

/** A result of the right item but not of the right shape (no runs): what a worker of another build might send. */
const wrongResult = (b: string, item: number) =>
  JSON.stringify({ batch: b, item, worker: "old-build", outcomes: [] })

describeWithNats("a malformed result from the worker holding the item", () => {
  let server: NatsServer.NatsServer
  const workers: Array<WorkerProcess> = []
  beforeAll(async () => {
    server = await NatsServer.start()
  }, 60_000)
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker))
    await server?.stop()
  })

  /** Takes one work item as a worker would (the consumer every worker shares). */
  const take = async () => {
    const nc = await connect({ servers: server.url })
    const jsm = await jetstreamManager(nc)
    await ensureQueue(jsm, layout)
    const js = jetstream(nc)
    const consumer = await js.consumers.get(layout.workStream, layout.workersConsumer)
    const m = await consumer.next({ expires: 30_000 })
    if (m === null) throw new Error("no work item was queued")
    const item = Number(m.subject.slice(m.subject.lastIndexOf(".") + 1))
    return { nc, jsm, js, m, item }
  }

  /** Publishes a malformed result for the item of `m` exactly as a worker publishes its result. */
  const publishWrong = async (
    js: ReturnType<typeof jetstream>,
    b: string,
    item: number,
    m: JsMsg,
  ) => {
    await js.publish(`parley.batches.${b}.result.${item}`, wrongResult(b, item), {
      msgID: recordMsgId(b, "result", item, m.seq),
    })
  }

  const completes = async (seed: number, ackFirst: boolean) => {
    const runs = 40
    const b = await batchId(seed, runs, 20)
    const run = coordinator(server.url, seed, runs, 20)
    const { nc, jsm, js, m, item } = await take()
    if (ackFirst) {
      // Acked before the coordinator sees the malformed result: it queues the item again
      // at once, and the real result of that new message must not be taken for a duplicate.
      await m.ackAck()
      await publishWrong(js, b, item, m)
    } else {
      // Acked only once the coordinator has set the result aside while the item was
      // still on the work stream: it must look again after the item has left it.
      await publishWrong(js, b, item, m)
      await until(async () => {
        const last = await jsm.streams.getMessage(layout.batchStream, {
          last_by_subj: malformedSubject(layout),
        })
        return last?.json<{ subject: string }>().subject === `parley.batches.${b}.result.${item}`
      }, 30_000)
      await new Promise((r) => setTimeout(r, 1500))
      await m.ackAck()
    }
    await nc.close()
    const w = await startWorker(server.url, `real-${seed}`)
    workers.push(w)
    const result = await within(run, 50_000)
    // The worker acks an item after its result is stored and plays on meanwhile, so the
    // batch can end before its last ack: the stream must be left to empty before the worker
    // is stopped (killed first, its last item stays queued, and the next test sees it too).
    const left = await queuedOnceAcked(server.url)
    await stopWorker(w)
    expect(result.failed).toBe(false)
    expect(withoutSeconds(JSON.parse(result.stdout))).toBe(
      withoutSeconds(await localSummary(seed, runs)),
    )
    // One result per item (the malformed one is gone), nothing left queued.
    expect(await subjects(server.url, `parley.batches.${b}.result.>`)).toEqual({
      [`parley.batches.${b}.result.0`]: 1,
      [`parley.batches.${b}.result.1`]: 1,
    })
    expect(await subjects(server.url, `parley.batches.${b}.failed.>`)).toEqual({})
    expect(left).toBe(0)
  }

  it("acked after the coordinator saw the item still queued: it is queued again once it left, and the batch completes", async () => {
    await completes(21, false)
  }, 120_000)

  it("acked before the coordinator looked: the item queued again is not dropped as a duplicate, and the batch completes", async () => {
    await completes(22, true)
  }, 120_000)

  it(`a result malformed on every play is set aside ${MAX_MALFORMED} times, then the item is recorded failed naming the field`, async () => {
    const seed = 23
    const b = await batchId(seed, 20, 20)
    let finished = false
    const run = coordinator(server.url, seed, 20, 20).finally(() => {
      finished = true
    })
    // A worker of another build: plays the one item, and its outcome's utility is null
    // (a number JSON cannot carry), every time.
    const nc = await connect({ servers: server.url })
    await ensureQueue(await jetstreamManager(nc), layout)
    const js = jetstream(nc)
    const consumer = await js.consumers.get(layout.workStream, layout.workersConsumer)
    let plays = 0
    const outcome = {
      run: 0,
      seed: 1,
      status: "agreement",
      rounds: 3,
      events: 7,
      agreement: null,
      utilities: { buyer: null },
      agreementTime: null,
      scores: {},
      drawn: {},
    }
    const outcomes = Array.from({ length: 20 }, (_, run) => ({ ...outcome, run }))
    const deadline = Date.now() + 50_000
    while (!finished && Date.now() < deadline) {
      const m = await consumer.next({ expires: 1000 })
      if (m === null) continue
      plays++
      await js.publish(
        `parley.batches.${b}.result.0`,
        JSON.stringify({ batch: b, item: 0, worker: "other-build", outcomes }),
        { msgID: recordMsgId(b, "result", 0, m.seq) },
      )
      await m.ackAck()
    }
    await nc.close()
    const result = await within(run, 50_000)
    expect(result.failed).toBe(true)
    expect(plays).toBe(MAX_MALFORMED)
    expect(result.stderr).toContain(`batch ${b}: 1 item(s) failed`)
    expect(result.stderr).toContain(`item 0: its record was malformed ${MAX_MALFORMED} times`)
    expect(result.stderr).toContain(`parley.batches.${b}.result.0`)
    expect(result.stderr).toContain("outcomes[0].utilities.buyer")
    const failure = await subjects(server.url, `parley.batches.${b}.failed.>`)
    expect(failure).toEqual({ [`parley.batches.${b}.failed.0`]: 1 })
    expect(await queuedOnceAcked(server.url)).toBe(0)
  }, 120_000)
})
