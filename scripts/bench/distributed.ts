/**
 * `distributed`: the Monte Carlo batch of `simulate` (ANAC Laptop, Boulware)
 * played on `parley worker` processes through a private nats-server, with
 * one worker process (one thread), then two, next to the same batch on two
 * local threads measured in the same run. A worker's start-up (loading the
 * TypeScript sources) is reported apart and not in the throughput: workers
 * are long-running; the batch is timed from submission to its last result.
 * The goal: two workers at least 1.7x one.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { distributedRuns } from "../../src/distributed/Coordinator.ts"
import { loadBatch, simulate } from "../../src/simulation/MonteCarlo.ts"
import * as NatsServer from "../../tests/support/NatsServer.ts"
import { type Benchmark, round } from "./Bench.ts"

const SCENARIO = "scenarios/anac-laptop.json"
const RUNS = Number(process.env.BENCH_DISTRIBUTED_RUNS ?? 4000)
const bin = fileURLToPath(new URL("../../bin/parley.js", import.meta.url))

/** Starts a worker; resolves with the process and its start-up seconds once it waits for work. */
const startWorker = (url: string, name: string) =>
  new Promise<{ child: ChildProcess; seconds: number }>((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(
      process.execPath,
      [bin, "worker", "--nats", url, "--threads", "1", "--name", name],
      { stdio: ["ignore", "ignore", "pipe"] },
    )
    let stderr = ""
    child.stderr!.setEncoding("utf8").on("data", (c: string) => {
      stderr += c
      if (stderr.includes("waiting for work"))
        resolve({ child, seconds: Number(process.hrtime.bigint() - started) / 1e9 })
    })
    child.once("exit", () => reject(new Error(`worker ${name} exited: ${stderr}`)))
  })

export const benchmarks: ReadonlyArray<Benchmark> = [
  {
    name: "distributed",
    run: async () => {
      const server = await NatsServer.start()
      const children: Array<ChildProcess> = []
      try {
        const batch = await Effect.runPromise(loadBatch(SCENARIO, { strategy: "boulware" }))
        const local = (
          await Effect.runPromise(simulate(batch, { runs: RUNS, seed: 1, workers: 2 }))
        ).summary
        const onWorkers = async (seed: number) => {
          const started = process.hrtime.bigint()
          let runs = 0
          await Effect.runPromise(
            distributedRuns(batch, {
              nats: server.url,
              seed,
              runs: RUNS,
              onOutcomes: (o) => {
                runs += o.length
              },
            }),
          )
          return runs / (Number(process.hrtime.bigint() - started) / 1e9)
        }
        const first = await startWorker(server.url, "one")
        children.push(first.child)
        const rate1 = await onWorkers(1)
        const second = await startWorker(server.url, "two")
        children.push(second.child)
        const rate2 = await onWorkers(2)
        const rateLocal = local.runs / local.seconds
        return [
          {
            name: "distributed-1worker",
            value: Math.round(rate1),
            unit: "negotiations/s",
            ref: Math.round(rateLocal),
            ratio: round(rate1 / rateLocal),
            goal: "one worker process (one thread) against two local threads: near 0.5",
            extra: {
              runs: RUNS,
              workerStartupSeconds: round(first.seconds, 1),
              // On a shared machine the other processes' load decides these figures: say how much there was.
              loadAverage: round(loadavg()[0]!, 1),
            },
          },
          {
            name: "distributed-2workers",
            value: Math.round(rate2),
            unit: "negotiations/s",
            ref: Math.round(rate1),
            ratio: round(rate2 / rate1),
            goal: "two worker processes >= 1.7x one",
            extra: {
              runs: RUNS,
              local2threads: Math.round(rateLocal),
              vsLocal: round(rate2 / rateLocal),
              workerStartupSeconds: round(second.seconds, 1),
              loadAverage: round(loadavg()[0]!, 1),
            },
          },
        ]
      } finally {
        for (const c of children) c.kill("SIGTERM")
        await Promise.all(
          children.map((c) =>
            c.exitCode === null ? new Promise((r) => c.once("exit", r)) : Promise.resolve(),
          ),
        )
        await server.stop()
      }
    },
  },
]
