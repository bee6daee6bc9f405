/**
 * Issue 25's probes of the work queue, replayed against a private
 * nats-server, real `parley worker` processes and real coordinators: a
 * result published by someone without the work key is refused and named,
 * and the batch equals a local run; a key holder's wrong result fails the
 * batch naming the worker; an unsigned work item is set aside, never
 * played; items beyond a worker's bounds are refused at once; SIGTERM stops
 * a worker mid-item within seconds; a work stream created by someone else
 * with settings that lose items is refused; a coordinator or worker without
 * the key does not start; `parley batches` lists a batch no coordinator
 * defined.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect, type MsgHdrs } from "@nats-io/transport-node"
import { Effect, Either, Redacted } from "effect"
import { afterAll, beforeAll, expect, it, vi } from "vitest"
import { monteCarloDefinition } from "../../src/distributed/Coordinator.ts"
import type { WorkItem } from "../../src/distributed/Item.ts"
import { ensureQueue } from "../../src/distributed/Queue.ts"
import { signedHeaders } from "../../src/distributed/Sign.ts"
import { travellingBatch } from "../../src/distributed/Travel.ts"
import { layoutFor } from "../../src/nats/Layout.ts"
import { loadBatch, type RunOutcome, runRange } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import {
  inProcess,
  lastOn,
  queued,
  startWorker,
  stopWorker,
  TEST_WORK_KEY,
  until,
  type WorkerProcess,
  withoutSeconds,
} from "./support.ts"

const scenario = "scenarios/anac-laptop.json"
const key = Redacted.make(TEST_WORK_KEY)
const otherKey = Redacted.make("not-the-deployment-key-0123456789abcdef0123")
const encoder = new TextEncoder()

/** Publishes `value` as JSON through JetStream, with `headers` (a signature, or none). */
const publishJson = async (url: string, subject: string, value: unknown, sign?: typeof key) => {
  const nc = await connect({ servers: url })
  try {
    const data = encoder.encode(JSON.stringify(value))
    const headers: MsgHdrs | undefined =
      sign === undefined ? undefined : signedHeaders(sign, subject, data)
    await jetstream(nc).publish(subject, data, headers === undefined ? {} : { headers })
  } finally {
    await nc.close()
  }
}

const batch = () => Effect.runPromise(loadBatch(scenario, {}))

/** The id the coordinator gives `runs` runs of the Laptop scenario from `seed`, by `chunk`. */
const batchId = async (seed: number, runs: number, chunk: number) =>
  (await Effect.runPromise(monteCarloDefinition(await batch(), { seed, runs, chunk }))).batch

const localOutcomes = async (seed: number, from: number, to: number) =>
  Effect.runPromise(runRange(await batch(), { seed, from, to }))

const localJson = async (seed: number, runs: number) =>
  withoutSeconds(
    (await Effect.runPromise(simulate(await batch(), { runs, seed, workers: 0 }))).summary,
  )

/** Outcomes that say one party won everything: what a forger would publish. */
const forged = (outcomes: ReadonlyArray<RunOutcome>) =>
  outcomes.map((o) => ({
    ...o,
    status: "agreed",
    utilities: Object.fromEntries(Object.keys(o.utilities).map((p) => [p, 0.999])),
  }))

const simulateArgs = (url: string, seed: number, runs: number, chunk: number) => [
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
]

/** A work item of the Laptop scenario, as a coordinator would queue it. */
const workItem = async (batchName: string, to: number, rounds?: number): Promise<WorkItem> => {
  const travelling = Either.getOrThrow(travellingBatch(await batch()))
  const definition = travelling.definition as { protocol: Record<string, unknown> }
  return {
    batch: batchName,
    item: 0,
    kind: "montecarlo",
    seed: 1,
    from: 0,
    to,
    keepLogs: false,
    payload:
      rounds === undefined
        ? travelling
        : {
            ...travelling,
            definition: { ...definition, protocol: { ...definition.protocol, rounds } },
          },
  }
}

describeWithNats("authenticated work (issue 25, item 5)", () => {
  let server: NatsServer.NatsServer
  const workers: Array<WorkerProcess> = []
  beforeAll(async () => {
    server = await NatsServer.start()
    const nc = await connect({ servers: server.url })
    await ensureQueue(await jetstreamManager(nc), layoutFor()).finally(() => nc.close())
  }, 60_000)
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker))
    await server?.stop()
  })

  it("parley batches lists a batch whose items no coordinator defined", async () => {
    await publishJson(server.url, "parley.work.mc-stray.0", await workItem("mc-stray", 10), key)
    const listed = JSON.parse((await inProcess(["batches", "--nats", server.url, "--json"])).stdout)
    const stray = listed.batches.find((b: { batch: string }) => b.batch === "mc-stray")
    expect(stray).toMatchObject({ queued: 1, items: 1, kind: "montecarlo" })
    expect(stray.title).toContain("no definition")
  }, 120_000)

  it("a result published without the key is refused, naming its worker, and the batch equals a local run", async () => {
    const [seed, runs, chunk] = [5, 40, 20]
    const b = await batchId(seed, runs, chunk)
    // Before any worker runs: unsigned for item 0, signed with another key for item 1.
    for (const [item, sign] of [
      [0, undefined],
      [1, otherKey],
    ] as const)
      await publishJson(
        server.url,
        `parley.batches.${b}.result.${item}`,
        {
          batch: b,
          item,
          worker: "mallory",
          outcomes: forged(await localOutcomes(seed, item * chunk, (item + 1) * chunk)),
        },
        sign,
      )
    const said: Array<string> = []
    const write = process.stderr.write.bind(process.stderr)
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk, ...rest) => {
      said.push(String(chunk))
      return write(chunk, ...(rest as []))
    })
    const run = await (async () => {
      const coordinator = inProcess(simulateArgs(server.url, seed, runs, chunk))
      workers.push(await startWorker(server.url, "honest"))
      return await coordinator
    })().finally(() => spy.mockRestore())
    expect(run.failed).toBe(false)
    expect(withoutSeconds(JSON.parse(run.stdout))).toBe(await localJson(seed, runs))
    const stderr = said.join("")
    expect(stderr).toContain(`refused message on parley.batches.${b}.result.0`)
    expect(stderr).toContain(
      "no signature (Parley-Signature); refused, it says it comes from worker mallory",
    )
    expect(stderr).toContain(`refused message on parley.batches.${b}.result.1`)
    expect(stderr).toContain("refused as forged, it says it comes from worker mallory")
  }, 240_000)

  it("a key holder's result that differs from the coordinator's own play fails the batch, naming the worker", async () => {
    const [seed, runs, chunk] = [6, 20, 20]
    const b = await batchId(seed, runs, chunk)
    await publishJson(
      server.url,
      `parley.batches.${b}.result.0`,
      { batch: b, item: 0, worker: "liar", outcomes: forged(await localOutcomes(seed, 0, runs)) },
      key,
    )
    const run = await inProcess(simulateArgs(server.url, seed, runs, chunk))
    expect(run.failed).toBe(true)
    expect(run.stderr).toContain(`batch ${b}: worker liar's result of item 0 differs`)
  }, 240_000)

  it("an unsigned work item is set aside by the worker, naming the batch it claims, and never played", async () => {
    await publishJson(server.url, "parley.work.mc-unsigned.0", await workItem("mc-unsigned", 10))
    const malformed = async () =>
      (
        JSON.parse((await inProcess(["batches", "--nats", server.url, "--json"])).stdout) as {
          malformed: Array<{ subject: string; problem: string }>
        }
      ).malformed.find((m) => m.subject === "parley.work.mc-unsigned.0")
    await until(async () => (await malformed()) !== undefined, 60_000)
    expect((await malformed())!.problem).toContain(
      "no signature (Parley-Signature); refused, it says it comes from the coordinator of batch mc-unsigned",
    )
    expect(await lastOn(server.url, "parley.batches.mc-unsigned.result.0")).toBeUndefined()
    expect(await lastOn(server.url, "parley.batches.mc-unsigned.claim.0")).toBeUndefined()
  }, 120_000)

  it("items beyond the worker's bounds (10^9 runs, a 100,000-round deadline) are refused at once and recorded failed", async () => {
    await publishJson(server.url, "parley.work.mc-huge.0", await workItem("mc-huge", 1e9), key)
    await publishJson(
      server.url,
      "parley.work.mc-long.0",
      await workItem("mc-long", 10, 100_000),
      key,
    )
    const failure = (b: string) =>
      lastOn<{ worker: string; error: string }>(server.url, `parley.batches.${b}.failed.0`)
    await until(async () => (await failure("mc-huge")) !== undefined, 30_000)
    await until(async () => (await failure("mc-long")) !== undefined, 30_000)
    expect((await failure("mc-huge"))!.error).toContain(
      "refused: the item holds 1000000000 runs, more than this worker's bound of 10000",
    )
    expect((await failure("mc-long"))!.error).toContain(
      "refused: the scenario has a deadline of 100000 rounds, more than this worker's bound of 10000",
    )
    expect(workers.every((w) => w.child.exitCode === null)).toBe(true)
  }, 120_000)

  it("SIGTERM mid-item: the worker hands the item back and exits 0 within seconds", async () => {
    await Promise.all(workers.splice(0).map(stopWorker))
    await until(async () => (await queued(server.url)) === 0, 30_000)
    const w = await startWorker(server.url, "stopper")
    workers.push(w)
    await publishJson(server.url, "parley.work.mc-slow.0", await workItem("mc-slow", 9_000), key)
    await until(
      async () => (await lastOn(server.url, "parley.batches.mc-slow.claim.0")) !== undefined,
    )
    await new Promise((r) => setTimeout(r, 500))
    const asked = Date.now()
    w.child.kill("SIGTERM")
    expect(await w.exited).toEqual({ code: 0, signal: null })
    const took = Date.now() - asked
    expect(took).toBeLessThan(8_000)
    expect(w.stderr()).toContain("item mc-slow/0 handed back unfinished")
    expect(await lastOn(server.url, "parley.batches.mc-slow.result.0")).toBeUndefined()
    expect(await queued(server.url)).toBe(1)
  }, 180_000)

  it("without PARLEY_WORK_KEY neither a coordinator nor a worker starts, and says how to make one", async () => {
    const before = process.env.PARLEY_WORK_KEY
    delete process.env.PARLEY_WORK_KEY
    const run = await inProcess(simulateArgs(server.url, 7, 10, 10)).finally(() => {
      process.env.PARLEY_WORK_KEY = before
    })
    expect(run.failed).toBe(true)
    expect(run.stderr).toContain("PARLEY_WORK_KEY is not set")
    expect(run.stderr).toContain("openssl rand -hex 32")
    await expect(
      startWorker(server.url, "keyless", 1, [], { PARLEY_WORK_KEY: "short" }),
    ).rejects.toThrow("PARLEY_WORK_KEY is 5 characters long")
  }, 120_000)
})

describeWithNats("the work stream's settings (issue 25, item 5)", () => {
  let server: NatsServer.NatsServer
  beforeAll(async () => {
    server = await NatsServer.start()
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it("PARLEY_WORK pre-created with max_msgs 1, discard old is refused, naming the setting, never used", async () => {
    const nc = await connect({ servers: server.url })
    try {
      const jsm = await jetstreamManager(nc)
      await jsm.streams.add({
        name: "PARLEY_WORK",
        subjects: ["parley.work.>"],
        retention: "workqueue" as never,
        max_msgs: 1,
        discard: "old" as never,
      })
    } finally {
      await nc.close()
    }
    const run = await inProcess(simulateArgs(server.url, 8, 40, 10))
    expect(run.failed).toBe(true)
    expect(run.stderr).toContain("stream PARLEY_WORK exists with incompatible settings")
    expect(run.stderr).toContain("max_msgs is 1, needs -1 (a full stream drops its oldest messages")
    await expect(startWorker(server.url, "wary")).rejects.toThrow(
      "stream PARLEY_WORK exists with incompatible settings",
    )
    expect(await queued(server.url)).toBe(0)
  }, 120_000)
})
