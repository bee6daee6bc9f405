/**
 * Whole report pages: the frame of every self-contained HTML file (inline
 * CSS and SVG, no script, a Content-Security-Policy that forbids any network
 * request) and the run report drawn in it; the batch report is drawn in the
 * same frame by BatchPage. The body of a run report is also what the live
 * page swaps in as events arrive.
 *
 * @since 0.1.0
 */

import type { Terms } from "../domain/Issue.ts"
import type { PartyState, StateView } from "../domain/View.ts"
import { nameOf, partyColours, termsText } from "./ChartParts.ts"
import { type Footnotes, footnotes, type Move, type Preferences } from "./Model.ts"
import { esc, fmt, formatDate, plural } from "./Svg.ts"
import { timeline, timelineLegend } from "./TimelineChart.ts"
import { concessionPanels, utilitySpace } from "./UtilityCharts.ts"

/** The inline style sheet of every page. */
export const CSS = `
:root{--fg:#111827;--muted:#4b5563;--line:#e5e7eb;--bg:#ffffff;--soft:#f9fafb;--accent:#0072B2}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:20px 20px 48px}
h1{font-size:1.55rem;line-height:1.25;margin:.2em 0 .3em}
h2{font-size:1.2rem;margin:2em 0 .4em;padding-top:.6em;border-top:1px solid var(--line)}
h3{font-size:1rem;margin:1.2em 0 .3em}
p{margin:.4em 0}
.lede{color:var(--muted);max-width:75ch}
.meta{color:var(--muted);font-size:.9rem}
.badges{display:flex;flex-wrap:wrap;gap:8px;margin:.6em 0}
.badge{display:inline-block;border-radius:999px;padding:2px 10px;font-size:.85rem;background:#eef2f7;color:#1f2937;border:1px solid #d7dde5}
.badge.agreed{background:#fef3c7;border-color:#d4a017}
.badge.expired,.badge.collapsed{background:#fee2e2;border-color:#e3a1a1}
.notice{background:#fff7ed;border:1px solid #fdba74;border-radius:6px;padding:8px 12px;margin:.8em 0;max-width:80ch}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
svg.chart{display:block;width:100%;height:auto;font-family:inherit}
.scroll>svg.chart{min-width:760px}
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:16px;align-items:start}
.panel{margin:0;background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:8px}
.panel.space,.panel.curve{max-width:620px}
svg text{fill:#1f2937}
svg .note,svg .sol,svg .agree,svg .ref{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
svg .tick{font-size:11px;fill:#4b5563}
svg .axis{font-size:12.5px;fill:#111827;font-weight:600}
svg .lane{font-size:13px;font-weight:700}
svg .sub{font-size:11px;fill:#4b5563}
svg .note{font-size:11px;fill:#374151}
svg .zopa{fill:#166534}
svg .ref{font-size:10px;fill:#111827;font-weight:600}
svg .sol{font-size:12px;font-weight:700;fill:#111827}
svg .agree{font-size:12px;font-weight:700;fill:#7c5a00}
svg g[tabindex]:focus{outline:2px solid var(--accent)}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:8px 0 4px;font-size:.88rem;color:#1f2937}
.legend .key{display:inline-flex;align-items:center;gap:6px}
.legend .sep{flex-basis:100%;height:0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;vertical-align:baseline}
.st{font-size:.8rem;border-radius:4px;padding:1px 6px;border:1px solid #d1d5db;white-space:nowrap}
.st.reported{border-style:dashed;border-color:#9a3412;color:#9a3412}
.st.official{background:#eef2ff}
.st.simulated{background:#f3f4f6}
.terms{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem}
ol.sources li{margin:.3em 0}
.sources q{color:#374151}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:1em 0}
.kpi{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.kpi b{display:block;font-size:1.6rem;line-height:1.2}
.kpi span{color:var(--muted);font-size:.85rem}
.agreement{background:#fffbeb;border:1px solid #f3d27a;border-radius:8px;padding:10px 14px}
footer{margin-top:3em;color:var(--muted);font-size:.82rem}
@media (max-width:600px){main{padding:12px}h1{font-size:1.25rem}.scroll>svg.chart{min-width:640px}th,td{padding:4px 5px}}
`

/** A static page's policy: no script, no request of any kind; inline styles and images only. */
const STATIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

/** A complete HTML document. */
export const page = (o: {
  readonly title: string
  readonly body: string
  readonly csp?: string
  readonly script?: string
}): string =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(o.csp ?? STATIC_CSP)}">
<title>${esc(o.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main id="report">${o.body}</main>
${o.script === undefined ? "" : `<script>${o.script}</script>`}
</body>
</html>
`

/** Everything a run report shows. */
export interface RunData {
  readonly view: StateView
  readonly moves: ReadonlyArray<Move>
  /** The scenario's preferences; `undefined` skips the utility charts. */
  readonly preferences: Preferences | undefined
  /** Where the data came from (one line each: the scenario and seed, the log...). */
  readonly origin: ReadonlyArray<string>
  /** Things the reader must know (charts skipped, a negotiation chosen among several). */
  readonly notices: ReadonlyArray<string>
  /** The scenario author's assumptions. */
  readonly assumptions: ReadonlyArray<string>
}

const statusBadge = (status: string) =>
  `<span class="badge ${esc(status)}" data-testid="status">${esc(status)}</span>`

const utilitiesText = (preferences: Preferences | undefined) =>
  preferences === undefined || preferences.evaluators.length === 0
    ? undefined
    : (terms: Terms) =>
        `utility: ${preferences.evaluators.map((e) => `${e.party} ${fmt(e.utility(terms))}`).join(" · ")}`

const safeUrl = (url: string | undefined) =>
  url !== undefined && /^https?:\/\//i.test(url) ? url : undefined

const sourcesList = (notes: Footnotes) =>
  notes.sources.length === 0
    ? "<p class='meta'>No move in this negotiation cites a source.</p>"
    : `<ol class="sources" data-testid="footnotes">${notes.sources
        .map((s, i) => {
          const url = safeUrl(s.url)
          return `<li id="src-${i + 1}"><b>${esc(s.reportedBy)}</b>${s.where === undefined ? "" : `, ${esc(s.where)}`}${s.reportedAt === undefined ? "" : `, ${esc(formatDate(s.reportedAt))}`}${url === undefined ? (s.url === undefined ? "" : `, ${esc(s.url)}`) : `, <a href="${esc(url)}" rel="noreferrer noopener">${esc(url)}</a>`}${s.quote === undefined ? "" : `: <q>${esc(s.quote)}</q>`}</li>`
        })
        .join("")}</ol>`

const refs = (notes: Footnotes, version: number) => {
  const r = notes.byMove.get(version)
  return r === undefined
    ? ""
    : `<sup>${r.map((k) => `<a href="#src-${k}">[${k}]</a>`).join("")}</sup>`
}

const partyCell = (parties: ReadonlyArray<PartyState>, id: string) => {
  const colour = partyColours(parties)
  return `<span class="dot" style="background:${colour(id)}"></span>${esc(id)}`
}

const stateTables = (data: RunData, notes: Footnotes) => {
  const { view, preferences } = data
  const out: Array<string> = []
  const positionOf = (p: PartyState) => {
    if (p.position === undefined) return "<span class='meta'>none stated</span>"
    const m = data.moves.find((x) => x.version === p.position!.version)
    return `<span class="terms">${esc(termsText(p.position.demands))}</span> <span class="st ${esc(p.position.provenance.status)}">${esc(p.position.provenance.status)}</span>${m === undefined ? "" : refs(notes, m.version)}${p.position.statement === undefined ? "" : `<br><q>${esc(p.position.statement)}</q>`}`
  }
  out.push(
    `<h3>Parties</h3><div class="table-wrap"><table data-testid="parties-table"><thead><tr><th scope="col">party</th><th scope="col">name</th><th scope="col">role</th><th scope="col">at the table</th><th scope="col">stated position</th></tr></thead><tbody>${view.parties
      .map(
        (p) =>
          `<tr><td>${partyCell(view.parties, p.id)}</td><td>${esc(p.name)}</td><td>${esc(p.role)}</td><td>${p.present ? "yes" : "walked out"}</td><td>${positionOf(p)}</td></tr>`,
      )
      .join("")}</tbody></table></div>`,
  )
  out.push(
    `<h3>Issues</h3><div class="table-wrap"><table><thead><tr><th scope="col">issue</th><th scope="col">options</th></tr></thead><tbody>${view.issues
      .map(
        (i) =>
          `<tr><td><b>${esc(i.id)}</b>${i.label === undefined ? "" : `<br><span class="meta">${esc(i.label)}</span>`}</td><td>${i.kind === "discrete" ? i.options.map(esc).join(" · ") : `${esc(i.kind)} ${esc(i.min)} … ${esc(i.max)}`}</td></tr>`,
      )
      .join("")}</tbody></table></div>`,
  )
  const evaluators = preferences?.evaluators ?? []
  out.push(
    `<h3>Offers (${view.offers.length})</h3><div class="table-wrap"><table data-testid="offers-table"><thead><tr><th scope="col">#</th><th scope="col">offer</th><th scope="col">by → to</th><th scope="col">terms</th>${evaluators.map((e) => `<th scope="col" class="num" title="utility for ${esc(e.party)}">u(${esc(nameOf(view.parties, e.party))})</th>`).join("")}<th scope="col">status</th><th scope="col">provenance</th><th scope="col">answers</th></tr></thead><tbody>${view.offers
      .map((o, i) => {
        const reported = o.provenance.status === "reported" && !o.confirmed
        return `<tr data-testid="offer-row"><td class="num">${i + 1}</td><td>${esc(o.offerId)}<br><span class="meta">v${o.version} · ${esc(formatDate(o.madeAt))}</span></td><td>${partyCell(view.parties, o.by)} → ${o.to.map(esc).join(", ")}</td><td class="terms">${esc(termsText(o.terms))}</td>${evaluators.map((e) => `<td class="num">${fmt(e.utility(o.terms))}</td>`).join("")}<td>${esc(o.status)}</td><td><span class="st ${reported ? "reported" : "official"}">${reported ? "reported" : o.provenance.status === "reported" ? "confirmed" : "official"}</span>${refs(notes, o.version)}</td><td>${o.responses.map((r) => `${esc(r.by)} ${esc(r.answer)}${r.provenance.status === "reported" ? " (reported)" : ""}`).join("<br>")}</td></tr>`
      })
      .join("")}</tbody></table></div>`,
  )
  const a = view.agreement
  out.push(
    a === null
      ? `<h3>Agreement</h3><p data-testid="agreement">No agreement${view.endedBecause === undefined ? "" : ` — ${esc(view.endedBecause)}`}${view.acceptedOffer === null ? "" : `; offer ${esc(view.acceptedOffer)} awaits ratification`}.</p>`
      : `<h3>Agreement</h3><div class="agreement" data-testid="agreement"><p><b>Offer ${esc(a.offerId)}</b>, ${esc(formatDate(a.at))} (version ${a.version}), accepted by ${a.acceptedBy.map(esc).join(", ")}${a.ratifiedBy.length > 0 ? `, ratified by ${a.ratifiedBy.map(esc).join(", ")}` : ""}.</p><p class="terms">${esc(termsText(a.terms))}</p>${
          evaluators.length === 0
            ? ""
            : `<p>${evaluators.map((e) => `${esc(e.party)}: utility ${fmt(e.utility(a.terms))} (no deal ${fmt(e.reservation)})`).join(" · ")}</p>`
        }</div>`,
  )
  return out.join("")
}

/** The solution points and the agreement, with their terms and every party's utility. */
const referenceTable = (view: StateView, preferences: Preferences): string => {
  const a = preferences.analysis
  const rows: Array<[string, Terms]> = []
  if (a?.nash !== undefined) rows.push(["Nash (max product of gains)", a.nash.terms])
  if (a?.kalaiSmorodinsky !== undefined)
    rows.push(["Kalai-Smorodinsky (gains in proportion)", a.kalaiSmorodinsky.terms])
  if (a?.egalitarian !== undefined)
    rows.push(["egalitarian (smallest spread)", a.egalitarian.terms])
  if (a?.maxWelfare !== undefined) rows.push(["max welfare (largest sum)", a.maxWelfare.terms])
  if (view.agreement !== null)
    rows.push([`agreement ${view.agreement.offerId}`, view.agreement.terms])
  if (rows.length === 0) return ""
  const ev = preferences.evaluators
  return `<div class="panel"><h3 style="margin-top:.2em">Reference points</h3><div class="table-wrap"><table data-testid="reference-points"><thead><tr><th scope="col">point</th><th scope="col">terms</th>${ev.map((e) => `<th scope="col" class="num" title="utility for ${esc(e.party)}">${esc(nameOf(view.parties, e.party))}</th>`).join("")}</tr></thead><tbody>${rows
    .map(
      ([label, terms]) =>
        `<tr><td>${esc(label)}</td><td class="terms">${esc(termsText(terms))}</td>${ev.map((e) => `<td class="num">${fmt(e.utility(terms))}</td>`).join("")}</tr>`,
    )
    .join(
      "",
    )}</tbody></table></div>${a === undefined ? "" : `<p class="meta">Opposition ${fmt(a.opposition)} (distance from the frontier to everyone's best); ${plural(a.outcomes, "outcome")}, ${plural(a.individuallyRational, "outcome")} better than no deal for all${a.excludedByRedLines > 0 ? `, ${plural(a.excludedByRedLines, "outcome")} excluded by red lines` : ""}.</p>`}</div>`
}

/** The body of a run report (without the page around it); the live page swaps it in. */
export const runBody = (data: RunData): string => {
  const { view, moves, preferences } = data
  const notes = footnotes(moves)
  const offers = view.offers.length
  const simulated = moves.filter((m) => m.status === "simulated").length
  const reported = moves.filter((m) => m.status === "reported").length
  const human = moves.filter((m) => m.status === "human").length
  const out: Array<string> = [
    `<header><p class="meta">parley negotiation report</p><h1 data-testid="title">${esc(view.title || "(untitled negotiation)")}</h1>`,
    view.description === undefined ? "" : `<p class="lede">${esc(view.description)}</p>`,
    `<div class="badges">${statusBadge(view.status)}<span class="badge">${esc(view.negotiationId ?? "")}</span><span class="badge">${plural(view.version, "event")}</span><span class="badge">${plural(offers, "offer")}</span>${reported > 0 ? `<span class="badge">${plural(reported, "reported move")}</span>` : ""}${simulated > 0 ? `<span class="badge">${plural(simulated, "simulated move")}</span>` : ""}${human > 0 ? `<span class="badge">${plural(human, "move")} by a person</span>` : ""}</div>`,
    data.origin.map((o) => `<p class="meta">${esc(o)}</p>`).join(""),
    data.notices.map((n) => `<p class="notice" role="note">${esc(n)}</p>`).join(""),
    "</header>",
    `<section aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2><p class="meta">One lane per party; hover or focus a mark for the move, its terms and its sources. Numbers in brackets are the sources listed below.</p>`,
    `<div class="scroll">${timeline({ view, moves, notes, utilities: utilitiesText(preferences) })}</div>`,
    timelineLegend(moves),
    `<h3>Sources</h3>${sourcesList(notes)}</section>`,
  ]
  if (preferences === undefined || preferences.evaluators.length === 0)
    out.push(
      `<section aria-labelledby="h-utility"><h2 id="h-utility">Utilities</h2><p class="notice" role="note" data-testid="no-utilities">${
        preferences === undefined
          ? "The concession curves and the utility space are not drawn: a log holds no preferences. Give the scenario with --scenario FILE to draw them."
          : "No party of this scenario has known preferences, so there are no utility charts."
      }</p></section>`,
    )
  else {
    out.push(
      `<section aria-labelledby="h-concession"><h2 id="h-concession">Concession curves</h2><p class="meta">Each panel is one party's view: its utility of every offer on the table, by offer number; a line per offering party. A party that concedes moves its own line down towards the dashed line of its reservation value.</p>${concessionPanels({ view, preferences })}</section>`,
    )
    if (preferences.evaluators.length >= 2) {
      const cloud = preferences.cloud
      const a = preferences.analysis
      out.push(
        `<section aria-labelledby="h-space"><h2 id="h-space">Utility space</h2><p class="meta">${cloud === undefined ? "" : `${plural(cloud.outcomes, "possible outcome")}${cloud.sampled ? ` (an even sample of ${cloud.utilities[0]?.length ?? 0} drawn)` : ""}. `}${a === undefined ? "No frontier: not every principal's preferences are known." : `${plural(a.paretoFrontier.length, "Pareto-optimal point")}; ${plural(a.individuallyRational, "outcome")} both sides prefer to no deal.`} Each party's offers form a path; the star is the agreement.</p>${utilitySpace({ view, preferences, aside: referenceTable(view, preferences) })}</section>`,
      )
    }
  }
  out.push(
    `<section aria-labelledby="h-state"><h2 id="h-state">Final state</h2><p class="meta">Status <b>${esc(view.status)}</b> at version ${view.version}${view.updatedAt === null ? "" : `, ${esc(formatDate(view.updatedAt))}`}.</p>${stateTables(data, notes)}</section>`,
  )
  if (data.assumptions.length > 0)
    out.push(
      `<section aria-labelledby="h-assume"><h2 id="h-assume">The scenario's assumptions</h2><ul>${data.assumptions.map((a) => `<li>${esc(a)}</li>`).join("")}</ul></section>`,
    )
  return out.join("")
}

/** A complete, self-contained run report. */
export const runPage = (data: RunData, generatedAt?: string): string =>
  page({
    title: `${data.view.title || "Negotiation"} — parley report`,
    body: `${runBody(data)}<footer>Generated by parley${generatedAt === undefined ? "" : ` on ${esc(generatedAt)}`}. This file is self-contained: it loads nothing from the network.</footer>`,
  })
