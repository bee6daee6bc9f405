/**
 * The tournament report, end to end: a real round robin (boulware, conceder
 * and hardliner on two ANAC domains, both roles, two repetitions) whose
 * negotiations are written as ordinary logs, its `tournament.json` computed
 * as the format says, then `parley report --tournament DIR` run as a user
 * would and the page opened in chromium: the ranking in order, an n × n
 * heat-map, every link resolving to a file or an anchor, no console error,
 * no network request. And a malformed `tournament.json` is one line naming
 * the file and the field.
 *
 * With `CI=true` a missing chromium fails the suite; elsewhere the browser
 * part is skipped with the reason printed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, sep } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Effect, Either } from "effect"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { preferencesOf } from "../../src/cli/ReportData.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { tournamentPage } from "../../src/report/Tournament.ts"
import { fromTournament, readTournament } from "../../src/report/TournamentData.ts"
import { type Prepared, run } from "../../src/simulation/Runner.ts"
import * as File from "../../src/store/File.ts"
import type {
  NegotiationResult,
  RankingEntry,
  TournamentResult,
} from "../../src/tournament/Result.ts"
import { importDomain, prepareDomain } from "../simulation/support/Play.ts"
import { artifacts, available, launch } from "../support/Chromium.ts"
import { cli } from "../support/Cli.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-tournament-report-"))

const COMPETITORS = [
  { name: "boulware", strategy: { kind: "boulware" } },
  { name: "conceder", strategy: { kind: "conceder" } },
  { name: "hardliner", strategy: { kind: "hardliner" } },
] as const
const DOMAINS = ["anac2011/Laptop", "anac2010/ItexvsCypress"] as const
const REPETITIONS = 2
const ROUNDS = 60

const mean = (xs: ReadonlyArray<number>) =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length
const distance = (
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
  parties: ReadonlyArray<string>,
) => Math.sqrt(parties.reduce((s, p) => s + ((a[p] ?? 0) - (b[p] ?? 0)) ** 2, 0))

/** One negotiation played into its own log, scored as the format says. */
const negotiate = async (
  prepared: Prepared,
  scenario: string,
  assignment: Record<string, string>,
  repetition: number,
  seed: number,
  out: string,
): Promise<NegotiationResult> => {
  const id = `t-${scenario.replace(/\W+/g, "_")}-${Object.values(assignment).join("-")}-r${repetition}`
  const result = await Effect.runPromise(
    run(prepared, { seed, negotiationId: id as NegotiationId, appendEvery: "run" }).pipe(
      Effect.provide(File.layer(join(out, "logs", `${id}.jsonl`))),
    ),
  )
  const parties = Object.keys(assignment)
  const analysis = preferencesOf(prepared).analysis!
  const agreement = result.state.agreement?.terms ?? null
  const utilities =
    agreement === null
      ? undefined
      : Object.fromEntries(parties.map((p) => [p, result.scores.parties[p]!.utility ?? 0]))
  const toPareto =
    utilities === undefined
      ? null
      : Math.min(...analysis.paretoFrontier.map((f) => distance(utilities, f.utilities, parties)))
  return {
    id,
    scenario,
    repetition,
    seed,
    assignment,
    status: result.state.status,
    rounds: result.rounds,
    agreementTime: result.scores.agreementTime,
    agreement: agreement as Record<string, string | number> | null,
    parties: Object.fromEntries(
      parties.map((p) => [p, { competitor: assignment[p]!, ...result.scores.parties[p]! }]),
    ),
    socialWelfare: parties.reduce((s, p) => s + result.scores.parties[p]!.discounted, 0),
    distanceToPareto: toPareto,
    distanceToNash:
      utilities === undefined ? null : distance(utilities, analysis.nash!.utilities, parties),
    distanceToKS:
      utilities === undefined
        ? null
        : distance(utilities, analysis.kalaiSmorodinsky!.utilities, parties),
    paretoOptimal: toPareto === null ? null : toPareto < 1e-9,
  }
}

/** The ranking by mean advantage with a 95% t interval (t of the degrees of freedom, from a table). */
const rank = (negotiations: ReadonlyArray<NegotiationResult>): Array<RankingEntry> => {
  const T95: Record<number, number> = { 7: 2.365, 15: 2.131, 23: 2.069 }
  const entries = COMPETITORS.map(({ name }) => {
    const roles = negotiations.flatMap((n) =>
      Object.entries(n.parties)
        .filter(([, p]) => p.competitor === name)
        .map(([party, p]) => ({ n, party, p })),
    )
    const advantages = roles.map((r) => r.p.advantage)
    const m = mean(advantages)
    const sd = Math.sqrt(
      advantages.reduce((s, a) => s + (a - m) ** 2, 0) / Math.max(1, advantages.length - 1),
    )
    const half = ((T95[advantages.length - 1] ?? 1.96) * sd) / Math.sqrt(advantages.length)
    const breakdown = (key: (r: (typeof roles)[number]) => ReadonlyArray<string>) => {
      const groups = new Map<string, Array<number>>()
      for (const r of roles)
        for (const k of key(r)) groups.set(k, [...(groups.get(k) ?? []), r.p.advantage])
      return Object.fromEntries(
        [...groups].map(([k, xs]) => [k, { score: mean(xs), negotiations: xs.length }]),
      )
    }
    const agreed = roles.filter((r) => r.n.agreement !== null)
    return {
      competitor: name,
      score: m,
      interval: [m - half, m + half] as const,
      agreementRate: agreed.length / roles.length,
      meanUtility: mean(agreed.map((r) => r.p.utility ?? 0)),
      meanDiscounted: mean(roles.map((r) => r.p.discounted)),
      meanAdvantage: m,
      negotiations: roles.length,
      byScenario: breakdown((r) => [r.n.scenario]),
      byOpponent: breakdown((r) =>
        Object.entries(r.n.parties)
          .filter(([party]) => party !== r.party)
          .map(([, o]) => o.competitor),
      ),
    }
  })
  return entries.sort((a, b) => b.score - a.score)
}

/** A whole tournament under `out`: logs/, tournament.json. */
const tournament = async (out: string): Promise<TournamentResult> => {
  mkdirSync(join(out, "logs"), { recursive: true })
  const negotiations: Array<NegotiationResult> = []
  const scenarios: Array<{ name: string; parties: Array<string>; outcomes: number }> = []
  let seed = 1
  for (const name of DOMAINS) {
    const imported = await importDomain(name)
    const ids = imported.profiles.map((p) => p.party)
    scenarios.push({ name, parties: ids, outcomes: 0 })
    for (const a of COMPETITORS)
      for (const b of COMPETITORS) {
        if (a.name === b.name) continue // no self-play; both orders: role rotation
        const prepared = prepareDomain(imported, [a.strategy, b.strategy], {
          rounds: ROUNDS,
          profiles: [0, 1],
        })
        scenarios[scenarios.length - 1]!.outcomes = prepared.space.size
        for (let r = 0; r < REPETITIONS; r++)
          negotiations.push(
            await negotiate(
              prepared,
              name,
              { [ids[0]!]: a.name, [ids[1]!]: b.name },
              r,
              seed++,
              out,
            ),
          )
      }
  }
  const result: TournamentResult = {
    id: "report-test",
    seed: 1,
    score: "advantage",
    definition: { competitors: COMPETITORS, scenarios: DOMAINS, repetitions: REPETITIONS },
    scenarios,
    negotiations,
    ranking: rank(negotiations),
  }
  writeFileSync(join(out, "tournament.json"), JSON.stringify(result, null, 2))
  return result
}

describe("the tournament report", () => {
  const out = join(dir, "run")
  let result: TournamentResult
  let browser: Browser
  beforeAll(async () => {
    result = await tournament(out)
    if (!available) return
    browser = await launch()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("the tournament it reports is a real one: 24 negotiations, the hardliner taking more from the conceder than it gives", () => {
    expect(result.negotiations).toHaveLength(2 * 3 * 2 * REPETITIONS)
    // hardliner against hardliner is not played; against a conceder it wins the most.
    const hardliner = result.ranking.find((e) => e.competitor === "hardliner")!
    expect(hardliner.byOpponent.hardliner).toBeUndefined()
    expect(hardliner.byOpponent.conceder!.score).toBeGreaterThan(
      result.ranking.find((e) => e.competitor === "conceder")!.byOpponent.hardliner!.score,
    )
  })

  it.skipIf(!available)(
    "in chromium: ranks, draws the heat-map and links every negotiation to its run report, with no error and no request",
    async () => {
      const html = join(dir, "site", "t.html")
      mkdirSync(dirname(html), { recursive: true })
      const started = performance.now()
      const done = await cli(["report", "--tournament", out, "-o", html])
      const elapsed = performance.now() - started
      expect(done.stderr).toBe("")
      expect(done.code).toBe(0)
      expect(done.stdout).toContain("t.html")
      console.log(
        `parley report --tournament: ${result.negotiations.length} negotiations (page and run reports) in ${elapsed.toFixed(0)} ms, including the CLI's start`,
      )
      const url = pathToFileURL(html).href
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
      const n = COMPETITORS.length
      // The ranking, best first, as tournament.json has it.
      expect(await page.getByTestId("ranking-competitor").allTextContents()).toEqual(
        result.ranking.map((e) => e.competitor),
      )
      expect(await page.getByTestId("error-bar").count()).toBe(n)
      expect(await page.getByTestId("score-histogram").count()).toBe(n)
      // n × n cells; the diagonal is empty (no self-play), every other cell links to its pairing.
      expect(await page.getByTestId("heat-cell").count()).toBe(n * n)
      expect(await page.locator('[data-testid="heat-cell"][data-empty="true"]').count()).toBe(n)
      expect(await page.getByTestId("heat-link").count()).toBe(n * n - n)
      // The heat-map's first row, second column is the first competitor's mean against the second.
      const [first, second] = result.ranking
      expect(
        await page
          .locator('[data-testid="heatmap"] tbody tr')
          .first()
          .locator("td")
          .nth(1)
          .textContent(),
      ).toContain(first!.byOpponent[second!.competitor]!.score.toFixed(3))
      expect(await page.getByTestId("scenario-row").count()).toBe(DOMAINS.length)
      // Each negotiation appears once under its pair (two competitors per negotiation).
      expect(await page.getByTestId("negotiation-row").count()).toBe(result.negotiations.length)
      expect(await page.getByTestId("report-link").count()).toBe(result.negotiations.length)
      expect(await page.getByTestId("log-link").count()).toBe(result.negotiations.length)
      // Every link resolves: an anchor on the page or a file that exists.
      const hrefs = await page
        .locator("a[href]")
        .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href))
      expect(hrefs.length).toBeGreaterThan(2 * result.negotiations.length)
      for (const href of hrefs) {
        const target = new URL(href)
        if (target.hash !== "" && target.href.split("#")[0] === url) {
          expect(await page.locator(`[id="${target.hash.slice(1)}"]`).count(), href).toBe(1)
          continue
        }
        expect(target.protocol, href).toBe("file:")
        expect(existsSync(fileURLToPath(target)), href).toBe(true)
      }
      // The run reports sit beside the page (site/t-runs/), not in the tournament's folder:
      // the page and its reports travel together.
      const reports = await page
        .getByTestId("report-link")
        .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href))
      for (const r of reports)
        expect(fileURLToPath(r).startsWith(join(dir, "site", "t-runs") + sep), r).toBe(true)
      expect(existsSync(join(out, "reports"))).toBe(false)
      await page.screenshot({ path: join(artifacts, "report-tournament-1280.png"), fullPage: true })
      expect(errors).toEqual([])
      expect(requests).toEqual([])
      // A heat-map cell leads to its negotiations, and one of those to its run report.
      await page.getByTestId("heat-link").first().click()
      const reportLink = page.getByTestId("report-link").first()
      const target = await reportLink.evaluate((a) => (a as unknown as { href: string }).href)
      requests.length = 0
      await page.goto(target)
      expect(await page.getByTestId("timeline-lane").count()).toBeGreaterThanOrEqual(2)
      expect(await page.getByTestId("title").count()).toBe(1)
      expect(errors).toEqual([])
      expect(requests).toEqual([target])
      await page.close()
    },
    60_000,
  )

  it.skipIf(!available)(
    "in chromium: --logs-only links the logs and writes no run report; run reports newer than their logs are kept",
    async () => {
      const other = join(dir, "logs-only")
      mkdirSync(join(other, "logs"), { recursive: true })
      const few = result.negotiations.slice(0, 3)
      for (const n of few)
        writeFileSync(
          join(other, "logs", `${n.id}.jsonl`),
          readFileSync(join(out, "logs", `${n.id}.jsonl`)),
        )
      // One negotiation without its log is listed without links.
      writeFileSync(
        join(other, "tournament.json"),
        JSON.stringify({ ...result, negotiations: result.negotiations.slice(0, 4) }),
      )
      const html = join(other, "t.html")
      const data = await Effect.runPromise(fromTournament(other, { out: html, logsOnly: true }))
      writeFileSync(html, tournamentPage(data))
      expect(existsSync(join(other, "t-runs"))).toBe(false)
      expect(data.notices).toEqual([
        `1 negotiation of 4 has no log under ${join(other, "logs")}: it is listed without links.`,
      ])
      const page = await browser.newPage()
      await page.goto(pathToFileURL(html).href)
      expect(await page.getByTestId("report-link").count()).toBe(0)
      expect(await page.getByTestId("negotiation-row").count()).toBe(4)
      const logs = await page
        .getByTestId("log-link")
        .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href))
      expect(logs).toHaveLength(few.length)
      for (const l of logs) expect(existsSync(fileURLToPath(l))).toBe(true)
      await page.close()
      // With run reports: written once, then kept while they are newer than their logs.
      const first = await Effect.runPromise(fromTournament(other, { out: html }))
      expect(first.origin[0]).toContain("3 run reports written under")
      const again = await Effect.runPromise(fromTournament(other, { out: html }))
      expect(again.origin[0]).toContain("0 run reports written, 3 kept (newer than their logs)")
      expect([...again.links.values()].filter((l) => l.report !== undefined)).toHaveLength(3)
    },
    60_000,
  )
})

describe("a malformed tournament.json", () => {
  const bad = mkdtempSync(join(tmpdir(), "parley-tournament-bad-"))
  afterAll(() => {
    rmSync(bad, { recursive: true, force: true })
  })
  const problemOf = async (content: string | undefined) => {
    const d = mkdtempSync(join(bad, "t-"))
    if (content !== undefined) writeFileSync(join(d, "tournament.json"), content)
    const r = await Effect.runPromise(Effect.either(readTournament(d)))
    if (Either.isRight(r)) throw new Error("expected a failure")
    return { file: join(d, "tournament.json"), message: r.left.message }
  }
  const valid = {
    id: "x",
    seed: 1,
    score: "advantage",
    definition: {},
    scenarios: [],
    negotiations: [],
    ranking: [
      {
        competitor: "a",
        score: 0.1,
        interval: [0, 0.2],
        agreementRate: 1,
        meanUtility: 0.5,
        meanDiscounted: 0.5,
        meanAdvantage: 0.1,
        negotiations: 2,
        byScenario: {},
        byOpponent: {},
      },
    ],
  }

  it("is one line naming the file and what is wrong", async () => {
    const missing = await Effect.runPromise(Effect.either(readTournament(join(bad, "none"))))
    expect(Either.isLeft(missing) && missing.left.message).toMatch(
      /none\/tournament\.json: no such file/,
    )
    const notJson = await problemOf("{ not json")
    expect(notJson.message).toMatch(new RegExp(`^${notJson.file.replace(/\W/g, "\\$&")}: not JSON`))
    const badInterval = await problemOf(
      JSON.stringify({ ...valid, ranking: [{ ...valid.ranking[0], interval: [0] }] }),
    )
    expect(badInterval.message).toContain(`${badInterval.file}: ranking[0].interval`)
    const badScore = await problemOf(JSON.stringify({ ...valid, score: "wins" }))
    expect(badScore.message).toContain(`${badScore.file}: score: `)
    for (const p of [notJson, badInterval, badScore]) expect(p.message).not.toContain("\n")
  })

  it("refuses a negotiation id that is not a file name, and a competitor out of the ranking", async () => {
    const negotiation = {
      id: "../escape",
      scenario: "s",
      repetition: 0,
      seed: 1,
      assignment: { p: "a" },
      status: "agreed",
      rounds: 3,
      agreementTime: 0.5,
      agreement: { x: "1" },
      parties: { p: { competitor: "a", utility: 1, discounted: 1, reservation: 0, advantage: 1 } },
      socialWelfare: 1,
      distanceToPareto: 0,
      distanceToNash: 0,
      distanceToKS: 0,
      paretoOptimal: true,
    }
    expect(
      (await problemOf(JSON.stringify({ ...valid, negotiations: [negotiation] }))).message,
    ).toContain("negotiations[0].id: a negotiation id must be a file name")
    const stranger = {
      ...negotiation,
      id: "n1",
      parties: { p: { ...negotiation.parties.p, competitor: "b" } },
    }
    expect(
      (await problemOf(JSON.stringify({ ...valid, negotiations: [stranger] }))).message,
    ).toContain('negotiations[0].parties.p.competitor: "b" is not in the ranking')
  })

  it("through the CLI: a non-zero exit and one line on stderr", async () => {
    const d = mkdtempSync(join(bad, "cli-"))
    writeFileSync(join(d, "tournament.json"), JSON.stringify({ ...valid, seed: "one" }))
    const done = await cli(["report", "--tournament", d, "-o", join(d, "t.html")])
    expect(done.code).not.toBe(0)
    expect(done.stderr.trim().split("\n")).toEqual([
      `parley: ${join(d, "tournament.json")}: seed: Expected number, actual "one"`,
    ])
    expect(existsSync(join(d, "t.html"))).toBe(false)
  })
})

describe("tournament report escaping", () => {
  it("names, scenarios, ids and statuses from tournament.json never become markup", () => {
    const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`
    const party = {
      competitor: evil,
      utility: 0.5,
      discounted: 0.5,
      reservation: 0,
      advantage: 0.5,
    }
    const negotiation: NegotiationResult = {
      id: `<b onmouseover=alert(3)>`,
      scenario: evil,
      repetition: 0,
      seed: 1,
      assignment: { [evil]: evil, b: "b" },
      status: `agreed" onclick="alert(4)`,
      rounds: 3,
      agreementTime: 0.5,
      agreement: { [evil]: evil },
      parties: { [evil]: party, b: { ...party, competitor: "b" } },
      socialWelfare: 1,
      distanceToPareto: 0,
      distanceToNash: 0,
      distanceToKS: 0,
      paretoOptimal: true,
    }
    const entry = (competitor: string, opponent: string): RankingEntry => ({
      competitor,
      score: 0.5,
      interval: [0.4, 0.6],
      agreementRate: 1,
      meanUtility: 0.5,
      meanDiscounted: 0.5,
      meanAdvantage: 0.5,
      negotiations: 1,
      byScenario: { [evil]: { score: 0.5, negotiations: 1 } },
      byOpponent: { [opponent]: { score: 0.5, negotiations: 1 } },
    })
    const html = tournamentPage({
      result: {
        id: evil,
        seed: 1,
        score: "advantage",
        definition: {},
        scenarios: [{ name: evil, parties: [evil, "b"], outcomes: 2 }],
        negotiations: [negotiation],
        ranking: [entry(evil, "b"), entry("b", evil)],
      },
      dir: evil,
      links: new Map([[negotiation.id, { report: `r/${evil}.html`, log: `l/${evil}.jsonl` }]]),
      origin: [evil],
      notices: [evil],
    })
    expect(html).not.toContain("<script")
    expect(html).not.toContain("<img src=x")
    expect(html).not.toContain("<b onmouseover")
    expect(html).not.toContain('" onclick="')
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
  })
})

describe("the ranking table", () => {
  const entry = (competitor: string, score: number): RankingEntry => ({
    competitor,
    score,
    interval: [score - 0.1, score + 0.1],
    agreementRate: 1,
    meanUtility: 0.7,
    meanDiscounted: 0.6,
    meanAdvantage: score,
    negotiations: 2,
    byScenario: {},
    byOpponent: {},
  })
  const page = (score: "advantage" | "utility", ranking: ReadonlyArray<RankingEntry>) =>
    tournamentPage({
      result: {
        id: "t",
        seed: 1,
        score,
        definition: {},
        scenarios: [],
        negotiations: [],
        ranking: [...ranking],
      },
      dir: "t",
      links: new Map(),
      origin: [],
      notices: [],
    })
  const table = (html: string) => /<table data-testid="ranking">[\s\S]*?<\/table>/.exec(html)![0]

  it("marks tied scores with one shared rank and says what the mark means", () => {
    const html = table(
      page("advantage", [entry("a", 0.3), entry("b", 0.2), entry("c", 0.2), entry("d", 0.1)]),
    )
    const ranks = [...html.matchAll(/data-testid="rank"[^>]*>([^<]*)</g)].map((m) => m[1])
    expect(ranks).toEqual(["1", "2=", "2=", "4"])
    expect(html).toContain("“=” marks competitors whose scores are equal")
    const untied = table(page("advantage", [entry("a", 0.3), entry("b", 0.2)]))
    expect(untied).not.toContain("“=”")
  })

  it("prints the score's own mean once: no second column of the same figure", () => {
    const headers = (html: string) =>
      [...html.matchAll(/<th scope="col"[^>]*>([^<]*)</g)].map((m) => m[1])
    expect(headers(table(page("advantage", [entry("a", 0.3)])))).toEqual([
      "rank",
      "competitor",
      "advantage",
      "95% interval",
      "agreement rate",
      "mean utility",
      "mean discounted",
      "negotiations",
    ])
    expect(headers(table(page("utility", [entry("a", 0.3)])))).toContain("mean advantage")
    expect(headers(table(page("utility", [entry("a", 0.3)])))).not.toContain("mean utility")
  })
})
