/**
 * Streaming Pareto frontiers over utility vectors.
 *
 * A point (utility vector) is on the frontier when no other point is at least
 * as good for every party and better for one. Points are fed one at a time
 * (`add(index, utilities)`) and only the current frontier is kept, so a space
 * of millions of outcomes is analysed in the memory of its frontier.
 *
 * - Two parties: the frontier is a staircase sorted by the first utility
 *   (ascending; the second then descends, consecutive stairs more than the
 *   tolerance apart in both). A new point is dominated or equal exactly when
 *   the first stair not below it (within the tolerance) is at least as high,
 *   found by binary search: O(log f) per point, O(f) only when the frontier
 *   changes.
 * - More parties: the frontier is indexed by a grid over the first two
 *   utilities; a newcomer is compared only with points in cells that could
 *   dominate it (first with the last point that dominated one), and removes
 *   the points it dominates from the cells that could hold them.
 *
 * Utilities closer than {@link UTILITY_TOLERANCE} are the same utility (sums
 * of the same rationals in a different order differ in the last bits):
 * dominance and equality are decided within it, so a point tied on one party
 * and worse on another is dominated even when float rounding put it 1e-16
 * ahead. Outcomes with the same utility vector are one frontier point: the
 * first outcome (lowest index) represents it, its utilities are reported, and
 * `count` says how many share it. `FrontierCheck.ts` checks the result
 * exhaustively against every outcome.
 *
 * @since 0.1.0
 */

/** A frontier point: one outcome index, its utilities, and how many outcomes share them. */
export interface FrontierPoint {
  readonly index: number
  readonly utilities: ReadonlyArray<number>
  readonly count: number
}

/** A streaming frontier accumulator. */
export interface Frontier {
  /** Offers one outcome; `utilities` is read, not kept. */
  readonly add: (index: number, utilities: ArrayLike<number>) => void
  /** The frontier so far, sorted by the first utility descending (then the next...). */
  readonly points: () => Array<FrontierPoint>
  /** The number of frontier points so far. */
  readonly size: () => number
}

/** A frontier accumulator for `parties` utilities per point (2 uses the staircase). */
export const makeFrontier = (parties: number, tolerance = UTILITY_TOLERANCE): Frontier =>
  parties === 2
    ? staircase(tolerance)
    : parties === 1
      ? best(tolerance)
      : filtered(parties, tolerance)

const sortPoints = (points: Array<FrontierPoint>): Array<FrontierPoint> =>
  points.sort((a, b) => {
    for (let i = 0; i < a.utilities.length; i++) {
      const d = (b.utilities[i] ?? 0) - (a.utilities[i] ?? 0)
      if (d !== 0) return d
    }
    return a.index - b.index
  })

const best = (tol: number): Frontier => {
  let u = Number.NEGATIVE_INFINITY
  let index = -1
  let count = 0
  return {
    add: (i, us) => {
      const x = us[0]!
      if (x > u + tol) {
        u = x
        index = i
        count = 1
      } else if (x >= u - tol) count++
    },
    points: () => (index < 0 ? [] : [{ index, utilities: [u], count }]),
    size: () => (index < 0 ? 0 : 1),
  }
}

const staircase = (tol: number): Frontier => {
  const a: Array<number> = [] // first utility, ascending
  const b: Array<number> = [] // second utility, descending
  const idx: Array<number> = []
  const cnt: Array<number> = []
  const add = (index: number, us: ArrayLike<number>): void => {
    const x = us[0]!
    const y = us[1]!
    // first position with a[pos] >= x - tol: the stairs from there on are not
    // worse for the first party, and the one at pos is the best of them for the second
    const xLow = x - tol
    let lo = 0
    let hi = a.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (a[mid]! < xLow) lo = mid + 1
      else hi = mid
    }
    const pos = lo
    if (pos < a.length && b[pos]! >= y - tol) {
      // dominated, or (within the tolerance on both) the same point
      if (a[pos]! <= x + tol && b[pos]! <= y + tol) cnt[pos] = cnt[pos]! + 1
      return
    }
    // not dominated: drop the stairs it dominates, a contiguous run around pos:
    // to the left (worse for the first party) those not higher for the second,
    // from pos on (lower for the second) those not better for the first
    const yHigh = y + tol
    let start = pos
    while (start > 0 && b[start - 1]! <= yHigh) start--
    const xHigh = x + tol
    let end = pos
    while (end < a.length && a[end]! <= xHigh) end++
    const removed = end - start
    if (removed === 1) {
      a[start] = x
      b[start] = y
      idx[start] = index
      cnt[start] = 1
    } else {
      a.splice(start, removed, x)
      b.splice(start, removed, y)
      idx.splice(start, removed, index)
      cnt.splice(start, removed, 1)
    }
  }
  return {
    add,
    points: () => {
      const out: Array<FrontierPoint> = []
      for (let k = a.length - 1; k >= 0; k--)
        out.push({ index: idx[k]!, utilities: [a[k]!, b[k]!], count: cnt[k]! })
      return out
    },
    size: () => a.length,
  }
}

const G = 16

const cellOf = (x: number): number => {
  const c = Math.floor(x * G)
  return c < 0 ? 0 : c >= G ? G - 1 : c
}

/**
 * Three or more parties: the frontier is indexed by a G x G grid over the
 * first two utilities (clamped to [0, 1], so any values work). A point can
 * only be dominated by points in cells at or above its own in both, and can
 * only dominate points at or below: queries visit that quarter of the grid,
 * starting with the cell of the last dominating point.
 */
const filtered = (m: number, tol: number): Frontier => {
  const us: Array<Array<number>> = []
  const ids: Array<Array<number>> = []
  const cnts: Array<Array<number>> = []
  for (let c = 0; c < G * G; c++) {
    us.push([])
    ids.push([])
    cnts.push([])
  }
  let n = 0
  let hintCell = -1
  let hintPos = -1
  // 1: the stored point dominates `p`, 2: equal, 0: neither (within the tolerance)
  const compare = (cu: Array<number>, pos: number, p: ArrayLike<number>): number => {
    const base = pos * m
    let strict = false
    for (let i = 0; i < m; i++) {
      const d = cu[base + i]! - p[i]!
      if (d < -tol) return 0
      if (d > tol) strict = true
    }
    return strict ? 1 : 2
  }
  const add = (index: number, p: ArrayLike<number>): void => {
    if (hintCell >= 0) {
      const cu = us[hintCell]!
      if (hintPos < cu.length / m) {
        const r = compare(cu, hintPos, p)
        if (r === 2) {
          cnts[hintCell]![hintPos]! += 1
          return
        }
        if (r === 1) return
      }
    }
    // points up to the tolerance below `p` may dominate or equal it; up to it above, be dominated by it
    const loX = cellOf(p[0]! - tol)
    const loY = cellOf(p[1]! - tol)
    for (let cx = G - 1; cx >= loX; cx--) {
      for (let cy = G - 1; cy >= loY; cy--) {
        const c = cx * G + cy
        const cu = us[c]!
        const k = cu.length / m
        for (let pos = 0; pos < k; pos++) {
          const r = compare(cu, pos, p)
          if (r !== 0) {
            if (r === 2) cnts[c]![pos]! += 1
            hintCell = c
            hintPos = pos
            return
          }
        }
      }
    }
    // not dominated: remove what it dominates (equal points were caught above,
    // so a point nowhere above `p` by more than the tolerance is below it somewhere)
    const hiX = cellOf(p[0]! + tol)
    const hiY = cellOf(p[1]! + tol)
    for (let cx = 0; cx <= hiX; cx++) {
      for (let cy = 0; cy <= hiY; cy++) {
        const c = cx * G + cy
        const cu = us[c]!
        const ci = ids[c]!
        const cc = cnts[c]!
        let k = ci.length
        for (let pos = 0; pos < k; ) {
          const base = pos * m
          let dominated = true
          for (let i = 0; i < m; i++) {
            if (cu[base + i]! > p[i]! + tol) {
              dominated = false
              break
            }
          }
          if (dominated) {
            k--
            const lastBase = k * m
            for (let i = 0; i < m; i++) cu[base + i] = cu[lastBase + i]!
            ci[pos] = ci[k]!
            cc[pos] = cc[k]!
            cu.length = k * m
            ci.length = k
            cc.length = k
            n--
          } else pos++
        }
      }
    }
    const c = cellOf(p[0]!) * G + cellOf(p[1]!)
    const cu = us[c]!
    for (let i = 0; i < m; i++) cu.push(p[i]!)
    ids[c]!.push(index)
    cnts[c]!.push(1)
    hintCell = c
    hintPos = ids[c]!.length - 1
    n++
  }
  return {
    add,
    points: () => {
      const out: Array<FrontierPoint> = []
      for (let c = 0; c < G * G; c++) {
        const cu = us[c]!
        for (let pos = 0; pos < ids[c]!.length; pos++)
          out.push({
            index: ids[c]![pos]!,
            utilities: cu.slice(pos * m, pos * m + m),
            count: cnts[c]![pos]!,
          })
      }
      return sortPoints(out)
    },
    size: () => n,
  }
}

/** The frontier of a finite list of utility vectors (convenience over {@link makeFrontier}). */
export const paretoFrontier = (
  points: ReadonlyArray<ArrayLike<number>>,
  tolerance = UTILITY_TOLERANCE,
): Array<FrontierPoint> => {
  const f = makeFrontier(points[0]?.length ?? 2, tolerance)
  for (let k = 0; k < points.length; k++) f.add(k, points[k]!)
  return f.points()
}

/**
 * Utilities closer than this are the same utility. GENIUS-style utilities are
 * weighted sums of rationals; summed in different orders they differ in the
 * last bits (about 1e-16), while distinct ones differ by far more than this.
 */
export const UTILITY_TOLERANCE = 1e-12

/** Whether `a` and `b` are the same utilities within `tolerance`. */
export const sameWithin = (
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  tolerance = UTILITY_TOLERANCE,
): boolean => {
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > tolerance) return false
  return true
}

/**
 * Whether `a` dominates `b` within `tolerance`: no party is worse off by more
 * than the tolerance, and some party is better off by more than it.
 */
export const dominatesWithin = (
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  tolerance = UTILITY_TOLERANCE,
): boolean => {
  let strict = false
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!
    if (d < -tolerance) return false
    if (d > tolerance) strict = true
  }
  return strict
}
