/**
 * The command line as a user meets it: one-line errors, and what-if branches
 * from a file and from the NATS log.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { cli } from "../support/Cli.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { four, laptop, write } from "../tournament/support.ts"

const example = "examples/supply-contract.jsonl"
const scenario = "scenarios/ceasefire-freeze.ts"

/** Errors are one line on stderr, `parley: ...`, with a non-zero exit. */
const oneLineError = (r: { code: number | null; stderr: string }) => {
  assert.notStrictEqual(r.code, 0)
  const lines = r.stderr.trimEnd().split("\n")
  assert.strictEqual(lines.length, 1, r.stderr)
  assert.match(lines[0]!, /^parley: /)
  return lines[0]!
}

describe("help and output carry no colour codes off a terminal", () => {
  const ESC = String.fromCharCode(27)
  it("piped, `parley --help` and a usage error are plain text", async () => {
    const help = await cli(["--help"])
    assert.strictEqual(help.code, 0, help.stderr)
    assert.include(help.stdout, "USAGE")
    assert.notInclude(help.stdout, ESC)
    const usage = await cli(["replay", "--until-version", "x"])
    assert.notStrictEqual(usage.code, 0)
    assert.notInclude(usage.stdout + usage.stderr, ESC)
  }, 60_000)

  // On a real terminal (a pseudo-terminal from util-linux `script`, essential on Debian) help is coloured, unless NO_COLOR is set.
  it("on a terminal, help is coloured unless NO_COLOR is set", () => {
    const onTerminal = (env: Record<string, string>) =>
      spawnSync(
        "script",
        ["-qc", `${JSON.stringify(process.execPath)} bin/parley.js --help`, "/dev/null"],
        {
          env: { ...process.env, ...env },
          encoding: "utf8",
          timeout: 60_000,
        },
      ).stdout
    assert.include(onTerminal({}), ESC)
    assert.notInclude(onTerminal({ NO_COLOR: "1" }), ESC)
  }, 120_000)
})

describe("parley replay", () => {
  it("an unknown --negotiation is one line naming the file and the id", async () => {
    const line = oneLineError(await cli(["replay", example, "--negotiation", "nope"]))
    assert.strictEqual(line, `parley: ${example} holds no events of negotiation "nope"`)
  }, 60_000)

  it("a bound outside the log says where the log starts and ends, and exits non-zero", async () => {
    const range = `negotiation "supply-2025" in ${example} runs from version 1 (2025-03-03T09:00:00.000Z) to version 12 (2025-03-11T12:00:00.000Z)`
    const [zero, past, before, inside, after] = await Promise.all([
      cli(["replay", example, "--until-version", "0"]),
      cli(["replay", example, "--until-version", "99"]),
      cli(["replay", example, "--at", "2020-01-01"]),
      cli(["replay", example, "--until-version", "12"]),
      cli(["replay", example, "--at", "2030-01-01"]),
    ])
    assert.strictEqual(oneLineError(zero), `parley: --until-version 0 is outside the log: ${range}`)
    assert.strictEqual(
      oneLineError(past),
      `parley: --until-version 99 is outside the log: ${range}`,
    )
    assert.strictEqual(
      oneLineError(before),
      `parley: --at 2020-01-01T00:00:00.000Z is before the log starts: ${range}`,
    )
    // Its last version, and a moment after its end, are within it: the final state.
    for (const r of [inside, after]) {
      assert.strictEqual(r.code, 0, r.stderr)
      assert.include(r.stdout, "status agreed · version 12")
    }
  }, 60_000)
})

describe("parley run --summary", () => {
  it("prints the outcome only: status, agreement, each party's scores, not every offer", async () => {
    const laptop = "scenarios/anac-laptop.json"
    const [summary, json] = await Promise.all([
      cli(["run", laptop, "--summary"]),
      cli(["run", laptop, "--json"]),
    ])
    assert.strictEqual(summary.code, 0, summary.stderr)
    const outcome = JSON.parse(json.stdout) as {
      status: string
      rounds: number
      events: number
      agreement: { offerId: string }
      parties: Record<string, { utility: number; advantage: number }>
    }
    const lines = summary.stdout.trimEnd().split("\n")
    assert.isAtMost(lines.length, 10, summary.stdout)
    assert.notInclude(summary.stdout, "Offers (")
    assert.notMatch(summary.stdout, /^round /m)
    assert.include(
      summary.stdout,
      `${outcome.status} after ${outcome.rounds} rounds (${outcome.events} events)`,
    )
    assert.include(summary.stdout, `(offer ${outcome.agreement.offerId})`)
    for (const [party, p] of Object.entries(outcome.parties))
      assert.match(
        summary.stdout,
        new RegExp(`^${party} +${p.utility.toFixed(4)} .* ${p.advantage.toFixed(4)}$`, "m"),
      )
  }, 60_000)
})

describe("--set outside a parameter's range", () => {
  it("names the parameter and its range, for run and simulate alike, before anything plays", async () => {
    const [above, below, within] = await Promise.all([
      cli(["run", scenario, "--set", "russiaReservation=1.5"]),
      cli(["simulate", scenario, "--runs", "2", "--set", "ukraineReservation=-0.1"]),
      cli(["run", scenario, "--set", "russiaReservation=1", "--json"]),
    ])
    assert.strictEqual(
      oneLineError(above),
      `parley: ${scenario}: --set russiaReservation: 1.5 is outside the parameter's range, from 0 to 1`,
    )
    assert.strictEqual(
      oneLineError(below),
      `parley: ${scenario}: --set ukraineReservation: -0.1 is outside the parameter's range, from 0 to 1`,
    )
    assert.strictEqual(within.code, 0, within.stderr)
  }, 60_000)
})

describe("--concurrency of the batch commands", () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-cli-concurrency-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("below 1 is the same one-line error in simulate, sweep and tournament, before anything plays", async () => {
    const tournament = write(dir, "tournament.json", {
      id: "concurrency",
      competitors: four.slice(0, 2),
      scenarios: [laptop],
      repetitions: 1,
      rounds: 10,
      seed: 1,
    })
    const table = join(dir, "runs.csv")
    const refusals = await Promise.all([
      cli(["simulate", scenario, "--runs", "2", "--concurrency", "0", "--table", table]),
      cli([
        "sweep",
        "scenarios/anac-laptop.json",
        "--vary",
        "rounds=20:40:2",
        "--runs",
        "2",
        "--concurrency",
        "-1",
      ]),
      cli(["tournament", tournament, "--out", join(dir, "out"), "--concurrency", "0"]),
    ])
    for (const refused of refusals) {
      assert.strictEqual(oneLineError(refused), "parley: --concurrency must be at least 1")
      assert.strictEqual(refused.stdout, "")
    }
    assert.isFalse(existsSync(table))
    assert.isFalse(existsSync(join(dir, "out")))
  }, 120_000)
})

describe("the commands on the agents' bus", () => {
  it("agents and agent serve without --nats or PARLEY_NATS_URL (unset or blank) are one line naming both", async () => {
    const unset = { PARLEY_NATS_URL: undefined }
    const blank = { PARLEY_NATS_URL: " " }
    const refusals = await Promise.all([
      cli(["agents"], unset),
      cli(["agent", "serve", "boulware", "--name", "bot"], unset),
      cli(["agents"], blank),
      cli(["agent", "serve", "boulware", "--name", "bot"], blank),
    ])
    for (const refused of refusals) {
      assert.strictEqual(
        oneLineError(refused),
        "parley: agents live on NATS: give --nats URL or set PARLEY_NATS_URL",
      )
      assert.strictEqual(refused.stdout, "")
    }
  }, 60_000)
})

describe("parley run --from a JSONL log", () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-cli-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("branches the recorded negotiation at a version and names the branch", async () => {
    const log = join(dir, "run.jsonl")
    const recorded = await cli(["run", scenario, "--out", log, "--json"])
    assert.strictEqual(recorded.code, 0, recorded.stderr)
    const fork = await cli(["run", scenario, "--from", log, "--until-version", "4", "--json"])
    assert.strictEqual(fork.code, 0, fork.stderr)
    const summary = JSON.parse(fork.stdout) as { negotiationId: string; events: number }
    assert.strictEqual(summary.negotiationId, "ceasefire-freeze-fork-v4")
    assert.isAbove(summary.events, 4)
    const tooFar = oneLineError(
      await cli(["run", scenario, "--from", log, "--until-version", "9999", "--json"]),
    )
    assert.match(tooFar, /has only \d+ events, not 9999/)
  }, 120_000)
})

describeWithNats("parley run --from a negotiation on the NATS log", () => {
  let server: NatsServer.NatsServer | undefined
  beforeAll(async () => {
    server = await NatsServer.start()
  }, 30_000)
  afterAll(async () => {
    await server?.stop()
  })

  it("replays the recorded negotiation from JetStream and records the branch there", async () => {
    const url = server!.url
    const recorded = await cli(["run", scenario, "--nats", url, "--json"])
    assert.strictEqual(recorded.code, 0, recorded.stderr)
    const fork = await cli([
      "run",
      scenario,
      "--nats",
      url,
      "--from",
      "ceasefire-freeze",
      "--until-version",
      "5",
      "--json",
    ])
    assert.strictEqual(fork.code, 0, fork.stderr)
    assert.strictEqual(
      (JSON.parse(fork.stdout) as { negotiationId: string }).negotiationId,
      "ceasefire-freeze-fork-v5",
    )
    // The branch's first five versions are the recording's, under the new id.
    const at5 = async (id: string) => {
      const r = await cli([
        "replay",
        "--nats",
        url,
        "--negotiation",
        id,
        "--until-version",
        "5",
        "--json",
      ])
      assert.strictEqual(r.code, 0, r.stderr)
      return JSON.parse(r.stdout) as Record<string, unknown>
    }
    const original = await at5("ceasefire-freeze")
    const branch = await at5("ceasefire-freeze-fork-v5")
    assert.strictEqual(branch.version, 5)
    assert.deepStrictEqual({ ...branch, negotiationId: null }, { ...original, negotiationId: null })
    const missing = oneLineError(
      await cli(["run", scenario, "--nats", url, "--from", "nobody", "--until-version", "2"]),
    )
    assert.strictEqual(missing, 'parley: the event log holds no events of negotiation "nobody"')
  }, 180_000)

  it("--id names the run, so that a second, different run of a scenario records beside the first", async () => {
    const url = server!.url
    // A run that differs: with the offer denied, the envoy's fourth text is agreed (the default
    // run agrees on the seventh). A run identical to the first would be a retry, and is taken as one.
    const changed = ["--set", "offerCredibility=denied", "--nats", url, "--json"]
    const first = await cli(["run", scenario, "--id", "twice", "--nats", url, "--json"])
    assert.strictEqual(first.code, 0, first.stderr)
    // The same id again, for a run that differs: refused, and the refusal says what to do.
    const clash = oneLineError(await cli(["run", scenario, "--id", "twice", ...changed]))
    assert.include(clash, 'negotiation "twice"')
    assert.include(clash, "--id")
    const second = await cli(["run", scenario, "--id", "twice-2", ...changed])
    assert.strictEqual(second.code, 0, second.stderr)
    assert.strictEqual(
      (JSON.parse(second.stdout) as { negotiationId: string }).negotiationId,
      "twice-2",
    )
    for (const id of ["twice", "twice-2"]) {
      const r = await cli(["replay", "--nats", url, "--negotiation", id, "--json"])
      assert.strictEqual(r.code, 0, r.stderr)
      assert.strictEqual((JSON.parse(r.stdout) as { status: string }).status, "agreed")
    }
    const bad = oneLineError(await cli(["run", scenario, "--id", "not an id"]))
    assert.include(bad, '"not an id"')
  }, 180_000)
})
