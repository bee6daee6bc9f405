/**
 * The state of one negotiation as the decider derives it from its events,
 * the state before any event, and the questions asked of a state (is it
 * over, which party, which offer). What each event needs of it and does to it
 * is in `Events.ts`.
 *
 * @since 0.1.0
 */
import { HashMap, Option } from "effect"
import type { Criticism, Instant, Party, Provenance, Rules, Verdict } from "../Event.ts"
import type { IssueId, NegotiationId, OfferId, PartyId } from "../Ids.ts"
import type { Issue, Terms, TermValue } from "../Issue.ts"

/** Where a negotiation stands. `unopened` is the state before its first event. */
export type Status = "unopened" | "open" | "agreed" | "collapsed" | "suspended" | "expired"

/** Where an offer stands. */
export type OfferStatus =
  | "pending"
  | "accepted"
  | "rejected"
  | "withdrawn"
  | "superseded"
  | "expired"
  | "denied"

/** An answer to an offer, official or reported. */
export interface Response {
  readonly by: PartyId
  readonly answer: "accepted" | "rejected"
  readonly reason?: string | undefined
  /** In mediated talks: the text against the current one, for this party. */
  readonly verdict?: Verdict | undefined
  /** In mediated talks: what this party wants changed, most wanted first. */
  readonly criticism?: ReadonlyArray<Criticism> | undefined
  readonly provenance: Provenance
  readonly version: number
}

/** An offer and everything that happened to it. */
export interface Offer {
  readonly offerId: OfferId
  readonly by: PartyId
  readonly to: ReadonlyArray<PartyId>
  readonly terms: Terms
  readonly inReplyTo: OfferId | undefined
  /** In mediated talks, the current single text this one would replace. */
  readonly currentText?: OfferId | undefined
  readonly provenance: Provenance
  /** Official from the start, or confirmed later by its party. */
  readonly confirmed: boolean
  readonly confirmation: Provenance | undefined
  readonly status: OfferStatus
  readonly responses: ReadonlyArray<Response>
  readonly ratifiedBy: ReadonlyArray<PartyId>
  /** Covers every issue. */
  readonly complete: boolean
  readonly madeAt: Instant
  readonly version: number
  readonly round: number
}

/** A party's publicly stated demands. */
export interface Position {
  readonly demands: Terms
  readonly statement: string | undefined
  readonly provenance: Provenance
  readonly version: number
  readonly at: Instant
}

/** A party, whether it is still at the table, and its latest stated position. */
export interface PartyState extends Party {
  readonly present: boolean
  readonly position: Position | undefined
}

/** A binding agreement: an offer every required party accepted and ratified. */
export interface Agreement {
  readonly offerId: OfferId
  readonly terms: Terms
  readonly acceptedBy: ReadonlyArray<PartyId>
  readonly ratifiedBy: ReadonlyArray<PartyId>
  readonly version: number
  readonly at: Instant
}

/** An issue settled by an accepted partial offer. */
export interface PartialAgreement {
  readonly value: TermValue
  readonly offerId: OfferId
  readonly version: number
}

/** The state of one negotiation, derived from its events. */
export interface State {
  readonly negotiationId: NegotiationId | undefined
  readonly status: Status
  readonly title: string
  readonly description: string | undefined
  readonly parties: ReadonlyArray<PartyState>
  readonly issues: ReadonlyArray<Issue>
  readonly rules: Rules
  /** Every offer by id; {@link offersInOrder} lists them in the order made. */
  readonly offers: HashMap.HashMap<OfferId, Offer>
  /** Ids of the pending offers, oldest first. */
  readonly pending: ReadonlyArray<OfferId>
  /** The offer every required party accepted: awaiting ratification, or agreed. */
  readonly acceptedOffer: OfferId | undefined
  readonly agreement: Agreement | undefined
  readonly partialAgreements: Readonly<Record<IssueId, PartialAgreement>>
  /** How many offers have been made. */
  readonly round: number
  /** The version of the last event applied; 0 before the first. */
  readonly version: number
  readonly openedAt: Instant | undefined
  readonly updatedAt: Instant | undefined
  /** Why the negotiation ended, when it ended without agreement. */
  readonly endedBecause: string | undefined
}

/** The state before any event. */
export const initialState: State = {
  negotiationId: undefined,
  status: "unopened",
  title: "",
  description: undefined,
  parties: [],
  issues: [],
  rules: { mustAccept: [], mustRatify: [], partialAgreements: false },
  offers: HashMap.empty(),
  pending: [],
  acceptedOffer: undefined,
  agreement: undefined,
  partialAgreements: {},
  round: 0,
  version: 0,
  openedAt: undefined,
  updatedAt: undefined,
  endedBecause: undefined,
}

/** Whether no further move can change the outcome. */
export const isTerminal = (status: Status): boolean =>
  status === "agreed" || status === "collapsed" || status === "expired"

/** The party with that id, if any. */
export const findParty = (state: State, id: PartyId): PartyState | undefined => {
  for (const p of state.parties) if (p.id === id) return p
  return undefined
}

/** The offer with that id, if any. */
export const findOffer = (state: State, id: OfferId): Offer | undefined =>
  Option.getOrUndefined(HashMap.get(state.offers, id))

/** Every offer, in the order it was made. */
export const offersInOrder = (state: State): ReadonlyArray<Offer> =>
  Array.from(HashMap.values(state.offers)).sort((a, b) => a.version - b.version)

/** The parties that officially accepted an offer (its maker counts as one). */
export const officiallyAcceptedBy = (offer: Offer): ReadonlyArray<PartyId> => {
  const out: Array<PartyId> = [offer.by]
  for (const r of offer.responses)
    if (r.answer === "accepted" && r.provenance.status === "official") out.push(r.by)
  return out
}
