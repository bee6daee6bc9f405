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
 * - More parties: a filter against the current frontier with move-to-front of
 *   the last dominating point (most dominated points are rejected by the first
 *   comparison), and removal of the points a newcomer dominates.
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

const filtered = (m: number): Frontier => {
  let cap = 64
  let u = new Float64Array(cap * m)
  let idx = new Float64Array(cap)
  let cnt = new Float64Array(cap)
  let n = 0
  let hint = 0
  const grow = () => {
    cap *= 2
    const nu = new Float64Array(cap * m)
    nu.set(u)
    u = nu
    const ni = new Float64Array(cap)
    ni.set(idx)
    idx = ni
    const nc = new Float64Array(cap)
    nc.set(cnt)
    cnt = nc
  }
  // 1: q dominates p, 2: equal, 0: neither
  const compare = (q: number, us: ArrayLike<number>): number => {
    const base = q * m
    let strict = false
    for (let i = 0; i < m; i++) {
      const d = u[base + i]! - us[i]!
      if (d < 0) return 0
      if (d > 0) strict = true
    }
    return strict ? 1 : 2
  }
  const add = (index: number, us: ArrayLike<number>): void => {
    if (n > 0) {
      if (hint >= n) hint = 0
      const c = compare(hint, us)
      if (c === 2) {
        cnt[hint] = cnt[hint]! + 1
        return
      }
      if (c === 1) return
      for (let q = 0; q < n; q++) {
        if (q === hint) continue
        const r = compare(q, us)
        if (r !== 0) {
          if (r === 2) cnt[q] = cnt[q]! + 1
          hint = q
          return
        }
      }
    }
    // not dominated: remove the points it dominates, compacting in place
    let w = 0
    for (let q = 0; q < n; q++) {
      const base = q * m
      let dominated = true
      for (let i = 0; i < m; i++) {
        if (u[base + i]! > us[i]!) {
          dominated = false
          break
        }
      }
      // equal points were caught above, so `dominated` here is strict
      if (!dominated) {
        if (w !== q) {
          u.copyWithin(w * m, base, base + m)
          idx[w] = idx[q]!
          cnt[w] = cnt[q]!
        }
        w++
      }
    }
    n = w
    if (n === cap) grow()
    for (let i = 0; i < m; i++) u[n * m + i] = us[i]!
    idx[n] = index
    cnt[n] = 1
    hint = n
    n++
  }
  return {
    add,
    points: () => {
      const out: Array<FrontierPoint> = []
      for (let q = 0; q < n; q++)
        out.push({
          index: idx[q]!,
          utilities: Array.from(u.subarray(q * m, q * m + m)),
          count: cnt[q]!,
        })
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
