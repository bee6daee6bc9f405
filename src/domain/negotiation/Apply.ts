/**
 * What each event does to a negotiation: {@link applyTo}, the one place that
 * says it, and the ways in: {@link evolve} (a stored event, its history's
 * structure checked), a {@link Folding} (a whole log, one draft changed in
 * place) and {@link applyDecided} (an event `decide` has just emitted).
 *
 * `evolve` trusts a stored history to have been decided under the rules of
 * its day and checks its structure only, so a rule tightened later does not
 * make old logs unreadable, while a damaged log still fails replay with an
 * {@link InvariantViolation} naming the version.
 *
 * @since 0.1.0
 */
import { Either, HashMap, Option } from "effect"
import type { EventEnvelope, Instant, NegotiationEvent, OpeningRules, Rules } from "../Event.ts"
import type { IssueId, OfferId, PartyId } from "../Ids.ts"
import { InvariantViolation } from "../Rejection.ts"
import { checkStructure, describeDeadline } from "./Rules.ts"
import {
  initialState,
  type Offer,
  type OfferStatus,
  officiallyAcceptedBy,
  type PartyState,
  type Response,
  type State,
} from "./State.ts"

// ---------------------------------------------------------------------------
// Applying an event that passed the rules.
// ---------------------------------------------------------------------------

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
type Draft = { -readonly [K in keyof State]: State[K] }

const draft = (s: State): Draft => ({
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

const getOffer = (d: Draft, id: OfferId): Offer => Option.getOrUndefined(HashMap.get(d.offers, id))!

const putOffer = (d: Draft, offer: Offer): void => {
  d.offers = HashMap.set(d.offers, offer.offerId, offer)
}

/** Marks every pending offer (but `keep`) with `status` and empties the pending list. */
const closePending = (d: Draft, status: OfferStatus, keep?: OfferId): void => {
  for (const id of d.pending) {
    if (id === keep) continue
    const offer = getOffer(d, id)
    if (offer.status === "pending") putOffer(d, { ...offer, status })
  }
  d.pending = []
}

/** Supersedes `by`'s pending offers made before `version`; the rest stay pending, in order. */
const supersedeEarlier = (d: Draft, by: PartyId, version: number): void => {
  const pending: Array<OfferId> = []
  for (const id of d.pending) {
    const old = getOffer(d, id)
    if (old.by === by && old.version < version) putOffer(d, { ...old, status: "superseded" })
    else pending.push(id)
  }
  d.pending = pending
}

const removePending = (d: Draft, id: OfferId): void => {
  d.pending = d.pending.filter((p) => p !== id)
}

/** Records `offer`, and concludes it when every party that must accept has officially accepted. */
const concludeIfAccepted = (d: Draft, offer: Offer, version: number, at: Instant): void => {
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
const rejectedByAll = (d: Draft, offer: Offer): boolean => {
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

const agree = (d: Draft, offer: Offer, version: number, at: Instant): void => {
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

const end = (d: Draft, status: "collapsed" | "expired", because: string): void => {
  d.status = status
  closePending(d, "expired")
  d.endedBecause = because
}

const updateParty = (d: Draft, id: PartyId, f: (p: PartyState) => PartyState): void => {
  d.parties = d.parties.map((p) => (p.id === id ? f(p) : p))
}

/** The rules as the state holds them, from the rules the opening recorded. */
const heldRules = (r: OpeningRules): Rules => {
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
const noResponses: ReadonlyArray<Response> = []
const nobody: ReadonlyArray<PartyId> = []

/**
 * Applies an event that {@link check} accepted to a draft, in place: the one
 * place that says what each event does to a negotiation, for {@link evolve},
 * {@link applyDecided} and a {@link Folding} alike.
 */
const applyTo = (d: Draft, event: NegotiationEvent, version: number, at: Instant): void => {
  d.version = version
  d.updatedAt = at
  switch (event.type) {
    case "NegotiationOpened":
      d.status = "open"
      d.title = event.title
      d.description = event.description
      d.parties = event.parties.map((p) => ({ ...p, present: true, position: undefined }))
      d.issues = event.issues
      d.rules = heldRules(event.rules)
      d.openedAt = at
      return
    case "OfferMade": {
      // A report binds nothing: only an official offer supersedes its party's earlier ones.
      if (event.provenance.status === "official") supersedeEarlier(d, event.by, version)
      d.pending = [...d.pending, event.offerId]
      let covered = 0
      for (const _ in event.terms) covered++
      d.round = d.round + 1
      const offer: Offer = {
        offerId: event.offerId,
        by: event.by,
        to: event.to,
        terms: event.terms,
        inReplyTo: event.inReplyTo,
        currentText: event.currentText,
        provenance: event.provenance,
        confirmed: event.provenance.status === "official",
        confirmation: undefined,
        status: "pending",
        responses: noResponses,
        ratifiedBy: nobody,
        complete: covered === d.issues.length,
        madeAt: at,
        version,
        round: d.round,
      }
      // The offerer counts as accepting: when it is the only party that must, its offer concludes.
      if (offer.confirmed) concludeIfAccepted(d, offer, version, at)
      else putOffer(d, offer)
      return
    }
    case "OfferConfirmed": {
      const offer = getOffer(d, event.offerId)
      // Confirmed, the offer supersedes its party's earlier offers as if it had been made officially.
      supersedeEarlier(d, offer.by, offer.version)
      concludeIfAccepted(
        d,
        { ...offer, confirmed: true, confirmation: event.provenance },
        version,
        at,
      )
      return
    }
    case "OfferDenied": {
      const offer = getOffer(d, event.offerId)
      putOffer(d, { ...offer, status: "denied", confirmation: event.provenance })
      removePending(d, event.offerId)
      return
    }
    case "OfferAccepted":
    case "OfferRejected": {
      const offer = getOffer(d, event.offerId)
      const response: Response = {
        by: event.by,
        answer: event.type === "OfferAccepted" ? "accepted" : "rejected",
        reason: event.type === "OfferRejected" ? event.reason : undefined,
        verdict: event.verdict,
        criticism: event.criticism,
        provenance: event.provenance,
        version,
      }
      const responses = [...offer.responses, response]
      if (
        event.type === "OfferRejected" &&
        event.provenance.status === "official" &&
        d.rules.answers !== "every-addressee"
      ) {
        // The common case, as one new offer: answered and rejected at once.
        putOffer(d, { ...offer, responses, status: "rejected" })
        removePending(d, event.offerId)
        return
      }
      const answered: Offer = { ...offer, responses }
      if (event.provenance.status !== "official") putOffer(d, answered)
      else if (d.rules.answers === "every-addressee") {
        // Every addressee answers; the text dies only once all have and one of them said no.
        if (event.type === "OfferAccepted") concludeIfAccepted(d, answered, version, at)
        else putOffer(d, answered)
        if (getOffer(d, event.offerId).status === "pending" && rejectedByAll(d, answered)) {
          putOffer(d, { ...getOffer(d, event.offerId), status: "rejected" })
          removePending(d, event.offerId)
        }
      } else concludeIfAccepted(d, answered, version, at)
      return
    }
    case "OfferWithdrawn": {
      putOffer(d, { ...getOffer(d, event.offerId), status: "withdrawn" })
      removePending(d, event.offerId)
      return
    }
    case "AgreementRatified": {
      const offer = getOffer(d, event.offerId)
      const ratified: Offer = { ...offer, ratifiedBy: [...offer.ratifiedBy, event.by] }
      putOffer(d, ratified)
      if (d.rules.mustRatify.every((p) => ratified.ratifiedBy.includes(p)))
        agree(d, ratified, version, at)
      return
    }
    case "PositionStated":
      updateParty(d, event.by, (p) => ({
        ...p,
        position: {
          demands: event.demands,
          statement: event.statement,
          provenance: event.provenance,
          version,
          at,
        },
      }))
      return
    case "PartyWalkedOut": {
      updateParty(d, event.by, (p) => ({ ...p, present: false }))
      // A ratifier gone before anything awaits ratification would leave any later accepted
      // offer unratifiable forever, so it collapses the talks as surely as one gone after.
      const required =
        d.rules.mustAccept.includes(event.by) || d.rules.mustRatify.includes(event.by)
      if (required)
        end(d, "collapsed", `${event.by} walked out${event.reason ? `: ${event.reason}` : ""}`)
      return
    }
    case "TalksSuspended":
      d.status = "suspended"
      return
    case "TalksResumed":
      d.status = "open"
      return
    case "DeadlinePassed":
      end(d, "expired", `the deadline passed (${describeDeadline(d.rules)})`)
      return
  }
}

// ---------------------------------------------------------------------------
// The decider.
// ---------------------------------------------------------------------------

/**
 * Applies one stored event. Fails with an {@link InvariantViolation} naming the
 * version when the history cannot stand: a gap in versions, an event of
 * another negotiation, or one that breaks its structure
 * ({@link checkStructure}). The rules of the game are not checked again: the
 * event was decided under the rules of its day, and a rule tightened since
 * applies to new commands only.
 */
export const evolve = (
  state: State,
  envelope: EventEnvelope,
): Either.Either<State, InvariantViolation> => {
  const problem = historyProblem(state, envelope)
  if (problem !== undefined) return Either.left(violation(envelope, problem))
  const next = draft(state)
  applyEnvelope(next, envelope)
  return Either.right(next)
}

/** Why a stored event cannot follow `state` in its history, or `undefined` when it can: what {@link evolve} checks. */
const historyProblem = (state: State, envelope: EventEnvelope): string | undefined => {
  if (envelope.version !== state.version + 1)
    return `expected version ${state.version + 1}, found ${envelope.version}`
  if (state.negotiationId !== undefined && envelope.negotiationId !== state.negotiationId)
    return `event belongs to negotiation "${envelope.negotiationId}", not "${state.negotiationId}"`
  return checkStructure(state, envelope.event, envelope.occurredAt)?.message
}

/** Applies a stored event to a draft; the opening names the negotiation. */
const applyEnvelope = (d: Draft, envelope: EventEnvelope): void => {
  applyTo(d, envelope.event, envelope.version, envelope.occurredAt)
  if (envelope.event.type === "NegotiationOpened") d.negotiationId = envelope.negotiationId
}

const violation = (envelope: EventEnvelope, problem: string) =>
  new InvariantViolation({
    negotiationId: envelope.negotiationId,
    version: envelope.version,
    eventType: envelope.event.type,
    problem,
  })

/**
 * One negotiation's state while its stored events are folded one after the
 * other (a whole log replayed): {@link evolve}, with its checks and the same
 * {@link applyTo}, but one draft held across the events, changed in place, and
 * the offers a transient HashMap updated without copying a path per change.
 * `evolve` builds a whole new state per event; a log that interleaves
 * thousands of negotiations keeps each of those alive until its next event,
 * and the collector pays for every one of them.
 *
 * {@link Folding.state} hands out the state reached so far as an ordinary,
 * immutable {@link State}, equal to what `evolve` gives one event at a time
 * (a property test holds the two together): the offers map is sealed and
 * shared with it, and the next event starts a new transient map over it, so
 * a state handed out never changes.
 */
export class Folding {
  private current: Draft
  /** The state handed out last, while no event has been applied since; it shares `current.offers`. */
  private handedOut: State | undefined

  /**
   * Folding from `from` (default: before the first event); `from` itself is
   * never changed. With `inPlace` false, each event gets a fresh copy of the
   * state and the offers stay a persistent map, exactly as {@link evolve}
   * does, down to the map's inner structure: for one negotiation folded on
   * its own, whose states die young, and whose result is compared with states
   * built by `evolve` and `applyDecided`.
   */
  constructor(
    from: State = initialState,
    private readonly inPlace = true,
  ) {
    this.current = draft(from)
    this.handedOut = from
  }

  /** The version of the last event applied. */
  get version(): number {
    return this.current.version
  }

  /**
   * Applies one stored event as {@link evolve} does; when it cannot stand,
   * returns the {@link InvariantViolation} and the state stays as it was.
   */
  add(envelope: EventEnvelope): InvariantViolation | undefined {
    const problem = historyProblem(this.current, envelope)
    if (problem !== undefined) return violation(envelope, problem)
    if (!this.inPlace) {
      // evolve's way: the state reached so far stays as it is, the event goes to a copy.
      const next = draft(this.current)
      applyEnvelope(next, envelope)
      this.current = next
      this.handedOut = next
      return undefined
    }
    const d = this.current
    if (this.handedOut !== undefined) {
      d.offers = HashMap.beginMutation(d.offers)
      this.handedOut = undefined
    }
    applyEnvelope(d, envelope)
    return undefined
  }

  /** The state reached so far; the same object until the next event. */
  get state(): State {
    if (this.handedOut === undefined) {
      const d = this.current
      d.offers = HashMap.endMutation(d.offers)
      this.handedOut = draft(d)
    }
    return this.handedOut
  }
}

/**
 * Applies an event that {@link decide} has just emitted for this very state,
 * without checking the rules a second time: decide checked them, and the
 * property tests prove that evolve accepts every event decide emits. For
 * writers that hold the state (the command handler, simulations); replay of
 * stored events always goes through {@link evolve}.
 */
export const applyDecided = (state: State, envelope: EventEnvelope): State => {
  const next = draft(state)
  applyEnvelope(next, envelope)
  return next
}
