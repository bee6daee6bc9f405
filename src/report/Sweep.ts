/**
 * The sweep report: `parley report --sweep DIR -o sweep.html` reads
 * `DIR/sweep.json` (written by `parley sweep --out DIR`, a
 * {@link SweepFile}) and writes one self-contained page: the agreement rate
 * against each varied parameter with its 95% Wilson band, each party's mean
 * utility with its 95% t band, the tornado charts of the sensitivity ranking
 * (PRCC), the distribution of agreed terms at each value, and the table of
 * points.
 *
 * What had to be interpreted:
 * - One parameter at a time, a parameter's curve is the points that vary it
 *   (the others held at their default or `--set` value, named under the
 *   chart). Over a full grid a curve is pooled over the other parameters'
 *   values: the agreements and runs of every point with that value summed,
 *   the Wilson interval of the pooled rate, and each party's mean utility
 *   weighted by runs — drawn without a band, as the per-point t intervals do
 *   not pool.
 * - The agreed terms at a value are counts of agreements (not shares), so a
 *   value with few agreements shows as a short bar rather than a confident
 *   100%.
 *
 * @since 0.3.0
 */
import { join } from "node:path"
import { Effect } from "effect"
import { type RatePoint, wilson } from "../analysis/Statistics.ts"
import { SweepFile } from "../simulation/Sweep.ts"
import { bandChart, barChart } from "./BatchCharts.ts"
import { fmtValue, parameterSections, type RateCurve } from "./BatchPage.ts"
import { page } from "./Page.ts"
import { type ReportError, readReportFile } from "./Report.ts"
import { colourOf, esc, fmt, pct, plural } from "./Svg.ts"

/** Checks a decoded sweep beyond its shape: every name it uses refers to something. */
const consistency = (s: SweepFile): string | undefined => {
  const varied = new Set(s.varies.map((v) => v.name))
  const issues = new Set(s.issues.map((i) => i.id))
  for (const [i, p] of s.points.entries()) {
    for (const name of Object.keys(p.values))
      if (!varied.has(name)) return `points[${i}].values.${name}: not a varied parameter`
    for (const issue of Object.keys(p.agreedTerms))
      if (!issues.has(issue)) return `points[${i}].agreedTerms.${issue}: not an issue of the sweep`
  }
  const parameters = new Set(s.parameters)
  for (const [i, x] of s.sensitivity.entries())
    if (!parameters.has(x.parameter))
      return `sensitivity[${i}].parameter: "${x.parameter}" is not a parameter of the sweep`
  return undefined
}

/** Reads and checks `DIR/sweep.json`; any problem is one line naming the file and the field. */
export const readSweep = (dir: string): Effect.Effect<SweepFile, ReportError> =>
  readReportFile(
    join(dir, "sweep.json"),
    `write it with parley sweep <scenario> --vary ... --out ${dir}`,
    SweepFile,
    consistency,
  )

/** Everything the sweep page shows. */
export interface SweepData {
  readonly sweep: SweepFile
  readonly dir: string
  readonly origin: ReadonlyArray<string>
}

/** Reads a `parley sweep --out DIR` folder for its report. */
export const fromSweep = (dir: string): Effect.Effect<SweepData, ReportError> =>
  Effect.map(readSweep(dir), (sweep) => {
    const overrides = Object.entries(sweep.overrides)
    return {
      sweep,
      dir,
      origin: [
        `${plural(sweep.points.length, "point")} × ${plural(sweep.runs, "run")} (${sweep.grid ? "full grid" : "one parameter at a time"}; seeds ${sweep.seed}..${sweep.seed + sweep.runs - 1} at every point) read from ${dir} · scenario ${sweep.scenario}${overrides.length === 0 ? "" : ` · ${overrides.map(([k, v]) => `--set ${k}=${v}`).join(" ")}`}`,
      ],
    }
  })

/** The points of one varied parameter's curve: its own points, or pooled over a grid. */
const pointsOf = (sweep: SweepFile, name: string) => {
  const byValue = new Map<number, Array<SweepFile["points"][number]>>()
  for (const p of sweep.points) {
    const v = p.values[name]
    if (v === undefined) continue
    byValue.set(v, [...(byValue.get(v) ?? []), p])
  }
  return [...byValue.entries()].sort((a, b) => a[0] - b[0])
}

const agreedOf = (p: SweepFile["points"][number]) => Math.round(p.agreementRate * p.runs)

/** How the curves of this sweep were made, and what the other parameters held. */
const howOf = (sweep: SweepFile, name: string) => {
  if (sweep.grid)
    return "every combination of the varied values; each value pooled over the other parameters' values, the scenario's other uncertain parameters drawn per run"
  const others = sweep.varies
    .filter((v) => v.name !== name)
    .map((v) => `${v.name} ${fmtValue(sweep.fixed[v.name] ?? Number.NaN)}`)
  return `one parameter at a time: ${plural(sweep.runs, "run")} at each value with the same seeds${others.length === 0 ? "" : `, ${others.join(", ")} held at ${others.length === 1 ? "its" : "their"} default`}; the scenario's other uncertain parameters drawn per run`
}

/** The agreement-rate curve of each varied parameter. */
export const rateCurves = (sweep: SweepFile): Array<RateCurve> =>
  sweep.varies.map((v) => {
    const fixedAt = sweep.fixed[v.name]
    return {
      parameter: v.name,
      points: pointsOf(sweep, v.name).map(([x, ps]): RatePoint => {
        const runs = ps.reduce((s, p) => s + p.runs, 0)
        const agreed = ps.reduce((s, p) => s + agreedOf(p), 0)
        return {
          x,
          from: x,
          to: x,
          runs,
          agreed,
          rate: runs === 0 ? 0 : agreed / runs,
          interval: wilson(agreed, runs),
        }
      }),
      how: howOf(sweep, v.name),
      fixedAt: fixedAt === null || fixedAt === undefined ? undefined : fixedAt,
    }
  })

/** Each party's mean utility against each varied parameter. */
const utilityCurves = (sweep: SweepFile): string =>
  sweep.varies
    .map((v) => {
      const points = pointsOf(sweep, v.name)
      return bandChart({
        title: `Mean utility by ${v.name}`,
        desc: `Each party's mean discounted utility (its discounted reservation value without agreement) at ${plural(points.length, "value")} of ${v.name}${sweep.grid ? ", pooled over the other parameters (no interval)" : ", with its 95% t interval"}.`,
        series: sweep.parties.map((party, k) => ({
          label: `${party}${sweep.grid ? "" : ", 95% t interval"}`,
          colour: colourOf(k),
          points: points.flatMap(([x, ps]) => {
            const runs = ps.reduce((s, p) => s + p.runs, 0)
            const means = ps.map((p) => p.meanUtility[party])
            if (runs === 0 || means.some((m) => m?.mean === null || m === undefined)) return []
            const mean =
              ps.reduce((s, p) => s + p.runs * (p.meanUtility[party]!.mean ?? 0), 0) / runs
            const one = ps.length === 1 ? ps[0]!.meanUtility[party]!.interval : null
            const [lo, hi] = one ?? [mean, mean]
            return [
              {
                x,
                y: mean,
                lo,
                hi,
                hover: `${v.name} ${fmtValue(x)}: ${party} ${fmt(mean, 3)}${one === null ? "" : ` [${fmt(lo, 3)}, ${fmt(hi, 3)}]`} over ${plural(runs, "run")}`,
              },
            ]
          }),
        })),
        xLabel: `${v.name} →`,
        yLabel: "mean discounted utility",
        testid: "utility-curve",
      })
    })
    .join("")

/** The value at quantile `q` of sorted `values` (nearest rank). */
const quantileOf = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!

/**
 * The agreed values of a numeric issue at each value of a varied parameter:
 * the median with a band from the lowest to the highest agreed value, every
 * count in the hover. Stacking one series per distinct price would draw as
 * many series as there are prices; this keeps every value (its range and
 * quartiles) in view.
 */
const numericTermsByValue = (
  parameter: string,
  issue: { readonly id: string; readonly label?: string | undefined },
  points: ReadonlyArray<readonly [number, unknown]>,
  counts: ReadonlyArray<ReadonlyMap<string, number>>,
): string => {
  const series = points.flatMap(([x], i) => {
    const values = [...counts[i]!]
      .flatMap(([v, n]) => Array<number>(n).fill(Number(v)))
      .sort((a, b) => a - b)
    if (values.length === 0) return []
    const [lo, q1, med, q3, hi] = [0, 0.25, 0.5, 0.75, 1].map((q) =>
      q === 0 ? values[0]! : quantileOf(values, q),
    ) as [number, number, number, number, number]
    return [
      {
        x,
        y: med,
        lo,
        hi,
        hover: `${parameter} ${fmtValue(x)}: ${plural(values.length, "agreement")} on ${new Set(values).size} distinct values\nmin ${fmtValue(lo)} · q1 ${fmtValue(q1)} · median ${fmtValue(med)} · q3 ${fmtValue(q3)} · max ${fmtValue(hi)}`,
      },
    ]
  })
  const all = series.flatMap((p) => [p.lo, p.hi])
  const name = issue.label === undefined ? issue.id : `${issue.id} (${issue.label})`
  return bandChart({
    title: `${issue.id} by ${parameter}`,
    desc: `The median agreed ${name} at each value of ${parameter}, with a band from the lowest to the highest agreed value; values with no agreement are left out of the line.`,
    series: [{ label: `median ${issue.id}`, colour: colourOf(2), points: series }],
    xLabel: `${parameter} →`,
    yLabel: `agreed ${issue.id}`,
    testid: "terms-by-value",
    yDomain: [
      Math.min(...all),
      Math.max(...all) === Math.min(...all) ? Math.min(...all) + 1 : Math.max(...all),
    ],
    yFormat: (y) => fmtValue(y),
  })
}

/** The agreed options of each issue at each value of each varied parameter (counts of agreements, stacked). */
const termsByValue = (sweep: SweepFile): string =>
  sweep.varies
    .flatMap((v) => {
      const points = pointsOf(sweep, v.name)
      return sweep.issues.map((issue) => {
        const counts = points.map(([, ps]) => {
          const c = new Map<string, number>()
          for (const p of ps)
            for (const [option, n] of Object.entries(p.agreedTerms[issue.id] ?? {}))
              c.set(option, (c.get(option) ?? 0) + n)
          return c
        })
        const seen = new Set(counts.flatMap((c) => [...c.keys()]))
        if (issue.options === undefined && [...seen].every((o) => Number.isFinite(Number(o))))
          return numericTermsByValue(v.name, issue, points, counts)
        const options = [
          ...(issue.options ?? []).filter((o) => seen.has(o)),
          ...[...seen].filter((o) => !(issue.options ?? []).includes(o)).sort(),
        ]
        return barChart({
          title: `${issue.id} by ${v.name}`,
          heading: `${issue.id} by ${v.name}`,
          desc: `Agreements at each value of ${v.name}, stacked by the option of ${issue.id}${issue.label === undefined ? "" : ` (${issue.label})`} they settled on.`,
          bars: points.map(([x], i) => {
            const c = counts[i]!
            const total = [...c.values()].reduce((s, n) => s + n, 0)
            return {
              label: fmtValue(x),
              values: options.map((o) => c.get(o) ?? 0),
              hover: `${v.name} ${fmtValue(x)}: ${total} agreements${options.map((o) => `\n${o}: ${c.get(o) ?? 0}${total === 0 ? "" : ` (${pct((c.get(o) ?? 0) / total)})`}`).join("")}`,
            }
          }),
          series: options.map((o, k) => ({ label: o, colour: colourOf(k + 2) })),
          xLabel: `${v.name} →`,
          yLabel: "agreements",
          testid: "terms-by-value",
        })
      })
    })
    .join("")

/** The body of a sweep report. */
export const sweepBody = (data: SweepData): string => {
  const s = data.sweep
  const runs = s.points.reduce((t, p) => t + p.runs, 0)
  const agreed = s.points.reduce((t, p) => t + agreedOf(p), 0)
  const [lo, hi] = wilson(agreed, runs)
  const names = s.varies.map((v) => v.name)
  const out: Array<string> = [
    `<header><p class="meta">parley sweep report</p><h1 data-testid="title">${esc(s.title)}</h1>`,
    data.origin.map((o) => `<p class="meta">${esc(o)}</p>`).join(""),
    `<p class="meta">Varied: ${s.varies.map((v) => `${esc(v.name)} from ${fmtValue(v.min)} to ${fmtValue(v.max)} in ${v.steps} steps`).join("; ")}.</p>`,
    `</header><div class="kpis"><div class="kpi" data-testid="sweep-agreement"><b>${pct(agreed / Math.max(1, runs))}</b><span>agreement over all ${plural(runs, "run")} (95% ${pct(lo)}–${pct(hi)})</span></div><div class="kpi"><b>${s.points.length}</b><span>points of ${plural(s.runs, "run")}</span></div></div>`,
    parameterSections({
      curves: rateCurves(s),
      sensitivity: s.sensitivity,
      parties: s.parties,
      significance: s.significance,
      runs: s.totalRuns,
    }),
  ]
  if (s.parties.length > 0)
    out.push(
      `<section aria-labelledby="h-ucurves"><h2 id="h-ucurves">Utility by parameter</h2><p class="meta">Each party's mean discounted utility (its discounted reservation value when talks failed).</p><div class="panels">${utilityCurves(s)}</div></section>`,
    )
  if (agreed > 0)
    out.push(
      `<section aria-labelledby="h-terms"><h2 id="h-terms">Agreed terms by parameter</h2><p class="meta">At each value, the agreements stacked by the option they settled each issue on; a short bar is a value with few agreements.</p><div class="panels">${termsByValue(s)}</div></section>`,
    )
  else out.push(`<p class="notice">No run of the sweep reached an agreement.</p>`)
  out.push(
    `<section aria-labelledby="h-points"><h2 id="h-points">Points</h2><div class="table-wrap"><table data-testid="points-table"><thead><tr>${names.map((n) => `<th scope="col" class="num">${esc(n)}</th>`).join("")}<th scope="col" class="num">runs</th><th scope="col" class="num">agreement [95% Wilson]</th>${s.parties.map((p) => `<th scope="col" class="num">${esc(p)} utility [95% t]</th>`).join("")}<th scope="col" class="num">rounds med / mean</th><th scope="col" class="num">Pareto</th></tr></thead><tbody>${s.points
      .map(
        (p) =>
          `<tr>${names.map((n) => `<td class="num">${p.values[n] === undefined ? "–" : fmtValue(p.values[n]!)}</td>`).join("")}<td class="num">${p.runs}</td><td class="num">${pct(p.agreementRate)} [${pct(p.interval[0])}, ${pct(p.interval[1])}]</td>${s.parties
            .map((party) => {
              const m = p.meanUtility[party]
              return `<td class="num">${m === undefined || m.mean === null ? "–" : `${fmt(m.mean, 3)}${m.interval === null ? "" : ` [${fmt(m.interval[0], 3)}, ${fmt(m.interval[1], 3)}]`}`}</td>`
            })
            .join(
              "",
            )}<td class="num">${p.roundsToAgreement === null ? "–" : `${p.roundsToAgreement.median} / ${fmt(p.roundsToAgreement.mean, 1)}`}</td><td class="num">${p.paretoEfficientShare === null ? "–" : pct(p.paretoEfficientShare)}</td></tr>`,
      )
      .join("")}</tbody></table></div></section>`,
  )
  return out.join("")
}

/** A complete, self-contained sweep report. */
export const sweepPage = (data: SweepData, generatedAt?: string): string =>
  page({
    title: `${data.sweep.title} — parley sweep report`,
    body: `${sweepBody(data)}<footer>Generated by parley${generatedAt === undefined ? "" : ` on ${esc(generatedAt)}`}. This file is self-contained: it loads nothing from the network.</footer>`,
  })
