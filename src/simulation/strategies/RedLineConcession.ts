/**
 * Red-line concession: holds its red lines — its preferences' red lines and
 * any listed in its spec — and never offers, accepts or ratifies terms
 * crossing them; everywhere else it concedes time-dependently (default:
 * GENIUS Boulware, `e = 0.2`) over the outcomes that respect them. (Earlier
 * versions called this `hardliner`; a GENIUS Hardliner never concedes at
 * all: see `Hardliner.ts`.)
 *
 * @since 0.1.0
 */
import type { RedLines } from "../../analysis/Preferences.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import type { Strategy } from "../Strategy.ts"
import { curveTarget, ladderPlayer } from "./Concession.ts"
import { filterLadder, type Ladder, ladderOf } from "./Ladder.ts"
import type { RedLineConcessionSpec } from "./Spec.ts"
import { exponentOf } from "./TimeDependent.ts"

/** A predicate telling whether terms give some issue a value `lines` forbids. Allocation-free. */
export const crossesRedLines = (lines: RedLines): ((terms: Terms) => boolean) => {
  const ids: Array<string> = []
  const sets: Array<Set<TermValue>> = []
  for (const id of Object.keys(lines)) {
    const values = lines[id as keyof RedLines]
    if (values !== undefined && values.length > 0) {
      ids.push(id)
      sets.push(new Set(values))
    }
  }
  const n = ids.length
  return (terms) => {
    for (let i = 0; i < n; i++) {
      const v = (terms as Record<string, TermValue | undefined>)[ids[i]!]
      if (v !== undefined && sets[i]!.has(v)) return true
    }
    return false
  }
}

/** The hardliner strategy of a spec. */
export const redLineConcession = (spec: RedLineConcessionSpec): Strategy => {
  const e = exponentOf(spec.convention, spec.preset, spec.e)
  const crosses = crossesRedLines(spec.redLines)
  const filtered = new WeakMap<Ladder, Ladder>()
  const restrict = (ladder: Ladder): Ladder => {
    let out = filtered.get(ladder)
    if (out !== undefined) return out
    const space = ladder.space
    const blocked = space.issues.map((issue, i) => {
      const line = new Set<TermValue>(spec.redLines[issue.id] ?? [])
      return Uint8Array.from(space.values[i]!, (v) => (line.has(v) ? 1 : 0))
    })
    out = filterLadder(ladder, (digits) => {
      for (let i = 0; i < blocked.length; i++) if (blocked[i]![digits[i]!] === 1) return false
      return true
    })
    filtered.set(ladder, out)
    return out
  }
  return {
    name: `red-line-concession(${spec.convention}, e=${e})`,
    init: (view) => {
      const ladder = restrict(ladderOf(view))
      const best = spec.max ?? (ladder.length > 0 ? ladder.utilities[0]! : 0)
      const min = spec.min ?? view.reservation
      let target: ((t: number) => number) | undefined
      return ladderPlayer(view, ladder, {
        target: (turn, _offered, session) => {
          target ??= curveTarget(
            { convention: spec.convention, e, k: spec.k },
            min,
            session.anchor === undefined ? best : Math.min(best, session.anchor),
          )
          return target(turn.time)
        },
        acceptable: (terms) => !crosses(terms) && view.acceptable(terms),
        floor: min,
        tieBreak: spec.tieBreak,
        anchoring: spec.anchoring,
        reported: spec.reported,
        tolerance: spec.tolerance,
      })
    },
  }
}
