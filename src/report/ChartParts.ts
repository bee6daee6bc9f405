/**
 * The pieces the report's charts share: the opening of a chart's `<svg>`
 * with its `<title>` and `<desc>` (and the page-wide counter of their ids),
 * the party colours, the marker shapes and status styles, legend swatches,
 * the frame of an axis pair and the utility range.
 *
 * The charts (TimelineChart, UtilityCharts, BatchCharts) are inline SVG
 * strings written by hand. Every chart has a `<title>` and `<desc>`, axis
 * labels and a legend; every text from a log or scenario is escaped.
 * `data-testid` attributes name what tests count. Charts scale with their
 * container (viewBox); the page keeps a minimum width and scrolls them
 * sideways on narrow screens.
 *
 * @since 0.1.0
 */
import type { Terms } from "../domain/Issue.ts"
import type { PartyState } from "../domain/View.ts"
import type { MoveStatus } from "./Model.ts"
import { colourOf, esc, n2 } from "./Svg.ts"

/** Terms as `issue = value` lines. */
export const termsText = (terms: Terms | undefined): string =>
  terms === undefined
    ? ""
    : Object.entries(terms)
        .map(([k, v]) => `${k} = ${typeof v === "number" ? Number(v.toFixed(4)) : v}`)
        .join("; ")

let uid = 0
/** A fresh id for `aria-labelledby` targets within one page. */
const nextId = (prefix: string) => `${prefix}-${++uid}`

export const svgOpen = (w: number, h: number, label: string, desc: string, testid: string) => {
  const t = nextId("t")
  const d = nextId("d")
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-labelledby="${t} ${d}" data-testid="${testid}" xmlns="http://www.w3.org/2000/svg"><title id="${t}">${esc(label)}</title><desc id="${d}">${esc(desc)}</desc>`
}

/** The colour of each party, by its place among the negotiation's parties. */
export const partyColours = (parties: ReadonlyArray<{ readonly id: string }>) => {
  const map = new Map<string, string>()
  parties.forEach((p, i) => {
    map.set(p.id, colourOf(i))
  })
  return (id: string | null) => (id === null ? "#4b5563" : (map.get(id) ?? "#4b5563"))
}

export const nameOf = (parties: ReadonlyArray<PartyState>, id: string) =>
  parties.find((p) => p.id === id)?.name ?? id

/**
 * Fill and stroke of a marker by status: official solid, simulated tinted,
 * reported hollow and dashed, a person's solid with a wide dark ring.
 */
export const statusStyle = (status: MoveStatus, colour: string) => {
  switch (status) {
    case "official":
      return `fill="${colour}" stroke="#111827" stroke-width="1.2"`
    case "human":
      return `fill="${colour}" stroke="#111827" stroke-width="3"`
    case "simulated":
      return `fill="${colour}" fill-opacity="0.35" stroke="${colour}" stroke-width="1.5"`
    case "reported":
      return `fill="#ffffff" stroke="${colour}" stroke-width="2" stroke-dasharray="3 2"`
  }
}

/** The marker shapes of the charts and their legends. */
export type Shape =
  | "circle"
  | "square"
  | "diamond"
  | "cross"
  | "triangle"
  | "star"
  | "ring"
  | "bar"
  | "flag"
  | "dash"

const starPath = (x: number, y: number, r: number) => {
  const pts: Array<string> = []
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5
    const rr = i % 2 === 0 ? r : r * 0.45
    pts.push(`${n2(x + rr * Math.cos(a))},${n2(y + rr * Math.sin(a))}`)
  }
  return `M${pts.join("L")}Z`
}

/** One marker; `style` holds the fill and stroke attributes. */
export const shape = (
  kind: Shape,
  x: number,
  y: number,
  s: number,
  style: string,
  extra = "",
): string => {
  switch (kind) {
    case "circle":
      return `<circle cx="${n2(x)}" cy="${n2(y)}" r="${n2(s)}" ${style}${extra}/>`
    case "ring":
      return `<circle cx="${n2(x)}" cy="${n2(y)}" r="${n2(s)}" ${style}${extra}/><circle cx="${n2(x)}" cy="${n2(y)}" r="${n2(s / 2.5)}" fill="#111827"/>`
    case "square":
      return `<rect x="${n2(x - s * 0.9)}" y="${n2(y - s * 0.9)}" width="${n2(s * 1.8)}" height="${n2(s * 1.8)}" ${style}${extra}/>`
    case "diamond":
      return `<path d="M${n2(x)},${n2(y - s * 1.2)}L${n2(x + s * 1.2)},${n2(y)}L${n2(x)},${n2(y + s * 1.2)}L${n2(x - s * 1.2)},${n2(y)}Z" ${style}${extra}/>`
    case "triangle":
      return `<path d="M${n2(x - s * 1.1)},${n2(y - s * 0.8)}L${n2(x + s * 1.1)},${n2(y - s * 0.8)}L${n2(x)},${n2(y + s * 1.1)}Z" ${style}${extra}/>`
    case "star":
      return `<path d="${starPath(x, y, s * 1.5)}" ${style}${extra}/>`
    case "cross": {
      const d = s * 0.8
      return `<path d="M${n2(x - d)},${n2(y - d)}L${n2(x + d)},${n2(y + d)}M${n2(x + d)},${n2(y - d)}L${n2(x - d)},${n2(y + d)}" ${style.replace(/fill="[^"]*"( fill-opacity="[^"]*")?/, 'fill="none"').replace(/stroke-width="[^"]*"/, 'stroke-width="2.6"')}${extra}/>`
    }
    case "dash":
      return `<path d="M${n2(x - s)},${n2(y)}L${n2(x + s)},${n2(y)}" ${style.replace(/stroke-width="[^"]*"/, 'stroke-width="3"')}${extra}/>`
    case "bar":
      return `<rect x="${n2(x - 2)}" y="${n2(y - s * 1.4)}" width="4" height="${n2(s * 2.8)}" ${style}${extra}/>`
    case "flag":
      return `<path d="M${n2(x)},${n2(y + s * 1.4)}L${n2(x)},${n2(y - s * 1.4)}L${n2(x + s * 1.6)},${n2(y - s * 0.9)}L${n2(x)},${n2(y - s * 0.4)}" ${style}${extra}/>`
  }
}

/** Fill and stroke of a status, in the neutral grey the legends use. */
export const legendStyle = (status: MoveStatus) => statusStyle(status, "#4b5563")

/** A small inline SVG swatch for legends. */
export const swatch = (kind: Shape, style: string, label: string): string =>
  `<span class="key"><svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">${shape(kind, 10, 10, 6, style)}</svg>${esc(label)}</span>`

export const axisFrame = (
  out: Array<string>,
  o: {
    readonly x: (v: number) => number
    readonly y: (v: number) => number
    readonly xTicks: ReadonlyArray<number>
    readonly yTicks: ReadonlyArray<number>
    readonly left: number
    readonly right: number
    readonly top: number
    readonly bottom: number
    readonly xLabel: string
    readonly yLabel: string
    readonly xFormat?: (v: number) => string
    readonly yFormat?: (v: number) => string
  },
) => {
  for (const t of o.yTicks) {
    const yy = o.y(t)
    out.push(
      `<line x1="${o.left}" x2="${o.right}" y1="${n2(yy)}" y2="${n2(yy)}" stroke="#e5e7eb"/>`,
      `<text x="${o.left - 6}" y="${n2(yy + 4)}" text-anchor="end" class="tick">${esc((o.yFormat ?? String)(t))}</text>`,
    )
  }
  for (const t of o.xTicks) {
    const xx = o.x(t)
    out.push(
      `<line x1="${n2(xx)}" x2="${n2(xx)}" y1="${o.top}" y2="${o.bottom}" stroke="#f1f2f4"/>`,
      `<text x="${n2(xx)}" y="${o.bottom + 16}" text-anchor="middle" class="tick">${esc((o.xFormat ?? String)(t))}</text>`,
    )
  }
  out.push(
    `<line x1="${o.left}" x2="${o.right}" y1="${o.bottom}" y2="${o.bottom}" stroke="#6b7280"/>`,
    `<line x1="${o.left}" x2="${o.left}" y1="${o.top}" y2="${o.bottom}" stroke="#6b7280"/>`,
    `<text x="${n2((o.left + o.right) / 2)}" y="${o.bottom + 36}" text-anchor="middle" class="axis">${esc(o.xLabel)}</text>`,
    `<text transform="translate(14 ${n2((o.top + o.bottom) / 2)}) rotate(-90)" text-anchor="middle" class="axis">${esc(o.yLabel)}</text>`,
  )
}

export const utilityRange = (values: ReadonlyArray<number>) => {
  let lo = 0
  let hi = 1
  for (const v of values) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return [lo, hi] as const
}
