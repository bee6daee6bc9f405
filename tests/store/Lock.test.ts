/**
 * One writer per JSONL log, across processes: while one process writes a log,
 * a second `parley run --out` on it fails in one line and writes nothing; the
 * lock goes when the writer closes the log, and a killed writer's stale lock
 * is taken over.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "vitest"
import { cli } from "../support/Cli.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-lock-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const scenario = "scenarios/anac-laptop.json"

/** Starts a writer process on `log` and waits until it has appended. */
const startWriter = (log: string) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "tests/store/support/Writer.ts", log],
      {
        stdio: ["pipe", "pipe", "inherit"],
      },
    )
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`writer exited early (${code})`)))
    child.stdout!.setEncoding("utf8").on("data", (c: string) => {
      if (c.includes("appended")) {
        child.removeAllListeners("exit")
        resolve(child)
      }
    })
  })

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))

describe("one writer per JSONL log", () => {
  it("a second process is refused in one line and writes nothing; the lock goes with the writer", async () => {
    const log = join(dir, "shared.jsonl")
    const writer = await startWriter(log)
    try {
      assert.strictEqual(readFileSync(`${log}.lock`, "utf8").trim(), String(writer.pid))
      const before = readFileSync(log, "utf8")
      const second = await cli(["run", scenario, "--out", log])
      assert.notStrictEqual(second.code, 0, second.stdout)
      const lines = second.stderr.trimEnd().split("\n")
      assert.strictEqual(lines.length, 1, second.stderr)
      assert.match(
        lines[0]!,
        /^parley: append to .*shared\.jsonl failed: another process \(pid \d+\) is writing it/,
      )
      assert.strictEqual(readFileSync(log, "utf8"), before)
      const done = exited(writer)
      writer.stdin!.write("close\n")
      assert.strictEqual(await done, 0)
      assert.isFalse(existsSync(`${log}.lock`))
      const after = await cli(["run", scenario, "--out", log])
      assert.strictEqual(after.code, 0, after.stderr)
      assert.isAbove(readFileSync(log, "utf8").length, before.length)
      assert.isFalse(existsSync(`${log}.lock`))
    } finally {
      writer.kill("SIGKILL")
    }
  }, 120_000)

  it("the stale lock of a killed writer is taken over", async () => {
    const log = join(dir, "stale.jsonl")
    const writer = await startWriter(log)
    assert.isTrue(existsSync(`${log}.lock`))
    const done = exited(writer)
    writer.kill("SIGKILL")
    await done
    assert.isTrue(existsSync(`${log}.lock`))
    const r = await cli(["run", scenario, "--out", log])
    assert.strictEqual(r.code, 0, r.stderr)
    assert.isFalse(existsSync(`${log}.lock`))
    const lines = readFileSync(log, "utf8").trimEnd().split("\n")
    assert.isAbove(lines.length, 1)
    for (const line of lines) JSON.parse(line)
  }, 120_000)
})
