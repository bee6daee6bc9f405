/**
 * How `parley worker` starts: it runs again in a child Node.js process with
 * V8's collector on the thread that allocates (`--single-threaded-gc`, see
 * bin/parley.js), and the pair behaves as one process would: SIGTERM stops
 * it cleanly (exit 0), SIGKILL of the process that was started leaves no
 * worker playing on, and `--parallel-gc` runs in the process itself.
 */
import { readFileSync } from "node:fs"
import { afterAll, beforeAll, expect, it } from "vitest"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { startWorker, stopWorker, until, type WorkerProcess } from "./support.ts"

/** The child processes of `pid` (Linux). */
const childrenOf = (pid: number): Array<number> =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
    .trim()
    .split(" ")
    .filter((s) => s !== "")
    .map(Number)

const commandLine = (pid: number): Array<string> =>
  readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")

/** Whether a process still runs (a zombie waiting to be reaped no longer does). */
const running = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8")
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z"
  } catch {
    return false
  }
}

describeWithNats("parley worker's process", () => {
  let server: NatsServer.NatsServer
  const started: Array<WorkerProcess> = []
  beforeAll(async () => {
    server = await NatsServer.start()
  }, 60_000)
  afterAll(async () => {
    await Promise.all(started.map(stopWorker))
    await server?.stop()
  })

  const playingChild = (w: WorkerProcess): number => {
    const children = childrenOf(w.child.pid!)
    expect(children).toHaveLength(1)
    const argv = commandLine(children[0]!)
    expect(argv).toContain("--single-threaded-gc")
    expect(argv).toContain("worker")
    return children[0]!
  }

  it("plays in a child with --single-threaded-gc; SIGTERM stops both, exit 0", async () => {
    const w = await startWorker(server.url, "gc-term")
    started.push(w)
    const child = playingChild(w)
    w.child.kill("SIGTERM")
    expect(await w.exited).toEqual({ code: 0, signal: null })
    await until(() => !running(child), 10_000)
    expect(w.stderr()).toContain("stopping after the items in hand")
  }, 120_000)

  it("killed outright, the worker it started does not play on", async () => {
    const w = await startWorker(server.url, "gc-kill")
    started.push(w)
    const child = playingChild(w)
    w.child.kill("SIGKILL")
    expect(await w.exited).toEqual({ code: null, signal: "SIGKILL" })
    await until(() => !running(child), 5_000)
  }, 120_000)

  it("the playing child killed by a signal: the worker started dies of the same signal, never 0", async () => {
    const w = await startWorker(server.url, "gc-child-killed")
    started.push(w)
    process.kill(playingChild(w), "SIGKILL")
    expect(await w.exited).toEqual({ code: null, signal: "SIGKILL" })
  }, 120_000)

  it("--parallel-gc: the worker plays in the process started, no child", async () => {
    const w = await startWorker(server.url, "gc-parallel", 1, ["--parallel-gc"])
    started.push(w)
    expect(childrenOf(w.child.pid!)).toEqual([])
    expect(commandLine(w.child.pid!)).not.toContain("--single-threaded-gc")
    w.child.kill("SIGTERM")
    expect(await w.exited).toEqual({ code: 0, signal: null })
  }, 120_000)
})
