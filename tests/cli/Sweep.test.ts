/**
 * `parley sweep` and `parley simulate --table` as an analyst uses them: the
 * JSON and text output, the CSV of runs, and one-line errors for a bad
 * `--vary`. The commands run in this process (as `main.ts` wires them) to
 * keep the tests fast; one error goes through the real `parley` process.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { type Console, Effect } from "effect"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { simulate, sweep } from "../../src/cli/Commands.ts"
import { reportFailure } from "../../src/cli/Errors.ts"
import { type CliResult, cli } from "../support/Cli.ts"

const scenario = "scenarios/ceasefire-freeze.ts"

const parley = Command.make("parley").pipe(Command.withSubcommands([simulate, sweep]))

/** Runs `parley <args>` in this process; stdout and stderr as lines, and whether it failed. */
const run = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const out: Array<string> = []
    const err: Array<string> = []
    const base = yield* Effect.console
    const capture: Console.Console = {
      ...base,
      log: (...a) => Effect.sync(() => void out.push(a.join(" "))),
      error: (...a) => Effect.sync(() => void err.push(a.join(" "))),
    }
    const before = process.exitCode
    yield* Command.run(parley, { name: "parley", version: "0" })(["node", "parley", ...args]).pipe(
      reportFailure,
      Effect.withConsole(capture),
      Effect.provide(NodeContext.layer),
    )
    const failed = process.exitCode === 1
    process.exitCode = before
    return { stdout: out.join("\n"), stderr: err.join("\n"), failed }
  }).pipe(Effect.runPromise)

let dir = ""
let spawned: Promise<CliResult>
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "parley-sweep-"))
  // Started first so that the real process's start-up overlaps the in-process tests.
  spawned = cli(["sweep", scenario, "--vary", "ukraineReservaton=0.2:0.5:4", "--runs", "5"])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface SweepJson {
  readonly points: ReadonlyArray<{
    readonly values: Record<string, number>
    readonly runs: number
    readonly agreementRate: number
    readonly interval: readonly [number, number]
    readonly meanUtility: Record<string, { mean: number; interval: [number, number] | null }>
    readonly roundsToAgreement: { median: number; mean: number } | null
    readonly paretoEfficientShare: number | null
  }>
  readonly sensitivity: ReadonlyArray<{
    readonly parameter: string
    readonly agreement: number | null
    readonly utility: Record<string, number | null>
  }>
}

describe("parley sweep", () => {
  it("--json prints points with intervals and a sensitivity ranking; --table has steps × runs rows", async () => {
    const table = join(dir, "runs.csv")
    const r = await run([
      "sweep",
      scenario,
      "--vary",
      "ukraineReservation=0.2:0.5:3",
      "--runs",
      "12",
      "--json",
      "--table",
      table,
    ])
    assert.isFalse(r.failed, r.stderr)
    const json = JSON.parse(r.stdout) as SweepJson
    assert.deepStrictEqual(
      json.points.map((p) => p.values),
      [{ ukraineReservation: 0.2 }, { ukraineReservation: 0.35 }, { ukraineReservation: 0.5 }],
    )
    for (const p of json.points) {
      assert.strictEqual(p.runs, 12)
      assert.isAtMost(p.interval[0], p.agreementRate)
      assert.isAtLeast(p.interval[1], p.agreementRate)
      assert.hasAllKeys(p.meanUtility, ["russia", "ukraine"])
    }
    assert.include(
      json.sensitivity.map((s) => s.parameter),
      "ukraineReservation",
    )
    assert.hasAllKeys(json.sensitivity[0]!.utility, ["russia", "ukraine"])
    const lines = readFileSync(table, "utf8").split("\n").slice(0, -1)
    assert.strictEqual(lines.length, 1 + 3 * 12)
    const header = lines[0]!.split(",")
    const at = header.indexOf("ukraineReservation")
    assert.deepStrictEqual(
      [...new Set(lines.slice(1).map((l) => l.split(",")[at]))],
      ["0.2", "0.35", "0.5"],
    )
  }, 30_000)

  it("text output: a table per varied parameter and the ranking", async () => {
    const r = await run([
      "sweep",
      scenario,
      "--vary",
      "ukraineReservation=0.2:0.5:2",
      "--vary",
      "russiaReservation=0.4:0.7:2",
      "--runs",
      "4",
    ])
    assert.isFalse(r.failed, r.stderr)
    assert.include(r.stdout, "4 points × 4 runs (one parameter at a time")
    assert.include(r.stdout, "\nukraineReservation:\n")
    assert.include(r.stdout, "\nrussiaReservation:\n")
    assert.include(r.stdout, "agreement [95% Wilson]")
    assert.include(r.stdout, "sensitivity: partial rank correlation")
    // 16 runs, 4 parameters: df = 10, t = 2.228139, threshold t/√(df + t²) = 0.576.
    assert.include(r.stdout, "|PRCC| below 0.576 is not distinguishable from 0 at the 5% level")
  }, 30_000)

  it("--out DIR writes sweep.json, the points and ranking the report draws, whole", async () => {
    const out = join(dir, "sweep-out")
    const r = await run([
      "sweep",
      scenario,
      "--vary",
      "ukraineReservation=0.2:0.5:2",
      "--runs",
      "3",
      "--out",
      out,
    ])
    assert.isFalse(r.failed, r.stderr)
    assert.include(
      r.stdout,
      `sweep in ${join(out, "sweep.json")} (draw it with parley report --sweep ${out} -o sweep.html)`,
    )
    assert.deepStrictEqual(readdirSync(out), ["sweep.json"])
    const file = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")) as {
      format: string
      scenario: string
      runs: number
      totalRuns: number
      points: ReadonlyArray<{
        values: Record<string, number>
        agreedTerms: Record<string, unknown>
      }>
      sensitivity: ReadonlyArray<{ parameter: string }>
      significance: number | null
    }
    assert.strictEqual(file.format, "parley-sweep/1")
    assert.strictEqual(file.scenario, scenario)
    assert.strictEqual(file.runs, 3)
    assert.strictEqual(file.totalRuns, 6)
    assert.deepStrictEqual(
      file.points.map((p) => p.values),
      [{ ukraineReservation: 0.2 }, { ukraineReservation: 0.5 }],
    )
    assert.hasAllKeys(file.points[0]!.agreedTerms, [
      "held-land-control",
      "crimea-control",
      "recognition",
      "unheld-claims",
    ])
    assert.include(
      file.sensitivity.map((s) => s.parameter),
      "ukraineReservation",
    )
  }, 30_000)

  it("a bad --vary is a one-line error naming it", async () => {
    const cases: ReadonlyArray<readonly [string, RegExp]> = [
      ["nope=0:1:3", /^parley: --vary nope: unknown parameter/],
      [
        "ukraineReservation=0.5:0.2:3",
        /^parley: --vary ukraineReservation=0.5:0.2:3: min 0.5 is greater than max 0.2$/,
      ],
      ["ukraineReservation=0.2:0.5:1", /steps must be at least 2, got 1$/],
      ["ukraineReservation=a:0.5:3", /min "a" is not a number$/],
      ["protocol=0:1:2", /^parley: --vary protocol: not a number parameter/],
    ]
    for (const [vary, expected] of cases) {
      const r = await run(["sweep", scenario, "--vary", vary, "--runs", "2"])
      assert.isTrue(r.failed, vary)
      assert.strictEqual(r.stderr.split("\n").length, 1, r.stderr)
      assert.match(r.stderr, expected)
      assert.strictEqual(r.stdout, "")
    }
  }, 30_000)

  it("the real parley process reports a misspelt parameter in one line", async () => {
    const r = await spawned
    assert.notStrictEqual(r.code, 0)
    const lines = r.stderr.trimEnd().split("\n")
    assert.strictEqual(lines.length, 1, r.stderr)
    assert.match(
      lines[0]!,
      /^parley: --vary ukraineReservaton: unknown parameter \(this scenario's number parameters: .*ukraineReservation/,
    )
  }, 60_000)
})

describe("parley simulate --table", () => {
  it("writes one row per run with the drawn parameters and each party's scores", async () => {
    const table = join(dir, "simulate.csv")
    const r = await run(["simulate", scenario, "--runs", "7", "--seed", "3", "--table", table])
    assert.isFalse(r.failed, r.stderr)
    assert.include(r.stdout, `7 runs in ${table}`)
    const lines = readFileSync(table, "utf8").split("\n").slice(0, -1)
    assert.strictEqual(lines.length, 8)
    const header = lines[0]!.split(",")
    assert.notInclude(header, "point")
    for (const name of [
      "run",
      "seed",
      "ukraineReservation",
      "russiaReservation",
      "status",
      "rounds",
      "agreementTime",
      "russia_utility",
      "ukraine_discounted",
      "ukraine_advantage",
    ])
      assert.include(header, name)
    const seeds = lines.slice(1).map((l) => Number(l.split(",")[header.indexOf("seed")]))
    assert.deepStrictEqual(seeds, [3, 4, 5, 6, 7, 8, 9])
    // Drawn from the declared range [0.2, 0.5], a different value per run.
    const drawn = lines
      .slice(1)
      .map((l) => Number(l.split(",")[header.indexOf("ukraineReservation")]))
    for (const x of drawn) assert.isTrue(x >= 0.2 && x <= 0.5, String(x))
    assert.isAbove(new Set(drawn).size, 1)
  }, 30_000)
})
