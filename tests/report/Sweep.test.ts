/**
 * The sweep report, end to end: a real sweep of the ceasefire scenario
 * (Ukraine's and Russia's reservation values, one at a time) written as
 * `sweep.json` the way `parley sweep --out DIR` writes it, then `parley
 * report --sweep DIR` run as a user would and the page opened in chromium:
 * an agreement-rate curve per varied parameter with its Wilson band, a
 * tornado chart whose bars are ordered by |PRCC|, the agreed terms at each
 * value, no console error, no network request. A malformed `sweep.json` is
 * one line naming the file and the field.
 *
 * With `CI=true` a missing chromium fails the suite; elsewhere the browser
 * part is skipped with the reason printed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { Effect } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readSweep } from "../../src/report/Sweep.ts"
import { type SweepResult, sweep, sweepFile } from "../../src/simulation/Sweep.ts"
import { artifacts, available, launch } from "../support/Chromium.ts"
import { cli } from "../support/Cli.ts"
import { expectTornado } from "./support/Tornado.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-sweep-report-"))
const scenario = "scenarios/ceasefire-freeze.ts"
const varies = [
  { name: "ukraineReservation", min: 0.2, max: 0.5, steps: 4 },
  { name: "russiaReservation", min: 0.4, max: 0.7, steps: 3 },
]
const runs = 16
// Alternating offers: the cycling mediator of the default talks reaches no agreement in time.
const overrides = { protocol: "alternating" }

let result: SweepResult
const written = join(dir, "sweep")
beforeAll(async () => {
  result = await Effect.runPromise(
    sweep(scenario, overrides, {}, { varies, grid: false, runs, seed: 3, workers: 0 }),
  )
  mkdirSync(written, { recursive: true })
  writeFileSync(
    join(written, "sweep.json"),
    JSON.stringify(sweepFile(result, { scenario, overrides, varies, grid: false, runs, seed: 3 })),
  )
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("sweep.json", () => {
  it("reads back what the sweep found: points, agreed terms, ranking and its bound", async () => {
    const file = await Effect.runPromise(readSweep(written))
    expect(file.points.length).toBe(7)
    expect(file.totalRuns).toBe(7 * runs)
    file.points.forEach((p, i) => {
      expect(p.agreementRate).toBe(result.points[i]!.agreementRate)
      // Every agreement is counted once per issue.
      const agreed = Math.round(p.agreementRate * p.runs)
      for (const issue of file.issues)
        expect(Object.values(p.agreedTerms[issue.id] ?? {}).reduce((a, b) => a + b, 0)).toBe(agreed)
    })
    expect(file.sensitivity.map((s) => s.parameter)).toEqual(
      result.sensitivity.map((s) => s.parameter),
    )
    expect(file.significance).toBeGreaterThan(0)
    expect(file.fixed.russiaReservation).toBe(0.55)
  })

  it("a malformed sweep.json is one line naming the file and the field", async () => {
    const bad = join(dir, "bad")
    mkdirSync(bad, { recursive: true })
    const json = JSON.parse(readFileSync(join(written, "sweep.json"), "utf8"))
    json.points[2].interval = [0.1, "high"]
    writeFileSync(join(bad, "sweep.json"), JSON.stringify(json))
    const error = await Effect.runPromise(Effect.flip(readSweep(bad)))
    expect(error.message).toContain(join(bad, "sweep.json"))
    expect(error.message).toContain(`points[2].interval[1]: Expected number, actual "high"`)
    expect(error.message.split("\n")).toHaveLength(1)
    json.points[2].interval = [0, 1]
    json.sensitivity[0].parameter = "nobody"
    writeFileSync(join(bad, "sweep.json"), JSON.stringify(json))
    expect((await Effect.runPromise(Effect.flip(readSweep(bad)))).message).toContain(
      'sensitivity[0].parameter: "nobody" is not a parameter of the sweep',
    )
    const none = await Effect.runPromise(Effect.flip(readSweep(dir)))
    expect(none.message).toContain("no such file (write it with parley sweep")
  })
})

describe.skipIf(!available)("the sweep report in chromium", () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })

  const open = async (url: string) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors: Array<string> = []
    const requests: Array<string> = []
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text())
    })
    page.on("pageerror", (e) => errors.push(String(e)))
    page.on("request", (r) => {
      if (r.url() !== url) requests.push(r.url())
    })
    await page.goto(url)
    return { page, errors, requests }
  }

  it("parley report --sweep draws the curves with their bands, the tornado in order and the agreed terms", async () => {
    const html = join(dir, "sweep.html")
    const r = await cli(["report", "--sweep", written, "-o", html])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`wrote ${html}`)
    const { page, errors, requests } = await open(pathToFileURL(html).href)

    // One agreement-rate curve per varied parameter, a point per value, a band with an area.
    const curves = page.getByTestId("rate-curve")
    expect(await curves.count()).toBe(2)
    for (const [i, v] of varies.entries()) {
      const curve = curves.nth(i)
      expect(await curve.getByTestId("curve-point").count()).toBe(v.steps)
      const band = curve.getByTestId("interval-band")
      expect(await band.count()).toBe(1)
      const box = (await band.boundingBox())!
      expect(box.width).toBeGreaterThan(100)
      expect(box.height).toBeGreaterThan(2)
    }
    // The band of each point spans its Wilson interval, as the tooltip says.
    const firstPoint = await curves.first().getByTestId("curve-point").first().textContent()
    expect(firstPoint).toMatch(
      /ukraineReservation 0\.2: [\d.]+% agreed \(\d+ of 16 runs\), 95% interval/,
    )

    await expectTornado(page, "tornado", result.sensitivity.length)
    expect(await page.getByTestId("tornado-utility").count()).toBe(2)
    expect(await page.getByTestId("utility-curve").count()).toBe(2)
    // The distribution of agreed terms: one chart per varied parameter and issue.
    expect(await page.getByTestId("terms-by-value").count()).toBe(2 * 4)
    expect(await page.getByTestId("points-table").locator("tbody tr").count()).toBe(7)
    await page.screenshot({ path: join(artifacts, "report-sweep-1280.png"), fullPage: true })
    expect(errors).toEqual([])
    expect(requests).toEqual([])
    await page.close()
  }, 120_000)

  it("report --batch on a sweep's folder says to use --sweep", async () => {
    const r = await cli(["report", "--batch", written, "-o", join(dir, "x.html")])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      `holds a sweep (sweep.json), not a batch of runs: report it with parley report --sweep ${written}`,
    )
  }, 60_000)
})
