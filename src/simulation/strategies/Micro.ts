/**
 * MiCRO ("Monotonic Concession with Reciprocated Offers"), the benchmark
 * strategy of Dave de Jonge, "An Analysis of the Linear Bilateral ANAC Domains
 * Using the MiCRO Benchmark Strategy", Proceedings of the Thirty-First
 * International Joint Conference on Artificial Intelligence (IJCAI 2022),
 * pages 223-229.
 *
 * MiCRO walks down its outcomes sorted by its own utility, best first
 * (`w_1, w_2, ...`), one outcome per concession, and concedes only as fast as
 * its opponent makes new proposals. With `m` the number of distinct proposals
 * it has made (always `w_1 .. w_m`) and `n` the number of distinct proposals
 * it has received:
 *
 * - **Offering.** If `m <= n` (the opponent has made at least as many
 *   distinct proposals) and `w_{m+1}` is worth at least its reservation value,
 *   it proposes the new outcome `w_{m+1}`; otherwise it repeats one of
 *   `w_1 .. w_m`, drawn uniformly (from `view.random`).
 * - **Acceptance.** It accepts an offer iff its utility is at least that of
 *   the lowest proposal it has made or is about to make: `u(w_{m+1})` when it
 *   would concede this turn, else `u(w_m)` (rule `AC_MiCRO`). It never accepts
 *   below its reservation value nor across a red line (`view.acceptable`).
 * - It never proposes below its reservation value; with no outcome at or above
 *   it, it walks out.
 *
 * Interpretations (ours):
 *
 * - **Multilateral.** "Distinct proposals received" is counted per opponent
 *   (every other principal), from every complete offer addressed to it in the
 *   public state (not only the one on the table: under stacked alternating
 *   offers a party may answer only its predecessor), and `n` is the MINIMUM
 *   over its opponents: MiCRO concedes only when every opponent has made at
 *   least as many distinct proposals as it has. Bilaterally this is the paper's
 *   `n`.
 * - Proposals of the scripted timeline count: an opponent's public offers are
 *   proposals it made; MiCRO's own public offers are not MiCRO's proposals
 *   (it starts from its best outcome), though as a BOA agent it still accepts
 *   anything at least as good as an offer it made in public.
 * - Outcomes of equal utility are distinct proposals, taken in the ladder's
 *   order (ties by outcome index), as the paper walks its sorted list.
 * - Offers are the same proposal when their terms are equal (compared by the
 *   outcome-space index when the terms lie on its grid, else as text).
 *
 * @since 0.3.0
 */
import { HashMap, Schema } from "effect"
import { indexOf } from "../../analysis/OutcomeSpace.ts"
import type { OfferId, PartyId } from "../../domain/Ids.ts"
import { findOffer, type Offer, type State } from "../../domain/Negotiation.ts"
import type { AcceptanceKind, OfferingKind, Planned } from "../boa/Boa.ts"
import { boaPlayer } from "../boa/Boa.ts"
import type { PartyView, Strategy, StrategyInfo } from "../Strategy.ts"
import { strategyEntry } from "./Entry.ts"
import { countAtOrAbove, type Ladder, ladderOf, termsOf } from "./Ladder.ts"

/** MiCRO has no parameters: `{ "kind": "micro" }`. */
export const MicroSpec = Schema.Struct({
  kind: Schema.Literal("micro"),
})
export type MicroSpec = typeof MicroSpec.Type

/** What `parley strategies` shows of MiCRO. */
export const microInfo: StrategyInfo = {
  kind: "micro",
  summary:
    "MiCRO: proposes its outcomes best first, a new (lower) one only when every opponent has made at least as many distinct proposals, else repeats a random earlier one; accepts anything at least as good as its lowest proposal made or about to be made",
  reference:
    'D. de Jonge, "An Analysis of the Linear Bilateral ANAC Domains Using the MiCRO Benchmark Strategy", IJCAI 2022',
}

/** The acceptance rule's name in timelines. */
export const AC_MICRO = "AC_MiCRO"

/**
 * Counts, per opponent, the distinct complete proposals addressed to its party
 * in the public state (and the offer on the table). Incremental: each turn it
 * follows the offer on the table back through the offers it replied to, down
 * to one it has seen; the whole state is scanned on its first turn and only
 * again when it holds offers that walk did not reach.
 */
export const distinctProposals = (
  view: PartyView,
): {
  readonly update: (state: State, onTable: Offer | undefined) => void
  readonly min: () => number
} => {
  const me = view.party
  const opponents: Array<PartyId> = view.others
    .filter((o) => o.role === "principal")
    .map((o) => o.party)
  const distinct = new Map<PartyId, Set<number | string>>()
  for (const p of opponents) distinct.set(p, new Set())
  const seen = new Set<OfferId>()
  const count = (o: Offer): void => {
    if (seen.has(o.offerId)) return
    seen.add(o.offerId)
    if (o.by === me || !o.complete || o.status === "denied" || !o.to.includes(me)) return
    const set = distinct.get(o.by)
    if (set === undefined) return
    const index = indexOf(view.space, o.terms)
    set.add(index >= 0 ? index : JSON.stringify(o.terms))
  }
  let scanned = false
  return {
    update: (state, onTable) => {
      // the offers made since its last turn answer one another: follow the replies back
      let o = onTable
      while (o !== undefined && !seen.has(o.offerId)) {
        count(o)
        o = o.inReplyTo === undefined ? undefined : findOffer(state, o.inReplyTo)
      }
      // a full scan on its first turn (the public record) and when some offer was not reached
      if (!scanned || seen.size < HashMap.size(state.offers)) {
        scanned = true
        for (const x of HashMap.values(state.offers)) count(x)
      }
    },
    min: () => {
      let n = Number.POSITIVE_INFINITY
      for (const set of distinct.values()) if (set.size < n) n = set.size
      return n === Number.POSITIVE_INFINITY ? 0 : n
    },
  }
}

/** MiCRO's memory for one run, shared by its offering and acceptance components. */
interface MicroState {
  /** Distinct proposals made: rungs `0 .. made-1` of its ladder. */
  made: number
  /** Whether the bid last planned was a new proposal (rung `made`). */
  plannedNew: boolean
  /** How many own offers its history held at the last plan. */
  sent: number
  /** The utility an offer must reach this turn. */
  threshold: number
}

const offering = (ladder: Ladder, usable: number, memory: MicroState): OfferingKind => ({
  name: "MiCRO",
  init: (view) => {
    const counts = distinctProposals(view)
    let started = false
    return {
      next: (turn, session): Planned | undefined => {
        const sent = session.history.sent.length
        if (!started) started = true
        else if (sent > memory.sent && memory.plannedNew) memory.made++
        memory.sent = sent
        counts.update(turn.state, turn.onTable)
        const m = memory.made
        const ready = m < usable && m <= counts.min()
        let rung: number
        if (ready) {
          rung = m
          memory.plannedNew = true
          memory.threshold = ladder.utilities[m]!
        } else if (m > 0) {
          rung = Math.floor(view.random() * m)
          memory.plannedNew = false
          memory.threshold = ladder.utilities[m - 1]!
        } else {
          memory.plannedNew = false
          memory.threshold = Number.POSITIVE_INFINITY
          return undefined
        }
        return {
          terms: termsOf(ladder.space, ladder.order[rung]!),
          utility: ladder.utilities[rung]!,
        }
      },
    }
  },
})

const acceptance = (memory: MicroState): AcceptanceKind => ({
  name: AC_MICRO,
  init: () => ({
    accepts: ({ offer, next }) =>
      next === undefined || offer.utility >= memory.threshold ? AC_MICRO : undefined,
  }),
})

/** The MiCRO strategy. */
export const micro = (_spec: MicroSpec): Strategy => ({
  name: "micro",
  init: (view) => {
    const ladder = ladderOf(view)
    const usable = countAtOrAbove(ladder, view.reservation)
    const memory: MicroState = {
      made: 0,
      plannedNew: false,
      sent: 0,
      threshold: Number.POSITIVE_INFINITY,
    }
    return boaPlayer(view, {
      ladder,
      offering: offering(ladder, usable, memory),
      acceptance: acceptance(memory),
    })
  },
})

/** Its registration (see `Registry.ts`). */
export const microEntry = strategyEntry({
  specs: [MicroSpec],
  make: micro,
  about: [microInfo],
  docs: {
    reference: "de Jonge, IJCAI 2022",
    tested:
      "concedes only when the opponent has made at least as many distinct proposals; repeats an earlier proposal otherwise; agrees in self-play (Laptop, ItexvsCypress, EnglandZimbabwe)",
    interpreted:
      "multilateral `n` is the minimum over the other principals, counted from the public state; it moves one outcome a turn, so large domains need far more than 100 rounds",
  },
})
