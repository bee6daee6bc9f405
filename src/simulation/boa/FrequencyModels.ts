/**
 * The frequency opponent models: HardHeaded's (`frequency`) and AgentSmith's
 * (`smith-frequency`), which learn from how often the opponent offers each
 * value. Their sources and what we interpreted are in the header of
 * `Models.ts`, which registers them.
 *
 * @since 0.3.0
 */
import type { OutcomeSpace } from "../../analysis/OutcomeSpace.ts"
import type { OpponentModelKind } from "./Boa.ts"
import { perOpponent, type SingleModel } from "./PerOpponent.ts"

/** Scales `w` to sum to 1 (uniform when it sums to 0). */
const normalise = (w: Float64Array): Float64Array => {
  let s = 0
  for (const x of w) s += x
  for (let i = 0; i < w.length; i++) w[i] = s > 0 ? w[i]! / s : 1 / w.length
  return w
}

/** The weighted score table of weights and per-issue counts (each count over its issue's highest). */
const countTable = (
  w: Float64Array,
  counts: ReadonlyArray<Float64Array>,
  out: ReadonlyArray<Float64Array>,
): void => {
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!
    let max = 0
    for (const x of c) if (x > max) max = x
    const t = out[i]!
    for (let k = 0; k < c.length; k++) t[k] = max > 0 ? (w[i]! * c[k]!) / max : w[i]!
  }
}

/** The HardHeaded frequency model of one opponent (see the header of `Models.ts`). */
export const hardHeadedSingle = (space: OutcomeSpace, learningRate: number): SingleModel => {
  const n = space.issues.length
  const w = new Float64Array(n).fill(n > 0 ? 1 / n : 0)
  const counts = space.radix.map((r) => new Float64Array(r).fill(1))
  const table = space.radix.map((r) => new Float64Array(r))
  const last = new Int32Array(n)
  let seen = false
  let dirty = true
  const golden = n > 0 ? learningRate / n : 0
  return {
    update: (digits) => {
      if (seen) {
        let unchanged = 0
        for (let i = 0; i < n; i++) if (digits[i] === last[i]) unchanged++
        const total = 1 + golden * unchanged
        const cap = 1 - (n * golden) / total
        for (let i = 0; i < n; i++)
          w[i] = digits[i] === last[i] && w[i]! < cap ? (w[i]! + golden) / total : w[i]! / total
        normalise(w)
      }
      for (let i = 0; i < n; i++) {
        const k = digits[i]!
        if (k >= 0) counts[i]![k]! += 1
        last[i] = k
      }
      seen = true
      dirty = true
    },
    table: () => {
      if (dirty) {
        countTable(w, counts, table)
        dirty = false
      }
      return table
    },
    weights: () => w,
  }
}

/** Smith's frequency model of one opponent (see the header of `Models.ts`). */
export const smithSingle = (space: OutcomeSpace): SingleModel => {
  const n = space.issues.length
  const counts = space.radix.map((r) => new Float64Array(r))
  const table = space.radix.map((r) => new Float64Array(r))
  const w = new Float64Array(n).fill(n > 0 ? 1 / n : 0)
  let dirty = true
  const refresh = () => {
    if (!dirty) return
    for (let i = 0; i < n; i++) {
      let max = 0
      for (const x of counts[i]!) if (x > max) max = x
      w[i] = max
    }
    normalise(w)
    countTable(w, counts, table)
    dirty = false
  }
  return {
    update: (digits) => {
      for (let i = 0; i < n; i++) {
        const k = digits[i]!
        if (k >= 0) counts[i]![k]! += 1
      }
      dirty = true
    },
    table: () => {
      refresh()
      return table
    },
    weights: () => {
      refresh()
      return w
    },
  }
}

/** The HardHeaded frequency model kind. */
export const frequencyModel = (learningRate = 0.2): OpponentModelKind => ({
  name: learningRate === 0.2 ? "frequency" : `frequency(${learningRate})`,
  init: (view) => perOpponent(view, () => hardHeadedSingle(view.space, learningRate)),
})

/** Smith's frequency model kind. */
export const smithModel: OpponentModelKind = {
  name: "smith-frequency",
  init: (view) => perOpponent(view, () => smithSingle(view.space)),
}
