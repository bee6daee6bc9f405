/**
 * Every event type in one table: what it needs of the state to happen
 * ({@link EventRule.check}, the rules of the game guarded by `strict`), what
 * it does to the state ({@link EventRule.apply}), and whether it may happen
 * while talks are suspended or an accepted offer awaits ratification. A new
 * event type is one entry here (the compiler asks for it), besides its
 * schema (`../Event.ts`) and the command that asks for it (`../Command.ts`).
 *
 * What every event shares stays in `Rules.ts` (the negotiation is open, not
 * over, time does not go back, the deadline, the pauses) and in `Apply.ts`
 * (the version and time move on).
 *
 * @since 0.4.0
 */
import type {
  EventType,
  Instant,
  NegotiationEvent,
  OfferAccepted,
  OfferConfirmed,
  OfferDenied,
  OfferRejected,
  TalksResumed,
  TalksSuspended,
} from "../Event.ts"
import {
  AlreadyDone,
  AlreadyOfficial,
  AlreadyOpened,
  DeadlineNotReached,
  DeadlineReached,
  DuplicateOffer,
  InvalidSetup,
  NotAddressedToYou,
  NotAllowed,
  NothingToRatify,
  NotYourOffer,
  type Rejection,
  TalksAreSuspended,
  TalksNotSuspended,
  UnconfirmedOffer,
  UnknownOffer,
} from "../Rejection.ts"
import {
  agree,
  concludeIfAccepted,
  type Draft,
  end,
  getOffer,
  heldRules,
  nobody,
  noResponses,
  putOffer,
  rejectedByAll,
  removePending,
  supersedeEarlier,
  updateParty,
} from "./Draft.ts"
import {
  criticismProblem,
  describeDeadline,
  isRejection,
  mustBeOfficial,
  pendingOffer,
  presentParty,
  setupProblem,
  termsProblem,
} from "./Problems.ts"
import { findOffer, type Offer, type Response, type State } from "./State.ts"

/** What one event type needs and does. */
export interface EventRule<E extends NegotiationEvent> {
  /** What a timeline calls it (the run's trace and the report read it, through `../Verbs.ts`). */
  readonly verb: string
  /** Whether it may happen while talks are suspended. */
  readonly whileSuspended: boolean
  /** Whether it may happen while an accepted offer awaits ratification. */
  readonly whileRatifying: boolean
  /**
   * What this event needs of the state, once what every event needs holds:
   * `undefined`, or the rule it breaks; the rules of the game only when
   * `strict` (see `Rules.ts`).
   */
  readonly check: (state: State, event: E, at: Instant, strict: boolean) => Rejection | undefined
  /** What it does to a draft of the state, in place, once it passed {@link check}. */
  readonly apply: (d: Draft, event: E, version: number, at: Instant) => void
}

/** One {@link EventRule} per event type. */
export type EventRules = {
  readonly [T in EventType]: EventRule<Extract<NegotiationEvent, { type: T }>>
}

/** A party confirms or denies an offer reported as theirs. */
const confirmationProblem: EventRule<OfferConfirmed | OfferDenied>["check"] = (
  state,
  event,
  _at,
  strict,
) => {
  const offer = pendingOffer(state, event.offerId)
  if (isRejection(offer)) return offer
  if (strict && offer.by !== event.by)
    return new NotYourOffer({ offerId: event.offerId, party: event.by })
  const party = presentParty(state, event.by, strict)
  if (isRejection(party)) return party
  if (!strict) return undefined
  if (offer.confirmed) return new AlreadyOfficial({ offerId: event.offerId })
  return mustBeOfficial(
    event.by,
    event.provenance,
    event.type === "OfferConfirmed" ? "confirm" : "deny",
  )
}

/** An addressee answers an offer. */
const answerProblem: EventRule<OfferAccepted | OfferRejected>["check"] = (
  state,
  event,
  _at,
  strict,
) => {
  const party = presentParty(state, event.by, strict)
  if (isRejection(party)) return party
  const offer = pendingOffer(state, event.offerId)
  if (isRejection(offer)) return offer
  const criticised = criticismProblem(state, event.criticism)
  if (criticised !== undefined) return criticised
  if (!strict) return undefined
  if (!offer.to.includes(event.by))
    return new NotAddressedToYou({ offerId: event.offerId, party: event.by })
  if (event.provenance.status === "official") {
    if (event.type === "OfferAccepted" && !offer.confirmed)
      return new UnconfirmedOffer({ offerId: event.offerId })
    for (const r of offer.responses)
      if (r.by === event.by && r.provenance.status === "official")
        return new AlreadyDone({ party: event.by, what: `answered offer "${event.offerId}"` })
  }
  return undefined
}

/** An answer, official or reported, to a pending offer. */
const applyAnswer: EventRule<OfferAccepted | OfferRejected>["apply"] = (d, event, version, at) => {
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
}

/** Talks suspended or resumed, by a party or by no one in particular. */
const pauseProblem: EventRule<TalksSuspended | TalksResumed>["check"] = (
  state,
  event,
  _at,
  strict,
) => {
  if (event.by !== undefined) {
    const party = presentParty(state, event.by, strict)
    if (isRejection(party)) return party
  }
  if (!strict) return undefined
  if (event.type === "TalksSuspended")
    return state.status === "suspended" ? new TalksAreSuspended() : undefined
  return state.status === "suspended" ? undefined : new TalksNotSuspended()
}

/** Every event type's {@link EventRule}. */
export const eventRules: EventRules = {
  NegotiationOpened: {
    verb: "opened talks",
    whileSuspended: false,
    whileRatifying: false,
    check: (state, event, _at, strict) => {
      if (state.status !== "unopened") return new AlreadyOpened()
      const problem = setupProblem(event, strict)
      return problem === undefined ? undefined : new InvalidSetup({ problem })
    },
    apply: (d, event, _version, at) => {
      d.status = "open"
      d.title = event.title
      d.description = event.description
      d.parties = event.parties.map((p) => ({ ...p, present: true, position: undefined }))
      d.issues = event.issues
      d.rules = heldRules(event.rules)
      d.openedAt = at
    },
  },
  OfferMade: {
    verb: "offered",
    whileSuspended: false,
    whileRatifying: false,
    check: (state, event, _at, strict) => {
      const rules = state.rules
      const party = presentParty(state, event.by, strict)
      if (isRejection(party)) return party
      if (strict && party.role === "observer")
        return new NotAllowed({ party: event.by, problem: "is an observer and cannot make offers" })
      if (findOffer(state, event.offerId) !== undefined)
        return new DuplicateOffer({ offerId: event.offerId })
      if (strict && rules.maxRounds !== undefined && state.round >= rules.maxRounds)
        return new DeadlineReached({ deadline: `${rules.maxRounds} rounds` })
      if (strict && event.to.length === 0)
        return new NotAllowed({ party: event.by, problem: "must address an offer to someone" })
      for (const to of event.to) {
        if (strict && to === event.by)
          return new NotAllowed({ party: event.by, problem: "cannot address an offer to itself" })
        const addressee = presentParty(state, to, strict)
        if (isRejection(addressee)) return addressee
      }
      if (event.inReplyTo !== undefined && findOffer(state, event.inReplyTo) === undefined)
        return new UnknownOffer({ offerId: event.inReplyTo })
      if (event.currentText !== undefined && findOffer(state, event.currentText) === undefined)
        return new UnknownOffer({ offerId: event.currentText })
      return termsProblem(state, event.terms, !rules.partialAgreements, strict)
    },
    apply: (d, event, version, at) => {
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
    },
  },
  OfferConfirmed: {
    verb: "confirmed",
    whileSuspended: false,
    whileRatifying: false,
    check: confirmationProblem,
    apply: (d, event, version, at) => {
      const offer = getOffer(d, event.offerId)
      // Confirmed, the offer supersedes its party's earlier offers as if it had been made officially.
      supersedeEarlier(d, offer.by, offer.version)
      concludeIfAccepted(
        d,
        { ...offer, confirmed: true, confirmation: event.provenance },
        version,
        at,
      )
    },
  },
  OfferDenied: {
    verb: "denied",
    whileSuspended: false,
    whileRatifying: false,
    check: confirmationProblem,
    apply: (d, event) => {
      const offer = getOffer(d, event.offerId)
      putOffer(d, { ...offer, status: "denied", confirmation: event.provenance })
      removePending(d, event.offerId)
    },
  },
  OfferAccepted: {
    verb: "accepted",
    whileSuspended: false,
    whileRatifying: false,
    check: answerProblem,
    apply: applyAnswer,
  },
  OfferRejected: {
    verb: "rejected",
    whileSuspended: false,
    whileRatifying: false,
    check: answerProblem,
    apply: applyAnswer,
  },
  OfferWithdrawn: {
    verb: "withdrew",
    whileSuspended: false,
    whileRatifying: false,
    check: (state, event, _at, strict) => {
      const offer = pendingOffer(state, event.offerId)
      if (isRejection(offer)) return offer
      if (strict && offer.by !== event.by)
        return new NotYourOffer({ offerId: event.offerId, party: event.by })
      const party = presentParty(state, event.by, strict)
      return isRejection(party) ? party : undefined
    },
    apply: (d, event) => {
      putOffer(d, { ...getOffer(d, event.offerId), status: "withdrawn" })
      removePending(d, event.offerId)
    },
  },
  AgreementRatified: {
    verb: "ratified",
    whileSuspended: false,
    whileRatifying: true,
    check: (state, event, _at, strict) => {
      const rules = state.rules
      if (state.acceptedOffer !== event.offerId || state.agreement !== undefined)
        return new NothingToRatify({ offerId: event.offerId })
      const party = presentParty(state, event.by, strict)
      if (isRejection(party)) return party
      if (!strict) return undefined
      if (!rules.mustRatify.includes(event.by))
        return new NotAllowed({ party: event.by, problem: "is not required to ratify" })
      const offer = findOffer(state, event.offerId)!
      if (offer.ratifiedBy.includes(event.by))
        return new AlreadyDone({ party: event.by, what: `ratified offer "${event.offerId}"` })
      return mustBeOfficial(event.by, event.provenance, "ratify")
    },
    apply: (d, event, version, at) => {
      const offer = getOffer(d, event.offerId)
      const ratified: Offer = { ...offer, ratifiedBy: [...offer.ratifiedBy, event.by] }
      putOffer(d, ratified)
      if (d.rules.mustRatify.every((p) => ratified.ratifiedBy.includes(p)))
        agree(d, ratified, version, at)
    },
  },
  PositionStated: {
    verb: "stated position",
    whileSuspended: true,
    whileRatifying: true,
    check: (state, event, _at, strict) => {
      const party = presentParty(state, event.by, strict)
      if (isRejection(party)) return party
      return termsProblem(state, event.demands, false, strict)
    },
    apply: (d, event, version, at) => {
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
    },
  },
  PartyWalkedOut: {
    verb: "walked out",
    whileSuspended: true,
    whileRatifying: true,
    check: (state, event, _at, strict) => {
      const party = presentParty(state, event.by, strict)
      return isRejection(party) ? party : undefined
    },
    apply: (d, event) => {
      updateParty(d, event.by, (p) => ({ ...p, present: false }))
      // A ratifier gone before anything awaits ratification would leave any later accepted
      // offer unratifiable forever, so it collapses the talks as surely as one gone after.
      const required =
        d.rules.mustAccept.includes(event.by) || d.rules.mustRatify.includes(event.by)
      if (required)
        end(d, "collapsed", `${event.by} walked out${event.reason ? `: ${event.reason}` : ""}`)
    },
  },
  TalksSuspended: {
    verb: "suspended talks",
    whileSuspended: false,
    whileRatifying: true,
    check: pauseProblem,
    apply: (d) => {
      d.status = "suspended"
    },
  },
  TalksResumed: {
    verb: "resumed talks",
    whileSuspended: true,
    whileRatifying: true,
    check: pauseProblem,
    apply: (d) => {
      d.status = "open"
    },
  },
  DeadlinePassed: {
    verb: "deadline passed",
    whileSuspended: true,
    whileRatifying: true,
    check: (state, _event, at, strict) => {
      if (!strict) return undefined
      const rules = state.rules
      const byTime = rules.deadline !== undefined && at >= rules.deadline
      const byRounds = rules.maxRounds !== undefined && state.round >= rules.maxRounds
      return byTime || byRounds
        ? undefined
        : new DeadlineNotReached({ deadline: describeDeadline(rules) })
    },
    apply: (d) => {
      end(d, "expired", `the deadline passed (${describeDeadline(d.rules)})`)
    },
  },
}
