/**
 * The charts of what each party gets: concession curves (each party's
 * utility of every offer in turn) and the utility space of each pair of
 * parties with the Pareto frontier, the solution points and the offers'
 * paths or a batch's agreements.
 *
 * @since 0.1.0
 */
import type { Analysis, AnalysisPoint } from "../analysis/Analyze.ts"
import type { Terms } from "../domain/Issue.ts"
import type { Offer, StateView } from "../domain/View.ts"
import {
  axisFrame,
  legendStyle,
  nameOf,
  partyColours,
  shape,
  statusStyle,
  svgOpen,
  swatch,
  termsText,
  utilityRange,
} from "./ChartParts.ts"
import type { Preferences } from "./Model.ts"
import { esc, fmt, intTicks, linear, n2, SOLUTION_COLOURS, ticks, title } from "./Svg.ts"

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

/** A label to place beside a point: its text, the point, and how far from it the text must stay. */
interface PlacedLabel {
  readonly text: string
  readonly x: number
  readonly y: number
  readonly className: "sol" | "agree"
  readonly clearance: number
}

/**
 * Places each label (bold 12 px text) beside its point at the first of eight
 * positions around it whose box stays in the plot and overlaps no label placed
 * before it; when none is free, the least crowded. Earlier labels win.
 */
const placeLabels = (
  labels: ReadonlyArray<PlacedLabel>,
  plot: {
    readonly left: number
    readonly right: number
    readonly top: number
    readonly bottom: number
  },
): Array<string> => {
  const placed: Array<{ x0: number; y0: number; x1: number; y1: number }> = []
  const overlap = (b: { x0: number; y0: number; x1: number; y1: number }) =>
    placed.reduce(
      (sum, p) =>
        sum +
        Math.max(0, Math.min(b.x1, p.x1) - Math.max(b.x0, p.x0)) *
          Math.max(0, Math.min(b.y1, p.y1) - Math.max(b.y0, p.y0)),
      0,
    )
  return labels.map((l) => {
    const w = l.text.length * 7.2
    const h = 13
    const c = l.clearance
    // [anchor x, baseline y, text-anchor]: below, above, right, left, then the corners.
    const candidates: ReadonlyArray<readonly [number, number, "start" | "middle" | "end"]> = [
      [l.x, l.y + c + h - 2, "middle"],
      [l.x, l.y - c - 2, "middle"],
      [l.x + c + 2, l.y + 4, "start"],
      [l.x - c - 2, l.y + 4, "end"],
      [l.x + c, l.y + c + h - 2, "start"],
      [l.x - c, l.y + c + h - 2, "end"],
      [l.x + c, l.y - c - 2, "start"],
      [l.x - c, l.y - c - 2, "end"],
    ]
    const boxes = candidates.map(([ax, by, anchor]) => {
      const x0 = anchor === "start" ? ax : anchor === "end" ? ax - w : ax - w / 2
      return { x0, y0: by - h + 2, x1: x0 + w, y1: by + 2, ax, by, anchor }
    })
    const inside = (b: (typeof boxes)[number]) =>
      b.x0 >= plot.left && b.x1 <= plot.right && b.y0 >= plot.top - 4 && b.y1 <= plot.bottom
    const best =
      boxes.find((b) => inside(b) && overlap(b) === 0) ??
      [...boxes].sort(
        (p, q) => Number(inside(q)) - Number(inside(p)) || overlap(p) - overlap(q),
      )[0]!
    placed.push(best)
    return `<text x="${n2(best.ax)}" y="${n2(best.by)}" text-anchor="${best.anchor}" class="${l.className}" data-testid="space-label">${esc(l.text)}</text>`
  })
}

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
    // Labels of the solution points and the agreement, placed after the markers
    // so that none overlaps another (see placeLabels).
    const labels: Array<PlacedLabel> = []
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
      labels.push({ text: label, x: px, y: py, className: "sol", clearance: 8 + 3 * group.length })
    }
    // The agreement.
    if (agreements === undefined && view.agreement !== null) {
      const t = view.agreement.terms
      const px = x(a.utility(t))
      const py = y(b.utility(t))
      out.push(
        `<g data-testid="space-agreement">${title(`Agreement ${view.agreement.offerId}: ${a.party} ${fmt(a.utility(t))}, ${b.party} ${fmt(b.utility(t))}\n${termsText(t)}`)}${shape("star", px, py, 9, `fill="${SOLUTION_COLOURS.agreement}" stroke="#111827" stroke-width="1.2"`)}</g>`,
      )
      labels.unshift({ text: "agreement", x: px, y: py, className: "agree", clearance: 12 })
    }
    out.push(...placeLabels(labels, { left, right, top, bottom }))
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
