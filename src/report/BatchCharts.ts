/**
 * The charts of many runs: stacked bar charts (histograms of rounds or
 * utilities), bars of shares, a value with its interval along a swept
 * parameter, and the tornado of each parameter's effect.
 *
 * @since 0.1.0
 */
import { axisFrame, svgOpen, utilityRange } from "./ChartParts.ts"
import { esc, fmt, intTicks, linear, n2, ticks, title } from "./Svg.ts"

/** One bar of {@link barChart}: a label and one value per series (stacked). */
export interface Bar {
  readonly label: string
  readonly values: ReadonlyArray<number>
  readonly hover?: string
}

/** Options of {@link barChart}. */
export interface BarChartInput {
  readonly title: string
  readonly desc: string
  readonly bars: ReadonlyArray<Bar>
  readonly series: ReadonlyArray<{ readonly label: string; readonly colour: string }>
  readonly xLabel: string
  readonly yLabel: string
  readonly testid: string
  readonly width?: number
  readonly height?: number
  /** Vertical markers (a mean, a reservation value) at a bar position (fractional index). */
  readonly markers?: ReadonlyArray<{ readonly at: number; readonly label: string }>
  /** A heading drawn above the bars (default: none; the title is the tooltip). */
  readonly heading?: string
}

/** A vertical (stacked) bar chart: histograms of rounds or utilities. */
export const barChart = (c: BarChartInput): string => {
  const W = c.width ?? 480
  const H = c.height ?? 280
  const left = 52
  const right = W - 14
  const top = 24
  const bottom = H - 50
  const totals = c.bars.map((b) => b.values.reduce((s, v) => s + v, 0))
  // Headroom above the tallest bar for the markers' labels.
  const max = Math.max(1, ...totals) * ((c.markers?.length ?? 0) > 0 ? 1.15 : 1)
  const y = linear(0, max, bottom, top)
  const slot = (right - left) / Math.max(1, c.bars.length)
  const out: Array<string> = [svgOpen(W, H, c.title, c.desc, c.testid)]
  if (c.heading !== undefined)
    out.push(
      `<text x="4" y="14" class="lane">${esc(c.heading.length > 64 ? `${c.heading.slice(0, 63)}…` : c.heading)}</text>`,
    )
  const yTicks = intTicks(0, max, 5)
  for (const t of yTicks) {
    out.push(
      `<line x1="${left}" x2="${right}" y1="${n2(y(t))}" y2="${n2(y(t))}" stroke="#e5e7eb"/>`,
      `<text x="${left - 6}" y="${n2(y(t) + 4)}" text-anchor="end" class="tick">${t}</text>`,
    )
  }
  const every = Math.max(1, Math.ceil(c.bars.length / 12))
  c.bars.forEach((b, i) => {
    let acc = 0
    const x0 = left + i * slot + Math.min(2, slot * 0.1)
    const w = Math.max(1, slot - 2 * Math.min(2, slot * 0.1))
    const parts = b.values.map((v, s) => {
      const y1 = y(acc + v)
      const y0 = y(acc)
      acc += v
      return v === 0
        ? ""
        : `<rect x="${n2(x0)}" y="${n2(y1)}" width="${n2(w)}" height="${n2(y0 - y1)}" fill="${c.series[s]?.colour ?? "#6b7280"}"/>`
    })
    out.push(
      `<g data-testid="bar">${title(b.hover ?? `${b.label}: ${b.values.map((v, s) => `${c.series[s]?.label ?? ""} ${v}`).join(", ")}`)}${parts.join("")}</g>`,
    )
    if (i % every === 0)
      out.push(
        `<text x="${n2(x0 + w / 2)}" y="${bottom + 15}" text-anchor="middle" class="tick">${esc(b.label)}</text>`,
      )
  })
  for (const m of c.markers ?? []) {
    const xm = left + m.at * slot
    out.push(
      `<line x1="${n2(xm)}" x2="${n2(xm)}" y1="${top - 4}" y2="${bottom}" stroke="#111827" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      `<text x="${n2(xm + 4)}" y="${top + 6}" class="note">${esc(m.label)}</text>`,
    )
  }
  out.push(
    `<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#6b7280"/>`,
    `<text x="${n2((left + right) / 2)}" y="${bottom + 36}" text-anchor="middle" class="axis">${esc(c.xLabel)}</text>`,
    `<text transform="translate(14 ${n2((top + bottom) / 2)}) rotate(-90)" text-anchor="middle" class="axis">${esc(c.yLabel)}</text>`,
    "</svg>",
  )
  const legend =
    c.series.length > 1
      ? `<div class="legend">${c.series.map((s) => `<span class="key"><svg viewBox="0 0 14 14" width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="${s.colour}"/></svg>${esc(s.label)}</span>`).join("")}</div>`
      : ""
  return `<figure class="panel">${out.join("")}${legend}</figure>`
}

/** Options of {@link shareBars}. */
export interface ShareBarsInput {
  readonly title: string
  readonly rows: ReadonlyArray<{
    readonly label: string
    readonly share: number
    readonly count: number
  }>
  readonly colour: string
  readonly testid: string
}

/** Horizontal bars of shares (0..1) with their percentages: how often each option was agreed. */
export const shareBars = (c: ShareBarsInput): string => {
  const W = 480
  const rowH = 26
  const left = 200
  const right = W - 64
  const H = 30 + c.rows.length * rowH
  const x = linear(0, 1, left, right)
  const out: Array<string> = [
    svgOpen(W, H, c.title, `Share of agreements that settled on each option.`, c.testid),
    `<text x="4" y="16" class="lane">${esc(c.title.length > 70 ? `${c.title.slice(0, 69)}…` : c.title)}</text>`,
  ]
  c.rows.forEach((r, i) => {
    const yy = 26 + i * rowH
    const label = r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label
    out.push(
      `<g data-testid="share-bar">${title(`${r.label}: ${(100 * r.share).toFixed(1)}% of agreements (${r.count})`)}`,
      `<text x="${left - 8}" y="${yy + 15}" text-anchor="end" class="tick">${esc(label)}</text>`,
      `<rect x="${left}" y="${yy + 3}" width="${n2(right - left)}" height="${rowH - 8}" fill="#f3f4f6"/>`,
      `<rect x="${left}" y="${yy + 3}" width="${n2(x(r.share) - left)}" height="${rowH - 8}" fill="${c.colour}"/>`,
      `<text x="${n2(right + 6)}" y="${yy + 15}" class="tick">${(100 * r.share).toFixed(1)}%</text></g>`,
    )
  })
  out.push("</svg>")
  return `<figure class="panel">${out.join("")}</figure>`
}

/** One point of a {@link bandChart} series: a value and the interval around it. */
export interface BandPoint {
  readonly x: number
  readonly y: number
  readonly lo: number
  readonly hi: number
  readonly hover: string
}

/** Options of {@link bandChart}. */
export interface BandChartInput {
  readonly title: string
  readonly desc: string
  readonly series: ReadonlyArray<{
    readonly label: string
    readonly colour: string
    readonly points: ReadonlyArray<BandPoint>
  }>
  readonly xLabel: string
  readonly yLabel: string
  readonly testid: string
  /** The y axis (default: from the intervals, 0..1 included). */
  readonly yDomain?: readonly [number, number]
  readonly yFormat?: (v: number) => string
  /** Vertical markers (a parameter's default) at an x value. */
  readonly markers?: ReadonlyArray<{ readonly at: number; readonly label: string }>
}

/**
 * A curve with its interval band: for each series, the values joined by a
 * line over a shaded band from each point's lower to its upper bound, and a
 * whisker at each point (so that a single point still shows its interval).
 * The agreement rate with its Wilson interval, or a mean with its t interval,
 * against a parameter.
 */
export const bandChart = (c: BandChartInput): string => {
  const W = 480
  const H = 300
  const left = 56
  const right = W - 16
  const top = 20
  const bottom = H - 50
  const all = c.series.flatMap((s) => s.points)
  const xs = all.map((p) => p.x)
  const x0 = Math.min(...xs)
  const x1 = Math.max(...xs)
  const pad = x1 > x0 ? 0 : Math.max(Math.abs(x0) * 0.1, 0.5)
  const x = linear(x0 - pad, x1 + pad, left + 10, right - 10)
  const [lo, hi] = c.yDomain ?? utilityRange(all.flatMap((p) => [p.lo, p.hi]))
  const y = linear(lo, hi, bottom, top)
  const out: Array<string> = [svgOpen(W, H, c.title, c.desc, c.testid)]
  axisFrame(out, {
    x,
    y,
    xTicks: ticks(x0 - pad, x1 + pad, 6),
    yTicks: ticks(lo, hi, 5),
    left,
    right,
    top,
    bottom,
    xLabel: c.xLabel,
    yLabel: c.yLabel,
    xFormat: (v) => String(Number(v.toPrecision(6))),
    ...(c.yFormat === undefined ? {} : { yFormat: c.yFormat }),
  })
  for (const s of c.series) {
    const pts = [...s.points].sort((a, b) => a.x - b.x)
    if (pts.length > 1) {
      const upper = pts.map((p) => `${n2(x(p.x))},${n2(y(p.hi))}`)
      const lower = pts.map((p) => `${n2(x(p.x))},${n2(y(p.lo))}`).reverse()
      out.push(
        `<polygon points="${[...upper, ...lower].join(" ")}" fill="${s.colour}" fill-opacity="0.18" stroke="none" data-testid="interval-band"/>`,
        `<polyline points="${pts.map((p) => `${n2(x(p.x))},${n2(y(p.y))}`).join(" ")}" fill="none" stroke="${s.colour}" stroke-width="2" stroke-linejoin="round" data-testid="curve-line"/>`,
      )
    }
    for (const p of pts)
      out.push(
        `<g data-testid="curve-point">${title(p.hover)}<line x1="${n2(x(p.x))}" x2="${n2(x(p.x))}" y1="${n2(y(p.lo))}" y2="${n2(y(p.hi))}" stroke="${s.colour}" stroke-width="1.2"/><circle cx="${n2(x(p.x))}" cy="${n2(y(p.y))}" r="3.5" fill="${s.colour}" stroke="#111827" stroke-width="0.8"/></g>`,
      )
  }
  for (const m of c.markers ?? []) {
    const xm = x(m.at)
    out.push(
      `<line x1="${n2(xm)}" x2="${n2(xm)}" y1="${top}" y2="${bottom}" stroke="#6b7280" stroke-width="1.2" stroke-dasharray="5 3"/>`,
      `<text x="${n2(xm + 4)}" y="${top + 10}" class="note">${esc(m.label)}</text>`,
    )
  }
  out.push("</svg>")
  const legend = `<div class="legend">${c.series
    .map(
      (s) =>
        `<span class="key"><svg viewBox="0 0 24 14" width="24" height="14" aria-hidden="true"><rect x="0" y="2" width="24" height="10" fill="${s.colour}" fill-opacity="0.18"/><line x1="0" x2="24" y1="7" y2="7" stroke="${s.colour}" stroke-width="2"/></svg>${esc(s.label)}</span>`,
    )
    .join("")}</div>`
  return `<figure class="panel curve">${out.join("")}${legend}</figure>`
}

/** Options of {@link tornadoChart}. */
export interface TornadoInput {
  readonly title: string
  readonly desc: string
  /** One bar per parameter: its coefficient in [-1, 1], or null when it has none. */
  readonly rows: ReadonlyArray<{ readonly label: string; readonly value: number | null }>
  /** |value| below this is not distinguishable from 0 (shaded), when known. */
  readonly threshold?: number | null | undefined
  readonly testid: string
  /** What the coefficient measures, for hovers (`PRCC with agreement`). */
  readonly measure: string
}

/** Colours of a tornado's bars: raises the outcome, lowers it (Okabe-Ito blue and vermillion). */
export const TORNADO_COLOURS = { up: "#0072B2", down: "#D55E00" } as const

/**
 * A tornado chart: one horizontal bar per parameter from 0 to its
 * coefficient on a −1..1 axis, the largest |coefficient| at the top (a
 * parameter without one last, drawn as "–"); the band of coefficients not
 * distinguishable from 0 is shaded.
 */
export const tornadoChart = (c: TornadoInput): string => {
  const W = 480
  const rowH = 26
  const left = 170
  const right = W - 56
  const top = 26
  const rows = [...c.rows].sort(
    (a, b) =>
      (b.value === null ? -1 : Math.abs(b.value)) - (a.value === null ? -1 : Math.abs(a.value)),
  )
  const bottom = top + Math.max(1, rows.length) * rowH
  const H = bottom + 44
  const x = linear(-1, 1, left, right)
  const out: Array<string> = [svgOpen(W, H, c.title, c.desc, c.testid)]
  if (c.threshold !== undefined && c.threshold !== null)
    out.push(
      `<rect x="${n2(x(-c.threshold))}" y="${top - 4}" width="${n2(x(c.threshold) - x(-c.threshold))}" height="${bottom - top + 8}" fill="#e5e7eb" data-testid="tornado-noise">${title(`|${c.measure}| below ${fmt(c.threshold, 3)} is not distinguishable from 0 at the 5% level`)}</rect>`,
    )
  for (const t of [-1, -0.5, 0, 0.5, 1])
    out.push(
      `<line x1="${n2(x(t))}" x2="${n2(x(t))}" y1="${top - 4}" y2="${bottom + 4}" stroke="${t === 0 ? "#374151" : "#e5e7eb"}"/>`,
      `<text x="${n2(x(t))}" y="${bottom + 18}" text-anchor="middle" class="tick">${t}</text>`,
    )
  rows.forEach((r, i) => {
    const yy = top + i * rowH
    const label = r.label.length > 24 ? `${r.label.slice(0, 23)}…` : r.label
    const v = r.value
    const bar =
      v === null
        ? `<text x="${W - 6}" y="${yy + 16}" text-anchor="end" class="tick">–</text>`
        : `<rect x="${n2(Math.min(x(0), x(v)))}" y="${yy + 4}" width="${n2(Math.max(1, Math.abs(x(v) - x(0))))}" height="${rowH - 8}" fill="${v >= 0 ? TORNADO_COLOURS.up : TORNADO_COLOURS.down}"/><text x="${W - 6}" y="${yy + 16}" text-anchor="end" class="tick">${fmt(v, 2)}</text>`
    out.push(
      `<g data-testid="tornado-bar" data-parameter="${esc(r.label)}" data-value="${v === null ? "" : String(v)}">${title(`${r.label}: ${c.measure} ${v === null ? "none (constant)" : fmt(v, 3)}`)}<text x="${left - 8}" y="${yy + 16}" text-anchor="end" class="tick">${esc(label)}</text>${bar}</g>`,
    )
  })
  out.push(
    `<text x="${n2((left + right) / 2)}" y="${bottom + 36}" text-anchor="middle" class="axis">${esc(`${c.measure} →`)}</text>`,
    `<text x="4" y="16" class="lane">${esc(c.title.length > 60 ? `${c.title.slice(0, 59)}…` : c.title)}</text>`,
    "</svg>",
  )
  return `<figure class="panel">${out.join("")}</figure>`
}
