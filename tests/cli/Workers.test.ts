/** `--workers` above the machine's cores is capped to them, with one line saying so. */
import { availableParallelism } from "node:os"
import { assert, describe, it } from "vitest"
import { cli } from "../support/Cli.ts"

describe("--workers above the cores", () => {
  it("simulate --workers 999 runs on the cores and warns in one line", async () => {
    const cores = availableParallelism()
    const r = await cli([
      "simulate",
      "scenarios/anac-laptop.json",
      "--runs",
      "4",
      "--workers",
      "999",
      "--json",
    ])
    assert.strictEqual(r.code, 0, r.stderr)
    assert.strictEqual(
      r.stderr.trim(),
      `parley: warning: --workers 999 is more than this machine's ${cores} cores; using ${cores}`,
    )
    assert.strictEqual(JSON.parse(r.stdout).runs, 4)
  }, 60_000)
})
