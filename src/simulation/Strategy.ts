/**
 * The strategy interface: how an agent plays a party after the scripted
 * timeline. A strategy sees only the public state of the negotiation and its
 * own preferences; it never sees another party's utility.
 *
 * A {@link Strategy} is a recipe; for each run the runner calls `init` with
 * the party's private view and gets a {@link Player}, which may keep state of
 * its own in closures (the offers it has seen, its last target...). Players
 * must draw randomness only from `view.random`, so that a seed fixes a run.
 *
 * @since 0.1.0
 */
import type { OutcomeSpace } from "../analysis/OutcomeSpace.ts"
import {
  discountFactor,
  discountOf,
  discountPerRoundOf,
  type Moment,
  type PartyPreferences,
  reservationOf,
} from "../analysis/Preferences.ts"
import type { Metadata, Role } from "../domain/Event.ts"
import type { PartyId } from "../domain/Ids.ts"
import type { Issue, Terms } from "../domain/Issue.ts"
import type { Offer, State } from "../domain/Negotiation.ts"
import type { Move } from "./Move.ts"

/** What a party knows privately for a whole run. */
export interface PartyView {
  readonly party: PartyId
  readonly role: Role
  readonly issues: ReadonlyArray<Issue>
  /** Its own preferences, when the scenario gives them. */
  readonly preferences: PartyPreferences | undefined
  /** Its own undiscounted utility of full terms (0 everywhere without preferences). */
  readonly utility: (terms: Terms) => number
  /** Its reservation value (utility of no agreement), undiscounted. */
  readonly reservation: number
  /** Its GENIUS discount factor, per unit of normalised time (1: none). */
  readonly discount: number
  /** Its discount factor per simulated round (1: none; bargaining theory's). */
  readonly discountPerRound: number
  /**
   * The factor its utilities are multiplied by at a moment (a {@link Turn} is
   * one): `discount^time * discountPerRound^round`.
   */
  readonly discountAt: (at: Moment) => number
  /** Whether it could accept the terms at all: no red line crossed, utility at least the reservation. */
  readonly acceptable: (terms: Terms) => boolean
  /** The space of full outcomes (real issues discretised), shared by every party and run. */
  readonly space: OutcomeSpace
  /** This party's own seeded random numbers in [0, 1). */
  readonly random: () => number
  /** The other parties, with their roles (their preferences stay private). */
  readonly others: ReadonlyArray<{ readonly party: PartyId; readonly role: Role }>
}

/** What a party sees when it is its turn. */
export interface Turn {
  /** The public state: every event so far, the scripted timeline included. */
  readonly state: State
  /** The simulated round, from 0. */
  readonly round: number
  /**
   * How many simulated rounds the deadline allows; `undefined` when the
   * scenario hides the deadline from the agents (`protocol.deadlineShown:
   * false`): they see the time, not the last round (`Pace.ts` estimates it).
   */
  readonly rounds?: number | undefined
  /**
   * This party's own time in [0, 1): the time of this move on GENIUS's
   * discrete timeline (`Scores.moveTime`: every move, the mediator's
   * included, is one step, so the second mover of a round moves later than
   * the first; the deadline, `t = 1`, comes after the last move).
   */
  readonly time: number
  /**
   * Whether this is the party's last turn before the deadline (its final
   * chance to accept); `undefined` when the deadline is hidden.
   */
  readonly last?: boolean | undefined
  /** What the protocol shows this party to answer (`protocols/`): the latest pending offer addressed to it, if any. */
  readonly onTable: Offer | undefined
  /** What the other parties said with their moves since this party's previous turn (usually nothing). */
  readonly messages: ReadonlyArray<TurnMessage>
}

/** Free text a party sent with a move, as the others get it on their next turn. */
export interface TurnMessage {
  readonly party: PartyId
  /** The simulated round of the move. */
  readonly round: number
  /** The move it came with: `offer`, `accept`, `reject` or `walk-out`. */
  readonly move: string
  readonly message: string
}

/** What a party does on its turn: the move vocabulary (`Move.ts`). */
export type { Judged, Move } from "./Move.ts"

/**
 * A ratification with `metadata` recorded on the event it causes, as a move's
 * (say, that a person at the seat made it, or why a fallback answered).
 */
export interface Ratification {
  readonly ratify: boolean
  readonly metadata?: Metadata | undefined
}

/** One party's play in one run (a local strategy: it answers at once). */
export interface Player {
  readonly move: (turn: Turn) => Move
  /**
   * Whether to ratify an accepted agreement (when the rules require it).
   * Defaults to `view.acceptable(offer.terms)`.
   */
  readonly ratify?: ((turn: Turn, offer: Offer) => boolean) | undefined
  /**
   * How it answers a mediator's text in single-text talks (an accept or a
   * reject move). Without it, a party with preferences answers honestly
   * (`mediation/Judgement.ts`); one without answers with its `move`.
   */
  readonly answer?: ((turn: Turn, text: Offer) => Move) | undefined
}

/**
 * A party's play whose answers may take time (a remote agent, a person at
 * the table): it may return promises, which the runner awaits. Every
 * {@link Player} is one; local strategies pay nothing for it.
 */
export interface AsyncPlayer {
  readonly move: (turn: Turn) => Move | PromiseLike<Move>
  readonly ratify?:
    | ((turn: Turn, offer: Offer) => boolean | Ratification | PromiseLike<boolean | Ratification>)
    | undefined
  readonly answer?: ((turn: Turn, text: Offer) => Move | PromiseLike<Move>) | undefined
}

/** Whether a player's answer is still to come (a promise) rather than given at once. */
export const isPromiseLike = <A>(u: A | PromiseLike<A>): u is PromiseLike<A> =>
  typeof u === "object" && u !== null && typeof (u as { then?: unknown }).then === "function"

/** A way of playing a party (its players answer at once unless `P` says otherwise). */
export interface Strategy<P extends AsyncPlayer = Player> {
  /** A short name for timelines and summaries (`boulware`, `tit-for-tat`, ...). */
  readonly name: string
  readonly init: (view: PartyView) => P
}

/** What {@link partyView} needs; the rest of a {@link PartyView} is derived. */
export type PartyViewInput = Omit<
  PartyView,
  "reservation" | "discount" | "discountPerRound" | "discountAt"
>

/** A party's private view, its discounting and reservation value taken from its preferences. */
export const partyView = (input: PartyViewInput): PartyView => {
  const p = input.preferences
  const discount = p === undefined ? 1 : discountOf(p)
  const discountPerRound = p === undefined ? 1 : discountPerRoundOf(p)
  return {
    ...input,
    reservation: p === undefined ? 0 : reservationOf(p),
    discount,
    discountPerRound,
    discountAt:
      p === undefined || (discount === 1 && discountPerRound === 1)
        ? () => 1
        : (at) => discountFactor(p, at),
  }
}

/** Whether a value is a {@link Strategy} object (what a TypeScript scenario may give instead of a spec). */
export const isStrategy = (u: unknown): u is Strategy<AsyncPlayer> =>
  typeof u === "object" && u !== null && typeof (u as { init?: unknown }).init === "function"

/**
 * What `parley strategies` lists of a strategy kind: its spec `kind`, a
 * one-line summary and the reference it is implemented from. Its parameters
 * are read from its spec Schema (each field's `description` annotation).
 */
export interface StrategyInfo {
  readonly kind: string
  readonly summary: string
  /** The paper or competition description it follows (authors, title, venue, year). */
  readonly reference: string
}
