/**
 * The negotiation decider: `initialState`, `decide(command, state)` and
 * `evolve(state, envelope)`.
 *
 * What may happen lives in one place, {@link check}, in two parts: the
 * structure of a history (versions follow one another, the negotiation is
 * opened once and first, nothing follows its end, time does not go back, what
 * an event refers to exists and is in the state it acts on) and the rules of
 * the game (who may make which move, when). `decide` builds the event a
 * command asks for and checks both; `evolve` trusts a stored history to have
 * been decided under the rules of its day and checks its structure only, so a
 * rule tightened later does not make old logs unreadable, while a damaged log
 * still fails replay with an {@link InvariantViolation} naming the version.
 *
 * @since 0.1.0
 */
import { Either, HashMap, Option } from "effect"
import type { NegotiationCommand } from "./Command.ts"
import {
  type Criticism,
  type EventEnvelope,
  type Instant,
  type NegotiationEvent,
  type NegotiationOpened,
  type OfferAccepted,
  type OfferMade,
  type OfferRejected,
  type OpeningRules,
  official,
  type Party,
  type Provenance,
  type Rules,
  SCHEMA_VERSION,
  type Verdict,
} from "./Event.ts"
import type { IssueId, NegotiationId, OfferId, PartyId } from "./Ids.ts"
import { type Issue, issueProblem, type Terms, type TermValue, valueProblem } from "./Issue.ts"
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
  InvariantViolation,
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
} from "./Rejection.ts"

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

const describeDeadline = (rules: Rules): string =>
  [rules.deadline, rules.maxRounds === undefined ? undefined : `${rules.maxRounds} rounds`]
    .filter((x) => x !== undefined)
    .join(" or ") || "none set"

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

/** The rules as the opening records them, from the rules a command gives. */
const openingRules = (r: Rules): OpeningRules => {
  const rules: { -readonly [K in keyof OpeningRules]: OpeningRules[K] } = {
    mustAccept: r.mustAccept,
    mustRatify: r.mustRatify,
    partialAgreements: r.partialAgreements,
  }
  if (r.deadline !== undefined || r.maxRounds !== undefined)
    rules.deadline = optional(optional({}, "at", r.deadline), "afterRounds", r.maxRounds)
  if (r.answers !== undefined) rules.answers = r.answers
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

/** Sets `key` on a fresh event only when it has a value (optional fields stay absent, not `undefined`). */
const optional = <E extends object, K extends string>(event: E, key: K, value: unknown): E => {
  if (value !== undefined) (event as Record<string, unknown>)[key] = value
  return event
}

/**
 * The event a command asks for, before the rules are checked. Built as plain
 * literals (a spread per optional field would allocate on every command).
 */
const eventFor = (command: NegotiationCommand, state: State): NegotiationEvent => {
  const v = SCHEMA_VERSION
  const provenance = ("provenance" in command ? command.provenance : undefined) ?? official
  switch (command.type) {
    case "OpenNegotiation":
      return optional(
        {
          schemaVersion: 2,
          type: "NegotiationOpened",
          title: command.title,
          parties: command.parties,
          issues: command.issues,
          rules: openingRules(command.rules),
        },
        "description",
        command.description,
      )
    case "MakeOffer": {
      const made: OfferMade = optional(
        {
          schemaVersion: v,
          type: "OfferMade",
          offerId: command.offerId,
          by: command.by,
          to:
            command.to ??
            state.parties
              .filter((p) => p.present && p.role === "principal" && p.id !== command.by)
              .map((p) => p.id),
          terms: command.terms,
          provenance,
        },
        "inReplyTo",
        command.inReplyTo,
      )
      return optional(
        optional(made, "currentText", command.currentText),
        "message",
        command.message,
      )
    }
    case "ConfirmOffer":
      return {
        schemaVersion: v,
        type: "OfferConfirmed",
        offerId: command.offerId,
        by: command.by,
        provenance,
      }
    case "DenyOffer":
      return optional(
        {
          schemaVersion: v,
          type: "OfferDenied",
          offerId: command.offerId,
          by: command.by,
          provenance,
        },
        "statement",
        command.statement,
      )
    case "AcceptOffer": {
      const accepted: OfferAccepted = optional(
        {
          schemaVersion: v,
          type: "OfferAccepted",
          offerId: command.offerId,
          by: command.by,
          provenance,
        },
        "verdict",
        command.verdict,
      )
      return optional(
        optional(accepted, "criticism", command.criticism),
        "message",
        command.message,
      )
    }
    case "RejectOffer": {
      const rejected: OfferRejected = optional(
        {
          schemaVersion: v,
          type: "OfferRejected",
          offerId: command.offerId,
          by: command.by,
          provenance,
        },
        "reason",
        command.reason,
      )
      return optional(
        optional(optional(rejected, "verdict", command.verdict), "criticism", command.criticism),
        "message",
        command.message,
      )
    }
    case "WithdrawOffer":
      return {
        schemaVersion: v,
        type: "OfferWithdrawn",
        offerId: command.offerId,
        by: command.by,
        provenance,
      }
    case "RatifyAgreement":
      return {
        schemaVersion: v,
        type: "AgreementRatified",
        offerId: command.offerId,
        by: command.by,
        provenance,
      }
    case "StatePosition":
      return optional(
        {
          schemaVersion: v,
          type: "PositionStated",
          by: command.by,
          demands: command.demands,
          provenance,
        },
        "statement",
        command.statement,
      )
    case "WalkOut":
      return optional(
        optional(
          { schemaVersion: v, type: "PartyWalkedOut", by: command.by, provenance },
          "reason",
          command.reason,
        ),
        "message",
        command.message,
      )
    case "SuspendTalks":
      return optional(
        optional({ schemaVersion: v, type: "TalksSuspended", provenance }, "by", command.by),
        "reason",
        command.reason,
      )
    case "ResumeTalks":
      return optional({ schemaVersion: v, type: "TalksResumed", provenance }, "by", command.by)
    case "DeclareDeadlinePassed":
      return { schemaVersion: v, type: "DeadlinePassed" }
  }
}

/**
 * Decides what a command does to a negotiation: the events to record, or the
 * rule that refuses it. A refused command records nothing.
 */
export const decide = (
  command: NegotiationCommand,
  state: State,
): Either.Either<ReadonlyArray<NegotiationEvent>, Rejection> => {
  const decided = decideEvent(command, state)
  return isRejection(decided) ? Either.left(decided) : Either.right([decided])
}

/**
 * {@link decide} for callers that record every event at once (the command
 * handler): the one event every command records, or the rule that refuses
 * it, without the list and the `Either` around them.
 */
export const decideEvent = (
  command: NegotiationCommand,
  state: State,
): NegotiationEvent | Rejection => {
  const event = eventFor(command, state)
  return check(state, event, command.at) ?? event
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

/** The decider, as one value: `{ initialState, decide, evolve }`. */
export const decider = { initialState, decide, evolve } as const
