/**
 * No command writes over one of its own inputs: the output is refused before
 * anything runs, in one line naming both, and the input is left as it was.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "vitest"
import { cli } from "../support/Cli.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-overwrite-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A copy of `from` in the test folder. */
const copy = (from: string, name: string) => {
  const to = join(dir, name)
  copyFileSync(from, to)
  return to
}

/** The command is refused in one line naming `output` and `input`, and `input` is unchanged. */
const refused = async (args: ReadonlyArray<string>, input: string, output: string) => {
  const before = readFileSync(input, "utf8")
  const r = await cli(args)
  assert.notStrictEqual(r.code, 0, r.stdout)
  const lines = r.stderr.trimEnd().split("\n")
  assert.strictEqual(lines.length, 1, r.stderr)
  assert.match(lines[0]!, /^parley: .* is also an input \(.*\)/)
  assert.include(lines[0]!, output)
  assert.include(lines[0]!, input)
  assert.strictEqual(readFileSync(input, "utf8"), before)
  assert.strictEqual(r.stdout, "")
}

describe("an output that is also an input", () => {
  it("report log.jsonl -o log.jsonl", async () => {
    const log = copy("examples/supply-contract.jsonl", "log.jsonl")
    await refused(["report", log, "-o", log], log, log)
  }, 60_000)

  it("import genius d.xml p.xml -o d.xml", async () => {
    const base = "tests/fixtures/genius/anac2010/EnglandZimbabwe"
    const domain = copy(`${base}/EnglandZimbabwe_domain.xml`, "d.xml")
    const profile = copy(`${base}/England.xml`, "p.xml")
    await refused(["import", "genius", domain, profile, "-o", domain], domain, domain)
  }, 60_000)

  it("simulate s.json --table s.json, and through a symlink", async () => {
    const scenario = copy("scenarios/anac-laptop.json", "s.json")
    await refused(["simulate", scenario, "--runs", "2", "--table", scenario], scenario, scenario)
    const link = join(dir, "link.csv")
    symlinkSync(scenario, link)
    await refused(["simulate", scenario, "--runs", "2", "--table", link], scenario, link)
  }, 60_000)

  it("run s.json --out s.json and sweep s.json --table s.json", async () => {
    const scenario = copy("scenarios/anac-laptop.json", "r.json")
    await refused(["run", scenario, "--out", scenario], scenario, scenario)
    await refused(
      ["sweep", scenario, "--vary", "deadline.rounds=5:10:2", "--runs", "1", "--table", scenario],
      scenario,
      scenario,
    )
  }, 60_000)
})
