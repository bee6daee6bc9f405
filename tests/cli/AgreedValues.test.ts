/**
 * `parley simulate`'s summary of agreed values: a discrete issue lists each
 * option with its share; an integer price agreed at dozens of values is given
 * as its spread (count, quartiles, mean, the most frequent) on one readable
 * line, where it printed every value on one line (41 and more).
 */
import { describe, expect, it } from "vitest"
import { cli } from "../support/Cli.ts"

describe("parley simulate: agreed values", () => {
  it("a numeric issue with many agreed values is summarised by its spread", async () => {
    const done = await cli([
      "simulate",
      "tests/fixtures/scenarios/supply-price.json",
      "--runs",
      "100",
      "--seed",
      "1",
    ])
    expect(done.stderr).toBe("")
    expect(done.code).toBe(0)
    const lines = done.stdout.split("\n")
    const price = lines.find((l) => l.trimStart().startsWith("price "))!
    expect(price).toMatch(
      /^\s+price\s+\d+ values: min \d+ · q1 \d+ · median \d+ · q3 \d+ · max \d+ · mean [\d.]+; most often \d+ \([\d.]+%\)$/,
    )
    const [, min, q1, median, q3, max] =
      /min (\d+) · q1 (\d+) · median (\d+) · q3 (\d+) · max (\d+)/.exec(price)!.map(Number)
    expect(min! <= q1! && q1! <= median! && median! <= q3! && q3! <= max!).toBe(true)
    expect(lines.find((l) => l.trimStart().startsWith("term "))).toMatch(/^\s+term\s+1y [\d.]+%/)
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(120)
  }, 60_000)
})
