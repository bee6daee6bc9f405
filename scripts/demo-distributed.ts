/**
 * The "done when" of distributed batches, as a platform engineer would try
 * it, with nothing but real `parley` processes and a private nats-server:
 *
 * 1. a 5,000-run `simulate --distributed` on three `parley worker`s, one of
 *    them killed with SIGKILL halfway while it holds an item, prints exactly
 *    the `--json` of a local run with the same seed (all but `seconds`);
 * 2. the coordinator killed with SIGKILL halfway and started again resumes:
 *    every item has exactly one result and was claimed once (no run played
 *    twice), and the `--json` equals the local run's;
 * 3. a tournament (`tournaments/anac-style.yaml`) runs the same way and prints
 *    exactly the local `--json`;
 * 4. garbage published on the work subject is listed by `parley batches` as
 *    set aside, and the workers go on.
 *
 * Prints each comparison and exits 1 on any difference.
 *
 *     node --import tsx scripts/demo-distributed.ts [--runs 5000]
 */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { listBatches } from "../src/distributed/Batches.ts"
import {
  publishRaw,
  startWorker,
  stopWorker,
  subjects,
  until,
  type WorkerProcess,
} from "../tests/distributed/support.ts"
import * as NatsServer from "../tests/support/NatsServer.ts"

const runsFlag = process.argv.indexOf("--runs")
const RUNS = runsFlag < 0 ? 5000 : Number(process.argv[runsFlag + 1])
const CHUNK = 100
const ITEMS = Math.ceil(RUNS / CHUNK)
const SCENARIO = "scenarios/anac-laptop.json"
const TOURNAMENT = "tournaments/anac-style.yaml"
const bin = fileURLToPath(new URL("../bin/parley.js", import.meta.url))

const started = Date.now()
const say = (line: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`)

/** `parley <args>` as a child process: its stdout, stderr and exit. */
const parley = (args: ReadonlyArray<string>) => {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout!.setEncoding("utf8").on("data", (c: string) => {
    stdout += c
  })
  child.stderr!.setEncoding("utf8").on("data", (c: string) => {
    stderr += c
  })
  const done = new Promise<{
    stdout: string
    stderr: string
    code: number | null
    signal: string | null
  }>((resolve) => child.once("exit", (code, signal) => resolve({ stdout, stderr, code, signal })))
  return { child, done, stderr: () => stderr }
}

/** The summary JSON without its wall-clock seconds. */
const withoutSeconds = (text: string): string => {
  const { seconds: _s, ...rest } = JSON.parse(text) as { seconds?: number }
  return JSON.stringify(rest)
}

const failures: Array<string> = []
const check = (what: string, ok: boolean, detail = "") => {
  say(`${ok ? "SAME " : "DIFFERENT "} ${what}${detail === "" ? "" : `: ${detail}`}`)
  if (!ok) failures.push(what)
}

const results = async (url: string, batch: string) =>
  subjects(url, `parley.batches.${batch}.result.>`)
/** The batch on the server that is not in `known` (the one a coordinator just queued). */
const newBatch = async (url: string, known: ReadonlySet<string>) =>
  (await Effect.runPromise(listBatches(url))).batches.find((b) => !known.has(b.batch))?.batch
const batchesOn = async (url: string) =>
  new Set((await Effect.runPromise(listBatches(url))).batches.map((b) => b.batch))

/** Which worker holds an item of `batch` now (the last claim of an item without a result). */
const holder = async (url: string, batch: string) =>
  (await Effect.runPromise(listBatches(url))).batches.find((b) => b.batch === batch)?.held ?? []

const simulateArgs = (seed: number, url?: string) => [
  "simulate",
  SCENARIO,
  "--runs",
  String(RUNS),
  "--seed",
  String(seed),
  "--json",
  ...(url === undefined ? [] : ["--distributed", "--nats", url, "--chunk", String(CHUNK)]),
]

const server = await NatsServer.start()
const workers: Array<WorkerProcess> = []
const children: Array<ChildProcess> = []
try {
  say(`nats-server at ${server.url}; starting three workers`)
  workers.push(
    ...(await Promise.all(["alpha", "beta", "gamma"].map((n) => startWorker(server.url, n)))),
  )
  say("three workers wait for work")

  // 1. A worker killed with SIGKILL halfway.
  const known1 = await batchesOn(server.url)
  const local1 = parley(simulateArgs(1))
  const first = parley(simulateArgs(1, server.url))
  children.push(local1.child, first.child)
  let batch1: string | undefined
  // The coordinator names its batch on stderr; wait for it and for half the items.
  await until(async () => {
    batch1 ??= await newBatch(server.url, known1)
    return (
      batch1 !== undefined && Object.keys(await results(server.url, batch1)).length >= ITEMS / 2
    )
  }, 1_800_000)
  let victim: { item: number; worker: string } | undefined
  await until(async () => {
    victim = (await holder(server.url, batch1!)).find((h) => h.worker === "gamma")
    return victim !== undefined
  }, 600_000)
  const done1 = Object.keys(await results(server.url, batch1!)).length
  workers.find((w) => w.name === "gamma")!.child.kill("SIGKILL")
  say(`killed worker gamma (SIGKILL) holding item ${victim!.item}, ${done1}/${ITEMS} items done`)
  const [d1, l1] = await Promise.all([first.done, local1.done])
  check(
    `simulate ${RUNS} runs on 3 workers, one SIGKILLed = local --json`,
    d1.code === 0 && l1.code === 0 && withoutSeconds(d1.stdout) === withoutSeconds(l1.stdout),
    d1.code === 0 ? "" : d1.stderr,
  )
  const r1 = await results(server.url, batch1!)
  check(
    `one result per item (${ITEMS} items)`,
    Object.keys(r1).length === ITEMS && Object.values(r1).every((n) => n === 1),
  )
  const claims1 = await subjects(server.url, `parley.batches.${batch1}.claim.${victim!.item}`)
  say(`the killed worker's item ${victim!.item} was delivered ${Object.values(claims1)[0]} times`)

  // 2. The coordinator killed with SIGKILL halfway, then started again.
  const known2 = await batchesOn(server.url)
  const local2 = parley(simulateArgs(2))
  const second = parley(simulateArgs(2, server.url))
  children.push(local2.child, second.child)
  let batch2: string | undefined
  await until(async () => {
    batch2 ??= await newBatch(server.url, known2)
    return (
      batch2 !== undefined && Object.keys(await results(server.url, batch2)).length >= ITEMS / 2
    )
  }, 1_800_000)
  second.child.kill("SIGKILL")
  await second.done
  const before = Object.keys(await results(server.url, batch2!)).length
  say(`killed the coordinator (SIGKILL) with ${before}/${ITEMS} items done; starting it again`)
  const again = parley(simulateArgs(2, server.url))
  children.push(again.child)
  const [d2, l2] = await Promise.all([again.done, local2.done])
  say(`the restarted coordinator said: ${d2.stderr.trim().split("\n")[0]}`)
  check(
    "restarted coordinator --json = local --json",
    d2.code === 0 && withoutSeconds(d2.stdout) === withoutSeconds(l2.stdout),
    d2.code === 0 ? "" : d2.stderr,
  )
  const r2 = await results(server.url, batch2!)
  const c2 = await subjects(server.url, `parley.batches.${batch2}.claim.>`)
  check(
    "nothing rerun or lost: one result and one claim per item",
    Object.keys(r2).length === ITEMS &&
      Object.values(r2).every((n) => n === 1) &&
      Object.keys(c2).length === ITEMS &&
      Object.values(c2).every((n) => n === 1),
    `${Object.keys(r2).length} results, ${Object.values(c2).reduce((a, b) => a + b, 0)} claims`,
  )

  // 3. A tournament.
  const localT = parley(["tournament", TOURNAMENT, "--json"])
  const distT = parley(["tournament", TOURNAMENT, "--json", "--distributed", "--nats", server.url])
  children.push(localT.child, distT.child)
  const [dt, lt] = await Promise.all([distT.done, localT.done])
  check(
    `tournament ${TOURNAMENT} on workers = local --json`,
    dt.code === 0 && lt.code === 0 && dt.stdout === lt.stdout,
    dt.code === 0
      ? `${(JSON.parse(dt.stdout) as { negotiations?: number }).negotiations ?? "?"} negotiations`
      : dt.stderr,
  )

  // 4. Garbage on the work subject.
  await publishRaw(server.url, "parley.work.demo.0", "this is not a work item {")
  let listed: { malformed: Array<{ subject: string; problem: string }> } = { malformed: [] }
  await until(async () => {
    listed = JSON.parse((await parley(["batches", "--nats", server.url, "--json"]).done).stdout)
    return listed.malformed.length > 0
  }, 120_000)
  const alive = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null)
  check(
    "garbage on parley.work.demo.0 set aside and reported, workers go on",
    listed.malformed.some((m) => m.subject === "parley.work.demo.0") && alive.length === 2,
    listed.malformed.map((m) => `${m.subject}: ${m.problem}`).join("; "),
  )
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL")
  await Promise.all(workers.map(stopWorker))
  await server.stop()
}
say(
  failures.length === 0
    ? "all the same"
    : `${failures.length} difference(s): ${failures.join("; ")}`,
)
process.exitCode = failures.length === 0 ? 0 : 1
