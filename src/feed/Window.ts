/**
 * States of any length on the feed: a long negotiation's published state
 * lists only its latest offers, with the counts of all of them
 * (`StateView.window`), so that what the feed publishes, and what it holds
 * to publish it, stays bounded however long the negotiation runs. The full
 * history stays in the event log (`parley replay <id> --json`).
 *
 * A negotiation is cut once it has more than {@link OFFERS_SHOWN} offers:
 * the view lists the latest {@link OFFERS_SHOWN}, and besides them any
 * older offer the state still names (pending, accepted, agreed, settling an
 * issue), so that every offer id in the view resolves. Both feeds (NATS and
 * in-process) cut the same way, so a state is the same on either; the NATS
 * projector cuts further when a state would not fit in one message of the
 * server (see {@link fitView}).
 *
 * Each long negotiation keeps a {@link OfferTally}: the ids of its latest
 * offers and the counts by status and by party, updated per event from the
 * offers the event can have changed (the pending ones, the accepted one, the
 * one the event names) — never by walking every offer again.
 *
 * @since 0.5.0
 */
import { HashMap, Option } from "effect"
import type { EventEnvelope } from "../domain/Event.ts"
import type { OfferId } from "../domain/Ids.ts"
import { offersInOrder, type State } from "../domain/Negotiation.ts"
import { type Offer, type OfferWindow, type StateView, toView } from "../domain/View.ts"

/** How many of the latest offers a published state lists at most (besides those it still names). */
export const OFFERS_SHOWN = 100

type Status = keyof OfferWindow["byStatus"]

const noCounts = (): Record<Status, number> => ({
  pending: 0,
  accepted: 0,
  rejected: 0,
  withdrawn: 0,
  superseded: 0,
  expired: 0,
  denied: 0,
})

const offerIn = (state: State, id: OfferId): Offer | undefined =>
  Option.getOrUndefined(HashMap.get(state.offers, id))

/**
 * The running counts of one long negotiation's offers and the ids of its
 * latest ones, made from the state where it first passes
 * {@link OFFERS_SHOWN} offers and kept up event by event.
 */
export class OfferTally {
  /** Ids of the latest offers, oldest first; at most twice {@link OFFERS_SHOWN} (trimmed in bulk). */
  private readonly recent: Array<OfferId> = []
  readonly byStatus = noCounts()
  readonly byParty: Record<string, number> = {}
  private made = 0

  private constructor(private last: State) {}

  /** The tally of `state`, counted from all its offers (done once, when it passes the window). */
  static of(state: State): OfferTally {
    const tally = new OfferTally(state)
    for (const offer of offersInOrder(state)) tally.add(offer)
    return tally
  }

  private add(offer: Offer): void {
    this.made++
    this.byStatus[offer.status]++
    this.byParty[offer.by] = (this.byParty[offer.by] ?? 0) + 1
    this.recent.push(offer.offerId)
    if (this.recent.length >= 2 * OFFERS_SHOWN) this.recent.splice(0, OFFERS_SHOWN)
  }

  /**
   * Takes in the state after `envelope`. Only offers the event can change
   * are compared with the state before it: an offer's status changes only
   * when the event names it, or while it is pending or accepted.
   */
  observe(state: State, envelope: EventEnvelope): void {
    const before = this.last
    this.last = state
    const event = envelope.event as { readonly type: string; readonly offerId?: unknown }
    const changed = new Set<OfferId>(before.pending)
    for (const id of state.pending) changed.add(id)
    if (before.acceptedOffer !== undefined) changed.add(before.acceptedOffer)
    if (state.acceptedOffer !== undefined) changed.add(state.acceptedOffer)
    if (typeof event.offerId === "string") changed.add(event.offerId as OfferId)
    for (const id of changed) {
      const was = offerIn(before, id)
      const now = offerIn(state, id)
      if (now === undefined) continue
      if (was === undefined) this.add(now)
      else if (was.status !== now.status) {
        this.byStatus[was.status]--
        this.byStatus[now.status]++
      }
    }
  }

  /** How many offers it counted. */
  get offersMade(): number {
    return this.made
  }

  /** The ids of the latest `n` offers, oldest first. */
  latest(n: number): ReadonlyArray<OfferId> {
    return n <= 0 ? [] : this.recent.slice(-n)
  }
}

/** Per negotiation, the tally of those that passed the window; feed it every state, in order. */
export class Tallies {
  private readonly tallies = new Map<string, OfferTally>()

  /** Takes in the state of `id` after `envelope`. */
  observe(state: State, envelope: EventEnvelope): void {
    const id = state.negotiationId ?? ""
    const tally = this.tallies.get(id)
    if (tally !== undefined) tally.observe(state, envelope)
    else if (HashMap.size(state.offers) > OFFERS_SHOWN) this.tallies.set(id, OfferTally.of(state))
  }

  /** Forgets a negotiation (set aside: nothing more of it is published). */
  forget(negotiationId: string): void {
    this.tallies.delete(negotiationId)
  }

  /**
   * The view of `state` listing at most its latest `shown` offers (besides
   * those it still names); the whole view when it has no more offers than that.
   */
  view(state: State, shown = OFFERS_SHOWN): StateView {
    const id = state.negotiationId ?? ""
    let tally = this.tallies.get(id)
    if (tally === undefined) {
      if (HashMap.size(state.offers) <= shown) return toView(state)
      // Cut below the window (a state too large for a message): counted once, then kept up.
      tally = OfferTally.of(state)
      this.tallies.set(id, tally)
    }
    return tally.offersMade <= shown ? toView(state) : cutView(state, tally, shown)
  }
}

/** The view of `state` with only the latest `shown` offers and those the state names. */
const cutView = (state: State, tally: OfferTally, shown: number): StateView => {
  const ids = new Set<OfferId>(tally.latest(shown))
  for (const id of state.pending.slice(-OFFERS_SHOWN)) ids.add(id)
  if (state.acceptedOffer !== undefined) ids.add(state.acceptedOffer)
  if (state.agreement !== undefined) ids.add(state.agreement.offerId)
  for (const partial of Object.values(state.partialAgreements)) ids.add(partial.offerId)
  const offers: Array<Offer> = []
  for (const id of ids) {
    const offer = offerIn(state, id)
    if (offer !== undefined) offers.push(offer)
  }
  offers.sort((a, b) => a.version - b.version)
  return toView(state, {
    offers,
    window: {
      offersMade: tally.offersMade,
      offersShown: offers.length,
      offersOmitted: tally.offersMade - offers.length,
      byStatus: { ...tally.byStatus },
      byParty: { ...tally.byParty },
      history: "replay",
    },
  })
}

/** A state's JSON and its size in bytes. */
export interface Fitted {
  readonly json: string
  readonly bytes: number
  /** How many of the latest offers it lists (before those the state names). */
  readonly shown: number
}

/**
 * The JSON of `state`'s view in at most `limit` bytes: the window of
 * {@link OFFERS_SHOWN} offers, halved until it fits; `undefined` when even
 * a view with no offer but those the state names does not fit.
 */
export const fitView = (tallies: Tallies, state: State, limit: number): Fitted | undefined => {
  for (let shown = OFFERS_SHOWN; ; shown = Math.floor(shown / 2)) {
    const json = JSON.stringify(tallies.view(state, shown))
    // A UTF-16 length above the limit may still fit; one below it always does.
    const bytes = json.length * 3 <= limit ? json.length : Buffer.byteLength(json)
    if (bytes <= limit) return { json, bytes, shown }
    if (shown === 0) return undefined
  }
}
