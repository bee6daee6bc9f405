/**
 * The charts of a report, as inline SVG strings written by hand: the
 * timeline (one lane per party), concession curves, the utility space with
 * the Pareto frontier and solution points, and the bar charts of a batch.
 *
 * Every chart has a `<title>` and `<desc>`, axis labels and a legend; every
 * text from a log or scenario is escaped. `data-testid` attributes name what
 * tests count. Charts scale with their container (viewBox); the page keeps a
 * minimum width and scrolls them sideways on narrow screens.
 *
 * @since 0.1.0
 */
import type { Analysis, AnalysisPoint } from "../analysis/Analyze.ts"
import type { Terms } from "../domain/Issue.ts"
import type { Offer, PartyState, StateView } from "../domain/View.ts"
import type { Footnotes, Move, MoveStatus, Preferences } from "./Model.ts"
import {
  colourOf,
  esc,
  fmt,
  formatDate,
  intTicks,
  linear,
  n2,
  SOLUTION_COLOURS,
  ticks,
  timeTicks,
  title,
} from "./Svg.ts"

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

const svgOpen = (w: number, h: number, label: string, desc: string, testid: string) => {
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

const nameOf = (parties: ReadonlyArray<PartyState>, id: string) =>
  parties.find((p) => p.id === id)?.name ?? id

/**
 * Fill and stroke of a marker by status: official solid, simulated tinted,
 * reported hollow and dashed, a person's solid with a wide dark ring.
 */
const statusStyle = (status: MoveStatus, colour: string) => {
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

type Shape =
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

const SHAPES: Record<Move["type"], Shape> = {
  NegotiationOpened: "flag",
  OfferMade: "circle",
  OfferConfirmed: "ring",
  OfferDenied: "cross",
  OfferAccepted: "diamond",
  OfferRejected: "cross",
  OfferWithdrawn: "dash",
  AgreementRatified: "star",
  PositionStated: "square",
  PartyWalkedOut: "triangle",
  TalksSuspended: "bar",
  TalksResumed: "bar",
  DeadlinePassed: "bar",
}

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
const shape = (kind: Shape, x: number, y: number, s: number, style: string, extra = ""): string => {
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
const legendStyle = (status: MoveStatus) => statusStyle(status, "#4b5563")

/** A small inline SVG swatch for legends. */
export const swatch = (kind: Shape, style: string, label: string): string =>
  `<span class="key"><svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">${shape(kind, 10, 10, 6, style)}</svg>${esc(label)}</span>`

const KIND_LABELS: Partial<Record<Shape, string>> = {
  circle: "offer",
  square: "stated position",
  diamond: "accepted",
  cross: "rejected / denied",
  ring: "confirmed",
  triangle: "walked out",
  star: "ratified",
  dash: "withdrew",
  flag: "talks opened",
  bar: "deadline / suspension",
}

/** A human sentence for a move, used as its hover text. */
export const moveText = (
  m: Move,
  parties: ReadonlyArray<PartyState>,
  notes: Footnotes,
  utilities?: (terms: Terms) => string,
): string => {
  const who = m.party === null ? "The table" : nameOf(parties, m.party)
  const lines = [
    `${formatDate(m.at)} · v${m.version}${m.round === undefined ? "" : ` · round ${m.round + 1}`}`,
    `${who} ${m.verb}${m.offerId === undefined ? "" : ` ${m.offerId}`} (${m.status})`,
  ]
  if (m.terms !== undefined) lines.push(termsText(m.terms))
  if (m.terms !== undefined && utilities !== undefined) {
    const u = utilities(m.terms)
    if (u !== "") lines.push(u)
  }
  if (m.text !== undefined) lines.push(`“${m.text}”`)
  const refs = notes.byMove.get(m.version) ?? []
  for (const k of refs) {
    const s = notes.sources[k - 1]!
    lines.push(
      `[${k}] ${s.reportedBy}${s.where === undefined ? "" : `, ${s.where}`}${s.reportedAt === undefined ? "" : `, ${formatDate(s.reportedAt)}`}${s.quote === undefined ? "" : `: “${s.quote}”`}`,
    )
  }
  return lines.join("\n")
}

const refsLabel = (refs: ReadonlyArray<number>) => {
  const sorted = [...refs].sort((a, b) => a - b)
  const first = sorted[0]!
  const last = sorted.at(-1)!
  return sorted.length > 2 && last - first === sorted.length - 1
    ? `${first}–${last}`
    : sorted.join(",")
}

/** Options of {@link timeline}. */
export interface TimelineInput {
  readonly view: StateView
  readonly moves: ReadonlyArray<Move>
  readonly notes: Footnotes
  readonly utilities?: ((terms: Terms) => string) | undefined
}

/** The timeline: one lane per party (plus one for the table), each move placed in time. */
export const timeline = ({ view, moves, notes, utilities }: TimelineInput): string => {
  const parties = view.parties
  const colour = partyColours(parties)
  const tableLane = moves.some((m) => m.party === null || !parties.some((p) => p.id === m.party))
  const lanes: Array<{ id: string | null; label: string; sub: string }> = parties.map((p) => ({
    id: p.id,
    label: p.name,
    sub: `${p.id} · ${p.role}${p.present ? "" : " · walked out"}`,
  }))
  if (tableLane) lanes.push({ id: null, label: "The table", sub: "opening, deadline" })
  const W = 1000
  const left = 182
  const right = 24
  const top = 30
  const laneH = 64
  const H = top + lanes.length * laneH + 34
  const times = moves.map((m) => Date.parse(m.at)).filter((t) => Number.isFinite(t))
  const t0 = times.length === 0 ? 0 : Math.min(...times)
  const t1 = times.length === 0 ? 1 : Math.max(...times)
  const pad = Math.max((t1 - t0) * 0.02, 3_600_000)
  const x = linear(t0 - pad, t1 + pad, left, W - right)
  const laneOf = (party: string | null) => {
    const i = lanes.findIndex((l) => l.id === party)
    return i === -1 ? lanes.length - 1 : i
  }
  const yOf = (lane: number) => top + lane * laneH + laneH / 2
  const out: Array<string> = [
    svgOpen(
      W,
      H,
      `Timeline of ${view.title}`,
      `${moves.length} moves by ${parties.length} parties from ${formatDate(new Date(t0).toISOString())} to ${formatDate(new Date(t1).toISOString())}; each lane is a party, each mark a move; solid marks are official, hollow dashed marks reported, tinted marks simulated, ringed marks made by a person.`,
      "timeline",
    ),
  ]
  // The simulated stretch (played by the strategies, and the people at seats), shaded.
  const played = (m: Move) => m.status === "simulated" || m.status === "human"
  const firstSimulated = moves.find(played)
  if (firstSimulated !== undefined) {
    const xs = Math.max(left, x(Date.parse(firstSimulated.at)) - 6)
    const people = moves.some((m) => m.status === "human")
    out.push(
      `<rect x="${n2(xs)}" y="${top - 6}" width="${n2(W - right - xs)}" height="${lanes.length * laneH + 6}" fill="#f3f4f6"/>`,
      `<text x="${n2(xs + 6)}" y="${top - 12}" class="note">${people ? "played by the strategies and the people at the table →" : "simulated by the strategies →"}</text>`,
    )
    if (xs - left > 120 && moves.some((m) => !played(m) && m.party !== null))
      out.push(`<text x="${left + 4}" y="${top - 12}" class="note">scripted timeline</text>`)
  }
  // Lanes and their labels.
  lanes.forEach((l, i) => {
    const y = yOf(i)
    out.push(
      `<g data-testid="timeline-lane" data-party="${esc(l.id ?? "")}">`,
      `<line x1="${left}" x2="${W - right}" y1="${n2(y)}" y2="${n2(y)}" stroke="${colour(l.id)}" stroke-opacity="0.35" stroke-width="2"/>`,
      `<text x="${left - 12}" y="${n2(y - 3)}" text-anchor="end" class="lane" fill="${colour(l.id)}">${esc(l.label.length > 21 ? `${l.label.slice(0, 20)}…` : l.label)}${l.label.length > 21 ? title(l.label) : ""}</text>`,
      `<text x="${left - 12}" y="${n2(y + 13)}" text-anchor="end" class="sub">${esc(l.sub.length > 26 ? `${l.sub.slice(0, 25)}…` : l.sub)}</text>`,
      "</g>",
    )
    if (i > 0)
      out.push(
        `<line x1="8" x2="${W - right}" y1="${top + i * laneH}" y2="${top + i * laneH}" stroke="#e5e7eb"/>`,
      )
  })
  // Time axis.
  const axisY = top + lanes.length * laneH
  out.push(`<line x1="${left}" x2="${W - right}" y1="${axisY}" y2="${axisY}" stroke="#9ca3af"/>`)
  for (const t of timeTicks(t0 - pad, t1 + pad, 8)) {
    const xt = x(t.at)
    if (xt < left || xt > W - right) continue
    out.push(
      `<line x1="${n2(xt)}" x2="${n2(xt)}" y1="${top - 4}" y2="${axisY + 4}" stroke="#e5e7eb" stroke-dasharray="2 3"/>`,
      `<text x="${n2(xt)}" y="${axisY + 18}" text-anchor="middle" class="tick">${esc(t.label)}</text>`,
    )
  }
  out.push(`<text x="${W - right}" y="${H - 2}" text-anchor="end" class="axis">date (UTC) →</text>`)
  // Agreement line.
  if (view.agreement !== null) {
    const xa = x(Date.parse(view.agreement.at))
    out.push(
      `<g data-testid="timeline-agreement"><line x1="${n2(xa)}" x2="${n2(xa)}" y1="${top - 4}" y2="${axisY}" stroke="${SOLUTION_COLOURS.agreement}" stroke-width="2.5"/>`,
      `<text x="${n2(Math.min(xa, W - right - 4))}" y="${axisY - 4}" text-anchor="end" class="agree">agreement ${esc(view.agreement.offerId)} ★</text>${title(`Agreement on ${view.agreement.offerId}, ${formatDate(view.agreement.at)}: ${termsText(view.agreement.terms)}`)}</g>`,
    )
  }
  // Moves: answers above the lane line, offers and positions on it, the rest below.
  for (const m of moves) {
    const lane = laneOf(m.party)
    const s = SHAPES[m.type]
    const dy =
      m.type === "OfferMade" || m.type === "PositionStated" || m.party === null
        ? 0
        : s === "diamond" || s === "cross" || s === "ring" || s === "star" || s === "dash"
          ? -17
          : 17
    const cx = x(Date.parse(m.at))
    const cy = yOf(lane) + dy
    const refs = notes.byMove.get(m.version)
    out.push(
      `<g data-testid="timeline-move" data-status="${m.status}" data-type="${m.type}" tabindex="0">`,
      title(moveText(m, parties, notes, utilities)),
      shape(s, cx, cy, m.type === "OfferMade" ? 6 : 5, statusStyle(m.status, colour(m.party))),
      refs === undefined
        ? ""
        : `<text x="${n2(cx)}" y="${n2(cy + 21)}" text-anchor="middle" class="ref">[${esc(refsLabel(refs))}]</text>`,
      "</g>",
    )
  }
  out.push("</svg>")
  return out.join("")
}

/** The legend of the timeline: status styles and the shapes present. */
export const timelineLegend = (moves: ReadonlyArray<Move>): string => {
  const statuses: ReadonlyArray<[MoveStatus, string]> = [
    ["official", "official (made or confirmed by the party)"],
    ["reported", "reported (claimed by others, unconfirmed)"],
    ["simulated", "simulated (played by a strategy)"],
    ["human", "human (made by the person at the seat)"],
  ]
  const present = new Set(moves.map((m) => m.status))
  const shapes = [...new Set(moves.map((m) => SHAPES[m.type]))]
  return `<div class="legend" data-testid="timeline-legend">${statuses
    .filter(([s]) => present.has(s))
    .map(([s, l]) => swatch("circle", legendStyle(s), l))
    .join("")}<span class="sep"></span>${shapes
    .map((s) => swatch(s, statusStyle("official", "#4b5563"), KIND_LABELS[s] ?? s))
    .join("")}</div>`
}

const axisFrame = (
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

const utilityRange = (values: ReadonlyArray<number>) => {
  let lo = 0
  let hi = 1
  for (const v of values) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return [lo, hi] as const
}

/** Options of {@link concessionPanels}. */
export interface ConcessionInput {
  readonly view: StateView
  readonly preferences: Preferences
}

/**
 * Concession curves: one panel per party whose preferences are known, showing
 * its utility of every offer over the offers made (one line per offering
 * party), its reservation value and the agreement.
 */
export const concessionPanels = ({ view, preferences }: ConcessionInput): string => {
  const colour = partyColours(view.parties)
  const offers = view.offers
  const offerers = [...new Set(offers.map((o) => o.by as string))]
  const panels: Array<string> = []
  for (const e of preferences.evaluators) {
    const W = 480
    const H = 300
    const left = 52
    const right = W - 16
    const top = 16
    const bottom = H - 48
    const us = offers.map((o) => e.utility(o.terms))
    const [lo, hi] = utilityRange([...us, e.reservation])
    const n = Math.max(offers.length, 2)
    const x = linear(1, n, left + 8, right - 8)
    const y = linear(lo, hi, bottom, top)
    const name = nameOf(view.parties, e.party)
    const out: Array<string> = [
      svgOpen(
        W,
        H,
        `Utility for ${name} of each offer`,
        `For each of the ${offers.length} offers in order, ${name}'s utility of its terms (0 to 1), one line per offering party; the dashed line is ${name}'s reservation value ${fmt(e.reservation)}.`,
        "concession-panel",
      ),
    ]
    axisFrame(out, {
      x,
      y,
      xTicks: intTicks(1, n, 6),
      yTicks: ticks(lo, hi, 5),
      left,
      right,
      top,
      bottom,
      xLabel: "offer number →",
      yLabel: `utility for ${e.party}`,
    })
    const yr = y(e.reservation)
    out.push(
      `<line x1="${left}" x2="${right}" y1="${n2(yr)}" y2="${n2(yr)}" stroke="#6b7280" stroke-dasharray="6 4" stroke-width="1.5"/>`,
      `<text x="${right - 4}" y="${n2(yr - 5)}" text-anchor="end" class="note">no deal ${fmt(e.reservation)}</text>`,
    )
    for (const by of offerers) {
      const idx = offers.map((o, i) => [o, i] as const).filter(([o]) => o.by === by)
      const pts = idx.map(([, i]) => `${n2(x(i + 1))},${n2(y(us[i]!))}`).join(" ")
      out.push(
        `<polyline points="${pts}" fill="none" stroke="${colour(by)}" stroke-width="2" stroke-linejoin="round" data-testid="concession-line" data-by="${esc(by)}"/>`,
      )
      for (const [o, i] of idx)
        out.push(
          `<g>${title(`${o.offerId} by ${by} (offer ${i + 1}, ${offerStatus(o)}): ${name} ${fmt(us[i]!)}\n${termsText(o.terms)}`)}${shape("circle", x(i + 1), y(us[i]!), 3.5, statusStyle(o.provenance.status === "reported" && !o.confirmed ? "reported" : "official", colour(by)))}</g>`,
        )
    }
    if (view.agreement !== null) {
      const i = offers.findIndex((o) => o.offerId === view.agreement!.offerId)
      if (i !== -1)
        out.push(
          `<g data-testid="concession-agreement">${title(`agreement ${offers[i]!.offerId}: ${name} ${fmt(us[i]!)}`)}${shape("star", x(i + 1), y(us[i]!), 7, `fill="${SOLUTION_COLOURS.agreement}" stroke="#111827" stroke-width="1"`)}</g>`,
        )
    }
    out.push("</svg>")
    panels.push(`<figure class="panel">${out.join("")}</figure>`)
  }
  const legend = `<div class="legend">${offerers
    .map(
      (p) =>
        `<span class="key"><svg viewBox="0 0 24 12" width="24" height="12" aria-hidden="true"><line x1="0" x2="24" y1="6" y2="6" stroke="${colour(p)}" stroke-width="3"/></svg>offers by ${esc(nameOf(view.parties, p))}</span>`,
    )
    .join(
      "",
    )}<span class="key"><svg viewBox="0 0 24 12" width="24" height="12" aria-hidden="true"><line x1="0" x2="24" y1="6" y2="6" stroke="#6b7280" stroke-width="1.5" stroke-dasharray="6 4"/></svg>reservation value (no deal)</span>${swatch("star", `fill="${SOLUTION_COLOURS.agreement}" stroke="#111827"`, "agreement")}${swatch("circle", legendStyle("reported"), "reported offer")}</div>`
  return `<div class="panels">${panels.join("")}</div>${legend}`
}

const offerStatus = (o: Offer) =>
  `${o.status}${o.provenance.status === "reported" && !o.confirmed ? ", reported" : ""}`

/** Options of {@link utilitySpace}. */
export interface UtilitySpaceInput {
  readonly view: StateView
  readonly preferences: Preferences
  /** At most this many pair panels (default 6). */
  readonly maxPanels?: number
  /** Agreements of a batch, drawn instead of the offers path: terms and how many runs agreed on them. */
  readonly agreements?: ReadonlyArray<{ readonly terms: Terms; readonly count: number }>
  /** HTML placed next to the panels (a table of the reference points). */
  readonly aside?: string
}

const solutionPoints = (analysis: Analysis | undefined) =>
  analysis === undefined
    ? []
    : (
        [
          ["Nash", "nash", "circle"],
          ["Kalai-Smorodinsky", "kalaiSmorodinsky", "diamond"],
          ["egalitarian", "egalitarian", "square"],
        ] as const
      ).flatMap(([label, key, kind]) => {
        const p: AnalysisPoint | undefined = analysis[key]
        return p === undefined ? [] : [{ label, key, kind, point: p }]
      })

/**
 * The utility space of each pair of parties whose preferences are known:
 * every outcome as a dot, the Pareto frontier, the Nash, Kalai-Smorodinsky
 * and egalitarian points, the zone both prefer to no deal, the path of each
 * party's offers and the agreement.
 */
export const utilitySpace = ({
  view,
  preferences,
  maxPanels = 6,
  agreements,
  aside = "",
}: UtilitySpaceInput): string => {
  const colour = partyColours(view.parties)
  const ev = preferences.evaluators
  const pairs: Array<[number, number]> = []
  for (let i = 0; i < ev.length; i++)
    for (let j = i + 1; j < ev.length; j++) if (pairs.length < maxPanels) pairs.push([i, j])
  const analysis = preferences.analysis
  const solutions = solutionPoints(analysis)
  const offerers = [...new Set(view.offers.map((o) => o.by as string))]
  const panels = pairs.map(([i, j]) => {
    const a = ev[i]!
    const b = ev[j]!
    const W = 540
    const H = 520
    const left = 58
    const right = W - 18
    const top = 18
    const bottom = H - 52
    const cloud = preferences.cloud
    const ua = cloud?.utilities[i]
    const ub = cloud?.utilities[j]
    const [xlo, xhi] = utilityRange(ua === undefined ? [] : Array.from(ua))
    const [ylo, yhi] = utilityRange(ub === undefined ? [] : Array.from(ub))
    const x = linear(xlo, xhi, left + 6, right - 6)
    const y = linear(ylo, yhi, bottom - 6, top + 6)
    const nameA = nameOf(view.parties, a.party)
    const nameB = nameOf(view.parties, b.party)
    const projected = analysis !== undefined && analysis.parties.length > 2
    const frontier =
      analysis?.parties.includes(a.party) && analysis.parties.includes(b.party)
        ? analysis.paretoFrontier
        : []
    const out: Array<string> = [
      svgOpen(
        W,
        H,
        `Utility space: ${nameA} against ${nameB}`,
        `Each grey dot is a possible outcome (${cloud?.outcomes ?? 0}${cloud?.sampled ? ", a sample drawn" : ""}), placed by ${nameA}'s utility (across) and ${nameB}'s (up). The dark line is the Pareto frontier${projected ? " of all parties, projected" : ""}; the green area is where both do better than no deal.`,
        "utility-space",
      ),
    ]
    axisFrame(out, {
      x,
      y,
      xTicks: ticks(xlo, xhi, 5),
      yTicks: ticks(ylo, yhi, 5),
      left,
      right,
      top,
      bottom,
      xLabel: `utility for ${nameA.length > 40 ? a.party : nameA} →`,
      yLabel: `utility for ${nameB.length > 40 ? b.party : nameB} →`,
    })
    // The zone both prefer to no deal.
    const zx = x(Math.max(a.reservation, xlo))
    const zy = y(Math.max(b.reservation, ylo))
    out.push(
      `<rect x="${n2(zx)}" y="${n2(top)}" width="${n2(Math.max(0, right - zx))}" height="${n2(Math.max(0, zy - top))}" fill="#dcfce7" fill-opacity="0.7"/>`,
      `<line x1="${n2(zx)}" x2="${n2(zx)}" y1="${top}" y2="${bottom}" stroke="#6b7280" stroke-dasharray="6 4"/>`,
      `<line x1="${left}" x2="${right}" y1="${n2(zy)}" y2="${n2(zy)}" stroke="#6b7280" stroke-dasharray="6 4"/>`,
      `<text x="${n2(zx + 5)}" y="${n2(top + 30)}" class="note">${esc(a.party)} no deal ${fmt(a.reservation)}</text>`,
      `<text x="${n2(left + 5)}" y="${n2(zy - 5)}" class="note">${esc(b.party)} no deal ${fmt(b.reservation)}</text>`,
      `<text x="${n2(right - 6)}" y="${n2(Math.max(top + 46, zy - 8))}" text-anchor="end" class="note zopa">both better than no deal</text>`,
    )
    // Outcomes, one dot per distinct pixel.
    if (ua !== undefined && ub !== undefined) {
      const seen = new Set<string>()
      const dots: Array<string> = []
      for (let k = 0; k < ua.length; k++) {
        const px = n2(x(ua[k]!))
        const py = n2(y(ub[k]!))
        const key = `${Math.round(Number(px))},${Math.round(Number(py))}`
        if (seen.has(key)) continue
        seen.add(key)
        dots.push(`<circle cx="${px}" cy="${py}" r="2.6" data-testid="outcome-point"/>`)
      }
      out.push(`<g fill="#9ca3af" fill-opacity="0.75">${dots.join("")}</g>`)
    }
    // The Pareto frontier: its line under the offers, its points (rings) over them.
    const frontierPts = frontier
      .map((f) => [f.utilities[a.party] ?? 0, f.utilities[b.party] ?? 0] as const)
      .sort((p, q) => p[0] - q[0] || q[1] - p[1])
    if (frontier.length > 0 && !projected)
      out.push(
        `<polyline points="${frontierPts.map(([u, v]) => `${n2(x(u))},${n2(y(v))}`).join(" ")}" fill="none" stroke="#1f2937" stroke-width="2" stroke-linejoin="round"/>`,
      )
    // Offer paths (a run) or agreements (a batch).
    if (agreements === undefined)
      for (const by of offerers) {
        const own = view.offers.filter((o) => o.by === by)
        const pts = own.map((o) => [x(a.utility(o.terms)), y(b.utility(o.terms))] as const)
        out.push(
          `<polyline points="${pts.map(([px, py]) => `${n2(px)},${n2(py)}`).join(" ")}" fill="none" stroke="${colour(by)}" stroke-width="1.6" stroke-opacity="0.6" stroke-linejoin="round" data-testid="offer-path"/>`,
        )
        own.forEach((o, k) => {
          const [px, py] = pts[k]!
          out.push(
            `<g data-testid="offer-point">${title(`${o.offerId} by ${by} (${offerStatus(o)}): ${a.party} ${fmt(a.utility(o.terms))}, ${b.party} ${fmt(b.utility(o.terms))}\n${termsText(o.terms)}`)}${shape("circle", px, py, 4.5, statusStyle(o.provenance.status === "reported" && !o.confirmed ? "reported" : "official", colour(by)))}</g>`,
          )
        })
      }
    else {
      const most = Math.max(1, ...agreements.map((g) => g.count))
      for (const g of agreements) {
        const ua_ = a.utility(g.terms)
        const ub_ = b.utility(g.terms)
        out.push(
          `<g data-testid="batch-agreement">${title(`${g.count} runs agreed on: ${termsText(g.terms)}\n${a.party} ${fmt(ua_)}, ${b.party} ${fmt(ub_)}`)}<circle cx="${n2(x(ua_))}" cy="${n2(y(ub_))}" r="${n2(5 + 13 * Math.sqrt(g.count / most))}" fill="${SOLUTION_COLOURS.agreement}" fill-opacity="0.45" stroke="#7c5a00" stroke-width="1.2"/></g>`,
        )
      }
    }
    if (frontier.length > 0)
      out.push(
        `<g data-testid="frontier">${frontier
          .map(
            (f) =>
              `<circle cx="${n2(x(f.utilities[a.party] ?? 0))}" cy="${n2(y(f.utilities[b.party] ?? 0))}" r="6.5" fill="none" stroke="#1f2937" stroke-width="2" data-testid="frontier-point">${title(`Pareto-optimal: ${a.party} ${fmt(f.utilities[a.party] ?? 0)}, ${b.party} ${fmt(f.utilities[b.party] ?? 0)}${f.outcomes > 1 ? ` (${f.outcomes} outcomes)` : ""}\n${termsText(f.terms)}`)}</circle>`,
          )
          .join("")}</g>`,
      )
    // Solution points: coincident ones share one label.
    const groups = new Map<string, Array<(typeof solutions)[number]>>()
    for (const s of solutions) {
      const key = `${fmt(s.point.utilities[a.party] ?? 0, 4)},${fmt(s.point.utilities[b.party] ?? 0, 4)}`
      groups.set(key, [...(groups.get(key) ?? []), s])
    }
    for (const group of groups.values()) {
      const p = group[0]!.point
      const px = x(p.utilities[a.party] ?? 0)
      const py = y(p.utilities[b.party] ?? 0)
      group.forEach((s, k) => {
        out.push(
          `<g data-testid="solution-${s.key}">${title(`${s.label} point: ${a.party} ${fmt(p.utilities[a.party] ?? 0)}, ${b.party} ${fmt(p.utilities[b.party] ?? 0)}\n${termsText(p.terms)}`)}${shape(s.kind, px, py, 7 + 3 * k, `fill="none" stroke="${SOLUTION_COLOURS[s.key]}" stroke-width="2"`)}</g>`,
        )
      })
      const label = group.map((s) => (s.key === "kalaiSmorodinsky" ? "KS" : s.label)).join(" = ")
      const anchorEnd = px > (left + right) / 2
      out.push(
        `<text x="${n2(anchorEnd ? px - 14 : px + 14)}" y="${n2(py + 18)}" text-anchor="${anchorEnd ? "end" : "start"}" class="sol">${esc(label)}</text>`,
      )
    }
    // The agreement.
    if (agreements === undefined && view.agreement !== null) {
      const t = view.agreement.terms
      const px = x(a.utility(t))
      const py = y(b.utility(t))
      out.push(
        `<g data-testid="space-agreement">${title(`Agreement ${view.agreement.offerId}: ${a.party} ${fmt(a.utility(t))}, ${b.party} ${fmt(b.utility(t))}\n${termsText(t)}`)}${shape("star", px, py, 9, `fill="${SOLUTION_COLOURS.agreement}" stroke="#111827" stroke-width="1.2"`)}</g>`,
        `<text x="${n2(px)}" y="${n2(py - 16)}" text-anchor="middle" class="agree">agreement</text>`,
      )
    }
    out.push("</svg>")
    return `<figure class="panel space">${out.join("")}</figure>`
  })
  const legend = `<div class="legend">${swatch("circle", 'fill="#9ca3af"', "possible outcome")}${swatch("circle", 'fill="none" stroke="#1f2937" stroke-width="2"', "Pareto frontier")}${solutions
    .map((s) =>
      swatch(
        s.kind,
        `fill="none" stroke="${SOLUTION_COLOURS[s.key]}" stroke-width="2"`,
        `${s.label} point`,
      ),
    )
    .join(
      "",
    )}<span class="key"><svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true"><rect x="2" y="2" width="16" height="16" fill="#dcfce7"/></svg>both better than no deal</span>${
    agreements === undefined
      ? `${offerers.map((p) => swatch("circle", statusStyle("official", colour(p)), `offers by ${nameOf(view.parties, p)}`)).join("")}${swatch("star", `fill="${SOLUTION_COLOURS.agreement}" stroke="#111827"`, "agreement")}`
      : swatch(
          "circle",
          `fill="${SOLUTION_COLOURS.agreement}" fill-opacity="0.45" stroke="#7c5a00"`,
          "agreements (area ∝ runs)",
        )
  }</div>`
  return `<div class="panels">${panels.join("")}${aside}</div>${legend}`
}

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
  const max = Math.max(1, ...totals)
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
