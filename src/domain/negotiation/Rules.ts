/**
 * The rules: whether an event may happen in a state. {@link check} is the one
 * place that says what may happen, in two parts: the structure of a history
 * (versions follow one another, the negotiation is opened once and first,
 * nothing follows its end, time does not go back, what an event refers to
 * exists and is in the state it acts on) and the rules of the game (who may
 * make which move, when). `decide` checks both; `evolve` checks the structure
 * only ({@link checkStructure}).
 *
 * @since 0.1.0
 */
import type {
  Criticism,
  Instant,
  NegotiationEvent,
  NegotiationOpened,
  Provenance,
  Rules,
} from "../Event.ts"
import type { IssueId, OfferId, PartyId } from "../Ids.ts"
import { issueProblem, type Terms, valueProblem } from "../Issue.ts"
import {
  AlreadyDone,
  AlreadyOfficial,
  AlreadyOpened,
  AwaitingRatification,
  DeadlineNotReached,
  DeadlineReached,
  DuplicateOffer,
  InvalidSetup,
  InvalidTerms,
  NegotiationClosed,
  NotAddressedToYou,
  NotAllowed,
  NothingToRatify,
  NotOpened,
  NotYourOffer,
  OfferNotPending,
  OutOfOrder,
  PartyAbsent,
  type Rejection,
  TalksAreSuspended,
  TalksNotSuspended,
  UnconfirmedOffer,
  UnknownOffer,
  UnknownParty,
} from "../Rejection.ts"
import {
  findOffer,
  findParty,
  isTerminal,
  type Offer,
  type PartyState,
  type State,
} from "./State.ts"

// ---------------------------------------------------------------------------
// The rules: may this event happen in this state?
// ---------------------------------------------------------------------------

/** What is wrong with an opening: its structure (ids unique, references declared), and with `rules`, the rules too. */
const setupProblem = (e: NegotiationOpened, rules: boolean): string | undefined => {
  const ids = new Set<string>()
  for (const p of e.parties) {
    if (ids.has(p.id)) return `party "${p.id}" is declared twice`
    ids.add(p.id)
  }
  if (rules && !e.parties.some((p) => p.role === "principal"))
    return "at least one principal is required"
  const issueIds = new Set<string>()
  for (const issue of e.issues) {
    if (issueIds.has(issue.id)) return `issue "${issue.id}" is declared twice`
    issueIds.add(issue.id)
    const problem = issueProblem(issue)
    if (problem !== undefined) return `issue "${issue.id}": ${problem}`
  }
  if (rules && e.issues.length === 0) return "at least one issue is required"
  if (rules && e.rules.mustAccept.length === 0)
    return "rules.mustAccept must name at least one party"
  for (const id of e.rules.mustAccept)
    if (!ids.has(id)) return `rules.mustAccept names unknown party "${id}"`
  for (const id of e.rules.mustRatify) {
    const party = e.parties.find((p) => p.id === id)
    if (party === undefined) return `rules.mustRatify names unknown party "${id}"`
    if (rules && party.role !== "principal")
      return `rules.mustRatify names "${id}", which is not a principal`
  }
  return undefined
}

/** Whether terms give declared issues values they can take; with `rules`, also non-empty and, when required, complete. */
const termsProblem = (
  state: State,
  terms: Terms,
  requireComplete: boolean,
  rules: boolean,
): InvalidTerms | undefined => {
  let covered = 0
  for (const key in terms) {
    const issue = state.issues.find((i) => i.id === key)
    if (issue === undefined) return new InvalidTerms({ problem: `unknown issue "${key}"` })
    const problem = valueProblem(issue, terms[key as IssueId]!)
    if (problem !== undefined) return new InvalidTerms({ issue: issue.id, problem })
    covered++
  }
  if (!rules) return undefined
  if (covered === 0) return new InvalidTerms({ problem: "no issue is given a value" })
  if (requireComplete && covered < state.issues.length) {
    const missing = state.issues.filter((i) => !(i.id in terms)).map((i) => i.id)
    return new InvalidTerms({
      problem: `the rules do not allow partial agreements; missing ${missing.join(", ")}`,
    })
  }
  return undefined
}

/** The party, which must be declared; with `rules`, also still at the table. */
const presentParty = (
  state: State,
  id: PartyId,
  rules: boolean,
): UnknownParty | PartyAbsent | PartyState => {
  const party = findParty(state, id)
  if (party === undefined) return new UnknownParty({ party: id })
  if (rules && !party.present) return new PartyAbsent({ party: id })
  return party
}

const pendingOffer = (state: State, id: OfferId): UnknownOffer | OfferNotPending | Offer => {
  const offer = findOffer(state, id)
  if (offer === undefined) return new UnknownOffer({ offerId: id })
  if (offer.status !== "pending") return new OfferNotPending({ offerId: id, status: offer.status })
  return offer
}

/** Whether a value is a {@link Rejection} (an event has no `_tag`). */
export const isRejection = (x: unknown): x is Rejection =>
  typeof x === "object" && x !== null && "_tag" in x

const mustBeOfficial = (by: PartyId, provenance: Provenance, what: string) =>
  provenance.status === "official"
    ? undefined
    : new NotAllowed({
        party: by,
        problem: `can only ${what} officially; a report of it is not one`,
      })

/** Events allowed while an accepted offer awaits ratification. */
const allowedWhileRatifying = new Set<string>([
  "AgreementRatified",
  "PartyWalkedOut",
  "PositionStated",
  "TalksSuspended",
  "TalksResumed",
  "DeadlinePassed",
])

/** Events allowed while talks are suspended. */
const allowedWhileSuspended = new Set<string>([
  "TalksResumed",
  "PartyWalkedOut",
  "PositionStated",
  "DeadlinePassed",
])

/**
 * Whether `event` may happen at `at` in `state`: `undefined` when it may, or
 * the rule it breaks. The single source of what may happen, used by
 * {@link decide} (everything) and {@link evolve} (the structure of a history
 * only, {@link checkStructure}).
 */
export const check = (state: State, event: NegotiationEvent, at: Instant): Rejection | undefined =>
  checkWith(state, event, at, true)

/**
 * Whether `event` can stand at `at` in a stored history that led to `state`:
 * the part of {@link check} that is structure, not rules of the game. A
 * history is trusted to have been decided under the rules of its day; what
 * it cannot be is inconsistent: a gap or a move before the opening or after
 * the end, time going back, an event about an offer, party or issue that does
 * not exist, or about an offer no longer in the state it acts on.
 */
export const checkStructure = (
  state: State,
  event: NegotiationEvent,
  at: Instant,
): Rejection | undefined => checkWith(state, event, at, false)

/**
 * {@link check} (`strict`) or {@link checkStructure}: one walk, the rules of
 * the game guarded by `strict`, so the structure is checked by the same lines
 * for both and a command gives the first problem in the same order.
 */
const checkWith = (
  state: State,
  event: NegotiationEvent,
  at: Instant,
  strict: boolean,
): Rejection | undefined => {
  if (event.type === "NegotiationOpened") {
    if (state.status !== "unopened") return new AlreadyOpened()
    const problem = setupProblem(event, strict)
    return problem === undefined ? undefined : new InvalidSetup({ problem })
  }
  if (state.status === "unopened") return new NotOpened()
  if (isTerminal(state.status)) return new NegotiationClosed({ status: state.status })
  if (state.updatedAt !== undefined && at < state.updatedAt)
    return new OutOfOrder({ at, last: state.updatedAt })
  const rules = state.rules
  if (event.type === "DeadlinePassed") {
    if (!strict) return undefined
    const byTime = rules.deadline !== undefined && at >= rules.deadline
    const byRounds = rules.maxRounds !== undefined && state.round >= rules.maxRounds
    return byTime || byRounds
      ? undefined
      : new DeadlineNotReached({ deadline: describeDeadline(rules) })
  }
  if (strict) {
    if (rules.deadline !== undefined && at > rules.deadline)
      return new DeadlineReached({ deadline: rules.deadline })
    if (state.status === "suspended" && !allowedWhileSuspended.has(event.type))
      return new TalksAreSuspended()
    if (
      state.acceptedOffer !== undefined &&
      state.agreement === undefined &&
      !allowedWhileRatifying.has(event.type)
    )
      return new AwaitingRatification({ offerId: state.acceptedOffer })
  }

  switch (event.type) {
    case "OfferMade": {
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
    }
    case "OfferConfirmed":
    case "OfferDenied": {
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
    case "OfferAccepted":
    case "OfferRejected": {
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
    case "OfferWithdrawn": {
      const offer = pendingOffer(state, event.offerId)
      if (isRejection(offer)) return offer
      if (strict && offer.by !== event.by)
        return new NotYourOffer({ offerId: event.offerId, party: event.by })
      const party = presentParty(state, event.by, strict)
      return isRejection(party) ? party : undefined
    }
    case "AgreementRatified": {
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
    }
    case "PositionStated": {
      const party = presentParty(state, event.by, strict)
      if (isRejection(party)) return party
      return termsProblem(state, event.demands, false, strict)
    }
    case "PartyWalkedOut": {
      const party = presentParty(state, event.by, strict)
      return isRejection(party) ? party : undefined
    }
    case "TalksSuspended":
    case "TalksResumed": {
      if (event.by !== undefined) {
        const party = presentParty(state, event.by, strict)
        if (isRejection(party)) return party
      }
      if (!strict) return undefined
      if (event.type === "TalksSuspended")
        return state.status === "suspended" ? new TalksAreSuspended() : undefined
      return state.status === "suspended" ? undefined : new TalksNotSuspended()
    }
  }
}

/** What is wrong with a criticism: an issue that does not exist, or a value it cannot take. */
const criticismProblem = (
  state: State,
  criticism: ReadonlyArray<Criticism> | undefined,
): InvalidTerms | undefined => {
  if (criticism === undefined) return undefined
  for (const point of criticism) {
    const issue = state.issues.find((i) => i.id === point.issue)
    if (issue === undefined)
      return new InvalidTerms({ problem: `criticism names unknown issue "${point.issue}"` })
    const problem = valueProblem(issue, point.toward)
    if (problem !== undefined)
      return new InvalidTerms({ issue: issue.id, problem: `criticism: ${problem}` })
  }
  return undefined
}

/** The deadline in words, for rejections and for why talks expired. */
export const describeDeadline = (rules: Rules): string =>
  [rules.deadline, rules.maxRounds === undefined ? undefined : `${rules.maxRounds} rounds`]
    .filter((x) => x !== undefined)
    .join(" or ") || "none set"
