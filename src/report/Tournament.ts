/**
 * The tournament report: `parley report --tournament DIR -o t.html` reads
 * `DIR/tournament.json` (a {@link TournamentResult}) and writes one
 * self-contained page (inline CSS and SVG, no script, nothing loaded from
 * the network): the ranking with each score's 95% interval drawn as an error
 * bar, the distribution of each competitor's score per negotiation, a
 * competitor × competitor heat-map of mean scores, a per-scenario breakdown,
 * and every negotiation grouped by pairing, each linked to its own run report
 * (`<page>-runs/<id>.html` beside the page, written from `DIR/logs/<id>.jsonl` with the run
 * report of a log) and to its log.
 *
 * Reading `tournament.json` and writing the run reports are in
 * TournamentData; this module draws the page.
 *
 * What had to be interpreted:
 * - A heat-map cell (row A, column B) is `ranking[A].byOpponent[B].score`, as
 *   the runner computed it; a cell without that entry (no self-play, or a
 *   pair that never met) is drawn empty. The cell links to the list of the
 *   negotiations where A and B met (one per negotiation, a static page has no
 *   filter), and each of those rows links to the negotiation's run report.
 * - A competitor's score in one negotiation (the distributions) is the
 *   ranking score of its party there: its advantage, discounted utility,
 *   utility (left out without agreement, as `meanUtility` is over agreements)
 *   or the negotiation's social welfare. A competitor playing two roles of
 *   one negotiation (self-play) counts once per role.
 * - The run reports are drawn from the logs alone: a log holds no
 *   preferences, so they show the timeline and the final state but no
 *   utility charts (give the scenario to `parley report <log> --scenario` for
 *   those).
 *
 * @since 0.2.0
 */
import type {
  NegotiationResult,
  PartyResult,
  RankingScore,
  TournamentResult,
} from "../tournament/Result.ts"
import { barChart } from "./BatchCharts.ts"
import { histogramBins } from "./BatchPage.ts"
import { page } from "./Page.ts"
import { colourOf, esc, fmt, linear, n2, pct, plural, ticks } from "./Svg.ts"
import type { NegotiationLinks, TournamentData } from "./TournamentData.ts"

// ---------------------------------------------------------------------------
// The page

const SCORE_LABELS: Record<RankingScore, string> = {
  advantage: "advantage (discounted utility minus discounted reservation value)",
  utility: "utility of the agreement (undiscounted)",
  discounted: "discounted utility",
  socialWelfare: "social welfare (sum of the discounted utilities)",
}

/** A party's ranking score in one negotiation (null: utility without agreement). */
const partyScore = (n: NegotiationResult, p: PartyResult, score: RankingScore): number | null =>
  score === "advantage"
    ? p.advantage
    : score === "discounted"
      ? p.discounted
      : score === "utility"
        ? p.utility
        : n.socialWelfare

/** A competitor's scores in one negotiation, one per party it played (see the header). */
const scoresIn = (n: NegotiationResult, competitor: string, score: RankingScore) =>
  Object.values(n.parties)
    .filter((p) => p.competitor === competitor)
    .map((p) => partyScore(n, p, score))
    .filter((s): s is number => s !== null)

const anchorOf = (i: number, j: number) => `pair-${Math.min(i, j)}-${Math.max(i, j)}`

/** The error bar of one ranking row: the mean and its 95% interval on the table's common scale. */
const errorBar = (
  e: TournamentResult["ranking"][number],
  x: (v: number) => number,
  zero: number | undefined,
  colour: string,
) => {
  const W = 220
  const [lo, hi] = e.interval
  return `<svg class="ci" viewBox="0 0 ${W} 22" width="${W}" height="22" role="img" aria-label="${esc(`mean ${fmt(e.score, 3)}, 95% interval ${fmt(lo, 3)} to ${fmt(hi, 3)}`)}" data-testid="error-bar">${zero === undefined ? "" : `<line x1="${n2(zero)}" x2="${n2(zero)}" y1="1" y2="21" stroke="#9ca3af" stroke-dasharray="3 2"/>`}<line x1="${n2(x(lo))}" x2="${n2(x(hi))}" y1="11" y2="11" stroke="${colour}" stroke-width="2"/><line x1="${n2(x(lo))}" x2="${n2(x(lo))}" y1="5" y2="17" stroke="${colour}" stroke-width="2"/><line x1="${n2(x(hi))}" x2="${n2(x(hi))}" y1="5" y2="17" stroke="${colour}" stroke-width="2"/><circle cx="${n2(x(e.score))}" cy="11" r="4.5" fill="${colour}" stroke="#111827"/></svg>`
}

const rankingTable = (r: TournamentResult, colour: (c: string) => string) => {
  const W = 220
  const lows = r.ranking.map((e) => Math.min(e.interval[0], e.score))
  const highs = r.ranking.map((e) => Math.max(e.interval[1], e.score))
  const lo = Math.min(...lows)
  const hi = Math.max(...highs)
  const pad = (hi - lo) * 0.05 || 0.05
  const x = linear(lo - pad, hi + pad, 8, W - 8)
  const zero = lo - pad < 0 && hi + pad > 0 ? x(0) : undefined
  const scale = ticks(lo - pad, hi + pad, 3)
    .map((t) => fmt(t))
    .join(" · ")
  // The means beside the score, less the one the score already is.
  const means = (
    [
      ["utility", "mean utility", (e) => e.meanUtility],
      ["discounted", "mean discounted", (e) => e.meanDiscounted],
      ["advantage", "mean advantage", (e) => e.meanAdvantage],
    ] as const satisfies ReadonlyArray<
      readonly [RankingScore, string, (e: TournamentResult["ranking"][number]) => number]
    >
  ).filter(([score]) => score !== r.score)
  // A competitor's rank is one more than the number scoring strictly higher, so tied
  // scores share a rank, marked "=".
  const rankOf = (score: number) => 1 + r.ranking.filter((o) => o.score > score).length
  const tied = (score: number) => r.ranking.filter((o) => o.score === score).length > 1
  const ties = r.ranking.some((e) => tied(e.score))
  return `<div class="table-wrap"><table data-testid="ranking"><caption class="meta" style="caption-side:bottom;text-align:left">Error bars share one scale from ${fmt(lo - pad)} to ${fmt(hi + pad)} (ticks ${esc(scale)})${zero === undefined ? "" : "; the dashed line is 0"}. The interval is the 95% confidence interval of the mean (Student's t).${ties ? " “=” marks competitors whose scores are equal: they share the rank." : ""}</caption><thead><tr><th scope="col" class="num">rank</th><th scope="col">competitor</th><th scope="col" class="num">${esc(r.score)}</th><th scope="col">95% interval</th><th scope="col" class="num">agreement rate</th>${means.map(([, label]) => `<th scope="col" class="num">${label}</th>`).join("")}<th scope="col" class="num">negotiations</th></tr></thead><tbody>${r.ranking
    .map(
      (e) =>
        `<tr data-testid="ranking-row"><td class="num" data-testid="rank"${tied(e.score) ? ` title="tied: ${r.ranking.filter((o) => o.score === e.score).length} competitors share this score"` : ""}>${rankOf(e.score)}${tied(e.score) ? "=" : ""}</td><th scope="row" data-testid="ranking-competitor"><span class="dot" style="background:${colour(e.competitor)}"></span>${esc(e.competitor)}</th><td class="num"><b>${fmt(e.score, 3)}</b></td><td>${errorBar(e, x, zero, colour(e.competitor))}<br><span class="meta">${fmt(e.interval[0], 3)} … ${fmt(e.interval[1], 3)}</span></td><td class="num">${pct(e.agreementRate)}</td>${means.map(([, , of]) => `<td class="num">${fmt(of(e), 3)}</td>`).join("")}<td class="num">${e.negotiations}</td></tr>`,
    )
    .join("")}</tbody></table></div>`
}

/** One histogram per competitor of its score per negotiation, agreed and not, on a common scale. */
const distributions = (r: TournamentResult, colour: (c: string) => string) => {
  const per = r.ranking.map((e) => {
    const agreed: Array<number> = []
    const failed: Array<number> = []
    for (const n of r.negotiations)
      for (const s of scoresIn(n, e.competitor, r.score))
        (n.agreement === null ? failed : agreed).push(s)
    return { e, agreed, failed }
  })
  const all = per.flatMap((p) => [...p.agreed, ...p.failed])
  if (all.length === 0) return `<p class="notice">No negotiation has a score to draw.</p>`
  const lo = Math.min(0, ...all)
  const hi = Math.max(lo + 1e-9, ...all)
  const bins = 20
  const width = (hi - lo) / bins
  const count = (values: ReadonlyArray<number>) => histogramBins(values, lo, hi, bins).counts
  return `<div class="panels">${per
    .map(({ e, agreed, failed }) => {
      const a = count(agreed)
      const b = count(failed)
      const values = [...agreed, ...failed]
      const mean =
        values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length
      return barChart({
        title: `Score of ${e.competitor}`,
        desc: `Histogram of ${e.competitor}'s ${r.score} in each of its ${plural(values.length, "negotiation role")}, in ${bins} bins from ${fmt(lo)} to ${fmt(hi)}; ${agreed.length} with agreement, ${failed.length} without; mean ${fmt(mean, 3)}.`,
        bars: a.map((c, i) => ({
          label: fmt(lo + i * width, 2),
          values: [c, b[i]!],
          hover: `${fmt(lo + i * width)}–${fmt(lo + (i + 1) * width)}: ${c} agreed, ${b[i]} without agreement`,
        })),
        series: [
          { label: "agreed", colour: colour(e.competitor) },
          { label: "no agreement", colour: "#c7ccd4" },
        ],
        xLabel: `${r.score} of ${e.competitor} →`,
        yLabel: "negotiations",
        testid: "score-histogram",
        ...(Number.isFinite(mean)
          ? { markers: [{ at: (mean - lo) / width, label: `mean ${fmt(mean, 3)}` }] }
          : {}),
      })
    })
    .join("")}</div>`
}

/** Sequential blues, light to dark; the text turns white on the dark end. */
const heatColour = (t: number) => {
  const from = [239, 246, 255]
  const to = [8, 69, 148]
  const c = from.map((f, k) => Math.round(f + (to[k]! - f) * Math.min(1, Math.max(0, t))))
  return `rgb(${c.join(",")})`
}

const heatMap = (r: TournamentResult, pairs: Pairs) => {
  const names = r.ranking.map((e) => e.competitor)
  const cells = r.ranking.flatMap((e) =>
    names.map((o) => e.byOpponent[o]?.score).filter((s): s is number => s !== undefined),
  )
  const lo = cells.length === 0 ? 0 : Math.min(...cells)
  const hi = cells.length === 0 ? 1 : Math.max(...cells)
  const t = linear(lo, hi, 0, 1)
  const legend = `<div class="legend" aria-hidden="true"><span class="key">${fmt(lo, 3)}</span><svg viewBox="0 0 160 14" width="160" height="14">${Array.from({ length: 16 }, (_, k) => `<rect x="${k * 10}" width="10" height="14" fill="${heatColour(k / 15)}"/>`).join("")}</svg><span class="key">${fmt(hi, 3)}</span><span class="key">row's mean ${esc(r.score)} against the column</span></div>`
  return `<div class="table-wrap"><table class="heat" data-testid="heatmap" style="width:auto"><caption class="meta" style="caption-side:bottom;text-align:left">Each cell: the row competitor's mean ${esc(r.score)} in the negotiations it played against the column competitor, and how many; darker is higher. A cell links to those negotiations.</caption><thead><tr><th scope="col">row against column →</th>${names.map((o) => `<th scope="col" class="num" style="min-width:7em">${esc(o)}</th>`).join("")}</tr></thead><tbody>${r.ranking
    .map(
      (e, i) =>
        `<tr><th scope="row">${esc(e.competitor)}</th>${names
          .map((o, j) => {
            const cell = e.byOpponent[o]
            if (cell === undefined)
              return `<td class="num" data-testid="heat-cell" data-empty="true" style="background:#f3f4f6;color:#6b7280" title="${esc(`${e.competitor} never met ${o}`)}">–</td>`
            const shade = t(cell.score)
            const hover = esc(
              `${e.competitor} against ${o}: mean ${fmt(cell.score, 3)} over ${plural(cell.negotiations, "negotiation")}`,
            )
            const text = `${fmt(cell.score, 3)}<br><span style="font-size:.75rem">n=${cell.negotiations}</span>`
            return `<td class="num" data-testid="heat-cell" style="background:${heatColour(shade)};color:${shade > 0.55 ? "#ffffff" : "#111827"}">${pairs.has(anchorOf(i, j)) ? `<a href="#${anchorOf(i, j)}" style="color:inherit" data-testid="heat-link" title="${hover}">${text}</a>` : `<span title="${hover}">${text}</span>`}</td>`
          })
          .join("")}</tr>`,
    )
    .join("")}</tbody></table></div>${legend}`
}

const scenarioTables = (r: TournamentResult) => {
  const names = r.scenarios.map((s) => s.name)
  for (const n of r.negotiations) if (!names.includes(n.scenario)) names.push(n.scenario)
  const summary = names.map((name) => {
    const s = r.scenarios.find((x) => x.name === name)
    const ns = r.negotiations.filter((n) => n.scenario === name)
    const agreed = ns.filter((n) => n.agreement !== null)
    const mean = (xs: ReadonlyArray<number>) =>
      xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length
    const pareto = ns.filter((n) => n.paretoOptimal !== null)
    return `<tr data-testid="scenario-row"><th scope="row">${esc(name)}</th><td>${s === undefined ? "–" : s.parties.map(esc).join(", ")}</td><td class="num">${s === undefined ? "–" : s.outcomes.toLocaleString("en-GB")}</td><td class="num">${ns.length}</td><td class="num">${ns.length === 0 ? "–" : pct(agreed.length / ns.length)}</td><td class="num">${fmt(mean(ns.map((n) => n.rounds)), 1)}</td><td class="num">${fmt(mean(ns.map((n) => n.socialWelfare)), 3)}</td><td class="num">${fmt(mean(ns.flatMap((n) => (n.distanceToPareto === null ? [] : [n.distanceToPareto]))), 3)}</td><td class="num">${pareto.length === 0 ? "–" : pct(pareto.filter((n) => n.paretoOptimal).length / pareto.length)}</td></tr>`
  })
  const byCompetitor = r.ranking.map(
    (e) =>
      `<tr><th scope="row">${esc(e.competitor)}</th>${names
        .map((s) => {
          const b = e.byScenario[s]
          return b === undefined
            ? `<td class="num">–</td>`
            : `<td class="num">${fmt(b.score, 3)} <span class="meta">(${b.negotiations})</span></td>`
        })
        .join("")}</tr>`,
  )
  return `<h3>Scenarios</h3><div class="table-wrap"><table data-testid="scenarios"><thead><tr><th scope="col">scenario</th><th scope="col">parties</th><th scope="col" class="num">outcomes</th><th scope="col" class="num">negotiations</th><th scope="col" class="num">agreement rate</th><th scope="col" class="num">mean rounds</th><th scope="col" class="num">mean social welfare</th><th scope="col" class="num">mean distance to Pareto</th><th scope="col" class="num">Pareto-optimal</th></tr></thead><tbody>${summary.join("")}</tbody></table></div><h3>Mean ${esc(r.score)} per scenario</h3><div class="table-wrap"><table data-testid="by-scenario"><thead><tr><th scope="col">competitor</th>${names.map((s) => `<th scope="col" class="num">${esc(s)}</th>`).join("")}</tr></thead><tbody>${byCompetitor.join("")}</tbody></table></div>`
}

const negotiationRow = (
  n: NegotiationResult,
  links: NegotiationLinks | undefined,
  score: RankingScore,
) => {
  const report = links?.report
  const log = links?.log
  const idCell =
    report === undefined
      ? esc(n.id)
      : `<a href="${esc(report)}" data-testid="report-link">${esc(n.id)}</a>`
  const scores = Object.entries(n.parties)
    .map(([party, p]) => {
      const s = partyScore(n, p, score)
      return `${esc(party)} (${esc(p.competitor)}) ${s === null ? "–" : fmt(s, 3)}`
    })
    .join("<br>")
  return `<tr data-testid="negotiation-row"><td class="terms">${idCell}${log === undefined ? "" : ` <a href="${esc(log)}" class="meta" data-testid="log-link">log</a>`}</td><td>${esc(n.scenario)}</td><td class="num">${n.repetition}</td><td><span class="badge ${esc(n.status)}">${esc(n.status)}</span></td><td class="num">${n.rounds}</td><td class="num">${n.agreementTime === null ? "–" : fmt(n.agreementTime, 3)}</td><td>${scores}</td></tr>`
}

type Pairs = ReadonlyMap<string, { i: number; j: number; rows: Array<NegotiationResult> }>

/** The negotiations of each pair of competitors that met (by ranking index, anchored as {@link anchorOf}). */
const pairsOf = (r: TournamentResult): Pairs => {
  const index = new Map(r.ranking.map((e, i) => [e.competitor, i] as const))
  const groups = new Map<string, { i: number; j: number; rows: Array<NegotiationResult> }>()
  for (const n of r.negotiations) {
    const who = Object.values(n.parties).map((p) => index.get(p.competitor) ?? -1)
    const seen = new Set<string>()
    for (let a = 0; a < who.length; a++)
      for (let b = a + 1; b < who.length; b++) {
        const key = anchorOf(who[a]!, who[b]!)
        if (seen.has(key)) continue
        seen.add(key)
        const g = groups.get(key) ?? {
          i: Math.min(who[a]!, who[b]!),
          j: Math.max(who[a]!, who[b]!),
          rows: [],
        }
        g.rows.push(n)
        groups.set(key, g)
      }
  }
  return groups
}

/** Every negotiation, grouped by the pair of competitors that met in it. */
const pairings = (data: TournamentData, groups: Pairs) => {
  const r = data.result
  const sorted = [...groups.entries()].sort((x, y) => x[1].i - y[1].i || x[1].j - y[1].j)
  const names = (k: number) => r.ranking[k]?.competitor ?? "?"
  return sorted
    .map(
      ([key, g]) =>
        `<h3 id="${key}" data-testid="pair">${esc(names(g.i))} and ${esc(names(g.j))} <span class="meta">(${plural(g.rows.length, "negotiation")})</span></h3><div class="table-wrap"><table><thead><tr><th scope="col">negotiation</th><th scope="col">scenario</th><th scope="col" class="num">repetition</th><th scope="col">status</th><th scope="col" class="num">rounds</th><th scope="col" class="num">agreement time</th><th scope="col">${esc(r.score)} per party (competitor)</th></tr></thead><tbody>${g.rows
          .map((n) => negotiationRow(n, data.links.get(n.id), r.score))
          .join("")}</tbody></table></div>`,
    )
    .join("")
}

/** The body of the tournament report. */
export const tournamentBody = (data: TournamentData): string => {
  const r = data.result
  const colours = new Map(r.ranking.map((e, i) => [e.competitor, colourOf(i)] as const))
  const colour = (c: string) => colours.get(c) ?? "#4b5563"
  const agreed = r.negotiations.filter((n) => n.agreement !== null).length
  const best = r.ranking[0]
  const anyLinks = [...data.links.values()].some((l) => l.report !== undefined)
  const pairs = pairsOf(r)
  return [
    `<header><p class="meta">parley tournament report</p><h1 data-testid="title">${esc(r.id)}</h1>`,
    data.origin.map((o) => `<p class="meta">${esc(o)}</p>`).join(""),
    data.notices.map((n) => `<p class="notice" role="note">${esc(n)}</p>`).join(""),
    `</header><div class="kpis"><div class="kpi"><b>${r.ranking.length}</b><span>competitors</span></div><div class="kpi"><b>${r.negotiations.length.toLocaleString("en-GB")}</b><span>negotiations on ${plural(r.scenarios.length, "scenario")}</span></div><div class="kpi"><b>${r.negotiations.length === 0 ? "–" : pct(agreed / r.negotiations.length)}</b><span>agreement rate</span></div>${best === undefined ? "" : `<div class="kpi"><b>${esc(best.competitor)}</b><span>ranks first, ${esc(r.score)} ${fmt(best.score, 3)}</span></div>`}</div>`,
    `<section aria-labelledby="h-rank"><h2 id="h-rank">Ranking</h2><p class="meta">Competitors ranked by their mean ${esc(SCORE_LABELS[r.score])} over their negotiations, best first.</p>${rankingTable(r, colour)}</section>`,
    `<section aria-labelledby="h-dist"><h2 id="h-dist">Score distributions</h2><p class="meta">Each competitor's ${esc(r.score)} in each negotiation it played (once per role it held), on one scale; grey parts are negotiations without agreement${r.score === "utility" ? " (left out for utility, which exists only with an agreement)" : ""}. The dashed line is the mean.</p>${distributions(r, colour)}</section>`,
    `<section aria-labelledby="h-heat"><h2 id="h-heat">Head to head</h2>${heatMap(r, pairs)}</section>`,
    `<section aria-labelledby="h-scen"><h2 id="h-scen">Per scenario</h2>${scenarioTables(r)}</section>`,
    `<section aria-labelledby="h-neg"><h2 id="h-neg">Negotiations by pairing</h2><p class="meta">${anyLinks ? "Each negotiation id links to its run report (timeline and final state, replayed from its log); “log” links to the event log itself." : "Each negotiation links to its event log (run reports were not written)."}</p>${pairings(data, pairs)}</section>`,
  ].join("")
}

/** A complete, self-contained tournament report. */
export const tournamentPage = (data: TournamentData, generatedAt?: string): string =>
  page({
    title: `${data.result.id} — parley tournament report`,
    body: `${tournamentBody(data)}<footer>Generated by parley${generatedAt === undefined ? "" : ` on ${esc(generatedAt)}`}. This file is self-contained: it loads nothing from the network; its links lead to files beside it.</footer>`,
  })
