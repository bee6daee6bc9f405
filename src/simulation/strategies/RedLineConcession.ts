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
import { Schema } from "effect"
import { RedLines } from "../../analysis/Preferences.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import { acNext } from "../boa/Acceptance.ts"
import { boaPlayer } from "../boa/Boa.ts"
import type { Strategy } from "../Strategy.ts"
import { strategyEntry } from "./Entry.ts"
import { filterLadder, type Ladder } from "./Ladder.ts"
import { curve, described, Exponent, PresetParameter } from "./Parameters.ts"
import { exponentOf, timeDependentOffering } from "./TimeDependent.ts"

/**
 * Red-line concession: never offers, accepts or ratifies terms crossing its
 * red lines (its preferences' red lines plus `redLines` here), and concedes
 * time-dependently (default preset `boulware`) over the outcomes that respect
 * them.
 */
export const RedLineConcessionSpec = Schema.Struct({
  kind: Schema.Literal("red-line-concession"),
  redLines: Schema.optionalWith(
    described(RedLines, "values per issue it never accepts, besides its preferences' red lines"),
    { default: () => ({}) },
  ),
  preset: Schema.optionalWith(PresetParameter, { default: () => "boulware" as const }),
  e: Schema.optionalWith(Exponent, { exact: true }),
  ...curve,
})
export type RedLineConcessionSpec = typeof RedLineConcessionSpec.Type

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

/** The red-line concession strategy of a spec: time-dependent offering over the outcomes within its red lines, AC_next. */
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
  const name = `red-line-concession(${spec.convention}, e=${e})`
  const offering = timeDependentOffering({ ...spec, kind: "time-dependent" }, { restrict, name })
  return {
    name,
    init: (view) =>
      boaPlayer(view, {
        offering,
        acceptance: acNext(1, 0),
        acceptable: (terms) => !crosses(terms) && view.acceptable(terms),
        anchoring: spec.anchoring,
        reported: spec.reported,
      }),
  }
}

/** Its registration (see `Registry.ts`). */
export const redLineConcessionEntry = strategyEntry({
  specs: [RedLineConcessionSpec],
  make: redLineConcession,
  about: [
    {
      kind: "red-line-concession",
      summary:
        "Time-dependent concession over the outcomes that respect its red lines; never offers, accepts or ratifies across them",
      reference: "parley (time-dependent concession after Faratin et al. 1998, with red lines)",
    },
  ],
  docs: {
    reference: "(was `hardliner` before)",
    tested: "never offers, accepts or ratifies across its red lines",
    interpreted: "—",
  },
})
