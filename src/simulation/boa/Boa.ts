/**
 * The BOA architecture (Baarslag, Hindriks, Hendrikx, Dirkzwager & Jonker,
 * "Decoupling negotiating agents to explore the space of negotiation
 * strategies", Novel Insights in Agent-based Complex Automated Negotiation,
 * Springer 2014; the `boaframework` package of GENIUS): a negotiating agent
 * is composed of
 *
 * - an **offering strategy** (B): which bid to make this turn;
 * - an **opponent model** (O): what the opponent is estimated to value,
 *   learnt from its bids; the offering strategy may use it to choose, among
 *   bids of about the same own utility, the one the opponent likes most (the
 *   "opponent model strategy" of the paper);
 * - an **acceptance condition** (A): whether to accept the opponent's bid,
 *   given what the offering strategy would bid next.
 *
 * {@link boaPlayer} plays a party from the three components. The built-in
 * conceding strategies (time-dependent, tit-for-tat, red-line Boulware) are
 * BOA agents; scenario files compose their own with `{ kind: "boa", offering,
 * model, acceptance }`.
 *
 * What parley adds to GENIUS's loop, and why:
 *
 * - **The public record anchors the agent.** Offers a party made in the
 *   scripted timeline (the real moves before simulation) are its history: it
 *   accepts a proposal at least as good for it as one it made itself in public
 *   (rule `AC_own-public-offer`), and an offering strategy may start its
 *   concession from its last public offer (`Session.anchor`). An offer its
 *   party denied never anchors; a reported, unconfirmed one anchors unless the
 *   scenario calls it cheap talk (`anchor: "confirmed"`).
 * - **Red lines and reservation value are hard.** Whatever the acceptance
 *   condition says, an offer crossing a red line or worth less than the
 *   reservation value is not accepted (`view.acceptable`): at the same moment
 *   the discount multiplies both sides equally, so `u * D(t) >= r * D(t)` is
 *   `u >= r`.
 * - **Mediators.** A principal answers a mediator's single text with accept or
 *   reject only.
 *
 * @since 0.2.0
 */
import type { PartyId } from "../../domain/Ids.ts"
import type { Terms } from "../../domain/Issue.ts"
import { findOffer, type Offer, offersInOrder, type State } from "../../domain/Negotiation.ts"
import { OwnPace, type Paced } from "../Pace.ts"
import type { Move, PartyView, Player, Turn } from "../Strategy.ts"
import { type Ladder, ladderOf } from "../strategies/Ladder.ts"

/** The accept move (shared: moves are never mutated). */
export const ACCEPT: Move = Object.freeze({ type: "accept" })
/** A reject move without a counter-offer (shared). */
export const REJECT: Move = Object.freeze({ type: "reject" })

/**
 * Whether an offer comes from a mediator, whose single text a principal
 * answers with accept or reject only (no counter-offer).
 */
export const fromMediator = (view: PartyView): ((offer: Offer) => boolean) => {
  const mediators = new Set<string>()
  for (const o of view.others) if (o.role === "mediator") mediators.add(o.party)
  if (mediators.size === 0) return () => false
  return (offer) => mediators.has(offer.by)
}

/** A bid as the components see it: its terms and what they are worth to this party. */
export interface Bid {
  readonly terms: Terms
  /** Who made it. */
  readonly by: PartyId
  /** This party's own undiscounted utility of the terms. */
  readonly utility: number
  /** Normalised time it was made at (0 for the scripted timeline). */
  readonly time: number
  /** Simulated round it was made in (-1 for the scripted timeline). */
  readonly round: number
}

/** A bid the offering strategy plans to make: terms and own utility. */
export interface Planned {
  readonly terms: Terms
  readonly utility: number
}

/** What a party has seen and done, oldest first. */
export interface History {
  /** Other parties' offers addressed to it (the scripted timeline's included). */
  readonly received: ReadonlyArray<Bid>
  /** Its own offers (the scripted timeline's included). */
  readonly sent: ReadonlyArray<Bid>
  /** How many of `sent` come from the scripted timeline (its public record). */
  readonly public: number
}

/**
 * An opponent model: learns from the opponents' bids and estimates their
 * preferences. Estimates are normalised like utilities, in [0, 1].
 */
export interface OpponentModel {
  /** Learns from one bid of an opponent (`bid.by`). */
  readonly update: (bid: Bid) => void
  /** The estimated utility of `terms` for `party` (default: the mean over the opponents it has seen). */
  readonly utility: (terms: Terms, party?: PartyId) => number
  /** The estimated issue weights of `party`, in `view.issues` order, summing to 1. */
  readonly weights: (party?: PartyId) => ReadonlyArray<number>
}

/** A kind of opponent model, as a spec names it. */
export interface OpponentModelKind {
  readonly name: string
  readonly init: (view: PartyView) => OpponentModel
}

/** What a component sees of its own party for the whole run. */
export interface Session {
  readonly view: PartyView
  /** Its outcomes, best first, red-lined ones left out (see `Ladder.ts`). */
  readonly ladder: Ladder
  readonly history: History
  /** Its opponent model, when it has one. */
  readonly model: OpponentModel | undefined
  /**
   * The own utility of its last credible public offer (scripted timeline), if
   * any: where a conceding offering strategy starts.
   */
  readonly anchor: number | undefined
  /** What it knows of the deadline this turn (shown, or estimated from its own clock: `Pace.ts`). */
  readonly paced: Paced
}

/** An offering strategy for one run. */
export interface Offering {
  /** The bid it would make this turn; `undefined` when nothing is left above its floor. */
  readonly next: (turn: Turn, session: Session) => Planned | undefined
}

/** A kind of offering strategy, as a spec names it. */
export interface OfferingKind {
  readonly name: string
  readonly init: (view: PartyView) => Offering
}

/** What an acceptance condition judges. */
export interface AcceptanceInput {
  readonly turn: Turn
  /** The opponent's bid on the table (already in `session.history.received`). */
  readonly offer: Bid
  /** What its offering strategy would bid instead (`undefined`: nothing left above its floor). */
  readonly next: Planned | undefined
  readonly session: Session
}

/** An acceptance condition for one run. */
export interface Acceptance {
  /** The name of the rule that accepts the offer (shown in the timeline), or `undefined` to go on. */
  readonly accepts: (input: AcceptanceInput) => string | undefined
}

/** A kind of acceptance condition, as a spec names it. */
export interface AcceptanceKind {
  readonly name: string
  readonly init: (view: PartyView) => Acceptance
}

/** Which of its own public (scripted-timeline) offers anchor a party. */
export type Anchoring =
  /** Every own public offer its party has not denied (default). */
  | "public"
  /** Only official or confirmed ones: a reported, unconfirmed offer is cheap talk. */
  | "confirmed"
  /** None: the agent ignores its public record. */
  | "none"

/** The three components of a BOA agent, and how its public record anchors it. */
export interface BoaParts {
  readonly offering: OfferingKind
  readonly model?: OpponentModelKind | undefined
  readonly acceptance: AcceptanceKind
  readonly anchoring?: Anchoring | undefined
  /** Terms it may accept at all (default `view.acceptable`: red lines and reservation value). */
  readonly acceptable?: ((terms: Terms) => boolean) | undefined
  /** The ladder to bid from (default: all its outcomes, `ladderOf(view)`). */
  readonly ladder?: Ladder | undefined
  /**
   * What it does with its own offers that were only reported (pending, never
   * confirmed) when its play begins: `leave` them (default), `confirm` them
   * or `deny` them, one per turn, before bidding on.
   */
  readonly reported?: ReportedOffers | undefined
}

/** What a party does with its own reported, unconfirmed offers. */
export type ReportedOffers = "leave" | "confirm" | "deny"

/** The name of a BOA agent: `boa(offering, model, acceptance)`. */
export const boaName = (parts: BoaParts): string =>
  `boa(${parts.offering.name}, ${parts.model?.name ?? "no model"}, ${parts.acceptance.name})`

/** Whether an offer can anchor its maker under `anchoring`. */
const credible = (offer: Offer, anchoring: Anchoring): boolean => {
  if (anchoring === "none" || offer.status === "denied") return false
  return anchoring === "public" || offer.confirmed
}

/**
 * A party's public record in `state` (the scripted timeline, before any
 * simulated move): its own credible offers and the offers addressed to it,
 * oldest first, as bids.
 */
export const publicRecord = (
  view: PartyView,
  state: State,
  anchoring: Anchoring,
): { readonly sent: Array<Bid>; readonly received: Array<Bid> } => {
  const sent: Array<Bid> = []
  const received: Array<Bid> = []
  for (const o of offersInOrder(state)) {
    if (!o.complete) continue
    const bid: Bid = {
      terms: o.terms,
      by: o.by,
      utility: view.utility(o.terms),
      time: 0,
      round: -1,
    }
    if (o.by === view.party) {
      if (credible(o, anchoring)) sent.push(bid)
    } else if (o.to.includes(view.party) && o.status !== "denied") received.push(bid)
  }
  return { sent, received }
}

/** The rule name of the public-record acceptance. */
export const AC_OWN_PUBLIC_OFFER = "AC_own-public-offer"

/**
 * A player composed of BOA components. On each turn it records the offer on
 * the table (and lets its model learn from it), asks its offering strategy
 * for its next bid, asks its acceptance condition whether the offer beats it,
 * and either accepts (naming the rule), rejects a mediator's text, offers its
 * bid, or walks out when nothing is left above its floor.
 */
export const boaPlayer = (view: PartyView, parts: BoaParts): Player => {
  const anchoring = parts.anchoring ?? "public"
  const ok = parts.acceptable ?? view.acceptable
  const offering = parts.offering.init(view)
  const acceptance = parts.acceptance.init(view)
  const model = parts.model?.init(view)
  const mediated = fromMediator(view)
  const sent: Array<Bid> = []
  const received: Array<Bid> = []
  const history = { sent, received, public: 0 }
  let anchor: number | undefined
  let lowestPublic = Number.POSITIVE_INFINITY
  const pace = new OwnPace()
  let paced: Paced = { last: false, turnsLeft: Number.POSITIVE_INFINITY, rounds: Infinity, next: 0 }
  const session: Session = {
    view,
    ladder: parts.ladder ?? ladderOf(view),
    history,
    model,
    get anchor() {
      return anchor
    },
    get paced() {
      return paced
    },
  }
  let started = false
  let lastSeen: Offer | undefined
  const reported = parts.reported ?? "leave"
  /** Its own reported, unconfirmed offers still pending (to confirm or deny, one a turn). */
  const unconfirmed = (state: State): Array<Offer> => {
    if (reported === "leave") return []
    const out: Array<Offer> = []
    for (const id of state.pending) {
      const o = findOffer(state, id)
      if (o !== undefined && o.by === view.party && !o.confirmed) out.push(o)
    }
    return out
  }
  return {
    move: (turn): Move => {
      paced = pace.see(turn)
      // Its own reported offers are confirmed or denied first (one a turn), so the record it reads after is final.
      if (!started) {
        const own = unconfirmed(turn.state)[0]
        if (own !== undefined)
          return reported === "confirm"
            ? { type: "confirm", offerId: own.offerId }
            : { type: "deny", offerId: own.offerId }
      }
      if (!started) {
        started = true
        const record = publicRecord(view, turn.state, anchoring)
        for (const b of record.received) {
          received.push(b)
          model?.update(b)
        }
        for (const b of record.sent) {
          sent.push(b)
          if (b.utility < lowestPublic) lowestPublic = b.utility
        }
        history.public = record.sent.length
        anchor = record.sent.at(-1)?.utility
      }
      const table = turn.onTable
      let offer: Bid | undefined
      if (table !== undefined) {
        if (table !== lastSeen) {
          lastSeen = table
          offer = {
            terms: table.terms,
            by: table.by,
            utility: view.utility(table.terms),
            time: turn.time,
            round: turn.round,
          }
          received.push(offer)
          model?.update(offer)
        } else offer = received.at(-1)
      }
      const next = offering.next(turn, session)
      if (table !== undefined && offer !== undefined && ok(table.terms)) {
        if (offer.utility >= lowestPublic) return { type: "accept", rule: AC_OWN_PUBLIC_OFFER }
        const rule = acceptance.accepts({ turn, offer, next, session })
        if (rule !== undefined) return { type: "accept", rule }
      }
      if (table !== undefined && mediated(table)) return REJECT
      if (next === undefined)
        return { type: "walk-out", reason: "no outcome meets its reservation value" }
      sent.push({
        terms: next.terms,
        by: view.party,
        utility: next.utility,
        time: turn.time,
        round: turn.round,
      })
      return { type: "offer", terms: next.terms }
    },
    ratify: (_turn, offer) => ok(offer.terms),
  }
}
