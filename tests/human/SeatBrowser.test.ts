/**
 * A person at the table, in a real browser: `parley serve
 * scenarios/anac-laptop.json --human laptop_buyer_utility` runs as a user
 * would start it (a child process), Debian's chromium (playwright-core)
 * opens the seat's address it prints, and the test plays through the page:
 * a counter-offer composed in the form (its utility shown as it is chosen)
 * and sent with a free-text message (markup in it stays text), then the
 * seller's counter accepted with another — to agreement; both messages are
 * listed on the seat and in the live report of the log. A second test knocks
 * without the token, with a wrong one, replays the page's own request and
 * forges the form: each is refused and the negotiation does not change.
 *
 * With `CI=true` a missing chromium fails the suite; elsewhere it is skipped
 * with the reason printed.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import type { Browser, Page } from "playwright-core"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import type { Terms } from "../../src/domain/Issue.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { prepare } from "../../src/simulation/Runner.ts"
import { artifacts, available, launch } from "../support/Chromium.ts"

const bin = fileURLToPath(new URL("../../bin/parley.js", import.meta.url))
const scenario = "scenarios/anac-laptop.json"
const buyer = "laptop_buyer_utility"

const prepared = await Effect.runPromise(Effect.flatMap(loadScenario(scenario, {}), prepare))
/** The buyer's utility, from the scenario itself (what the page must show). */
const buyerUtility = (terms: Terms) => prepared.parties.find((p) => p.id === buyer)!.utility(terms)
const shown = (u: number) => (Math.round(u * 1000) / 1000).toFixed(3)

/** A running `parley serve` and what it printed. */
interface Served {
  readonly child: ChildProcess
  readonly base: string
  readonly seatUrl: string
  readonly token: string
  readonly output: () => string
}

const children: Array<ChildProcess> = []

/** Starts `parley serve <args>` and waits for the seat's address on its output. */
const serve = (args: ReadonlyArray<string>) =>
  new Promise<Served>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "serve", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    children.push(child)
    let out = ""
    const timer = setTimeout(
      () => reject(new Error(`no seat address within 90 s:\n${out}`)),
      90_000,
    )
    const onData = (chunk: string) => {
      out += chunk
      const m = /seat of \S+ .*?: (http:\/\/\S+\/seat\/\S+\?token=(\S+))/.exec(out)
      if (m !== null && out.includes("--on-human-timeout")) {
        clearTimeout(timer)
        resolve({
          child,
          seatUrl: m[1]!,
          token: m[2]!,
          base: new URL("/", m[1]!).href,
          output: () => out,
        })
      }
    }
    child.stdout.setEncoding("utf8").on("data", onData)
    child.stderr.setEncoding("utf8").on("data", onData)
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`parley serve exited (${code}):\n${out}`))
    })
  })

describe.skipIf(!available)("a person at the table, in chromium", () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })
  afterEach(() => {
    for (const child of children.splice(0)) child.kill("SIGTERM")
  })

  /** Opens the seat's page, collecting console errors and requests to anywhere but the server. */
  const open = async (served: Served) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors: Array<string> = []
    const foreign: Array<string> = []
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text())
    })
    page.on("pageerror", (e) => errors.push(String(e)))
    page.on("request", (r) => {
      if (!r.url().startsWith(served.base)) foreign.push(r.url())
    })
    await page.goto(served.seatUrl)
    return { page, errors, foreign }
  }

  const yourTurn = (page: Page, turn: number) =>
    page.locator(`body[data-phase="your-turn"][data-turn="${turn}"]`).waitFor({ timeout: 20_000 })

  it("plays ANAC Laptop to agreement through the page", async () => {
    const served = await serve([scenario, "--human", buyer, "--port", "0", "--pace", "50ms"])
    expect(served.output()).toContain("each turn waits 10m for the person, then the seat walks out")
    const { page, errors, foreign } = await open(served)
    await yourTurn(page, 1)
    await expect.poll(() => page.getByTestId("seat-phase").textContent()).toBe("Your turn")
    expect(await page.getByTestId("seat-clock").textContent()).toContain("round 1 of 100")
    // The 10-minute window, counted down to the second and rounded: "10:00" when the page
    // shows it within half a second of the turn (a fast machine), "9:5x" a little later.
    expect(await page.getByTestId("seat-timer").textContent()).toMatch(
      /^Answer within (10:00|9:5\d) or the seat will walk out\.$/,
    )
    expect(await page.getByTestId("seat-accept").isDisabled()).toBe(true) // nothing on the table yet

    // The form shows the utility of what is chosen, as it is chosen.
    const utility = page.getByTestId("seat-form-utility")
    const choose = async (terms: Record<string, string>) => {
      for (const [issue, value] of Object.entries(terms))
        await page.locator(`#issue-${issue}`).selectOption(value)
    }
    const modest = { Laptop: "Dell", Harddisk: "120 Gb", External_Monitor: "20'' LCD" }
    await choose(modest)
    await expect.poll(() => utility.textContent()).toBe(shown(buyerUtility(modest)))
    const best = { Laptop: "HP", Harddisk: "60 Gb", External_Monitor: "19'' LCD" }
    await choose(best)
    await expect.poll(() => utility.textContent()).toBe(shown(buyerUtility(best)))
    expect(shown(buyerUtility(best))).toBe("1.000")
    // A message with the offer; markup in it is text, never parsed.
    const said = 'HP for me, please. <img src="x" onerror="document.title=1"> & thanks'
    await page.getByTestId("seat-message").fill(said)
    await page.getByTestId("seat-offer").click()

    // The seller's answer arrives: a counter-offer on the table, valued for the buyer.
    await yourTurn(page, 2)
    const rows = page.getByTestId("seat-offer-row")
    expect(await rows.count()).toBe(2)
    expect(await rows.first().textContent()).toContain(`${buyer}: Laptop = HP, Harddisk = 60 Gb`)
    const tableText = (await page.getByTestId("seat-table").textContent()) ?? ""
    expect(tableText).toContain("laptop_seller_utility offers ")
    const counter = Object.fromEntries(
      /offers (.*)Your utility/
        .exec(tableText)![1]!
        .split(", ")
        .map((kv) => kv.split(" = ") as [string, string]),
    )
    expect(await page.getByTestId("seat-table-utility").textContent()).toBe(
      shown(buyerUtility(counter)),
    )
    // The message is listed as the person's, as typed, and the field is empty again.
    const said1 = page.getByTestId("seat-message-row")
    expect(await said1.count()).toBe(1)
    expect(await said1.first().textContent()).toBe(`you (round 1, offer): ${said}`)
    expect(await page.locator("[data-testid=seat-messages] img").count()).toBe(0)
    expect(await page.getByTestId("seat-message").inputValue()).toBe("")
    // The report below shows the other side's move live, and the log's record of the message.
    await expect
      .poll(() => page.locator("#report [data-testid=offer-row]").count(), { timeout: 10_000 })
      .toBe(2)
    expect(await page.locator("#report").textContent()).toContain(`says: "${said}"`)
    expect(await page.locator("#report img").count()).toBe(0)
    // The person's mark on the timeline is labelled theirs, not the simulation's.
    expect(
      await page.locator('#report [data-testid=timeline-move][data-status="human"]').count(),
    ).toBe(1)
    await page.screenshot({ path: join(artifacts, "seat-your-turn-1280.png"), fullPage: false })

    await page.getByTestId("seat-message").fill("Deal.")
    await page.getByTestId("seat-accept").click()
    await page.locator('body[data-phase="ended"]').waitFor({ timeout: 20_000 })
    await expect.poll(() => page.getByTestId("seat-message-row").count()).toBe(2)
    expect(await page.getByTestId("seat-message-row").nth(1).textContent()).toBe(
      "you (round 2, accept): Deal.",
    )
    expect(await page.getByTestId("seat-phase").textContent()).toBe("The talks are over: agreed")
    expect(await page.getByTestId("seat-outcome").textContent()).toBe(
      `Agreement: ${Object.entries(counter)
        .map(([k, v]) => `${k} = ${v}`)
        .join(", ")} — worth ${shown(buyerUtility(counter))} to you.`,
    )
    await expect
      .poll(() => page.locator("#report [data-testid=status]").first().textContent(), {
        timeout: 10_000,
      })
      .toBe("agreed")
    await expect.poll(() => served.output()).toMatch(/anac-laptop: agreed after \d+ events/)
    await expect
      .poll(() => page.locator("#report").textContent(), { timeout: 10_000 })
      .toContain('says: "Deal."')
    expect(
      await page.locator('#report [data-testid=timeline-move][data-status="human"]').count(),
    ).toBe(2)
    expect(await page.title()).not.toBe("1")
    // Only the buyer's own utilities are drawn: the seller's preferences stay private.
    expect(await page.locator("#report").textContent()).not.toContain("u(laptop_seller_utility)")
    await page.screenshot({ path: join(artifacts, "seat-agreed-1280.png"), fullPage: true })
    expect(errors).toEqual([])
    expect(foreign).toEqual([])
    await page.close()
  }, 180_000)

  it("a move without the token, with a wrong one, replayed or forged is refused and changes nothing", async () => {
    const served = await serve([scenario, "--human", buyer, "--port", "0", "--pace", "0"])
    const { page, errors } = await open(served)
    await yourTurn(page, 1)
    const moveUrl = new URL(`/api/seat/${buyer}/move`, served.base).href
    const post = async (body: unknown) => {
      const r = await fetch(moveUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      })
      return { status: r.status, body: (await r.json()) as { error: string; code: string } }
    }
    const best = { Laptop: "HP", Harddisk: "60 Gb", External_Monitor: "19'' LCD" }
    const offer = { type: "offer", terms: best }
    const forbidden = {
      status: 403,
      body: { error: "this seat's token is missing or wrong", code: "forbidden" },
    }
    expect(await post({ turn: 1, move: offer })).toEqual(forbidden)
    // A wrong token: the real one with its last character changed (never to itself).
    const wrong = `${served.token.slice(0, -1)}${served.token.endsWith("A") ? "B" : "A"}`
    expect(await post({ token: wrong, turn: 1, move: offer })).toEqual(forbidden)
    // The page and the seat's stream are closed to a wrong token too.
    for (const path of [
      `/seat/${buyer}?token=nope`,
      `/seat/${buyer}`,
      `/api/seat/${buyer}/events?token=nope`,
    ]) {
      const r = await fetch(new URL(path, served.base))
      expect(r.status).toBe(403)
      expect(await r.json()).toEqual(forbidden.body)
    }
    expect(await page.getByTestId("seat-offer-row").count()).toBe(0)
    expect(await page.locator("body").getAttribute("data-turn")).toBe("1")

    // A forged form: an option the page never offered is refused by the server, with its reason.
    await page.evaluate(
      `(() => { const o = document.createElement("option"); o.value = o.textContent = "IBM"; document.getElementById("issue-Laptop").append(o); })()`,
    )
    await page.locator("#issue-Laptop").selectOption("IBM")
    await page.getByTestId("seat-offer").click()
    await expect
      .poll(() => page.getByTestId("seat-error").textContent())
      .toBe('Laptop: expected one of "Dell", "Macintosh", "HP", got "IBM"')
    expect(await page.locator("body").getAttribute("data-turn")).toBe("1")

    // A real move through the page; then its own request, replayed, is refused.
    await page.locator("#issue-Laptop").selectOption("HP")
    const sent = page.waitForRequest((r) => r.url() === moveUrl && r.method() === "POST")
    await page.getByTestId("seat-offer").click()
    const replay = JSON.parse((await sent).postData()!) as unknown
    expect(replay).toEqual({ token: served.token, turn: 1, move: offer })
    await yourTurn(page, 2)
    const versionBefore = await page.locator("#report").getAttribute("data-version")
    const refusedReplay = await post(replay)
    expect(refusedReplay.status).toBe(409)
    expect(refusedReplay.body).toEqual({
      code: "stale-turn",
      error: "turn 1 is not the turn awaited (2): a replayed or stale move",
    })
    // A forged turn number ahead is refused the same way.
    expect((await post({ token: served.token, turn: 3, move: { type: "accept" } })).status).toBe(
      409,
    )
    // Nothing changed: the same two offers, the same turn, the same version of the negotiation.
    await page.waitForTimeout(300)
    expect(await page.getByTestId("seat-offer-row").count()).toBe(2)
    expect(await page.locator("body").getAttribute("data-turn")).toBe("2")
    expect(await page.locator("#report").getAttribute("data-version")).toBe(versionBefore)
    expect(served.output()).not.toMatch(/agreed|collapsed|expired/)
    // The browser logs the refused request (422) it made; nothing else went wrong on the page.
    expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([])
    await page.close()
  }, 180_000)
})
