/**
 * How a party answers a mediator's text when nothing overrides it: honestly,
 * from its own utility, as the literature's parties do (Raiffa 1982, The Art
 * and Science of Negotiation, ch. 14, "the single negotiating text"; Klein,
 * Faratin, Sayama & Bar-Yam 2003, Negotiating complex contracts, where
 * agents vote truthfully on each proposal against the current contract).
 *
 * - the **verdict** compares the text with the current single text the
 *   mediator named (`currentText`), or with no agreement when it named
 *   none: `better`, `same` or `worse`. A text crossing one of the party's
 *   red lines is worse than any that does not;
 * - the **criticism** lists, most wanted first, each issue on which a
 *   different value alone would raise the party's utility (or remove a red
 *   line the text crosses: `redLine`), with the value it would want there;
 * - it **accepts** a text it can live with (no red line crossed, utility at
 *   least its reservation value) that leaves it no worse off than the current
 *   text: so a text every party accepts is the current text or one every
 *   party weakly prefers to it (the veto rule), and one without a current
 *   text is accepted exactly when it is acceptable.
 *
 * Interpretation (parley's): utilities here are undiscounted, as in the
 * runner's default ratification, so an answer does not change with time and a
 * text once rejected would be rejected again — which is why mediators never
 * repeat one.
 *
 * @since 0.3.0
 */
import type { OutcomeSpace } from "../../analysis/OutcomeSpace.ts"
import {
  type PartyPreferences,
  reservationOf,
  violatesRedLine,
} from "../../analysis/Preferences.ts"
import type { Criticism, Verdict } from "../../domain/Event.ts"
import type { Issue, Terms, TermValue } from "../../domain/Issue.ts"

/** A party's answer to a text: whether it accepts it, its verdict and its criticism. */
export interface Judgement {
  readonly accept: boolean
  readonly verdict: Verdict
  readonly criticism: ReadonlyArray<Criticism>
}

/** What judging needs of a party. */
export interface Judge {
  readonly preferences: PartyPreferences
  readonly utility: (terms: Terms) => number
  readonly issues: ReadonlyArray<Issue>
  readonly space: OutcomeSpace
}

const EPSILON = 1e-9

/** The honest judge of a party: `(text, current) => Judgement`. */
export const honestJudge = (judge: Judge): ((text: Terms, current?: Terms) => Judgement) => {
  const { preferences, utility, space } = judge
  const crosses = violatesRedLine(preferences, judge.issues)
  const lines = preferences.redLines ?? {}
  const reservation = reservationOf(preferences)
  // A red line crossed is worse than any utility: -1 on a scale where utilities lie in [0, 1].
  const worth = (terms: Terms) => (crosses(terms) ? -1 : utility(terms))
  return (text, current) => {
    const own = worth(text)
    const reference = current === undefined ? reservation : worth(current)
    const verdict: Verdict =
      own > reference + EPSILON ? "better" : own < reference - EPSILON ? "worse" : "same"
    const points: Array<{ point: Criticism; gain: number }> = []
    for (let i = 0; i < space.issues.length; i++) {
      const id = space.issues[i]!.id
      const here = (text as Record<string, TermValue>)[id]
      const line = lines[id] ?? []
      const crossed = here !== undefined && line.includes(here)
      // On an issue whose value crosses a red line, the wanted value is the best one that does not.
      let best: TermValue | undefined
      let bestWorth = crossed ? Number.NEGATIVE_INFINITY : own
      for (const v of space.values[i]!) {
        if (v === here || (crossed && line.includes(v))) continue
        const changed = { ...text, [id]: v } as Terms
        const w = crossed ? utility(changed) : worth(changed)
        if (w > bestWorth + EPSILON) {
          bestWorth = w
          best = v
        }
      }
      if (best === undefined) continue
      points.push({
        point: crossed ? { issue: id, toward: best, redLine: true } : { issue: id, toward: best },
        gain: crossed ? Number.POSITIVE_INFINITY : bestWorth - own,
      })
    }
    points.sort((a, b) => b.gain - a.gain)
    return {
      accept: !crosses(text) && utility(text) >= reservation && verdict !== "worse",
      verdict,
      criticism: points.map((p) => p.point),
    }
  }
}
