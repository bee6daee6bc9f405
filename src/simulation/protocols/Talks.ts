/**
 * How a protocol is played: for each run, who moves when (the turn order and
 * the first mover after a timeline or a branch), how a party's move is
 * gathered (its player's move, or an answer the protocol asks for) and what
 * a move may do. The runner (`simulation/Runner.ts`) plays any protocol
 * through this seam; the registry (`index.ts`) lists the plays. How a
 * scenario declares a protocol (its fields, checks, rules) is the scenario
 * layer's: `scenario/Protocols.ts`.
 *
 * @since 0.4.0
 */
import type { OutcomeSpace } from "../../analysis/OutcomeSpace.ts"
import type { PartyPreferences } from "../../analysis/Preferences.ts"
import type { PartyId } from "../../domain/Ids.ts"
import type { Issue, Terms } from "../../domain/Issue.ts"
import type { Offer, State } from "../../domain/Negotiation.ts"
import type { Protocol as ScenarioProtocol } from "../../scenario/Scenario.ts"
import type { AsyncPlayer, Judged, Move, Turn } from "../Strategy.ts"

/** What a protocol is given to play one run. */
export interface TalksContext {
  readonly protocol: ScenarioProtocol
  /** The scenario's turn order (its principals, or `protocol.order`). */
  readonly order: ReadonlyArray<PartyId>
  /** The state the simulation starts from (after the timeline, or a replayed branch). */
  readonly state: State
  readonly issues: ReadonlyArray<Issue>
  readonly space: OutcomeSpace
  readonly parties: ReadonlyArray<{
    readonly id: PartyId
    readonly preferences: PartyPreferences | undefined
    readonly utility: (terms: Terms) => number
  }>
}

/**
 * One run's talks under a protocol. Built once per run, and called on every
 * turn: its functions must not allocate on the way of a plain turn (Monte
 * Carlo plays thousands of runs a second).
 */
export interface Talks {
  /** Who takes turns, cycling without restarting each round. */
  readonly turnOrder: ReadonlyArray<PartyId>
  /** The index in {@link turnOrder} of the first simulated mover. */
  readonly first: number
  /**
   * How `party`'s move is gathered on its turn: its player's move, or an
   * answer the protocol asks for. A local strategy answers at once; a remote
   * agent or a person may return a promise.
   */
  readonly moveOf: (party: PartyId, player: AsyncPlayer, turn: Turn) => Move | PromiseLike<Move>
  /** What `party`'s turn shows it to answer (the turn's `onTable`), if anything. */
  readonly onTable: (state: State, party: PartyId) => Offer | undefined
  /** Whether an `offer` move of `party` proposes its terms (otherwise it only rejects the table). */
  readonly proposes: (party: PartyId) => boolean
  /** Whom `party`'s proposal is addressed to (`undefined`: the rules' default, every other party). */
  readonly addressees: (party: PartyId) => ReadonlyArray<PartyId> | undefined
  /** What an answer to `table` records besides yes or no (verdict and criticism), if the protocol asks for it. */
  readonly judged: (state: State, party: PartyId, move: Move, table: Offer) => Judged | undefined
}

/** How a protocol kind is played: one run's talks from the run's context. */
export interface ProtocolPlay<K extends string> {
  readonly kind: K
  readonly talks: (context: TalksContext) => Talks
}
