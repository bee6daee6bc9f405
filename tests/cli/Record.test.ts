/**
 * `parley record` and `parley export --csv` as a user runs them: the seed's
 * ceasefire scenario, a fresh JSONL log, then a hypothetical denial recorded,
 * retried, and a move the rules refuse; the same on a private nats-server; and
 * the log's timeline exported as CSV with each party's utility.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli } from "../support/Cli.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-record-cli-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const scenario = "scenarios/ceasefire-freeze.ts"
const denial = JSON.stringify({
  at: "2025-04-25",
  type: "DenyOffer",
  offerId: "freeze-offer",
  by: "russia",
  statement: "No such offer was made.",
  hypothetical: true,
  note: "a what-if: Russia has not denied the report",
})

describe("parley record on a JSONL log", () => {
  const log = join(dir, "cf.jsonl")

  it("opens the log from the scenario, records the move, and finds a retry", async () => {
    const first = await cli(["record", scenario, "--out", log, "--move", denial])
    expect(first.stderr).toBe("")
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(`opened ceasefire-freeze in ${log}`)
    expect(first.stdout).toContain("recorded OfferDenied at 2025-04-25T00:00:00.000Z as version 4")
    const again = await cli(["record", scenario, "--out", log, "--move", denial, "--json"])
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ version: 4, alreadyRecorded: true, opened: 0 })
    expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(4)
  })

  it("refuses a move the rules refuse, naming the rule, and writes nothing", async () => {
    const before = readFileSync(log)
    const refused = await cli([
      "record",
      scenario,
      "--out",
      log,
      "--move",
      '{"at": "2025-04-26", "type": "ConfirmOffer", "offerId": "freeze-offer", "by": "russia"}',
    ])
    expect(refused.code).toBe(1)
    expect(refused.stderr.trim()).toMatch(
      /^parley: ceasefire-freeze: ConfirmOffer at 2025-04-26T00:00:00.000Z refused \(\w+\): .*; nothing was written$/,
    )
    expect(readFileSync(log)).toEqual(before)
    const fresh = join(dir, "never.jsonl")
    const malformed = await cli([
      "record",
      scenario,
      "--out",
      fresh,
      "--move",
      '{"at": "2025-04-26"}',
    ])
    expect(malformed.code).not.toBe(0)
    expect(malformed.stderr).toContain("--move: type: is missing")
    expect(existsSync(fresh)).toBe(false)
  })

  it("exports the timeline as CSV, the hypothetical move marked", async () => {
    const done = await cli(["export", log, "--csv", "--scenario", scenario])
    expect(done.stderr).toBe("")
    expect(done.code).toBe(0)
    const [header, ...rows] = done.stdout.trim().split("\n")
    expect(header).toContain("utility_russia,utility_ukraine")
    expect(rows).toHaveLength(4)
    expect(rows[3]).toContain("OfferDenied")
    expect(rows[3]).toContain(",true,")
  })
})

describeWithNats("parley record on NATS", () => {
  let server: NatsServer.NatsServer
  beforeAll(async () => {
    server = await NatsServer.start()
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it("records under a named negotiation, and the log replays with it", async () => {
    const done = await cli([
      "record",
      scenario,
      "--nats",
      server.url,
      "--negotiation",
      "cf-what-if",
      "--move",
      denial,
    ])
    expect(done.stderr).toBe("")
    expect(done.code).toBe(0)
    expect(done.stdout).toContain("as version 4 of cf-what-if")
    const replayed = await cli([
      "replay",
      "--nats",
      server.url,
      "--negotiation",
      "cf-what-if",
      "--json",
    ])
    expect(replayed.code).toBe(0)
    expect(replayed.stdout).toContain('"version": 4')
  }, 120_000)
})
