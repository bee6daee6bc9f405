/**
 * The benchmark's reference: the plain-JS reducer one would write by hand for
 * the same events — a switch over the event type building new objects with
 * spreads, no validation, no library. It derives the same facts as parley's
 * decider (status, offers and their statuses, answers, positions, agreement,
 * round, version), so the two folds do comparable work.
 */
import type { EventEnvelope } from "../../src/domain/Event.ts"

interface RefOffer {
  readonly id: string
  readonly by: string
  readonly terms: unknown
  readonly status: string
  readonly confirmed: boolean
  readonly answers: ReadonlyArray<{ by: string; answer: string; official: boolean }>
  readonly ratifiedBy: ReadonlyArray<string>
}

export interface RefState {
  readonly status: string
  readonly version: number
  readonly round: number
  readonly updatedAt: string
  readonly parties: Readonly<Record<string, { present: boolean; position?: unknown }>>
  readonly mustAccept: ReadonlyArray<string>
  readonly mustRatify: ReadonlyArray<string>
  readonly offers: Readonly<Record<string, RefOffer>>
  readonly pending: ReadonlyArray<string>
  readonly accepted: string | undefined
  readonly agreement: string | undefined
}

export const refInitial: RefState = {
  status: "unopened",
  version: 0,
  round: 0,
  updatedAt: "",
  parties: {},
  mustAccept: [],
  mustRatify: [],
  offers: {},
  pending: [],
  accepted: undefined,
  agreement: undefined,
}

const closePending = (s: RefState, status: string, keep?: string) => {
  const offers = { ...s.offers }
  for (const id of s.pending) if (id !== keep) offers[id] = { ...offers[id]!, status }
  return offers
}

export const refEvolve = (s0: RefState, e: EventEnvelope): RefState => {
  const s = { ...s0, version: e.version, updatedAt: e.occurredAt }
  const ev = e.event
  switch (ev.type) {
    case "NegotiationOpened":
      return {
        ...s,
        status: "open",
        parties: Object.fromEntries(ev.parties.map((p) => [p.id, { present: true }])),
        mustAccept: ev.rules.mustAccept,
        mustRatify: ev.rules.mustRatify,
      }
    case "OfferMade": {
      const offers = { ...s.offers }
      const pending = []
      for (const id of s.pending) {
        if (offers[id]!.by === ev.by) offers[id] = { ...offers[id]!, status: "superseded" }
        else pending.push(id)
      }
      offers[ev.offerId] = {
        id: ev.offerId,
        by: ev.by,
        terms: ev.terms,
        status: "pending",
        confirmed: ev.provenance.status === "official",
        answers: [],
        ratifiedBy: [],
      }
      return { ...s, offers, pending: [...pending, ev.offerId], round: s.round + 1 }
    }
    case "OfferConfirmed":
      return {
        ...s,
        offers: { ...s.offers, [ev.offerId]: { ...s.offers[ev.offerId]!, confirmed: true } },
      }
    case "OfferDenied":
    case "OfferWithdrawn":
      return {
        ...s,
        offers: {
          ...s.offers,
          [ev.offerId]: {
            ...s.offers[ev.offerId]!,
            status: ev.type === "OfferDenied" ? "denied" : "withdrawn",
          },
        },
        pending: s.pending.filter((id) => id !== ev.offerId),
      }
    case "OfferAccepted":
    case "OfferRejected": {
      const official = ev.provenance.status === "official"
      const old = s.offers[ev.offerId]!
      const offer = {
        ...old,
        answers: [...old.answers, { by: ev.by, answer: ev.type, official }],
      }
      if (!official) return { ...s, offers: { ...s.offers, [ev.offerId]: offer } }
      if (ev.type === "OfferRejected")
        return {
          ...s,
          offers: { ...s.offers, [ev.offerId]: { ...offer, status: "rejected" } },
          pending: s.pending.filter((id) => id !== ev.offerId),
        }
      const yes = [
        offer.by,
        ...offer.answers.filter((a) => a.official && a.answer === "OfferAccepted").map((a) => a.by),
      ]
      if (!offer.confirmed || !s.mustAccept.every((p) => yes.includes(p)))
        return { ...s, offers: { ...s.offers, [ev.offerId]: offer } }
      const offers = {
        ...closePending(s, "superseded", ev.offerId),
        [ev.offerId]: { ...offer, status: "accepted" },
      }
      return {
        ...s,
        offers,
        pending: [],
        accepted: ev.offerId,
        ...(s.mustRatify.length === 0 ? { status: "agreed", agreement: ev.offerId } : {}),
      }
    }
    case "AgreementRatified": {
      const old = s.offers[ev.offerId]!
      const offer = { ...old, ratifiedBy: [...old.ratifiedBy, ev.by] }
      const done = s.mustRatify.every((p) => offer.ratifiedBy.includes(p))
      return {
        ...s,
        offers: { ...s.offers, [ev.offerId]: offer },
        ...(done ? { status: "agreed", agreement: ev.offerId } : {}),
      }
    }
    case "PositionStated":
      return {
        ...s,
        parties: { ...s.parties, [ev.by]: { ...s.parties[ev.by]!, position: ev.demands } },
      }
    case "PartyWalkedOut": {
      const parties = { ...s.parties, [ev.by]: { ...s.parties[ev.by]!, present: false } }
      return s.mustAccept.includes(ev.by)
        ? { ...s, parties, status: "collapsed", offers: closePending(s, "expired"), pending: [] }
        : { ...s, parties }
    }
    case "TalksSuspended":
      return { ...s, status: "suspended" }
    case "TalksResumed":
      return { ...s, status: "open" }
    case "DeadlinePassed":
      return { ...s, status: "expired", offers: closePending(s, "expired"), pending: [] }
  }
}

/** Folds one negotiation's events with the reference reducer. */
export const refFold = (events: ReadonlyArray<EventEnvelope>): RefState => {
  let s = refInitial
  for (const e of events) s = refEvolve(s, e)
  return s
}
