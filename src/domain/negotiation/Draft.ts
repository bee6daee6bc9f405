/**
 * A negotiation's state while an event is applied to it, and the changes the
 * events make to it in place (an offer put, the pending list trimmed, an
 * agreement reached, the talks ended). The per-event changes (`Events.ts`)
 * are made of these.
 *
 * @since 0.1.0
 */
import { HashMap, Option } from "effect"
import type { Instant, OpeningRules, Rules } from "../Event.ts"
import type { IssueId, OfferId, PartyId } from "../Ids.ts"
import {
  type Offer,
  type OfferStatus,
  officiallyAcceptedBy,
  type PartyState,
  type Response,
  type State,
} from "./State.ts"

/**
 * A state that {@link applyTo} changes in place. `evolve` makes a fresh one
 * per event (one object literal with a fixed shape: a spread per change would
 * cost several, and shapes that vary slow every later read); a
 * {@link Folding} keeps one across the events of its negotiation.
 *
 * `applyTo` only ever assigns the draft's own fields: the arrays, records and
 * offers a draft points to are never changed in place (a change is a new
 * array, record or offer), so a draft may share them with states already
 * handed out. The one exception is `offers` while it is a transient HashMap
 * (`HashMap.beginMutation`), which only a {@link Folding} holds, and which it
 * seals (`HashMap.endMutation`) before a state shares it.
 */
export type Draft = { -readonly [K in keyof State]: State[K] }

export const draft = (s: State): Draft => ({
  negotiationId: s.negotiationId,
  status: s.status,
  title: s.title,
  description: s.description,
  parties: s.parties,
  issues: s.issues,
  rules: s.rules,
  offers: s.offers,
  pending: s.pending,
  acceptedOffer: s.acceptedOffer,
  agreement: s.agreement,
  partialAgreements: s.partialAgreements,
  round: s.round,
  version: s.version,
  openedAt: s.openedAt,
  updatedAt: s.updatedAt,
  endedBecause: s.endedBecause,
})

export const getOffer = (d: Draft, id: OfferId): Offer =>
  Option.getOrUndefined(HashMap.get(d.offers, id))!

export const putOffer = (d: Draft, offer: Offer): void => {
  d.offers = HashMap.set(d.offers, offer.offerId, offer)
}

/** Marks every pending offer (but `keep`) with `status` and empties the pending list. */
export const closePending = (d: Draft, status: OfferStatus, keep?: OfferId): void => {
  for (const id of d.pending) {
    if (id === keep) continue
    const offer = getOffer(d, id)
    if (offer.status === "pending") putOffer(d, { ...offer, status })
  }
  d.pending = []
}

/** Supersedes `by`'s pending offers made before `version`; the rest stay pending, in order. */
export const supersedeEarlier = (d: Draft, by: PartyId, version: number): void => {
  const pending: Array<OfferId> = []
  for (const id of d.pending) {
    const old = getOffer(d, id)
    if (old.by === by && old.version < version) putOffer(d, { ...old, status: "superseded" })
    else pending.push(id)
  }
  d.pending = pending
}

export const removePending = (d: Draft, id: OfferId): void => {
  d.pending = d.pending.filter((p) => p !== id)
}

/** Records `offer`, and concludes it when every party that must accept has officially accepted. */
export const concludeIfAccepted = (d: Draft, offer: Offer, version: number, at: Instant): void => {
  const accepted = officiallyAcceptedBy(offer)
  if (!offer.confirmed || !d.rules.mustAccept.every((p) => accepted.includes(p))) {
    putOffer(d, offer)
    return
  }
  const done: Offer = { ...offer, status: "accepted" }
  putOffer(d, done)
  if (!offer.complete) {
    // A partial offer settles its issues at once (the rules allow partial agreements).
    const partialAgreements = { ...d.partialAgreements }
    for (const key in offer.terms) {
      partialAgreements[key as IssueId] = {
        value: offer.terms[key as IssueId]!,
        offerId: offer.offerId,
        version,
      }
    }
    d.partialAgreements = partialAgreements
    removePending(d, offer.offerId)
    return
  }
  closePending(d, "superseded", done.offerId)
  d.acceptedOffer = offer.offerId
  if (d.rules.mustRatify.length === 0) agree(d, done, version, at)
}

/**
 * Under `every-addressee`: whether every addressee still at the table has
 * answered `offer` officially and at least one of them rejected it.
 */
export const rejectedByAll = (d: Draft, offer: Offer): boolean => {
  let rejected = false
  for (const party of d.parties) {
    if (!party.present || !offer.to.includes(party.id)) continue
    let answer: "accepted" | "rejected" | undefined
    for (const r of offer.responses)
      if (r.by === party.id && r.provenance.status === "official") answer = r.answer
    if (answer === undefined) return false
    if (answer === "rejected") rejected = true
  }
  return rejected
}

export const agree = (d: Draft, offer: Offer, version: number, at: Instant): void => {
  d.status = "agreed"
  d.agreement = {
    offerId: offer.offerId,
    terms: offer.terms,
    acceptedBy: officiallyAcceptedBy(offer),
    ratifiedBy: offer.ratifiedBy,
    version,
    at,
  }
}

export const end = (d: Draft, status: "collapsed" | "expired", because: string): void => {
  d.status = status
  closePending(d, "expired")
  d.endedBecause = because
}

export const updateParty = (d: Draft, id: PartyId, f: (p: PartyState) => PartyState): void => {
  d.parties = d.parties.map((p) => (p.id === id ? f(p) : p))
}

/** The rules as the state holds them, from the rules the opening recorded. */
export const heldRules = (r: OpeningRules): Rules => {
  const rules: { -readonly [K in keyof Rules]: Rules[K] } = {
    mustAccept: r.mustAccept,
    mustRatify: r.mustRatify,
    partialAgreements: r.partialAgreements,
  }
  if (r.answers !== undefined) rules.answers = r.answers
  if (r.deadline?.at !== undefined) rules.deadline = r.deadline.at
  if (r.deadline?.afterRounds !== undefined) rules.maxRounds = r.deadline.afterRounds
  return rules
}

/** The answers and ratifications of a new offer: none, one shared empty list each (lists are never changed in place). */
export const noResponses: ReadonlyArray<Response> = []
export const nobody: ReadonlyArray<PartyId> = []
