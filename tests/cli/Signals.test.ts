/**
 * Ctrl-C (SIGINT) or SIGTERM stops a batch within a second or two: exit code
 * 128 + the signal's number and one line saying so, long before the batch
 * would have finished.
 */
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "vitest"

const dir = mkdtempSync(join(tmpdir(), "parley-signals-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const scenario = "scenarios/anac-laptop.json"

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `ready()` holds, checking every 50 ms; fails after `ms`. */
const until = async (ready: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms
  while (!ready()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** Whether process `pid` catches signal `n` (its handlers are installed: the command line runs). */
const catches = (pid: number, n: number) => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^SigCgt:\s*([0-9a-f]+)$/m)
    return line !== null && (BigInt(`0x${line[1]}`) & (1n << BigInt(n - 1))) !== 0n
  } catch {
    return false
  }
}

/** CPU seconds process `pid` has used (user + system, at the usual 100 ticks a second). */
const cpuSeconds = (pid: number) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

/**
 * Starts `parley <args>`, waits for `started(pid)`, sends `signal`, and gives
 * the exit code, stderr and how long after the signal the process took to exit.
 */
const stop = async (
  args: ReadonlyArray<string>,
  signal: "SIGINT" | "SIGTERM",
  started: (pid: number) => boolean,
) => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  })
  let stderr = ""
  child.stderr.setEncoding("utf8").on("data", (c: string) => {
    stderr += c
  })
  child.stdout.resume()
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  )
  let code: number | null | undefined
  void exited.then((c) => {
    code = c
  })
  try {
    await until(() => code !== undefined || started(child.pid!), 120_000, "the batch to start")
    assert.strictEqual(code, undefined, `exited before the signal: ${stderr}`)
    child.kill(signal)
    const sent = Date.now()
    const exitCode = await exited
    return { code: exitCode, stderr, seconds: (Date.now() - sent) / 1000 }
  } finally {
    child.kill("SIGKILL")
  }
}

/** The process stopped promptly, with the code and the one line of `signal`. */
const stopped = (r: { code: number | null; stderr: string; seconds: number }, signal: string) => {
  assert.strictEqual(r.code, signal === "SIGINT" ? 130 : 143, r.stderr)
  assert.strictEqual(r.stderr.trim(), `parley: stopped by ${signal}`)
  // The batches below take minutes; generous for a loaded machine, well short of that.
  assert.isBelow(r.seconds, 15)
}

describe("a signal stops a batch", () => {
  for (const [signal, workers] of [
    ["SIGINT", "1"],
    ["SIGTERM", "2"],
  ] as const)
    it(`simulate --workers ${workers}, ${signal} after the first run's log`, async () => {
      const out = join(dir, `sim-${workers}`)
      const firstLog = () => existsSync(out) && readdirSync(out).some((f) => f.endsWith(".jsonl"))
      const r = await stop(
        ["simulate", scenario, "--runs", "50000", "--workers", workers, "--out", out],
        signal,
        firstLog,
      )
      stopped(r, signal)
    }, 180_000)

  it("sweep, SIGINT once it has computed for a while", async () => {
    const r = await stop(
      ["sweep", scenario, "--vary", "rounds=10:100:10", "--runs", "5000"],
      "SIGINT",
      // Signal handlers installed and 4 s of CPU spent: past loading, into the batch (minutes long).
      (pid) => catches(pid, 2) && cpuSeconds(pid) > 4,
    )
    stopped(r, "SIGINT")
  }, 180_000)
})
