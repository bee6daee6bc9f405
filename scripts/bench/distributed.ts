/**
 * `distributed`: the Monte Carlo batch of `simulate` (ANAC Laptop, Boulware)
 * played on `parley worker` processes through a private nats-server, with
 * one worker process (one thread), then two, next to the same batch on two
 * local threads measured in the same run. Workers are long-running: their
 * start-up is reported apart, and each worker plays warm-up runs alone
 * before the timed ones (`BENCH_DISTRIBUTED_WARMUP`, default 2,000: V8 is
 * still compiling the simulation for the first ~2,000 runs of a process,
 * ~390 functions in the first thousand, ~120 in the second, ~20 by the
 * fourth). Each batch is timed from submission to its last result. The goal:
 * two workers at least 1.7x one.
 *
 * On a shared machine the CPU a run gets moves from one batch to the next
 * (other tenants' load), so one batch with one worker and one with two say
 * little about their ratio. The benchmark measures `BENCH_DISTRIBUTED_PAIRS`
 * (default 5) pairs, each one batch on the first worker alone (the second
 * paused with SIGSTOP once its pending pull has expired, so no item waits on
 * it) right before one on both, and reports the median of the pairs' ratios,
 * with their range.
 *
 * On a shared machine wall time says little, so the benchmark also counts
 * CPU seconds per run (Linux: `/proc/<pid>/stat`, every thread of a
 * process) of the coordinator (this process), each worker — its main thread
 * (NATS: pulling, publishing, acking) apart from its busiest other thread
 * (the one playing items) and the rest (V8's garbage collector and compiler
 * threads) — and the nats-server, next to the CPU a run costs when this
 * process plays the same runs on its own thread (`simulation`). What two
 * workers can reach on two idle cores follows from these: both cores busy,
 * each run costs `total` CPU, where one worker's rate is bounded by its
 * playing thread alone, so `2 × playing / total` is the most two can gain.
 *
 * `BENCH_WORKER_ARGS` adds arguments to each `parley worker` (say
 * `--parallel-gc`, to compare with V8's helper threads collecting);
 * `BENCH_DISTRIBUTED_RUNS` and `BENCH_DISTRIBUTED_CHUNK` set the batch.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { readdirSync, readFileSync } from "node:fs"
import { availableParallelism, loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Effect } from "effect"
import { distributedRuns } from "../../src/distributed/Coordinator.ts"
import { layoutFor } from "../../src/nats/Layout.ts"
import { loadBatch, runRange } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import * as NatsServer from "../../tests/support/NatsServer.ts"
import { type Benchmark, round } from "./Bench.ts"

/** The default layout: the names a deployment without a prefix uses. */
const layout = layoutFor()

// The coordinator and the workers (which inherit this environment) sign their work with one key (SECURITY.md).
process.env.PARLEY_WORK_KEY ??= randomBytes(32).toString("hex")

const SCENARIO = "scenarios/anac-laptop.json"
const RUNS = Number(process.env.BENCH_DISTRIBUTED_RUNS ?? 4000)
const WARMUP_RUNS = Number(process.env.BENCH_DISTRIBUTED_WARMUP ?? 2000)
const PAIRS = Math.max(1, Number(process.env.BENCH_DISTRIBUTED_PAIRS ?? 5))
const CHUNK =
  process.env.BENCH_DISTRIBUTED_CHUNK === undefined
    ? undefined
    : Number(process.env.BENCH_DISTRIBUTED_CHUNK)
const bin = fileURLToPath(new URL("../../bin/parley.js", import.meta.url))

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ: 100 on every Linux that matters). */
const TICKS = 100

/** CPU seconds (user + system) of one thread's or process's `stat` file; 0 when it cannot be read. */
const cpuOfStat = (path: string): number => {
  try {
    const stat = readFileSync(path, "utf8")
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) / TICKS
  } catch {
    return 0
  }
}

/** CPU seconds per thread of a process (thread id → seconds). */
const threadsOf = (pid: number): Map<number, number> => {
  const out = new Map<number, number>()
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`))
      out.set(Number(tid), cpuOfStat(`/proc/${pid}/task/${tid}/stat`))
  } catch {
    // not Linux, or the process is gone
  }
  return out
}

/** A worker's CPU split: main thread, its busiest other thread (playing items), the rest. */
interface WorkerCpu {
  readonly main: number
  readonly playing: number
  readonly rest: number
}

const workerCpuBetween = (
  pid: number,
  before: Map<number, number>,
  after: Map<number, number>,
): WorkerCpu => {
  const spent = [...after].map(([tid, s]) => [tid, s - (before.get(tid) ?? 0)] as const)
  const main = spent.find(([tid]) => tid === pid)?.[1] ?? 0
  const others = spent.filter(([tid]) => tid !== pid).map(([, s]) => s)
  const playing = Math.max(0, ...others)
  const rest = others.reduce((a, b) => a + b, 0) - playing
  return { main, playing, rest }
}

/**
 * The process that plays a worker's items: `parley worker` starts itself
 * again in a child Node.js process with `--single-threaded-gc` (bin/parley.js)
 * and only waits for it, so the worker is that child when there is one.
 * (The waiting parent spends nothing measurable.)
 */
const workerPidOf = (pid: number): number => {
  try {
    const child = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(" ")[0]
    return child === undefined || child === "" ? pid : Number(child)
  } catch {
    return pid
  }
}

/** The pid of the nats-server listening on `port` (its command line names the port). */
const natsPidOf = (port: number): number | undefined => {
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")
        if (argv[0]?.endsWith("nats-server") && argv.includes(String(port))) return Number(entry)
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // not Linux
  }
  return undefined
}

/** Starts a worker; resolves with the process and its start-up seconds once it waits for work. */
const startWorker = (url: string, name: string) =>
  new Promise<{ child: ChildProcess; seconds: number }>((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(
      process.execPath,
      [
        bin,
        "worker",
        "--nats",
        url,
        "--threads",
        "1",
        "--name",
        name,
        ...(process.env.BENCH_WORKER_ARGS ?? "").split(" ").filter(Boolean),
      ],
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

/** CPU seconds of this process (every thread). */
const ownCpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

const ms = (seconds: number, runs: number) => round((1000 * seconds) / runs, 3)

/** What one or more batches on the workers took: wall seconds, runs and CPU seconds by process. */
interface Measured {
  readonly runs: number
  readonly wall: number
  readonly rate: number
  readonly coordinator: number
  readonly nats: number
  readonly workers: ReadonlyArray<WorkerCpu>
}

const median = (xs: ReadonlyArray<number>) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Waits until the work consumer's pending pulls satisfy `ok` (each idle worker keeps one open). */
const pullsWaiting = async (url: string, ok: (waiting: number) => boolean) => {
  const nc = await connect({ servers: url })
  try {
    const jsm = await jetstreamManager(nc)
    const deadline = Date.now() + 15_000
    for (;;) {
      const waiting = (await jsm.consumers.info(layout.workStream, layout.workersConsumer))
        .num_waiting
      if (ok(waiting)) return
      if (Date.now() > deadline)
        throw new Error(`the work consumer still has ${waiting} pending pulls`)
      await new Promise((r) => setTimeout(r, 100))
    }
  } finally {
    await nc.close()
  }
}

/**
 * Runs `f` with the worker process `paused` stopped (SIGSTOP), once the pull it
 * had pending has expired (a stopped worker's pull would take an item and hold it
 * for the ack wait), and wakes it (SIGCONT) after.
 */
const alone = async <A>(url: string, paused: number, f: () => Promise<A>): Promise<A> => {
  process.kill(paused, "SIGSTOP")
  try {
    // A worker pulls with a 2 s expiry (src/distributed/Worker.ts): a pull it sent just before it
    // stopped may reach the server after a first look, so wait the expiry out before looking.
    await new Promise((r) => setTimeout(r, 2500))
    await pullsWaiting(url, (n) => n <= 1)
    return await f()
  } finally {
    process.kill(paused, "SIGCONT")
  }
}

export const benchmarks: ReadonlyArray<Benchmark> = [
  {
    name: "distributed",
    run: async () => {
      const server = await NatsServer.start()
      const natsPid = natsPidOf(server.port)
      const children: Array<ChildProcess> = []
      try {
        const batch = await Effect.runPromise(loadBatch(SCENARIO, { strategy: "boulware" }))
        const local = (
          await Effect.runPromise(simulate(batch, { runs: RUNS, seed: 1, workers: 2 }))
        ).summary
        // What a run costs played on this process's own thread, warm: the useful work.
        await Effect.runPromise(runRange(batch, { seed: 7, from: 0, to: WARMUP_RUNS }))
        const simStarted = ownCpu()
        const simThread = threadsOf(process.pid).get(process.pid) ?? 0
        await Effect.runPromise(runRange(batch, { seed: 8, from: 0, to: RUNS }))
        const simulation = (ownCpu() - simStarted) / RUNS
        const simulationThread = ((threadsOf(process.pid).get(process.pid) ?? 0) - simThread) / RUNS

        /** Plays a batch on the running workers; its rate and what each process spent on it. */
        const onWorkers = async (seed: number, runs: number): Promise<Measured> => {
          const pids = children.map((c) => workerPidOf(c.pid!))
          const before = pids.map(threadsOf)
          const natsBefore = natsPid === undefined ? 0 : cpuOfStat(`/proc/${natsPid}/stat`)
          const coordinatorBefore = ownCpu()
          const started = process.hrtime.bigint()
          let played = 0
          await Effect.runPromise(
            distributedRuns(batch, {
              nats: server.url,
              seed,
              runs,
              chunk: CHUNK,
              onOutcomes: (o) => {
                played += o.length
              },
            }),
          )
          const wall = Number(process.hrtime.bigint() - started) / 1e9
          const coordinator = ownCpu() - coordinatorBefore
          const nats = natsPid === undefined ? 0 : cpuOfStat(`/proc/${natsPid}/stat`) - natsBefore
          const workers = pids.map((pid, i) => workerCpuBetween(pid, before[i]!, threadsOf(pid)))
          return { rate: played / wall, wall, coordinator, nats, workers, runs: played }
        }

        /** The `distributed-*-cpu` line of measured batches: CPU ms per run, split by process and thread. */
        const cpuLine = (name: string, m: Measured, goal: string, more: Record<string, number>) => {
          const { total, extra } = cpuFigures(m)
          return {
            name,
            value: round((1000 * total) / m.runs, 3),
            unit: "cpu-ms/run",
            ref: round(1000 * simulation, 3),
            ratio: round((simulation * m.runs) / total),
            goal,
            extra: { ...extra, ...more },
          }
        }

        /** The CPU figures of a measured batch, in ms per run. */
        const cpuFigures = (m: Measured) => {
          const sum = (f: (w: WorkerCpu) => number) => m.workers.reduce((a, w) => a + f(w), 0)
          const total =
            m.coordinator + m.nats + sum((w) => w.main) + sum((w) => w.playing) + sum((w) => w.rest)
          return {
            total,
            extra: {
              coordinatorMs: ms(m.coordinator, m.runs),
              natsMs: ms(m.nats, m.runs),
              workerMainMs: ms(
                sum((w) => w.main),
                m.runs,
              ),
              workerPlayingMs: ms(
                sum((w) => w.playing),
                m.runs,
              ),
              workerGcJitMs: ms(
                sum((w) => w.rest),
                m.runs,
              ),
              totalMs: ms(total, m.runs),
              simulationMs: ms(simulation, 1),
              // The share of the machine's cores spent on simulation proper during the batch.
              usefulShare: round(
                (simulation * m.runs) / (m.wall * Math.min(2, availableParallelism())),
                2,
              ),
              // On two idle cores: one worker is bounded by its playing thread, two by the total.
              idleBound: round(Math.min(2, (2 * sum((w) => w.playing)) / total), 2),
            },
          }
        }

        /** The sums of measured batches (CPU figures add up; their rate is runs over total wall time). */
        const together = (ms: ReadonlyArray<Measured>): Measured => ({
          runs: ms.reduce((a, m) => a + m.runs, 0),
          wall: ms.reduce((a, m) => a + m.wall, 0),
          rate: ms.reduce((a, m) => a + m.runs, 0) / ms.reduce((a, m) => a + m.wall, 0),
          coordinator: ms.reduce((a, m) => a + m.coordinator, 0),
          nats: ms.reduce((a, m) => a + m.nats, 0),
          workers: ms[0]!.workers.map((_, i) => ({
            main: ms.reduce((a, m) => a + m.workers[i]!.main, 0),
            playing: ms.reduce((a, m) => a + m.workers[i]!.playing, 0),
            rest: ms.reduce((a, m) => a + m.workers[i]!.rest, 0),
          })),
        })

        const first = await startWorker(server.url, "one")
        children.push(first.child)
        await onWorkers(100, WARMUP_RUNS)
        const second = await startWorker(server.url, "two")
        children.push(second.child)
        const [firstPid, secondPid] = children.map((c) => workerPidOf(c.pid!))
        // The second worker warms up alone too, so that both play the timed batches warm.
        await alone(server.url, firstPid!, () => onWorkers(200, WARMUP_RUNS))
        const pairs: Array<{ one: Measured; two: Measured }> = []
        for (let p = 0; p < PAIRS; p++) {
          const one = await alone(server.url, secondPid!, () => onWorkers(1000 + p, RUNS))
          await pullsWaiting(server.url, (n) => n >= 2)
          pairs.push({ one, two: await onWorkers(2000 + p, RUNS) })
        }
        const ratios = pairs.map((p) => p.two.rate / p.one.rate)
        const one = together(pairs.map((p) => p.one))
        const two = together(pairs.map((p) => p.two))
        const oneRate = median(pairs.map((p) => p.one.rate))
        const rateLocal = local.runs / local.seconds
        const load = round(loadavg()[0]!, 1)
        return [
          {
            name: "distributed-1worker",
            value: Math.round(oneRate),
            unit: "negotiations/s",
            ref: Math.round(rateLocal),
            ratio: round(oneRate / rateLocal),
            goal: "one worker process (one thread) against two local threads: near 0.5",
            extra: {
              runs: RUNS,
              batches: PAIRS,
              workerStartupSeconds: round(first.seconds, 1),
              // On a shared machine the other processes' load decides these figures: say how much there was.
              loadAverage: load,
            },
          },
          {
            name: "distributed-2workers",
            value: Math.round(median(pairs.map((p) => p.two.rate))),
            unit: "negotiations/s",
            ref: Math.round(oneRate),
            ratio: round(median(ratios)),
            goal: "two worker processes >= 1.7x one (median of the pairs' ratios)",
            extra: {
              runs: RUNS,
              pairs: PAIRS,
              ratioMin: round(Math.min(...ratios)),
              ratioMax: round(Math.max(...ratios)),
              local2threads: Math.round(rateLocal),
              vsLocal: round(median(pairs.map((p) => p.two.rate)) / rateLocal),
              workerStartupSeconds: round(second.seconds, 1),
              loadAverage: load,
            },
          },
          cpuLine(
            "distributed-1worker-cpu",
            one,
            "the share of all CPU spent that is simulation (ref: a run on this process's own thread)",
            { simulationThreadMs: ms(simulationThread, 1), loadAverage: load },
          ),
          cpuLine(
            "distributed-2workers-cpu",
            two,
            "idleBound = 2 x playing / total >= 1.7 for two workers to reach 1.7x one on two idle cores",
            { loadAverage: load },
          ),
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
