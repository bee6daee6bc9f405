/**
 * What the rules ask of an opening, terms, a party, an offer or a criticism:
 * each question answered by the problem it finds, or `undefined`. With
 * `rules` (or `strict`) false, only what the structure of a history needs.
 * The per-event checks (`Events.ts`) are made of these.
 *
 * @since 0.1.0
 */
import type { Criticism, NegotiationOpened, Provenance, Rules } from "../Event.ts"
import type { IssueId, OfferId, PartyId } from "../Ids.ts"
import { issueProblem, type Terms, valueProblem } from "../Issue.ts"
import {
  InvalidTerms,
  NotAllowed,
  OfferNotPending,
  PartyAbsent,
  type Rejection,
  UnknownOffer,
  UnknownParty,
} from "../Rejection.ts"
import { findOffer, findParty, type Offer, type PartyState, type State } from "./State.ts"

/** What is wrong with an opening: its structure (ids unique, references declared), and with `rules`, the rules too. */
export const setupProblem = (e: NegotiationOpened, rules: boolean): string | undefined => {
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
export const termsProblem = (
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
export const presentParty = (
  state: State,
  id: PartyId,
  rules: boolean,
): UnknownParty | PartyAbsent | PartyState => {
  const party = findParty(state, id)
  if (party === undefined) return new UnknownParty({ party: id })
  if (rules && !party.present) return new PartyAbsent({ party: id })
  return party
}

/** The offer, which must exist and be pending. */
export const pendingOffer = (state: State, id: OfferId): UnknownOffer | OfferNotPending | Offer => {
  const offer = findOffer(state, id)
  if (offer === undefined) return new UnknownOffer({ offerId: id })
  if (offer.status !== "pending") return new OfferNotPending({ offerId: id, status: offer.status })
  return offer
}

/** Whether a value is a {@link Rejection} (an event has no `_tag`). */
export const isRejection = (x: unknown): x is Rejection =>
  typeof x === "object" && x !== null && "_tag" in x

/** Refuses a move made by report where only an official one counts. */
export const mustBeOfficial = (by: PartyId, provenance: Provenance, what: string) =>
  provenance.status === "official"
    ? undefined
    : new NotAllowed({
        party: by,
        problem: `can only ${what} officially; a report of it is not one`,
      })

/** What is wrong with a criticism: an issue that does not exist, or a value it cannot take. */
export const criticismProblem = (
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
