/**
 * Reports of a scenario whose price is an integer issue (80–240 cents): the
 * batch report draws every agreed price in a histogram (one bar per value, or
 * equal bins when the agreed span is wide), never a list cut at some count;
 * the sweep report draws the agreed price at each value of a varied parameter
 * as a median with its full range. Checked on the HTML, then in chromium with
 * a screenshot (test-artifacts/). Its run report, whose party ids are long,
 * keeps each party's utility column in view at 800 px and no label of the
 * utility space over another.
 *
 * The scenario, `tests/fixtures/scenarios/supply-price.json`, is written for
 * this test (after the README's supply contract), with long party ids.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { Effect } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { fromBatch, fromLog } from "../../src/cli/ReportData.ts"
import { batchPage } from "../../src/report/BatchPage.ts"
import { runPage } from "../../src/report/Page.ts"
import { sweepPage } from "../../src/report/Sweep.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import { sweep, sweepFile } from "../../src/simulation/Sweep.ts"
import * as File from "../../src/store/File.ts"
import { artifacts, available, launch } from "../support/Chromium.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-numeric-"))
const scenario = "tests/fixtures/scenarios/supply-price.json"
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The histogram figures of a page, each with its bars' hover texts. */
const histograms = (html: string, testid: string) =>
  [...html.matchAll(new RegExp(`data-testid="${testid}"[\\s\\S]*?</svg>`, "g"))].map((m) =>
    [...m[0].matchAll(/<g data-testid="bar"><title>([^<]*)<\/title>/g)].map((b) => b[1]!),
  )

describe("a numeric issue in the reports", () => {
  it("the batch report counts every agreed price, one bar per value or in bins", async () => {
    const out = join(dir, "batch")
    await Effect.runPromise(
      Effect.flatMap(loadBatch(scenario, {}), (b) =>
        simulate(b, { runs: 120, seed: 1, outDir: out }),
      ),
    )
    const data = await Effect.runPromise(fromBatch(out, {}))
    const prices = data.runs.flatMap((r) =>
      r.agreement === null ? [] : [(r.agreement as Record<string, number>).price!],
    )
    // The fixture's point: many distinct prices, more than the 25 the report used to list.
    expect(new Set(prices).size).toBeGreaterThan(25)
    const html = batchPage(data)
    const [price, ...others] = histograms(html, "issue-histogram")
    expect(others).toEqual([])
    // The discrete term keeps its option bars.
    expect(html.match(/data-testid="option-bars"/g)?.length).toBe(1)
    // Every agreement is in one bar: the bars' counts sum to the agreements, and
    // each bar counts the prices within its range.
    const lo = Math.min(...prices)
    const hi = Math.max(...prices)
    const step = Math.ceil((hi - lo + 1) / 60)
    expect(price!.length).toBe(Math.ceil((hi - lo + 1) / step))
    let total = 0
    for (const hover of price!) {
      // Integer bars name the values they hold, both ends included.
      const m = /^(\d+)(?:–(\d+))?: (\d+) of (\d+) agreements$/.exec(hover)
      expect(m, hover).not.toBeNull()
      const from = Number(m![1])
      const to = m![2] === undefined ? from : Number(m![2])
      const inBar = prices.filter((p) => p >= from && p <= to).length
      expect(Number(m![3]), hover).toBe(inBar)
      expect(Number(m![4])).toBe(prices.length)
      total += Number(m![3])
    }
    expect(total).toBe(prices.length)
    writeFileSync(join(dir, "batch.html"), html)
  }, 120_000)

  it("the sweep report draws the agreed price at each value as a median with its range", async () => {
    const varies = [{ name: "acmeReservation", min: 0.05, max: 0.5, steps: 4 }]
    const how = { scenario, overrides: {}, varies, grid: false, runs: 12, seed: 2 }
    const result = await Effect.runPromise(
      sweep(scenario, {}, {}, { varies, grid: false, runs: 12, seed: 2, workers: 0 }),
    )
    const file = sweepFile(result, how)
    const html = sweepPage({ sweep: file, dir, origin: [] })
    const charts = [...html.matchAll(/data-testid="terms-by-value"[\s\S]*?<\/svg>/g)].map(
      (m) => m[0],
    )
    expect(charts.length).toBe(2)
    const price = charts.find((c) => c.includes("price by acmeReservation"))!
    // One point per value that had agreements, each naming its range and quartiles.
    const hovers = [...price.matchAll(/<title>([^<]*median[^<]*)<\/title>/g)].map((m) => m[1]!)
    const withAgreements = file.points.filter((p) => p.agreementRate > 0).length
    expect(withAgreements).toBeGreaterThan(0)
    expect(
      hovers.filter((h) => /min \d+ · q1 \d+ · median \d+ · q3 \d+ · max \d+/.test(h)).length,
    ).toBe(withAgreements)
    writeFileSync(join(dir, "sweep.html"), html)
  }, 120_000)

  it.skipIf(!available)(
    "a run report with long party ids: utilities in view at 800 px, no label over another",
    async () => {
      const log = join(dir, "run.jsonl")
      await Effect.runPromise(
        Effect.flatMap(loadScenario(scenario, {}), prepare).pipe(
          Effect.flatMap((p) => run(p, { seed: 1 })),
          Effect.provide(File.layer(log)),
        ),
      )
      const data = await Effect.runPromise(fromLog(log, { scenario, overrides: {} }))
      writeFileSync(join(dir, "run.html"), runPage(data))
      const browser = await launch()
      try {
        const page = await browser.newPage({ viewport: { width: 800, height: 900 } })
        await page.goto(pathToFileURL(join(dir, "run.html")).href)
        const wrap = (await page.getByTestId("offers-table").locator("xpath=..").boundingBox())!
        const heads = page.locator('[data-testid="offers-table"] th[title^="utility for"]')
        expect(await heads.allTextContents()).toEqual(["u(Acme)", "u(Globex)"])
        for (const h of await heads.all()) {
          const box = (await h.boundingBox())!
          expect(box.x + box.width).toBeLessThanOrEqual(wrap.x + wrap.width + 0.5)
        }
        const labels = await Promise.all(
          (await page.getByTestId("space-label").all()).map(async (l) => (await l.boundingBox())!),
        )
        expect(labels.length).toBeGreaterThanOrEqual(2)
        for (let i = 0; i < labels.length; i++)
          for (let j = i + 1; j < labels.length; j++) {
            const [p, q] = [labels[i]!, labels[j]!]
            const apart =
              p.x + p.width <= q.x ||
              q.x + q.width <= p.x ||
              p.y + p.height <= q.y ||
              q.y + q.height <= p.y
            expect(apart, `labels ${i} and ${j} overlap`).toBe(true)
          }
        await page.close()
      } finally {
        await browser.close()
      }
    },
    60_000,
  )

  it.skipIf(!available)(
    "both pages draw in chromium without errors",
    async () => {
      const browser = await launch()
      try {
        for (const name of ["batch", "sweep"]) {
          const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
          const errors: Array<string> = []
          page.on("pageerror", (e) => errors.push(String(e)))
          page.on("console", (m) => {
            if (m.type() === "error") errors.push(m.text())
          })
          await page.goto(pathToFileURL(join(dir, `${name}.html`)).href)
          await page.screenshot({
            path: join(artifacts, `report-${name}-price.png`),
            fullPage: true,
          })
          expect(errors).toEqual([])
          await page.close()
        }
      } finally {
        await browser.close()
      }
    },
    60_000,
  )
})
