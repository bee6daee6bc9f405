/**
 * Bilateral alternating offers: two parties take turns, each accepting the
 * offer on the table or countering it (GENIUS's stacked alternating offers
 * protocol with two parties). After a timeline or a replayed branch, the
 * party after the last offerer moves first.
 *
 * @since 0.4.0
 */
import type { PartyId } from "../../domain/Ids.ts"
import { findOffer, type Offer, type State } from "../../domain/Negotiation.ts"
import type { AsyncPlayer, Turn } from "../Strategy.ts"
import type { ProtocolPlay, Talks, TalksContext } from "./Talks.ts"

/** The latest pending offer addressed to `party` by someone else, confirmed and not yet answered by it officially. */
export const answerableOffer = (state: State, party: PartyId): Offer | undefined => {
  for (let i = state.pending.length - 1; i >= 0; i--) {
    const offer = findOffer(state, state.pending[i]!)
    if (offer !== undefined && offer.by !== party && offer.to.includes(party) && offer.confirmed) {
      const answered = offer.responses.some(
        (r) => r.by === party && r.provenance.status === "official",
      )
      if (!answered) return offer
    }
  }
  return undefined
}

const playersMove = (_party: PartyId, player: AsyncPlayer, turn: Turn) => player.move(turn)
const always = () => true
const nobody = () => undefined

/**
 * Alternating talks among the order's parties: every party's move is its
 * player's, any party may propose, to every other party.
 */
export const alternatingTalks = ({ order, state }: TalksContext): Talks => {
  // The party after the last offerer moves first.
  const lastOffer = state.pending.length > 0 ? findOffer(state, state.pending.at(-1)!) : undefined
  return {
    turnOrder: order,
    first: lastOffer === undefined ? 0 : (order.indexOf(lastOffer.by) + 1) % order.length,
    moveOf: playersMove,
    onTable: answerableOffer,
    proposes: always,
    addressees: nobody,
    judged: nobody,
  }
}

/** `alternating`: bilateral alternating offers (declared in `scenario/Protocols.ts`). */
export const alternating: ProtocolPlay<"alternating"> = {
  kind: "alternating",
  talks: alternatingTalks,
}
