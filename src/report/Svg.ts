/**
 * Small, dependency-free building blocks for hand-written SVG and HTML:
 * escaping (every text that reaches a page goes through {@link esc}), linear
 * scales, "nice" ticks for numbers and dates, number formatting and the
 * colour palette.
 *
 * @since 0.1.0
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
}

/** Escapes text for HTML/SVG content and attribute values (logs and scenarios are untrusted). */
export const esc = (text: unknown): string => String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!)

/** A number rounded for SVG coordinates (two decimals, no trailing zeros). */
export const n2 = (x: number): string =>
  Number.isFinite(x) ? String(Math.round(x * 100) / 100) : "0"

/** A linear map from a domain to a range; a degenerate domain maps to the range's middle. */
export const linear =
  (d0: number, d1: number, r0: number, r1: number) =>
  (x: number): number =>
    d1 === d0 ? (r0 + r1) / 2 : r0 + ((x - d0) / (d1 - d0)) * (r1 - r0)

/** About `count` round tick values covering `[lo, hi]`. */
export const ticks = (lo: number, hi: number, count = 5): ReadonlyArray<number> => {
  if (!(hi > lo)) return [lo]
  const raw = (hi - lo) / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag
  const out: Array<number> = []
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++)
    out.push(Number.parseFloat((k * step).toPrecision(12)))
  return out
}

/** Integer ticks for counts (rounds, runs): never fractional. */
export const intTicks = (lo: number, hi: number, count = 5): ReadonlyArray<number> =>
  ticks(lo, hi, count).filter((t) => Number.isInteger(t))

const DAY = 86_400_000
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/** Round date ticks (UTC) for a span in milliseconds, with short labels. */
export const timeTicks = (
  lo: number,
  hi: number,
  count = 7,
): ReadonlyArray<{ readonly at: number; readonly label: string }> => {
  const span = Math.max(1, hi - lo)
  const out: Array<{ at: number; label: string }> = []
  const label = (d: Date, withYear: boolean, withTime: boolean) =>
    `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${withYear ? ` ${d.getUTCFullYear()}` : ""}${
      withTime
        ? ` ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`
        : ""
    }`
  const multiYear = new Date(lo).getUTCFullYear() !== new Date(hi).getUTCFullYear()
  if (span / (30 * DAY) >= count) {
    // months (1, 2, 3, 6 or 12 at a time)
    const months = span / (30 * DAY)
    const step = [1, 2, 3, 6, 12].find((m) => months / m <= count) ?? 12
    const d = new Date(lo)
    let y = d.getUTCFullYear()
    let m = d.getUTCMonth() + 1
    for (let guard = 0; guard < 400; guard++) {
      if (m > 11) {
        y += Math.floor(m / 12)
        m %= 12
      }
      const at = Date.UTC(y, m, 1)
      if (at > hi) break
      if (m % step === 0 || step === 1)
        out.push({
          at,
          label: `${MONTHS[m]}${m === 0 || multiYear ? ` ${y}` : ""}`,
        })
      m++
    }
    return out
  }
  const steps = [
    60_000,
    5 * 60_000,
    15 * 60_000,
    3_600_000,
    3 * 3_600_000,
    6 * 3_600_000,
    12 * 3_600_000,
    DAY,
    2 * DAY,
    7 * DAY,
    14 * DAY,
  ]
  const step = steps.find((s) => span / s <= count) ?? 14 * DAY
  // Weeks start on Monday (1970-01-05 was one).
  const origin = step >= 7 * DAY ? 4 * DAY : 0
  for (let at = Math.ceil((lo - origin) / step) * step + origin; at <= hi; at += step)
    out.push({ at, label: label(new Date(at), multiYear && out.length === 0, step < DAY) })
  return out
}

/** A date as `22 Apr 2025` (UTC), with the time when it is not midnight. */
export const formatDate = (iso: string): string => {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const time =
    d.getUTCHours() === 0 && d.getUTCMinutes() === 0
      ? ""
      : ` ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}${time}`
}

/** A utility or share with two decimals. */
export const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : "–")

/** A share as a percentage. */
export const pct = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)}%`

/**
 * Party colours: the Okabe-Ito palette, distinguishable with the common
 * colour-vision deficiencies and readable on white (its yellow is left out).
 */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

/** The colour of the `i`-th party. */
export const colourOf = (i: number): string =>
  PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length]!

/** Colours of the solution points (never party colours). */
export const SOLUTION_COLOURS = {
  nash: "#111111",
  kalaiSmorodinsky: "#6b4fa0",
  egalitarian: "#7a5a00",
  agreement: "#b8860b",
} as const

/** An SVG `<title>` (the hover tooltip), escaped. */
export const title = (text: string): string => `<title>${esc(text)}</title>`

/** The text of a number that counts something: `1 run`, `2 runs`. */
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`
