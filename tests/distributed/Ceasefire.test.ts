/**
 * The flagship travels (issue 25, item 6): `scenarios/ceasefire-freeze.ts`,
 * whose `build(params)` runs per drawn parameter set, runs with
 * `--distributed` on a real `parley worker` — which loads the module by
 * path and content hash — and prints exactly what the local `simulate`
 * prints for the same seed and runs.
 */
import { Effect } from "effect"
import { afterAll, beforeAll, expect, it } from "vitest"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import {
  inProcess,
  startWorker,
  stopWorker,
  type WorkerProcess,
  withoutSeconds,
} from "./support.ts"

const ceasefire = "scenarios/ceasefire-freeze.ts"

describeWithNats("the ceasefire scenario on workers", () => {
  let server: NatsServer.NatsServer
  let worker: WorkerProcess | undefined
  beforeAll(async () => {
    server = await NatsServer.start()
    worker = await startWorker(server.url, "flagship")
  }, 150_000)
  afterAll(async () => {
    if (worker !== undefined) await stopWorker(worker)
    await server?.stop()
  })

  it("simulate --distributed of the ceasefire scenario, its parameters drawn per run, equals the local simulate", async () => {
    const [runs, seed] = [60, 11]
    const run = await inProcess([
      "simulate",
      ceasefire,
      "--runs",
      String(runs),
      "--seed",
      String(seed),
      "--chunk",
      "20",
      "--json",
      "--distributed",
      "--nats",
      server.url,
    ])
    expect(run.stderr).toBe("")
    expect(run.failed).toBe(false)
    const local = await Effect.runPromise(
      Effect.flatMap(loadBatch(ceasefire, {}), (batch) =>
        simulate(batch, { runs, seed, workers: 0 }),
      ),
    )
    expect(local.summary.runs).toBe(runs)
    expect(withoutSeconds(JSON.parse(run.stdout))).toBe(withoutSeconds(local.summary))
  }, 240_000)
})
