/**
 * A small dense two-phase simplex for linear programs in equality form:
 * minimise `c.x` subject to `A x = b`, `x >= 0`. Bland's rule (smallest
 * index enters and leaves) prevents cycling (Bland, "New finite pivoting
 * rules for the simplex method", Mathematics of Operations Research 2, 1977).
 * Meant for the few hundred variables of a utility estimate from a ranking,
 * not for large programs.
 *
 * @since 0.1.0
 */

/** A solved program, or why it has no solution. */
export type LpResult =
  | { readonly status: "optimal"; readonly x: Float64Array; readonly value: number }
  | { readonly status: "infeasible" }
  | { readonly status: "unbounded" }

const EPS = 1e-9

/**
 * Minimises `c.x` subject to `A x = b`, `x >= 0` (`A` as rows). Rows with a
 * negative `b` are negated first. Deterministic.
 */
export const solveLp = (
  a: ReadonlyArray<ArrayLike<number>>,
  b: ArrayLike<number>,
  c: ArrayLike<number>,
): LpResult => {
  const m = a.length
  const n = c.length
  const width = n + m + 1 // variables, artificials, right-hand side
  const t: Array<Float64Array> = []
  for (let i = 0; i < m; i++) {
    const row = new Float64Array(width)
    const sign = b[i]! < 0 ? -1 : 1
    for (let j = 0; j < n; j++) row[j] = sign * (a[i]![j] ?? 0)
    row[n + i] = 1
    row[width - 1] = sign * b[i]!
    t.push(row)
  }
  const basis = Int32Array.from({ length: m }, (_, i) => n + i)
  const pivot = (r: number, col: number) => {
    const pr = t[r]!
    const p = pr[col]!
    for (let j = 0; j < width; j++) pr[j] = pr[j]! / p
    for (let i = 0; i < m; i++) {
      if (i === r) continue
      const row = t[i]!
      const f = row[col]!
      if (f === 0) continue
      for (let j = 0; j < width; j++) row[j] = row[j]! - f * pr[j]!
    }
    basis[r] = col
  }
  // runs the simplex on cost vector `cost` over columns < `cols`; false when unbounded
  const run = (cost: Float64Array, cols: number): boolean => {
    for (let iter = 0; iter < 50_000; iter++) {
      // reduced costs: cost_j - sum_i cost_basis(i) * t[i][j]
      let enter = -1
      for (let j = 0; j < cols; j++) {
        let rc = cost[j]!
        for (let i = 0; i < m; i++) rc -= cost[basis[i]!]! * t[i]![j]!
        if (rc < -EPS) {
          enter = j
          break
        }
      }
      if (enter < 0) return true
      let leave = -1
      let best = Number.POSITIVE_INFINITY
      for (let i = 0; i < m; i++) {
        const v = t[i]![enter]!
        if (v > EPS) {
          const ratio = t[i]![width - 1]! / v
          if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[i]! < basis[leave]!)) {
            best = ratio
            leave = i
          }
        }
      }
      if (leave < 0) return false
      pivot(leave, enter)
    }
    return true
  }
  // phase 1: minimise the sum of artificials
  const phase1 = new Float64Array(n + m)
  for (let i = 0; i < m; i++) phase1[n + i] = 1
  run(phase1, n + m)
  let infeasibility = 0
  for (let i = 0; i < m; i++) if (basis[i]! >= n) infeasibility += t[i]![width - 1]!
  if (infeasibility > 1e-7) return { status: "infeasible" }
  // drive artificials at zero out of the basis where a real column can replace them
  for (let i = 0; i < m; i++) {
    if (basis[i]! < n) continue
    for (let j = 0; j < n; j++)
      if (Math.abs(t[i]![j]!) > EPS) {
        pivot(i, j)
        break
      }
  }
  const phase2 = new Float64Array(n + m)
  for (let j = 0; j < n; j++) phase2[j] = c[j]!
  // artificials left in the basis (redundant rows) cost nothing and never re-enter
  if (!run(phase2, n)) return { status: "unbounded" }
  const x = new Float64Array(n)
  for (let i = 0; i < m; i++) if (basis[i]! < n) x[basis[i]!] = t[i]![width - 1]!
  let value = 0
  for (let j = 0; j < n; j++) value += c[j]! * x[j]!
  return { status: "optimal", x, value }
}
