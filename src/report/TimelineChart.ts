/**
 * The timeline of a negotiation: one lane per party (plus one for the
 * table), each move a marker placed in time whose shape says its kind and
 * whose style says its status, with its legend and hover text.
 *
 * @since 0.1.0
 */
import type { Terms } from "../domain/Issue.ts"
import { verbOfEvent } from "../domain/Verbs.ts"
import type { PartyState, StateView } from "../domain/View.ts"
import {
  legendStyle,
  nameOf,
  partyColours,
  type Shape,
  shape,
  statusStyle,
  svgOpen,
  swatch,
  termsText,
} from "./ChartParts.ts"
import type { Footnotes, Move, MoveStatus } from "./Model.ts"
import { esc, formatDate, linear, n2, SOLUTION_COLOURS, timeTicks, title } from "./Svg.ts"

/**
 * The marker of each kind of move. A kind not listed here (a new event type)
 * is drawn as {@link OTHER_SHAPE} and named in the legend by its verb.
 */
const SHAPES: Partial<Record<Move["type"], Shape>> = {
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

const OTHER_SHAPE: Shape = "square"

const KIND_LABELS: Record<Shape, string> = {
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

/** The marker of a kind of move and its name in the legend. */
const markerOf = (type: Move["type"]): { readonly shape: Shape; readonly label: string } => {
  const listed = SHAPES[type]
  return listed === undefined
    ? { shape: OTHER_SHAPE, label: verbOfEvent[type] }
    : { shape: listed, label: KIND_LABELS[listed] }
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
    `${who} ${m.verb}${m.offerId === undefined ? "" : ` ${m.offerId}`} (${m.status}${m.hypothetical ? ", HYPOTHETICAL: supposed, not reported" : ""})`,
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
    const s = markerOf(m.type).shape
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
  const markers = new Map(moves.map((m) => markerOf(m.type)).map((k) => [k.label, k.shape]))
  return `<div class="legend" data-testid="timeline-legend">${statuses
    .filter(([s]) => present.has(s))
    .map(([s, l]) => swatch("circle", legendStyle(s), l))
    .join("")}<span class="sep"></span>${[...markers]
    .map(([label, s]) => swatch(s, statusStyle("official", "#4b5563"), label))
    .join("")}</div>`
}
