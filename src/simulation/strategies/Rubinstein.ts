/**
 * Rubinstein's (1982) alternating-offers bargaining over a pie of size 1: the
 * subgame-perfect equilibrium strategy. The issue carries player 1's share
 * `x1` in [0, 1], mapped linearly onto the issue's range (`min` = 0, `max` =
 * 1; integer issues round). Offers are numbered 1, 2, ... in the order made;
 * a payoff agreed at offer `r` is worth `delta^(r-1)` of itself.
 *
 * - Infinite horizon: the proposer keeps its share of the stationary split:
 *   player 1 proposes `x1 = (1 - d2) / (1 - d1 d2)`, player 2 proposes
 *   `x1 = d1 (1 - d2) / (1 - d1 d2)`.
 * - Horizon `T` (no agreement after offer `T` gives both 0): by backward
 *   induction, the proposer of offer `T` keeps 1 and the proposer of offer
 *   `r < T` keeps `1 - d_other * v_other(r + 1)`. With a common `delta`,
 *   player 1 opening keeps `(1 - (-delta)^T) / (1 + delta)` (0.91 for 0.9 and
 *   `T = 3`).
 * - Responding to offer `r`: accept exactly when its share is at least its
 *   continuation value `d_self * v_self(r + 1)` (0 after the last offer).
 *
 * Both players on this strategy agree on the first offer: player 1 opening
 * gets 0.526316 for 0.9 / 0.9 and 0.714286 for 0.9 / 0.8.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { IssueId, type OfferId } from "../../domain/Ids.ts"
import type { Issue, Terms, TermValue } from "../../domain/Issue.ts"
import type { Strategy } from "../Strategy.ts"
import { ACCEPT, fromMediator, REJECT } from "./Concession.ts"
import { strategyEntry } from "./Entry.ts"
import { described, OpenUnit } from "./Parameters.ts"

/**
 * Rubinstein's subgame-perfect strategy for splitting a pie over one issue
 * (player 1's share, mapped linearly onto the issue's range): discount
 * factors `delta1`, `delta2` in (0, 1), optional finite `horizon` (number of
 * offers), `player` 1 or 2, and `issue` (default: the only or first numeric
 * issue).
 */
export const RubinsteinSpec = Schema.Struct({
  kind: Schema.Literal("rubinstein"),
  player: described(Schema.Literal(1, 2), "which player it is (1 proposes first)"),
  delta1: described(OpenUnit, "player 1's discount factor per round"),
  delta2: described(OpenUnit, "player 2's discount factor per round"),
  horizon: Schema.optionalWith(
    described(Schema.Int.pipe(Schema.positive()), "number of offers (default: infinite)"),
    { exact: true },
  ),
  issue: Schema.optionalWith(described(IssueId, "the pie (default: the first numeric issue)"), {
    exact: true,
  }),
})
export type RubinsteinSpec = typeof RubinsteinSpec.Type

const EPSILON = 1e-9

/**
 * The share a proposer keeps, per player (index 1 and 2) and offer number
 * (index 1..T; index T + 1 and beyond: 1), by backward induction; or the
 * stationary shares without a horizon.
 */
export const proposerShares = (
  delta1: number,
  delta2: number,
  horizon: number | undefined,
): ((player: 1 | 2, offer: number) => number) => {
  const d = [0, delta1, delta2]
  if (horizon === undefined) {
    const s1 = (1 - delta2) / (1 - delta1 * delta2)
    const s2 = (1 - delta1) / (1 - delta1 * delta2)
    return (player) => (player === 1 ? s1 : s2)
  }
  const v = [
    new Float64Array(horizon + 2),
    new Float64Array(horizon + 2),
    new Float64Array(horizon + 2),
  ]
  for (const p of [1, 2] as const) v[p]![horizon] = 1
  for (let r = horizon - 1; r >= 1; r--)
    for (const p of [1, 2] as const) {
      const q = p === 1 ? 2 : 1
      v[p]![r] = 1 - d[q]! * v[q]![r + 1]!
    }
  return (player, offer) => (offer > horizon || offer < 1 ? 1 : v[player]![offer]!)
}

/**
 * Player 1's equilibrium share when player 1 makes the first offer and both
 * play the equilibrium (it is accepted at once).
 */
export const equilibriumShare = (delta1: number, delta2: number, horizon?: number): number =>
  proposerShares(delta1, delta2, horizon)(1, 1)

const pickIssue = (issues: ReadonlyArray<Issue>, id: string | undefined): Issue | undefined =>
  id !== undefined
    ? issues.find((i) => i.id === id)
    : issues.length === 1
      ? issues[0]
      : issues.find((i) => i.kind !== "discrete")

/** The Rubinstein equilibrium strategy of a spec. */
export const rubinstein = (spec: RubinsteinSpec): Strategy => ({
  name: `rubinstein(player ${spec.player})`,
  init: (view) => {
    const issue = pickIssue(view.issues, spec.issue)
    const me = spec.player
    const myDelta = me === 1 ? spec.delta1 : spec.delta2
    const keeps = proposerShares(spec.delta1, spec.delta2, spec.horizon)
    const horizon = spec.horizon ?? Number.POSITIVE_INFINITY
    const mediated = fromMediator(view)
    if (issue === undefined || issue.kind === "discrete")
      return {
        move: () => ({ type: "walk-out", reason: "rubinstein needs one numeric issue" }),
      }
    const id = issue.id as string
    const lo = issue.min
    const width = issue.max - issue.min
    const shareOf = (terms: Terms): number => {
      const v = (terms as Record<string, TermValue | undefined>)[id]
      if (typeof v !== "number") return me === 1 ? 0 : 1
      return width > 0 ? (v - lo) / width : 0.5
    }
    const issueValue = (x1: number): number => {
      const v = lo + x1 * width
      return issue.kind === "integer" ? Math.round(v) : v
    }
    let made = 0
    let last: OfferId | undefined
    return {
      move: (turn) => {
        const offer = turn.onTable
        if (offer !== undefined) {
          if (offer.offerId !== last) {
            last = offer.offerId
            made++
          }
          const x1 = shareOf(offer.terms)
          const mine = me === 1 ? x1 : 1 - x1
          const next = made + 1
          const continuation = next > horizon ? 0 : myDelta * keeps(me, next)
          if (mine >= continuation - EPSILON) return ACCEPT
          if (mediated(offer)) return REJECT
        }
        made++
        const keep = keeps(me, made)
        const x1 = me === 1 ? keep : 1 - keep
        return { type: "offer", terms: { [id]: issueValue(x1) } as Terms }
      },
    }
  },
})

/** Its registration (see `Registry.ts`). */
export const rubinsteinEntry = strategyEntry({
  specs: [RubinsteinSpec],
  make: rubinstein,
  about: [
    {
      kind: "rubinstein",
      summary: "Subgame-perfect equilibrium strategy of split-the-pie with per-round discounting",
      reference:
        "Rubinstein, Perfect equilibrium in a bargaining model, Econometrica 50(1), 1982; Osborne & Rubinstein, Bargaining and Markets, 1990",
    },
  ],
})
