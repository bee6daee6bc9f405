/**
 * The Monte Carlo batch report: one self-contained page (the frame of
 * {@link page}) with the outcomes of many runs, and the parameter sections
 * (agreement-rate curves and the sensitivity tornado) a batch and a sweep
 * report share.
 *
 * @since 0.1.0
 */
import type { RatePoint } from "../analysis/Statistics.ts"
import type { Terms } from "../domain/Issue.ts"
import type { StateView } from "../domain/View.ts"
import type { Sensitivity } from "../simulation/Sweep.ts"
import { bandChart, barChart, shareBars, TORNADO_COLOURS, tornadoChart } from "./BatchCharts.ts"
import { partyColours } from "./ChartParts.ts"
import type { Preferences } from "./Model.ts"
import { page } from "./Page.ts"
import { colourOf, esc, fmt, pct, plural } from "./Svg.ts"
import { utilitySpace } from "./UtilityCharts.ts"

/** One run of a batch as the batch report reads it from its log. */
export interface BatchRun {
  readonly file: string
  readonly status: string
  /** Simulated rounds played. */
  readonly rounds: number
  readonly agreement: Terms | null
  /** Per party with preferences: the agreement's discounted utility, or the reservation value. */
  readonly utilities: Readonly<Record<string, number>>
}

/** Everything a batch report shows. */
export interface BatchData {
  readonly title: string
  readonly dir: string
  readonly runs: ReadonlyArray<BatchRun>
  /** The last run's final state, for the parties and issues. */
  readonly view: StateView
  readonly preferences: Preferences | undefined
  readonly origin: ReadonlyArray<string>
  readonly notices: ReadonlyArray<string>
  /** How agreement depends on the uncertain parameters drawn per run (when the scenario has any and is at hand). */
  readonly parameters?: ParameterData | undefined
}

/** The agreement rate against one parameter. */
export interface RateCurve {
  readonly parameter: string
  readonly points: ReadonlyArray<RatePoint>
  /** How the points were made (binned draws, a sweep's points, pooled over a grid), for the caption. */
  readonly how: string
  /** The parameter's default or `--set` value, marked on the axis. */
  readonly fixedAt?: number | undefined
}

/** How a batch's or a sweep's outcomes depend on its parameters. */
export interface ParameterData {
  readonly curves: ReadonlyArray<RateCurve>
  /** Partial rank correlations with agreement and each party's utility. */
  readonly sensitivity: ReadonlyArray<Sensitivity>
  readonly parties: ReadonlyArray<string>
  /** The smallest |PRCC| distinguishable from 0 at the 5% level, when known. */
  readonly significance: number | null
  /** The runs the ranking is computed over. */
  readonly runs: number
}

/**
 * The agreement-rate curves (each with its Wilson band) and the tornado
 * charts of the sensitivity ranking: what a batch and a sweep report share.
 */
export const parameterSections = (data: ParameterData): string => {
  const out: Array<string> = []
  if (data.curves.length > 0)
    out.push(
      `<section aria-labelledby="h-curves"><h2 id="h-curves">Agreement by parameter</h2><p class="meta">The agreement rate against each parameter, with its 95% Wilson score interval shaded (Wilson 1927); hover a point for its runs.</p><div class="panels">${data.curves
        .map((c) =>
          bandChart({
            title: `Agreement rate by ${c.parameter}`,
            desc: `Agreement rate at ${plural(c.points.length, "value")} of ${c.parameter} (${c.how}), each with its 95% Wilson interval: ${c.points.map((p) => `${fmtValue(p.x)}: ${pct(p.rate)} [${pct(p.interval[0])}, ${pct(p.interval[1])}] of ${p.runs}`).join("; ")}.`,
            series: [
              {
                label: "agreement rate, 95% Wilson interval",
                colour: "#009E73",
                points: c.points.map((p) => ({
                  x: p.x,
                  y: p.rate,
                  lo: p.interval[0],
                  hi: p.interval[1],
                  hover: `${c.parameter} ${p.from === p.to ? fmtValue(p.x) : `${fmtValue(p.from)}–${fmtValue(p.to)}`}: ${pct(p.rate)} agreed (${p.agreed} of ${plural(p.runs, "run")}), 95% interval ${pct(p.interval[0])}–${pct(p.interval[1])}`,
                })),
              },
            ],
            xLabel: `${c.parameter} →`,
            yLabel: "agreement rate",
            testid: "rate-curve",
            yDomain: [0, 1],
            yFormat: (v) => pct(v, 0),
            ...(c.fixedAt === undefined
              ? {}
              : { markers: [{ at: c.fixedAt, label: `default ${fmtValue(c.fixedAt)}` }] }),
          }),
        )
        .join("")}</div><p class="meta">${esc(data.curves[0]!.how)}.</p></section>`,
    )
  if (data.sensitivity.length > 0) {
    const bound =
      data.significance === null
        ? ""
        : ` Shaded: |PRCC| below ${fmt(data.significance, 3)}, not distinguishable from 0 at the 5% level.`
    const charts = [
      tornadoChart({
        title: "Sensitivity of agreement",
        desc: `Partial rank correlation of each parameter with agreement over ${plural(data.runs, "run")}, largest first: ${data.sensitivity.map((x) => `${x.parameter} ${x.agreement === null ? "none" : fmt(x.agreement, 3)}`).join(", ")}.`,
        rows: data.sensitivity.map((x) => ({ label: x.parameter, value: x.agreement })),
        threshold: data.significance,
        testid: "tornado",
        measure: "PRCC with agreement",
      }),
      ...data.parties.map((party) =>
        tornadoChart({
          title: `Sensitivity of ${party}'s utility`,
          desc: `Partial rank correlation of each parameter with ${party}'s discounted utility over ${plural(data.runs, "run")}.`,
          rows: data.sensitivity.map((x) => ({
            label: x.parameter,
            value: x.utility[party] ?? null,
          })),
          threshold: data.significance,
          testid: "tornado-utility",
          measure: `PRCC with ${party}'s utility`,
        }),
      ),
    ]
    out.push(
      `<section aria-labelledby="h-sens"><h2 id="h-sens">Sensitivity</h2><p class="meta">Which parameters move the outcome most: partial rank correlation coefficients (PRCC; Marino et al. 2008) over ${plural(data.runs, "run")}, the largest |PRCC| on top; <span style="color:${TORNADO_COLOURS.up}">blue</span> raises the outcome, <span style="color:${TORNADO_COLOURS.down}">vermillion</span> lowers it.${bound}</p><div class="panels">${charts.join("")}</div></section>`,
    )
  }
  return out.join("")
}

/** A parameter value as text: at most six significant digits. */
export const fmtValue = (x: number): string => String(Number(x.toPrecision(6)))

/** Counts of `values` in `bins` equal bins from `lo` to `hi` (values outside go to the end bins). */
export const histogramBins = (
  values: ReadonlyArray<number>,
  lo: number,
  hi: number,
  bins: number,
) => {
  const counts = new Array<number>(bins).fill(0)
  const width = (hi - lo) / bins || 1
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]!++
  return { counts, width }
}

/** The most bars a histogram of a numeric issue draws; wider spans are binned. */
const MAX_VALUE_BARS = 60

/**
 * A histogram of the agreed values of an integer or real issue, over every
 * agreed value: one bar per integer when the agreed span has at most
 * {@link MAX_VALUE_BARS} of them, else bins of a whole number of integers;
 * reals in equal bins from the lowest agreed value to the highest. Nothing is
 * left out.
 */
export const issueHistogram = (c: {
  readonly title: string
  readonly issue: { readonly kind: "integer" | "real"; readonly min: number; readonly max: number }
  readonly values: ReadonlyArray<number>
  readonly colour: string
}): string => {
  const { issue, values } = c
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  // Integers: bins of a whole number of values (one value a bar when they fit);
  // reals: equal bins from the lowest agreed value to the highest.
  const step = issue.kind === "integer" ? Math.ceil((hi - lo + 1) / MAX_VALUE_BARS) : 0
  const bins = issue.kind === "integer" ? Math.ceil((hi - lo + 1) / step) : lo === hi ? 1 : 30
  const { counts, width } = histogramBins(
    values,
    lo,
    issue.kind === "integer" ? lo + bins * step : hi,
    bins,
  )
  const mean = values.reduce((s, v) => s + v, 0) / values.length
  const from = (k: number) => lo + k * width
  const range = (k: number) =>
    step === 1
      ? String(from(k))
      : step > 1
        ? `${from(k)}–${from(k) + step - 1}`
        : `${fmtValue(from(k))}–${fmtValue(from(k + 1))}`
  return barChart({
    title: c.title,
    heading: c.title,
    desc: `Histogram of the ${values.length} agreed values of ${issue.kind} issue ${c.title} (range ${fmtValue(issue.min)}–${fmtValue(issue.max)}): ${step === 1 ? "one bar per value" : `${bins} bins of ${step > 1 ? `${step} values` : "equal width"}`} from ${fmtValue(lo)} to ${fmtValue(hi)}; mean ${fmt(mean, 3)}.`,
    bars: counts.map((n, k) => ({
      label: fmtValue(from(k)),
      values: [n],
      hover: `${range(k)}: ${n} of ${values.length} agreements`,
    })),
    series: [{ label: "agreements", colour: c.colour }],
    xLabel: `agreed ${c.title} →`,
    yLabel: "agreements",
    testid: "issue-histogram",
    markers: [{ at: (mean - lo) / width + (step === 1 ? 0.5 : 0), label: `mean ${fmt(mean, 3)}` }],
  })
}

/** The body of a batch report. */
export const batchBody = (data: BatchData): string => {
  const runs = data.runs
  const total = runs.length
  const agreed = runs.filter((r) => r.agreement !== null)
  const rate = total === 0 ? 0 : agreed.length / total
  const rounds = agreed.map((r) => r.rounds).sort((a, b) => a - b)
  const median = rounds.length === 0 ? undefined : rounds[Math.floor((rounds.length - 1) / 2)]
  const statuses = new Map<string, number>()
  for (const r of runs) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
  const colour = partyColours(data.view.parties)
  const evaluators = data.preferences?.evaluators ?? []
  const out: Array<string> = [
    `<header><p class="meta">parley Monte Carlo report</p><h1 data-testid="title">${esc(data.title)}</h1>`,
    data.origin.map((o) => `<p class="meta">${esc(o)}</p>`).join(""),
    data.notices.map((n) => `<p class="notice" role="note">${esc(n)}</p>`).join(""),
    `</header><div class="kpis"><div class="kpi" data-testid="agreement-rate"><b>${pct(rate)}</b><span>agreement rate (${agreed.length} of ${plural(total, "run")})</span></div>`,
    `<div class="kpi"><b>${median ?? "–"}</b><span>median rounds to agreement</span></div>`,
    ...evaluators.map((e) => {
      const us = runs.map((r) => r.utilities[e.party]).filter((u): u is number => u !== undefined)
      const mean = us.length === 0 ? Number.NaN : us.reduce((s, u) => s + u, 0) / us.length
      return `<div class="kpi"><b style="color:${colour(e.party)}">${fmt(mean, 3)}</b><span>mean utility of ${esc(e.party)} (discounted; no deal ${fmt(e.reservation)} at default parameters)</span></div>`
    }),
    "</div>",
  ]
  out.push(
    `<section aria-labelledby="h-out"><h2 id="h-out">Outcomes</h2><div class="panels">${shareBars({
      title: "How the runs ended",
      rows: [...statuses.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([s, c]) => ({ label: s, share: c / Math.max(1, total), count: c })),
      colour: "#0072B2",
      testid: "status-bars",
    })}`,
  )
  if (rounds.length > 0) {
    const lo = rounds[0]!
    const hi = rounds.at(-1)!
    const span = hi - lo + 1
    const bins = span <= 40 ? span : 30
    const { counts, width } = histogramBins(rounds, lo, span <= 40 ? hi + 1 : hi, bins)
    out.push(
      barChart({
        title: "Rounds to agreement",
        desc: `Histogram of the simulated rounds played before agreement, over ${agreed.length} agreed runs; median ${median}.`,
        bars: counts.map((c, i) => {
          const from = lo + i * width
          const label = span <= 40 ? String(from) : `${Math.round(from)}`
          return {
            label,
            values: [c],
            hover: `${span <= 40 ? `round ${from}` : `rounds ${Math.round(from)}–${Math.round(from + width)}`}: ${c} runs`,
          }
        }),
        series: [{ label: "agreed runs", colour: "#009E73" }],
        xLabel: "rounds to agreement →",
        yLabel: "runs",
        testid: "rounds-histogram",
        ...(median === undefined
          ? {}
          : { markers: [{ at: (median - lo) / width + 0.5, label: `median ${median}` }] }),
      }),
    )
  } else out.push(`<p class="notice">No run reached an agreement.</p>`)
  out.push("</div></section>")
  // How often each option of each issue was agreed: every option of a discrete
  // issue, every agreed value of a numeric one (a histogram, never a cut list).
  if (agreed.length > 0) {
    const charts = data.view.issues.map((issue, i) => {
      const title = issue.label === undefined ? issue.id : `${issue.id} — ${issue.label}`
      const values = agreed.map((r) => (r.agreement as Record<string, unknown>)[issue.id])
      if (issue.kind !== "discrete")
        return issueHistogram({
          title,
          issue,
          values: values.filter((v): v is number => typeof v === "number"),
          colour: colourOf(i + 2),
        })
      const counts = new Map<string, number>()
      for (const v of values)
        if (v !== undefined) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1)
      return shareBars({
        title,
        rows: issue.options.map((o) => ({
          label: o,
          share: (counts.get(o) ?? 0) / agreed.length,
          count: counts.get(o) ?? 0,
        })),
        colour: colourOf(i + 2),
        testid: "option-bars",
      })
    })
    out.push(
      `<section aria-labelledby="h-opt"><h2 id="h-opt">Agreed options</h2><p class="meta">Share of the ${plural(agreed.length, "agreement")} that settled each issue on each option; numeric issues as histograms of every agreed value.</p><div class="panels">${charts.join("")}</div></section>`,
    )
  }
  // Utility distributions.
  if (evaluators.length > 0) {
    const all = runs.flatMap((r) => Object.values(r.utilities))
    const lo = Math.min(0, ...all)
    const hi = Math.max(1, ...all)
    const bins = 20
    const charts = evaluators.map((e) => {
      const yes = runs.filter((r) => r.agreement !== null).map((r) => r.utilities[e.party] ?? 0)
      const no = runs.filter((r) => r.agreement === null).map((r) => r.utilities[e.party] ?? 0)
      const a = histogramBins(yes, lo, hi, bins)
      const b = histogramBins(no, lo, hi, bins)
      const us = [...yes, ...no]
      const mean = us.length === 0 ? 0 : us.reduce((s, u) => s + u, 0) / us.length
      return barChart({
        title: `Utility of ${e.party}`,
        desc: `Histogram of ${e.party}'s utility per run (agreement utility discounted by rounds, or its reservation value without agreement), in ${bins} bins from ${fmt(lo)} to ${fmt(hi)}; mean ${fmt(mean, 3)}.`,
        bars: a.counts.map((c, i) => ({
          label: fmt(lo + i * a.width, 2),
          values: [c, b.counts[i]!],
          hover: `${fmt(lo + i * a.width)}–${fmt(lo + (i + 1) * a.width)}: ${c} agreed, ${b.counts[i]} without agreement`,
        })),
        series: [
          { label: "agreed", colour: colour(e.party) },
          { label: "no agreement (reservation value)", colour: "#c7ccd4" },
        ],
        xLabel: `utility of ${e.party} →`,
        yLabel: "runs",
        testid: "utility-histogram",
        markers: [{ at: (mean - lo) / a.width, label: `mean ${fmt(mean, 3)}` }],
      })
    })
    out.push(
      `<section aria-labelledby="h-util"><h2 id="h-util">Utility per party</h2><p class="meta">Each run's utility for each party whose preferences are known: the agreement discounted by the rounds it took, or the party's reservation value (drawn per run when uncertain) when talks failed.</p><div class="panels">${charts.join("")}</div></section>`,
    )
  }
  if (data.preferences !== undefined && evaluators.length >= 2 && agreed.length > 0) {
    const groups = new Map<string, { terms: Terms; count: number }>()
    for (const r of agreed) {
      const key = JSON.stringify(Object.entries(r.agreement!).sort())
      const g = groups.get(key)
      if (g === undefined) groups.set(key, { terms: r.agreement!, count: 1 })
      else g.count++
    }
    out.push(
      `<section aria-labelledby="h-bspace"><h2 id="h-bspace">Where the agreements landed</h2><p class="meta">Undiscounted utilities of each distinct agreement; the area of a disc is proportional to the runs that reached it.</p>${utilitySpace({ view: data.view, preferences: data.preferences, agreements: [...groups.values()] })}</section>`,
    )
  }
  if (data.parameters !== undefined) out.push(parameterSections(data.parameters))
  if (data.preferences === undefined)
    out.push(
      `<p class="notice" role="note" data-testid="no-utilities">The utility charts are not drawn: the logs hold no preferences. Give the scenario with --scenario FILE.</p>`,
    )
  return out.join("")
}

/** A complete, self-contained batch report. */
export const batchPage = (data: BatchData, generatedAt?: string): string =>
  page({
    title: `${data.title} — parley Monte Carlo report`,
    body: `${batchBody(data)}<footer>Generated by parley${generatedAt === undefined ? "" : ` on ${esc(generatedAt)}`}. This file is self-contained: it loads nothing from the network.</footer>`,
  })
