import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "vitest"
import { cli } from "../support/Cli.ts"

// Issue 27 item 2: where a branch is written is stated, and true.
const scenario = "scenarios/ceasefire-freeze.ts"
const dir = mkdtempSync(join(tmpdir(), "parley-branch-cli-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const idsIn = (file: string) =>
  new Set(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => (JSON.parse(l) as { negotiationId: string }).negotiationId),
  )

describe("parley run --from log.jsonl --until-version N", () => {
  it("records the branch in the source's log (or --out) and says so; --id names a second branch beside the first", async () => {
    const log = join(dir, "cf.jsonl")
    const recorded = await cli(["run", scenario, "--out", log, "--summary"])
    assert.strictEqual(recorded.code, 0, recorded.stderr)
    const branch = (...more: Array<string>) =>
      cli(["run", scenario, "--from", log, "--until-version", "10", "--summary", ...more])

    const first = await branch()
    assert.strictEqual(first.code, 0, first.stderr)
    assert.include(
      first.stdout,
      `branch of ceasefire-freeze@10 recorded in ${log} as negotiation ceasefire-freeze-fork-v10`,
    )
    const named = await branch("--id", "what-if", "--seed", "2")
    assert.strictEqual(named.code, 0, named.stderr)
    assert.include(named.stdout, `recorded in ${log} as negotiation what-if`)
    assert.deepStrictEqual([...idsIn(log)].sort(), [
      "ceasefire-freeze",
      "ceasefire-freeze-fork-v10",
      "what-if",
    ])
    for (const id of ["ceasefire-freeze-fork-v10", "what-if"]) {
      const replayed = await cli(["replay", log, "--negotiation", id, "--json"])
      assert.strictEqual(replayed.code, 0, replayed.stderr)
      assert.isAbove((JSON.parse(replayed.stdout) as { version: number }).version, 10)
    }

    // With --out, the branch goes there and the source's log is left as it was.
    const out = join(dir, "branch.jsonl")
    const before = readFileSync(log, "utf8")
    const elsewhere = await branch("--id", "elsewhere", "--out", out)
    assert.strictEqual(elsewhere.code, 0, elsewhere.stderr)
    assert.include(elsewhere.stdout, `recorded in ${out} as negotiation elsewhere`)
    assert.deepStrictEqual([...idsIn(out)], ["elsewhere"])
    assert.strictEqual(readFileSync(log, "utf8"), before)
  }, 180_000)
})
