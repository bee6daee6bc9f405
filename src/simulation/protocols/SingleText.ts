/**
 * Single-text mediation: a mediator proposes a text each round, addressed to
 * every party of the order, and the parties accept or reject it; every party
 * answers every text (the rules' `answers: "every-addressee"`). The mediator
 * moves first in each round.
 *
 * A party answers a text with its player's `answer`, else — when it has
 * preferences — honestly (`mediation/Judgement.ts`), else with its move.
 * Before answering, a principal may confirm or deny its own offer that was
 * only reported (the scenario's credibility assumption): its player is asked
 * to move, and a confirm or deny is the turn's move; any other answer gives
 * way to the text's answer. See docs/MEDIATION.md.
 *
 * `protocol.voters: "strategies"` asks each principal's strategy (its
 * `answer`, else its `move`) instead of answering honestly for it: the
 * honest voter is then one strategy among others. `protocol.settlement` and
 * `protocol.postSettlement` make answers votes and the agreement the final
 * text (`Settlement.ts`).
 *
 * @since 0.4.0
 */

import type { PartyId } from "../../domain/Ids.ts"
import type { Terms } from "../../domain/Issue.ts"
import { findOffer, type Offer, type State } from "../../domain/Negotiation.ts"
import { honestJudge, type Judgement } from "../mediation/Judgement.ts"
import { type AsyncPlayer, isPromiseLike, type Move, type Turn } from "../Strategy.ts"
import { alternatingTalks, answerableOffer } from "./Alternating.ts"
import { settlementOf } from "./Settlement.ts"
import type { ProtocolPlay, Talks, TalksContext } from "./Talks.ts"

/** The move an honest judgement makes: accept or reject, with its verdict and criticism. */
const honestMove = (j: Judgement): Move =>
  j.accept
    ? { type: "accept", rule: "honest answer", verdict: j.verdict, criticism: j.criticism }
    : { type: "reject", verdict: j.verdict, criticism: j.criticism }

/** Whether `party` has an offer of its own that was only reported and is still pending. */
const hasOwnReportedOffer = (state: State, party: PartyId): boolean => {
  for (const offerId of state.pending) {
    const offer = findOffer(state, offerId)
    if (offer !== undefined && offer.by === party && !offer.confirmed) return true
  }
  return false
}

const singleTextTalks = (context: TalksContext): Talks => {
  const { protocol, order, parties } = context
  const mediator = protocol.mediator
  // A scenario's compilation requires the mediator; without one, nobody mediates.
  if (mediator === undefined) return alternatingTalks(context)

  // How each party with preferences judges a text, honestly.
  const judges = new Map<PartyId, (text: Terms, current?: Terms) => Judgement>()
  for (const p of parties)
    if (p.preferences !== undefined && p.id !== mediator)
      judges.set(
        p.id,
        honestJudge({
          preferences: p.preferences,
          utility: p.utility,
          issues: context.issues,
          space: context.space,
        }),
      )
  /** `party`'s honest judgement of a mediator's text, or `undefined` when it is no such text or the party has no preferences. */
  const judgementOf = (state: State, party: PartyId, text: Offer): Judgement | undefined => {
    if (text.by !== mediator) return undefined
    const judge = judges.get(party)
    if (judge === undefined) return undefined
    const current =
      text.currentText === undefined ? undefined : findOffer(state, text.currentText)?.terms
    return judge(text.terms, current)
  }

  // Votes and a final text, when the protocol asks for them (`Settlement.ts`).
  const settlement =
    protocol.settlement === "final-text" || protocol.postSettlement === true
      ? settlementOf({
          mediator,
          principals: order,
          settlement: protocol.settlement ?? "first-accepted",
          postSettlement: protocol.postSettlement === true,
          rounds: protocol.rounds,
          issues: context.issues,
          space: context.space,
          parties,
        })
      : undefined
  const strategiesVote = protocol.voters === "strategies"

  const answerOf = (party: PartyId, player: AsyncPlayer, turn: Turn): Move | PromiseLike<Move> => {
    const text = turn.onTable
    const honest =
      text === undefined || text.by !== mediator || player.answer !== undefined || strategiesVote
        ? undefined
        : judgementOf(turn.state, party, text)
    const answer = (settled: Move | undefined): Move | PromiseLike<Move> =>
      settled !== undefined && (settled.type === "confirm" || settled.type === "deny")
        ? settled
        : text !== undefined && text.by === mediator && player.answer !== undefined
          ? player.answer(turn, text)
          : honest !== undefined
            ? honestMove(honest)
            : player.move(turn)
    if (honest === undefined || !hasOwnReportedOffer(turn.state, party)) return answer(undefined)
    const settled = player.move(turn)
    return isPromiseLike(settled) ? settled.then(answer) : answer(settled)
  }

  const moveOf = (party: PartyId, player: AsyncPlayer, turn: Turn): Move | PromiseLike<Move> => {
    if (settlement === undefined) return answerOf(party, player, turn)
    if (party === mediator)
      return settlement.mediatorMove(turn.state, turn.round, () => player.move(turn))
    const text = turn.onTable
    const answered = answerOf(party, player, turn)
    // A text put for agreement is answered as it is; any other is voted on.
    if (text === undefined || text.by !== mediator || settlement.finalOnTable()) return answered
    return isPromiseLike(answered) ? answered.then(settlement.asVote) : settlement.asVote(answered)
  }

  return {
    turnOrder: [mediator, ...order],
    first: 0,
    moveOf,
    onTable: answerableOffer,
    proposes: (party) => party === mediator,
    addressees: (party) => (party === mediator ? order : undefined),
    judged: (state, party, move, table) => {
      if (move.type !== "accept" && move.type !== "reject") return undefined
      const honest =
        move.verdict !== undefined && move.criticism !== undefined
          ? undefined
          : judgementOf(state, party, table)
      const verdict = move.verdict ?? honest?.verdict
      const criticism = move.criticism ?? honest?.criticism
      return {
        ...(verdict === undefined ? {} : { verdict }),
        ...(criticism === undefined ? {} : { criticism }),
      }
    },
  }
}

/** `single-text`: a mediator proposes a text each round, the parties accept or reject it (declared in `scenario/Protocols.ts`). */
export const singleText: ProtocolPlay<"single-text"> = {
  kind: "single-text",
  talks: singleTextTalks,
}
