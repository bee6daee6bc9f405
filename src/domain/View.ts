/**
 * The public JSON view of a negotiation's state: what `parley replay --json`
 * prints and what other services receive. Plain JSON, stable field names,
 * offers in the order they were made.
 *
 * @since 0.1.0
 */

import type { Rules } from "./Event.ts"
import type { Issue } from "./Issue.ts"
import type {
  Agreement,
  Offer,
  PartialAgreement,
  PartyState,
  State,
  Status,
} from "./Negotiation.ts"
import { offersInOrder } from "./Negotiation.ts"

/** The JSON view of a negotiation's state. */
export interface StateView {
  readonly negotiationId: string | null
  readonly status: Status
  readonly version: number
  readonly round: number
  readonly title: string
  readonly description?: string
  readonly openedAt: string | null
  readonly updatedAt: string | null
  readonly endedBecause?: string
  readonly parties: ReadonlyArray<PartyState>
  readonly issues: ReadonlyArray<Issue>
  readonly rules: Rules
  readonly offers: ReadonlyArray<Offer>
  readonly pendingOffers: ReadonlyArray<string>
  readonly acceptedOffer: string | null
  readonly agreement: Agreement | null
  readonly partialAgreements: Readonly<Record<string, PartialAgreement>>
}

/** The JSON view of a state. `JSON.stringify` drops the fields that are `undefined`. */
export const toView = (state: State): StateView => ({
  negotiationId: state.negotiationId ?? null,
  status: state.status,
  version: state.version,
  round: state.round,
  title: state.title,
  ...(state.description === undefined ? {} : { description: state.description }),
  openedAt: state.openedAt ?? null,
  updatedAt: state.updatedAt ?? null,
  ...(state.endedBecause === undefined ? {} : { endedBecause: state.endedBecause }),
  parties: state.parties,
  issues: state.issues,
  rules: state.rules,
  offers: offersInOrder(state),
  pendingOffers: state.pending,
  acceptedOffer: state.acceptedOffer ?? null,
  agreement: state.agreement ?? null,
  partialAgreements: state.partialAgreements,
})
