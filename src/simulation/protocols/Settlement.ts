/**
 * How a single text becomes the agreement, when the scenario's protocol says
 * the texts are voted on rather than agreed as soon as everyone accepts one
 * (`protocol.settlement: "final-text"`, or `postSettlement: true`). The
 * protocol then holds the current text, as NegMAS's single-text mechanisms do:
 *
 * - **Votes.** A principal's answer to a text is a vote: recorded as a
 *   rejection (so no text is agreed by it) whose `reason` is `vote: yes` or
 *   `vote: no`, with its verdict against the current text. A text every
 *   principal votes for becomes the current text (`final-text`) or the
 *   tentative agreement (the first text everyone accepts, `first-accepted`
 *   with a post-settlement phase).
 * - **The final text** (`final-text`), after NegMAS's `VetoSTMechanism`
 *   (Mohammad et al., NegMAS, 2019–; `negmas/st.py`): the current text improves
 *   while no one vetoes, and on the mediator's last turn the current text is
 *   put to the principals for agreement; each
 *   accepts it if it can live with it (NegMAS `is_acceptable_as_agreement`).
 *   parley's mediator with nothing left to propose waits for its last turn
 *   (NegMAS's hill climber ends at once on a local optimum, with the same
 *   text).
 * - **Post-settlement settlement** (Raiffa, "Post-settlement settlements",
 *   Negotiation Journal 1(1), 1985): after a tentative agreement the parties
 *   reveal their preferences to the mediator in confidence, and it proposes
 *   a Pareto improvement of the tentative agreement — here the outcome that
 *   maximises the product of every principal's gain over it (Nash 1950, with
 *   the tentative agreement as the point of disagreement), crossing no red
 *   line; each party may accept or refuse it (a vote); one everyone accepts
 *   becomes the tentative agreement, and when none is left (the tentative
 *   agreement is Pareto-efficient), or on the mediator's last turn, the
 *   tentative agreement is put for agreement. With `final-text`, the phase
 *   takes the last tenth of the rounds (at least two).
 *
 * @since 0.5.0
 */
import type { OutcomeSpace } from "../../analysis/OutcomeSpace.ts"
import { indexOf } from "../../analysis/OutcomeSpace.ts"
import { type PartyPreferences, violatesRedLine } from "../../analysis/Preferences.ts"
import type { PartyId } from "../../domain/Ids.ts"
import type { Issue, Terms } from "../../domain/Issue.ts"
import { type Offer, offersInOrder, type State } from "../../domain/Negotiation.ts"
import type { Move } from "../Strategy.ts"
import { termsOf } from "../strategies/Ladder.ts"

/** A vote's reason, as recorded on the rejection that carries it. */
export const VOTE_YES = "vote: yes"
export const VOTE_NO = "vote: no"

/** Beyond this many outcomes the post-settlement phase does not search for improvements. */
const MAX_SCAN = 250_000
const EPS = 1e-9

/** What the settlement rule needs of a run. */
export interface SettlementContext {
  readonly mediator: PartyId
  readonly principals: ReadonlyArray<PartyId>
  readonly settlement: "first-accepted" | "final-text"
  readonly postSettlement: boolean
  readonly rounds: number
  readonly issues: ReadonlyArray<Issue>
  readonly space: OutcomeSpace
  readonly parties: ReadonlyArray<{
    readonly id: PartyId
    readonly preferences: PartyPreferences | undefined
    readonly utility: (terms: Terms) => number
  }>
}

/** One run's settlement rule: the current text, and what the mediator's turn puts on the table. */
export const settlementOf = (ctx: SettlementContext) => {
  const { mediator, principals, space } = ctx
  let current: Offer | undefined
  let seen = 0
  let finalOnTable = false
  const refused = new Set<number>()
  const revealed = ctx.parties.filter(
    (p) => principals.includes(p.id) && p.preferences !== undefined,
  )
  const crosses = revealed.map((p) => violatesRedLine(p.preferences!, ctx.issues))
  const pssRounds = Math.max(2, Math.ceil(ctx.rounds / 10))

  /** Reads the mediator's texts since its previous turn: a text everyone voted for becomes current. */
  const update = (state: State): void => {
    const texts = offersInOrder(state).filter((o) => o.by === mediator)
    for (; seen < texts.length; seen++) {
      const text = texts[seen]!
      const yes = principals.every((p) =>
        text.responses.some(
          (r) => r.by === p && r.provenance.status === "official" && r.reason === VOTE_YES,
        ),
      )
      if (yes) current = text
      else if (current !== undefined) {
        const k = indexOf(space, text.terms)
        if (k >= 0) refused.add(k)
      }
    }
  }

  /** The Pareto improvement of `from` with the largest product of gains, or -1 (Raiffa 1985). */
  const improvement = (from: Terms): number => {
    if (space.size > MAX_SCAN || revealed.length === 0) return -1
    const base = revealed.map((p) => p.utility(from))
    let chosen = -1
    let best = 0
    for (let k = 0; k < space.size; k++) {
      if (refused.has(k)) continue
      const terms = termsOf(space, k)
      let product = 1
      let sum = 0
      let ok = true
      for (let j = 0; j < revealed.length && ok; j++) {
        const gain = revealed[j]!.utility(terms) - base[j]!
        if (gain < -EPS || crosses[j]!(terms)) ok = false
        product *= Math.max(gain, 0) + EPS
        sum += gain
      }
      if (!ok || sum <= EPS) continue
      if (product > best) {
        best = product
        chosen = k
      }
    }
    return chosen
  }

  const finalText = (text: Offer): Move => {
    finalOnTable = true
    return { type: "offer", terms: text.terms, metadata: { settlement: "final text" } }
  }

  return {
    /** Whether the text now on the table is put for agreement (not to a vote). */
    finalOnTable: () => finalOnTable,
    /**
     * The mediator's turn: the final text, a post-settlement proposal, or its
     * method's own proposal (`propose`), its current text set to the rule's.
     */
    mediatorMove: (
      state: State,
      round: number,
      propose: () => Move | PromiseLike<Move>,
    ): Move | PromiseLike<Move> => {
      update(state)
      finalOnTable = false
      const lastRound = round >= ctx.rounds - 1
      if (current !== undefined) {
        if (lastRound) return finalText(current)
        const pss =
          ctx.postSettlement &&
          (ctx.settlement === "first-accepted" || round >= ctx.rounds - pssRounds)
        if (pss) {
          const k = improvement(current.terms)
          if (k < 0) return finalText(current)
          return {
            type: "offer",
            terms: termsOf(space, k),
            currentText: current.offerId,
            metadata: { settlement: "post-settlement proposal" },
          }
        }
      }
      const shaped = (m: Move): Move => {
        // With nothing left to propose it waits: the final text comes on its last turn.
        if (m.type !== "offer") return m
        if (ctx.settlement !== "final-text") return m
        const { currentText: _, ...rest } = m
        return current === undefined ? rest : { ...rest, currentText: current.offerId }
      }
      const m = propose()
      return typeof (m as PromiseLike<Move>).then === "function"
        ? (m as PromiseLike<Move>).then(shaped)
        : shaped(m as Move)
    },
    /** A principal's answer as a vote: recorded as a rejection whose reason is the vote. */
    asVote: (answer: Move): Move => {
      if (answer.type === "accept") {
        const { rule: _, ...rest } = answer
        return { ...rest, type: "reject", reason: VOTE_YES }
      }
      if (answer.type === "reject") return { ...answer, reason: VOTE_NO }
      return answer.type === "offer" ? { type: "reject", reason: VOTE_NO } : answer
    },
  }
}

export type Settlement = ReturnType<typeof settlementOf>
