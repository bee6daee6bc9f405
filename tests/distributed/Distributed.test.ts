/**
 * Distributed batches as an operator runs them: real `parley worker`
 * processes and real coordinators (`parley simulate|sweep|tournament
 * --distributed`) against a private nats-server. With the same seeds, the
 * outcomes equal a local run's exactly (the whole `--json` but the wall
 * clock); the same command run again resumes the batch and queues nothing
 * twice; a scenario that cannot travel is refused before anything is queued;
 * garbage on the work subject is set aside and reported, and the workers go
 * on working. Crashes (SIGKILL of a worker or of the coordinator), SIGTERM
 * and items failing on every delivery are in tests/faults/Distributed.fault.ts.
 */
import { resolve } from "node:path"
import { Effect } from "effect"
import { afterAll, beforeAll, expect, it, vi } from "vitest"
import { monteCarloDefinition } from "../../src/distributed/Coordinator.ts"
import { MAX_DELIVER } from "../../src/distributed/Queue.ts"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import { sweep } from "../../src/simulation/Sweep.ts"
import { runTournament } from "../../src/tournament/Tournament.ts"
import { runNode } from "../support/Cli.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { four, laptop, tempDir, write } from "../tournament/support.ts"
import {
  inProcess,
  parleyBin,
  publishRaw,
  queued,
  queuedOnceAcked,
  startWorker,
  stopWorker,
  subjects,
  until,
  type WorkerProcess,
  withoutSeconds,
} from "./support.ts"

const laptopScenario = "scenarios/anac-laptop.json"
const ceasefire = "scenarios/ceasefire-freeze.ts"
/** Every uncertain parameter of the ceasefire scenario fixed: its build(params) output can travel. */
const ceasefireFixed = [
  "--set",
  "russiaReservation=0.55",
  "--set",
  "ukraineConcession=1",
  "--set",
  "russiaConcession=0.5",
]

describeWithNats("distributed batches (parley worker, --distributed)", () => {
  let server: NatsServer.NatsServer
  const workers: Array<WorkerProcess> = []
  beforeAll(async () => {
    server = await NatsServer.start()
    workers.push(
      ...(await Promise.all([startWorker(server.url, "alpha"), startWorker(server.url, "beta")])),
    )
  }, 150_000)
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker))
    await server?.stop()
  })

  it("simulate --distributed prints exactly a local run's --json, and the same command again resumes without queueing or playing anything twice", async () => {
    const args = [
      "simulate",
      laptopScenario,
      "--runs",
      "240",
      "--seed",
      "7",
      "--json",
      "--distributed",
      "--nats",
      server.url,
      "--chunk",
      "30",
    ]
    // The first coordinator is a real process; a loaded machine may take a while to start it.
    const distributed = await runNode([parleyBin, ...args], {}, 170_000)
    expect(distributed.stderr).toBe("")
    expect(distributed.code).toBe(0)
    const local = await Effect.runPromise(
      Effect.flatMap(loadBatch(laptopScenario, {}), (batch) =>
        simulate(batch, { runs: 240, seed: 7, workers: 0 }),
      ),
    )
    expect(withoutSeconds(JSON.parse(distributed.stdout))).toBe(withoutSeconds(local.summary))

    // One result per item, one claim per item: nothing was played twice.
    const results = await subjects(server.url, "parley.batches.*.result.>")
    expect(Object.keys(results)).toHaveLength(8)
    expect(Object.values(results).every((n) => n === 1)).toBe(true)
    const claims = await subjects(server.url, "parley.batches.*.claim.>")
    expect(Object.values(claims).reduce((a, b) => a + b, 0)).toBe(8)

    const again = await inProcess(args)
    expect(again.failed).toBe(false)
    expect(withoutSeconds(JSON.parse(again.stdout))).toBe(withoutSeconds(local.summary))
    expect(await subjects(server.url, "parley.batches.*.result.>")).toEqual(results)
    expect(await subjects(server.url, "parley.batches.*.claim.>")).toEqual(claims)
    expect(await queuedOnceAcked(server.url)).toBe(0)
  }, 180_000)

  it("sweep --distributed of a TypeScript scenario (build(params) shipped as the scenario it built) equals the local sweep", async () => {
    const distributed = await inProcess([
      "sweep",
      ceasefire,
      "--vary",
      "ukraineReservation=0.2:0.5:2",
      ...ceasefireFixed,
      "--runs",
      "12",
      "--seed",
      "3",
      "--json",
      "--distributed",
      "--nats",
      server.url,
      "--chunk",
      "5",
    ])
    expect(distributed.failed).toBe(false)
    const local = await Effect.runPromise(
      sweep(
        ceasefire,
        { russiaReservation: "0.55", ukraineConcession: "1", russiaConcession: "0.5" },
        {},
        {
          varies: [{ name: "ukraineReservation", min: 0.2, max: 0.5, steps: 2 }],
          grid: false,
          runs: 12,
          seed: 3,
          workers: 0,
        },
      ),
    )
    expect(JSON.parse(distributed.stdout)).toEqual(
      JSON.parse(JSON.stringify({ points: local.points, sensitivity: local.sensitivity })),
    )
  }, 180_000)

  it("tournament --distributed ranks exactly as a local tournament", async () => {
    const dir = tempDir()
    const file = write(dir, "t.json", {
      id: "spread",
      competitors: four.slice(0, 3),
      scenarios: [laptop],
      repetitions: 2,
      rounds: 20,
      seed: 5,
    })
    const distributed = await inProcess([
      "tournament",
      file,
      "--json",
      "--distributed",
      "--nats",
      server.url,
      "--chunk",
      "4",
    ])
    expect(distributed.failed).toBe(false)
    const local = await inProcess(["tournament", file, "--json", "--workers", "0"])
    expect(distributed.stdout).toBe(local.stdout)
    const { result } = await Effect.runPromise(runTournament(file, { workers: 0 }))
    expect(JSON.parse(distributed.stdout).ranking).toEqual(
      JSON.parse(JSON.stringify(result.ranking)),
    )
  }, 180_000)

  it("refuses a scenario that cannot travel before anything is queued, naming why", async () => {
    const before = await subjects(server.url, "parley.batches.*.def")
    // A build(params) module drawing parameters per run travels by its path inside the
    // working directory (workers load their own copy): one outside it cannot travel.
    const outside = write(
      tempDir(),
      "elsewhere.ts",
      `export { default } from ${JSON.stringify(resolve(ceasefire))}\n`,
    )
    const refused = await inProcess([
      "simulate",
      outside,
      "--runs",
      "10",
      "--distributed",
      "--nats",
      server.url,
    ])
    expect(refused.failed).toBe(true)
    expect(refused.stderr).toContain("cannot run on workers")
    expect(refused.stderr).toContain("build(params) draws parameters per run")
    expect(refused.stderr).toContain("run from a directory that holds it")
    expect(await subjects(server.url, "parley.batches.*.def")).toEqual(before)
    expect(await queuedOnceAcked(server.url)).toBe(0)

    const agent = await inProcess([
      "simulate",
      laptopScenario,
      "--runs",
      "10",
      "--chunk",
      "0",
      "--distributed",
      "--nats",
      server.url,
    ])
    expect(agent.failed).toBe(true)
    expect(agent.stderr).toContain("--chunk must be at least 1")
  }, 120_000)

  it("sets garbage on the work subject aside, reports it in parley batches, and the workers go on", async () => {
    await publishRaw(server.url, "parley.work.garbage.1", "hello, worker")
    await publishRaw(server.url, "parley.work.mc-x.2", JSON.stringify({ batch: "mc-x", item: -1 }))
    const listed = async () => {
      const r = await inProcess(["batches", "--nats", server.url, "--json"])
      return JSON.parse(r.stdout) as {
        batches: Array<{ batch: string; done: number; items: number; failed: Array<unknown> }>
        malformed: Array<{ subject: string; problem: string }>
      }
    }
    await until(async () => (await listed()).malformed.length === 2)
    const { malformed, batches } = await listed()
    expect(malformed.map((m) => m.subject).sort()).toEqual([
      "parley.work.garbage.1",
      "parley.work.mc-x.2",
    ])
    expect(malformed.find((m) => m.subject === "parley.work.garbage.1")!.problem).toContain(
      "not JSON",
    )
    expect(malformed.find((m) => m.subject === "parley.work.mc-x.2")!.problem).toContain(
      "not a work item",
    )
    // Set aside for good: nothing left in the queue, no redelivery.
    await until(async () => (await queued(server.url)) === 0)
    for (const w of workers) expect(w.child.exitCode).toBeNull()
    for (const b of batches) {
      expect(b.done).toBe(b.items)
      expect(b.failed).toEqual([])
    }
    const text = await inProcess(["batches", "--nats", server.url])
    expect(text.stdout).toContain("2 message(s) set aside as malformed")
    // And they still work.
    const after = await inProcess([
      "simulate",
      laptopScenario,
      "--runs",
      "20",
      "--json",
      "--distributed",
      "--nats",
      server.url,
    ])
    expect(after.failed).toBe(false)
    expect(JSON.parse(after.stdout).runs).toBe(20)
    expect(MAX_DELIVER).toBeGreaterThan(1)
  }, 180_000)

  it("a malformed result, failure record or claim is reported, set aside and never counted: the batch completes with exactly a local run's outcomes", async () => {
    const runs = 100
    const local = await Effect.runPromise(
      Effect.flatMap(loadBatch(laptopScenario, {}), (batch) =>
        simulate(batch, { runs, seed: 11, workers: 0 }),
      ),
    )
    const { batch: b } = await Effect.runPromise(
      Effect.flatMap(loadBatch(laptopScenario, {}), (batch) =>
        monteCarloDefinition(batch, { seed: 11, runs, chunk: 20 }),
      ),
    )
    // Before the batch starts, so that its subjects already look finished to a resuming coordinator.
    const wrongShape = { batch: b, item: 0, worker: "mallory", outcomes: [{ run: "first" }] }
    await publishRaw(server.url, `parley.batches.${b}.result.0`, JSON.stringify(wrongShape))
    await publishRaw(server.url, `parley.batches.${b}.result.1`, "{ not json")
    await publishRaw(server.url, `parley.batches.${b}.claim.4`, JSON.stringify({ worker: 5 }))
    // Of the right shape, but holding none of its item's runs: counting it would lose 20 runs.
    const empty = { batch: b, item: 2, worker: "mallory", outcomes: [] }
    await publishRaw(server.url, `parley.batches.${b}.result.2`, JSON.stringify(empty))
    // A failure record that does not decode must not fail the batch either.
    const badFailure = { batch: b, item: 3, worker: "mallory", deliveries: "five", error: "x" }
    await publishRaw(server.url, `parley.batches.${b}.failed.3`, JSON.stringify(badFailure))
    const said: Array<string> = []
    const write = process.stderr.write.bind(process.stderr)
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk, ...rest) => {
      said.push(String(chunk))
      return write(chunk, ...(rest as []))
    })
    let run: Awaited<ReturnType<typeof inProcess>>
    try {
      run = await inProcess([
        "simulate",
        laptopScenario,
        "--runs",
        String(runs),
        "--seed",
        "11",
        "--chunk",
        "20",
        "--json",
        "--distributed",
        "--nats",
        server.url,
      ])
    } finally {
      spy.mockRestore()
    }
    expect(run.failed).toBe(false)
    expect(withoutSeconds(JSON.parse(run.stdout))).toBe(withoutSeconds(local.summary))
    const warnings = said.filter((l) => l.includes("malformed message"))
    expect(warnings.find((l) => l.includes(`parley.batches.${b}.result.0 (sequence`))).toContain(
      "outcomes[0].run",
    )
    expect(warnings.find((l) => l.includes(`parley.batches.${b}.result.1 (sequence`))).toContain(
      "not JSON",
    )
    expect(warnings.find((l) => l.includes(`parley.batches.${b}.claim.4 (sequence`))).toContain(
      "worker",
    )
    expect(warnings.find((l) => l.includes(`parley.batches.${b}.result.2 (sequence`))).toContain(
      "outcomes: holds none of its runs 40..59",
    )
    expect(warnings.find((l) => l.includes(`parley.batches.${b}.failed.3 (sequence`))).toContain(
      "deliveries",
    )
    // Each item's one result is the worker's; the malformed ones are gone from the batch stream.
    const results = await subjects(server.url, `parley.batches.${b}.result.>`)
    expect(results).toEqual({
      [`parley.batches.${b}.result.0`]: 1,
      [`parley.batches.${b}.result.1`]: 1,
      [`parley.batches.${b}.result.2`]: 1,
      [`parley.batches.${b}.result.3`]: 1,
      [`parley.batches.${b}.result.4`]: 1,
    })
    expect(await subjects(server.url, `parley.batches.${b}.failed.>`)).toEqual({})
    expect(await queuedOnceAcked(server.url)).toBe(0)
    const listed = JSON.parse(
      (await inProcess(["batches", "--nats", server.url, "--json"])).stdout,
    ) as {
      batches: Array<{ batch: string; done: number; items: number; failed: Array<unknown> }>
      malformed: Array<{ subject: string; problem: string }>
    }
    expect(listed.batches.find((x) => x.batch === b)).toMatchObject({
      done: 5,
      items: 5,
      failed: [],
    })
    expect(
      listed.malformed
        .map((m) => m.subject)
        .filter((s) => s.startsWith(`parley.batches.${b}.`))
        .sort(),
    ).toEqual([
      `parley.batches.${b}.claim.4`,
      `parley.batches.${b}.failed.3`,
      `parley.batches.${b}.result.0`,
      `parley.batches.${b}.result.1`,
      `parley.batches.${b}.result.2`,
    ])
  }, 180_000)
})
