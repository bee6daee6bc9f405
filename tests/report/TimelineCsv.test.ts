/**
 * A log's timeline as CSV, read back by a reader other than ours: Python's
 * standard `csv` module (as pandas or R would read it). A run of the supply
 * scenario (an integer price, long party ids) and the ceasefire scenario's
 * reported moves in one file: one row per event, one column per issue, each
 * party's utility of complete terms, reported and official moves told apart,
 * LF line ends.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Chunk, Effect, Stream } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { preferencesOf } from "../../src/cli/ReportData.ts"
import { timelineCsv } from "../../src/report/TimelineCsv.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import * as File from "../../src/store/File.ts"
import * as Jsonl from "../../src/store/Jsonl.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-timeline-csv-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Rows as Python's csv.DictReader reads them. */
const readWithPython = (file: string): Array<Record<string, string>> =>
  JSON.parse(
    execFileSync(
      "python3",
      [
        "-c",
        "import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline='')))))",
        file,
      ],
      { encoding: "utf8" },
    ),
  )

describe("parley export --csv", () => {
  it("one row per event, a column per issue and utilities per party, read back by Python's csv", async () => {
    const log = join(dir, "supply.jsonl")
    const scenario = "tests/fixtures/scenarios/supply-price.json"
    const prepared = await Effect.runPromise(Effect.flatMap(loadScenario(scenario, {}), prepare))
    await Effect.runPromise(run(prepared, { seed: 4 }).pipe(Effect.provide(File.layer(log))))
    const events = Chunk.toReadonlyArray(
      await Effect.runPromise(Stream.runCollect(Jsonl.read(log))),
    )
    const evaluators = preferencesOf(prepared, 10).evaluators
    const csv = timelineCsv(events, evaluators)
    expect(csv).not.toContain("\r")
    const file = join(dir, "supply.csv")
    writeFileSync(file, csv)
    const rows = readWithPython(file)
    expect(rows).toHaveLength(events.length)
    expect(Object.keys(rows[0]!)).toEqual([
      "negotiation",
      "version",
      "time",
      "round",
      "party",
      "move",
      "type",
      "offer",
      "status",
      "hypothetical",
      "sources",
      "text",
      "price",
      "term",
      "utility_acme-components-international",
      "utility_globex-manufacturing-corporation",
    ])
    rows.forEach((r, i) => {
      const e = events[i]!
      expect(r.version).toBe(String(e.version))
      expect(r.time).toBe(e.occurredAt)
      expect(r.type).toBe(e.event.type)
      if (e.event.type === "OfferMade") {
        expect(r.offer).toBe(e.event.offerId)
        const terms = e.event.terms as Readonly<Record<string, string | number>>
        expect(Number(r.price)).toBe(terms.price)
        expect(r.term).toBe(terms.term)
        expect(r.status).toBe("simulated")
        expect(Number(r.round)).toBeGreaterThanOrEqual(1)
        for (const ev of evaluators)
          expect(Number(r[`utility_${ev.party}`])).toBeCloseTo(ev.utility(e.event.terms), 10)
      }
    })
    expect(rows[0]!.type).toBe("NegotiationOpened")
    expect(rows[0]!.price).toBe("")
  })

  it("tells reported moves from official ones, with their sources, and leaves a partial position unscored", async () => {
    const log = join(dir, "ceasefire.jsonl")
    const scenario = "scenarios/ceasefire-freeze.ts"
    const prepared = await Effect.runPromise(Effect.flatMap(loadScenario(scenario, {}), prepare))
    await Effect.runPromise(run(prepared, { seed: 1 }).pipe(Effect.provide(File.layer(log))))
    const events = Chunk.toReadonlyArray(
      await Effect.runPromise(Stream.runCollect(Jsonl.read(log))),
    )
    const file = join(dir, "ceasefire.csv")
    writeFileSync(file, timelineCsv(events, preferencesOf(prepared, 10).evaluators))
    const rows = readWithPython(file)
    const offer = rows.find((r) => r.offer === "freeze-offer" && r.type === "OfferMade")!
    expect(offer.status).toBe("reported")
    expect(offer.sources).toContain(";")
    const position = rows.find((r) => r.type === "PositionStated")!
    expect(position.status).toBe("official")
    expect(position.utility_ukraine).toBe("")
    expect(readFileSync(file, "utf8").split("\n").at(-1)).toBe("")
  })
})
