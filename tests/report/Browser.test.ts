/**
 * Reports in a real browser: Debian's chromium driven by playwright-core.
 * A generated report (file://) draws its charts with no console error and no
 * network request; the live page shows a negotiation and an event appended
 * while it is open appears without a reload. Screenshots go to
 * test-artifacts/ (git-ignored).
 *
 * With `CI=true` a missing chromium fails the suite; elsewhere the suite is
 * skipped with the reason printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { Effect, Exit, Scope } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { handle } from "../../src/app/CommandHandler.ts"
import { fromBatch, fromLog, fromScenario, preferencesOf } from "../../src/cli/ReportData.ts"
import type { NegotiationCommand } from "../../src/domain/Command.ts"
import type { Instant } from "../../src/domain/Event.ts"
import type { NegotiationId, PartyId } from "../../src/domain/Ids.ts"
import { batchPage } from "../../src/report/BatchPage.ts"
import { fromEventStore, serve } from "../../src/report/Live.ts"
import { runPage } from "../../src/report/Page.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as File from "../../src/store/File.ts"
import * as Memory from "../../src/store/Memory.ts"
import { artifacts, available, launch } from "../support/Chromium.ts"
import { expectTornado } from "./support/Tornado.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-report-"))
const ceasefire = "scenarios/ceasefire-freeze.ts"

describe.skipIf(!available)("reports in chromium", () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Opens a page, collecting console errors and every request other than the page itself. */
  const open = async (url: string, width = 1280) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } })
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

  it("a run report draws its lanes, frontier and curves, with no error and no request", async () => {
    const data = await Effect.runPromise(
      fromScenario(ceasefire, { seed: 1, overrides: { protocol: "alternating" } }),
    )
    const file = join(dir, "run.html")
    writeFileSync(file, runPage(data))
    const url = pathToFileURL(file).href
    const { page, errors, requests } = await open(url)
    expect(await page.getByTestId("timeline-lane").count()).toBe(4) // russia, ukraine, us, the table
    expect(await page.getByTestId("frontier-point").count()).toBe(
      data.preferences?.analysis?.paretoFrontier.length,
    )
    expect(await page.getByTestId("frontier-point").count()).toBeGreaterThan(1)
    expect(await page.getByTestId("concession-panel").count()).toBe(2)
    expect(await page.getByTestId("utility-space").count()).toBe(1)
    expect(await page.getByTestId("space-agreement").count()).toBe(1)
    expect(
      await page.locator('[data-testid="timeline-move"][data-status="reported"]').count(),
    ).toBe(1)
    expect(
      await page.locator('[data-testid="timeline-move"][data-status="simulated"]').count(),
    ).toBeGreaterThan(10)
    expect(await page.getByTestId("offer-row").count()).toBe(data.view.offers.length)
    expect(await page.locator("[data-testid=footnotes] li").count()).toBe(6)
    await page.screenshot({ path: join(artifacts, "report-run-1280.png"), fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    // On a phone the page does not scroll sideways; only the timeline's own box does.
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390)
    await page.screenshot({ path: join(artifacts, "report-run-390.png"), fullPage: false })
    expect(errors).toEqual([])
    expect(requests).toEqual([])
    await page.close()
  })

  it("a report from a log without its scenario says the utility charts are skipped", async () => {
    const log = join(dir, "log.jsonl")
    await Effect.runPromise(
      Effect.flatMap(loadScenario(ceasefire, {}), prepare).pipe(
        Effect.flatMap((p) => run(p, { seed: 3 })),
        Effect.provide(File.layer(log)),
      ),
    )
    const data = await Effect.runPromise(fromLog(log, { overrides: {} }))
    const file = join(dir, "log.html")
    writeFileSync(file, runPage(data))
    const { page, errors, requests } = await open(pathToFileURL(file).href)
    expect(await page.getByTestId("no-utilities").count()).toBe(1)
    expect(await page.getByTestId("utility-space").count()).toBe(0)
    expect(await page.getByTestId("timeline-lane").count()).toBe(4)
    expect(errors).toEqual([])
    expect(requests).toEqual([])
    await page.close()
  })

  it("a batch report draws its histograms, option bars, agreement by drawn parameter and the tornado", async () => {
    const out = join(dir, "batch")
    // Alternating offers, so that runs agree: the cycling mediator of the default talks reaches no agreement in time.
    await Effect.runPromise(
      Effect.flatMap(loadBatch(ceasefire, { protocol: "alternating" }), (b) =>
        simulate(b, { runs: 40, seed: 1, outDir: out }),
      ),
    )
    const data = await Effect.runPromise(fromBatch(out, {}))
    expect(data.runs.some((r) => r.agreement !== null)).toBe(true)
    const file = join(dir, "batch.html")
    writeFileSync(file, batchPage(data))
    const { page, errors, requests } = await open(pathToFileURL(file).href)
    expect(await page.getByTestId("agreement-rate").count()).toBe(1)
    expect(await page.getByTestId("utility-histogram").count()).toBe(2)
    // The distribution of agreed terms: one chart per issue.
    expect(await page.getByTestId("option-bars").count()).toBe(4)
    // One agreement-rate curve, with its Wilson band, per uncertain parameter drawn per run.
    const uncertain = [
      "russiaReservation",
      "ukraineReservation",
      "ukraineConcession",
      "russiaConcession",
    ]
    const curves = page.getByTestId("rate-curve")
    expect(await curves.count()).toBe(uncertain.length)
    for (let i = 0; i < uncertain.length; i++) {
      expect(await curves.nth(i).getByTestId("interval-band").count()).toBe(1)
      expect(await curves.nth(i).getByTestId("curve-point").count()).toBeGreaterThan(1)
    }
    await expectTornado(page, "tornado", uncertain.length)
    expect(await page.getByTestId("tornado-utility").count()).toBe(2)
    await page.screenshot({ path: join(artifacts, "report-batch-1280.png"), fullPage: true })
    expect(errors).toEqual([])
    expect(requests).toEqual([])
    await page.close()
  })

  it("the live page shows an event appended while it is open, without a reload", async () => {
    const scope = Effect.runSync(Scope.make())
    try {
      const store = Effect.runSync(Memory.make)
      const prepared = await Effect.runPromise(
        Effect.flatMap(loadScenario(ceasefire, { protocol: "alternating" }), prepare),
      )
      const id = "live-test" as NegotiationId
      const exec = (command: NegotiationCommand) =>
        Effect.runPromise(handle(id, command).pipe(Effect.provideService(EventStore, store)))
      // The opening and the scripted timeline; the talks stay open.
      await exec({ ...prepared.compiled.open, negotiationId: id })
      for (const c of prepared.compiled.timeline) await exec(c)
      const server = await Effect.runPromise(
        serve({
          source: fromEventStore(store),
          preferences: () => preferencesOf(prepared),
          port: 0,
        }).pipe(Scope.extend(scope)),
      )
      const { page, errors } = await open(server.url)
      await page.getByTestId("negotiation-link").first().waitFor()
      await page.getByTestId("timeline-lane").first().waitFor()
      const moves = page.getByTestId("timeline-move")
      const before = await moves.count()
      expect(await page.getByTestId("frontier-point").count()).toBeGreaterThan(1)
      await exec({
        type: "MakeOffer",
        at: "2025-04-25T00:00:00.000Z" as Instant,
        offerId: "ukraine-live" as never,
        by: "ukraine" as PartyId,
        terms: {
          "held-land-control": "partly-returned",
          "crimea-control": "stays-under-russian-control",
          recognition: "unresolved",
          "unheld-claims": "dropped",
        } as never,
      })
      await expect.poll(() => moves.count(), { timeout: 5_000 }).toBe(before + 1)
      expect(await page.getByTestId("offer-row").count()).toBe(2)
      await page.screenshot({ path: join(artifacts, "live-1280.png"), fullPage: false })
      expect(errors).toEqual([])
      await page.close()
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })
})
