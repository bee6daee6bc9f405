/**
 * Distributed batches under crashes, with real `parley worker` processes and
 * a private nats-server: a worker killed with SIGKILL while it holds an item
 * (the item is delivered again, after the ack wait, to another worker, and
 * the batch equals a local run exactly, each item counted once); the
 * coordinator killed with SIGKILL and started again (it resumes from the
 * published results: nothing played twice, nothing lost); a worker stopped
 * with SIGTERM while it holds an item (it finishes and publishes the item,
 * and exits 0); an item that fails on every delivery (reported failed with
 * its error after the bounded number of deliveries).
 *
 * Slow (the ack wait is 30 s, the failing item's redeliveries back off), so
 * in the fault suite.
 */
import { Effect } from "effect"
import { afterAll, beforeAll, expect, it } from "vitest"
import { listBatches } from "../../src/distributed/Batches.ts"
import { MAX_DELIVER } from "../../src/distributed/Queue.ts"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import type { Summary } from "../../src/simulation/Summary.ts"
import {
  inProcess,
  lastOn,
  publishSigned,
  startWorker,
  stopWorker,
  subjects,
  until,
  type WorkerProcess,
  withoutSeconds,
} from "../distributed/support.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { killWhen } from "../tournament/support.ts"

const scenario = "scenarios/anac-laptop.json"
const RUNS = 5000
const CHUNK = 100
const ITEMS = RUNS / CHUNK

const localSummary = (seed: number): Promise<Summary> =>
  Effect.runPromise(
    Effect.map(
      Effect.flatMap(loadBatch(scenario, {}), (batch) =>
        simulate(batch, { runs: RUNS, seed, workers: 0 }),
      ),
      (r) => r.summary,
    ),
  )

const args = (url: string, seed: number) => [
  "simulate",
  scenario,
  "--runs",
  String(RUNS),
  "--seed",
  String(seed),
  "--json",
  "--distributed",
  "--nats",
  url,
  "--chunk",
  String(CHUNK),
]

/** Who holds which item of the batches on the server now. */
const held = async (url: string) =>
  (await Effect.runPromise(listBatches(url))).batches.flatMap((b) =>
    b.held.map((h) => ({ batch: b.batch, ...h })),
  )

describeWithNats("distributed batches under crashes", () => {
  let server: NatsServer.NatsServer
  const workers: Array<WorkerProcess> = []
  beforeAll(async () => {
    server = await NatsServer.start()
    workers.push(
      ...(await Promise.all(
        ["alpha", "beta", "gamma"].map((name) => startWorker(server.url, name)),
      )),
    )
    // Three workers start at once: on a loaded machine loading the sources takes minutes.
  }, 400_000)
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker))
    await server?.stop()
  })

  it("a worker killed with SIGKILL mid-item: its item goes to another worker, and the batch equals a local run exactly, each item counted once", async () => {
    const coordinator = inProcess(args(server.url, 11))
    const gamma = workers.find((w) => w.name === "gamma")!
    let victim: { batch: string; item: number } | undefined
    await until(async () => {
      victim = (await held(server.url)).find((h) => h.worker === "gamma")
      return victim !== undefined
    }, 120_000)
    gamma.child.kill("SIGKILL")
    expect((await gamma.exited).signal).toBe("SIGKILL")
    const distributed = await coordinator
    expect(distributed.failed).toBe(false)
    expect(withoutSeconds(JSON.parse(distributed.stdout))).toBe(
      withoutSeconds(await localSummary(11)),
    )
    const b = victim!.batch
    const results = await subjects(server.url, `parley.batches.${b}.result.>`)
    expect(Object.keys(results)).toHaveLength(ITEMS)
    expect(Object.values(results).every((n) => n === 1)).toBe(true)
    // The killed worker's item was finished by another, on a later delivery.
    const result = await lastOn<{ worker: string }>(
      server.url,
      `parley.batches.${b}.result.${victim!.item}`,
    )
    expect(result?.worker).not.toBe("gamma")
    const claim = await lastOn<{ delivery: number }>(
      server.url,
      `parley.batches.${b}.claim.${victim!.item}`,
    )
    expect(claim!.delivery).toBeGreaterThan(1)
  }, 400_000)

  it("the coordinator killed with SIGKILL and started again resumes the batch: nothing played twice, nothing lost", async () => {
    const count = async (filter: string) =>
      Object.values(await subjects(server.url, filter)).reduce((a, b) => a + b, 0)
    const before = await count("parley.batches.*.result.>")
    const signal = await killWhen(
      args(server.url, 12),
      async () => (await count("parley.batches.*.result.>")) - before,
      3,
      300_000,
    )
    expect(signal).toBe("SIGKILL")
    const resumed = await inProcess(args(server.url, 12))
    expect(resumed.failed).toBe(false)
    expect(withoutSeconds(JSON.parse(resumed.stdout))).toBe(withoutSeconds(await localSummary(12)))
    expect((await count("parley.batches.*.result.>")) - before).toBe(ITEMS)
    // Every item of the batch claimed once: no worker died, so no item was played twice.
    const claims = await subjects(server.url, "parley.batches.*.claim.>")
    const batches = (await Effect.runPromise(listBatches(server.url))).batches
    const batch = batches.find((b) => b.total === RUNS && b.done === ITEMS && b.created)!
    expect(batch.failed).toEqual([])
    const own = Object.entries(claims).filter(([s]) => s.includes(batches.at(-1)!.batch))
    expect(own.every(([, n]) => n === 1)).toBe(true)
  }, 400_000)

  it("SIGTERM: the worker finishes the item in hand, publishes it, and exits 0", async () => {
    const coordinator = inProcess(args(server.url, 13))
    // Whichever live worker claims an item first gets the signal: which one is quickest to
    // claim depends on the machine's load, not on the behaviour under test.
    const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null)
    let holding: { batch: string; item: number; worker: string } | undefined
    await until(async () => {
      holding = (await held(server.url)).find((h) => live.some((w) => w.name === h.worker))
      return holding !== undefined
    }, 120_000)
    const stopped = live.find((w) => w.name === holding!.worker)!
    stopped.child.kill("SIGTERM")
    const exit = await stopped.exited
    expect(exit).toEqual({ code: 0, signal: null })
    expect(stopped.stderr()).toContain("stopping after the items in hand")
    const result = await lastOn<{ worker: string }>(
      server.url,
      `parley.batches.${holding!.batch}.result.${holding!.item}`,
    )
    expect(result?.worker).toBe(stopped.name)
    const distributed = await coordinator
    expect(withoutSeconds(JSON.parse(distributed.stdout))).toBe(
      withoutSeconds(await localSummary(13)),
    )
  }, 400_000)

  it(`an item that fails on every delivery is reported failed with its error after ${MAX_DELIVER} deliveries`, async () => {
    const item = {
      batch: "mc-broken",
      item: 0,
      kind: "montecarlo",
      seed: 1,
      from: 0,
      to: 5,
      keepLogs: false,
      payload: { file: "broken.json", definition: { id: "x" }, overrides: {}, agents: {} },
    }
    // A batch whose one item names a scenario that is not one: every delivery fails.
    // Signed, as a coordinator's (an unsigned item is set aside, never played).
    await publishSigned(
      server.url,
      "parley.batches.mc-broken.def",
      JSON.stringify({
        batch: "mc-broken",
        kind: "montecarlo",
        title: "broken",
        total: 5,
        items: 1,
        created: new Date().toISOString(),
      }),
    )
    await publishSigned(server.url, "parley.work.mc-broken.0", JSON.stringify(item))
    await until(async () => {
      const f = await lastOn<{ error: string; deliveries: number }>(
        server.url,
        "parley.batches.mc-broken.failed.0",
      )
      return f !== undefined
    }, 120_000)
    const f = await lastOn<{ error: string; deliveries: number }>(
      server.url,
      "parley.batches.mc-broken.failed.0",
    )
    expect(f!.deliveries).toBe(MAX_DELIVER)
    expect(f!.error).toContain("broken.json")
    const listed = await inProcess(["batches", "--nats", server.url])
    expect(listed.stdout).toContain("mc-broken item 0 FAILED")
  }, 200_000)
})
