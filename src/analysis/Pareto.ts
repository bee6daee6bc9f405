/**
 * Streaming Pareto frontiers over utility vectors.
 *
 * A point (utility vector) is on the frontier when no other point is at least
 * as good for every party and better for one. Points are fed one at a time
 * (`add(index, utilities)`) and only the current frontier is kept, so a space
 * of millions of outcomes is analysed in the memory of its frontier.
 *
 * - Two parties: the frontier is a staircase sorted by the first utility
 *   (ascending; the second then descends strictly). A new point is dominated
 *   exactly when the first stair at or right of it is at least as high, found
 *   by binary search: O(log f) per point, O(f) only when the frontier changes.
 * - More parties: the frontier is indexed by a grid over the first two
 *   utilities; a newcomer is compared only with points in cells that could
 *   dominate it (first with the last point that dominated one), and removes
 *   the points it dominates from the cells that could hold them.
 *
 * Outcomes with identical utility vectors are one frontier point: the first
 * outcome (lowest index) represents it and `count` says how many share it.
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
export const makeFrontier = (parties: number): Frontier =>
  parties === 2 ? staircase() : parties === 1 ? best() : filtered(parties)

const sortPoints = (points: Array<FrontierPoint>): Array<FrontierPoint> =>
  points.sort((a, b) => {
    for (let i = 0; i < a.utilities.length; i++) {
      const d = (b.utilities[i] ?? 0) - (a.utilities[i] ?? 0)
      if (d !== 0) return d
    }
    return a.index - b.index
  })

const best = (): Frontier => {
  let u = Number.NEGATIVE_INFINITY
  let index = -1
  let count = 0
  return {
    add: (i, us) => {
      const x = us[0]!
      if (x > u) {
        u = x
        index = i
        count = 1
      } else if (x === u) count++
    },
    points: () => (index < 0 ? [] : [{ index, utilities: [u], count }]),
    size: () => (index < 0 ? 0 : 1),
  }
}

const staircase = (): Frontier => {
  const a: Array<number> = [] // first utility, ascending
  const b: Array<number> = [] // second utility, descending
  const idx: Array<number> = []
  const cnt: Array<number> = []
  const add = (index: number, us: ArrayLike<number>): void => {
    const x = us[0]!
    const y = us[1]!
    // first position with a[pos] >= x
    let lo = 0
    let hi = a.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (a[mid]! < x) lo = mid + 1
      else hi = mid
    }
    const pos = lo
    if (pos < a.length) {
      const by = b[pos]!
      if (by >= y) {
        if (by === y && a[pos] === x) cnt[pos] = cnt[pos]! + 1
        return
      }
    }
    // not dominated: drop the stairs it dominates (a contiguous run ending at pos)
    let start = pos
    while (start > 0 && b[start - 1]! <= y) start--
    const end = pos < a.length && a[pos] === x ? pos + 1 : pos
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
const filtered = (m: number): Frontier => {
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
  // 1: the stored point dominates `p`, 2: equal, 0: neither
  const compare = (cu: Array<number>, pos: number, p: ArrayLike<number>): number => {
    const base = pos * m
    let strict = false
    for (let i = 0; i < m; i++) {
      const d = cu[base + i]! - p[i]!
      if (d < 0) return 0
      if (d > 0) strict = true
    }
    return strict ? 1 : 2
  }
  const add = (index: number, p: ArrayLike<number>): void => {
    const px = cellOf(p[0]!)
    const py = cellOf(p[1]!)
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
    for (let cx = G - 1; cx >= px; cx--) {
      for (let cy = G - 1; cy >= py; cy--) {
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
    // not dominated: remove what it dominates (equal points were caught above)
    for (let cx = 0; cx <= px; cx++) {
      for (let cy = 0; cy <= py; cy++) {
        const c = cx * G + cy
        const cu = us[c]!
        const ci = ids[c]!
        const cc = cnts[c]!
        let k = ci.length
        for (let pos = 0; pos < k; ) {
          const base = pos * m
          let dominated = true
          for (let i = 0; i < m; i++) {
            if (cu[base + i]! > p[i]!) {
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
    const c = px * G + py
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

/** Whether `a` dominates `b`: at least as good for everyone, better for someone. */
export const dominates = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  let strict = false
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!
    if (d < 0) return false
    if (d > 0) strict = true
  }
  return strict
}

/** The frontier of a finite list of utility vectors (convenience over {@link makeFrontier}). */
export const paretoFrontier = (points: ReadonlyArray<ArrayLike<number>>): Array<FrontierPoint> => {
  const f = makeFrontier(points[0]?.length ?? 2)
  for (let k = 0; k < points.length; k++) f.add(k, points[k]!)
  return f.points()
}
