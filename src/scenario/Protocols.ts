/**
 * How a scenario declares each protocol kind: the kinds a scenario may name,
 * each one's own `protocol` fields, what it must satisfy besides its Schema,
 * how many turns a round has and what it adds to the rules the talks open
 * with. How each kind is played is the simulation's (`simulation/protocols/`,
 * whose registry must play every kind declared here).
 *
 * A new protocol: its declaration here, its play's module and registry line
 * in `simulation/protocols/`, and its test.
 *
 * @since 0.4.0
 */
import { Schema } from "effect"
import type { Rules } from "../domain/Event.ts"
import { PartyId } from "../domain/Ids.ts"
import type { Protocol as ScenarioProtocol } from "./Scenario.ts"

/** A problem with a scenario's protocol, at the field path it concerns. */
export interface ProtocolProblem {
  readonly path: string
  readonly problem: string
}

/** A protocol kind as a scenario declares it. */
export interface ProtocolDeclaration<K extends string, F extends Schema.Struct.Fields> {
  readonly kind: K
  /** The scenario's `protocol` fields of this kind besides the common ones (single-text: `mediator`). */
  readonly fields: F
  /** What a scenario with this protocol must satisfy besides its Schema. */
  readonly check: (
    protocol: ScenarioProtocol,
    order: ReadonlyArray<PartyId>,
    parties: ReadonlySet<string>,
  ) => ProtocolProblem | undefined
  /** Turns per simulated round (the deadline allows `rounds` of them). */
  readonly turnsPerRound: (order: ReadonlyArray<PartyId>) => number
  /** What the talks' rules say besides the common ones. */
  readonly rules: (protocol: ScenarioProtocol) => Partial<Rules>
}

/** `alternating`: bilateral alternating offers. */
export const alternating: ProtocolDeclaration<"alternating", {}> = {
  kind: "alternating",
  fields: {},
  check: (_protocol, order) =>
    order.length === 2
      ? undefined
      : {
          path: "protocol.order",
          problem: `bilateral alternating offers need exactly 2 parties, got ${order.length}`,
        },
  turnsPerRound: (order) => order.length,
  rules: () => ({}),
}

/**
 * `stacked-alternating`: multilateral, parties take turns, each accepts the
 * offer on the table or counters; every required party must accept.
 */
export const stackedAlternating: ProtocolDeclaration<"stacked-alternating", {}> = {
  kind: "stacked-alternating",
  fields: {},
  check: () => undefined,
  turnsPerRound: (order) => order.length,
  rules: () => ({}),
}

/** The `single-text` protocol's own fields. */
const singleTextFields = {
  /** The mediator who proposes in `single-text`. */
  mediator: Schema.optional(PartyId),
  /**
   * How a text becomes the agreement: `first-accepted` (default), the first
   * text every party accepts; `final-text`, as NegMAS's `VetoSTMechanism`:
   * answers are votes, a text everyone votes for becomes the current text,
   * and the current text is put for agreement on the mediator's last turn.
   */
  settlement: Schema.optional(Schema.Literal("first-accepted", "final-text")),
  /**
   * Post-settlement settlement (Raiffa 1985, Negotiation Journal): after a
   * tentative agreement the mediator proposes Pareto improvements of it,
   * which every party may accept or refuse (default false).
   */
  postSettlement: Schema.optional(Schema.Boolean),
  /**
   * Who answers a principal's texts: `honest` (default), its honest
   * judgement (`mediation/Judgement.ts`), unless its strategy has an
   * `answer`; `strategies`, its strategy (its `answer`, else its `move`).
   */
  voters: Schema.optional(Schema.Literal("honest", "strategies")),
}

/** `single-text`: a mediator proposes a text each round, the parties accept or reject it. */
export const singleText: ProtocolDeclaration<"single-text", typeof singleTextFields> = {
  kind: "single-text",
  fields: singleTextFields,
  check: (protocol, _order, parties) =>
    protocol.mediator === undefined
      ? { path: "protocol.mediator", problem: "single-text needs a mediator" }
      : parties.has(protocol.mediator)
        ? undefined
        : { path: "protocol.mediator", problem: `unknown party "${protocol.mediator}"` },
  // The mediator's turn, then each party's.
  turnsPerRound: (order) => order.length + 1,
  // Mediated single-text talks ask every party about every text (see docs/MEDIATION.md).
  rules: () => ({ answers: "every-addressee" }),
}

/**
 * How the talks are run after the timeline:
 * - `alternating`: bilateral alternating offers;
 * - `stacked-alternating`: multilateral, parties take turns, each accepts the offer on the table or counters; every required party must accept;
 * - `single-text`: a mediator proposes a text each round, the parties accept or reject it.
 */
export const ProtocolKindName = Schema.Literal(
  alternating.kind,
  stackedAlternating.kind,
  singleText.kind,
)
export type ProtocolKindName = typeof ProtocolKindName.Type

/** Every protocol kind's declaration, by name. */
export const protocolDeclarations: {
  readonly [K in ProtocolKindName]: ProtocolDeclaration<K, Schema.Struct.Fields>
} = {
  alternating,
  "stacked-alternating": stackedAlternating,
  "single-text": singleText,
}

/**
 * The `protocol` fields every kind shares besides `rounds` and the clock:
 * `deadlineShown` (default true) says whether agents see the deadline (the
 * rounds it allows and whether a turn is their last) or, as GENIUS agents
 * under a timeline they only read, their own time alone.
 */
export const commonProtocolFields = {
  deadlineShown: Schema.optional(Schema.Boolean).annotations({
    description:
      "whether agents see the deadline (rounds, their last turn); false: they see their own time only",
  }),
}

/** The scenario's `protocol` fields that belong to one kind (each kind's own `fields`), and the common ones. */
export const protocolFields = {
  ...commonProtocolFields,
  ...alternating.fields,
  ...stackedAlternating.fields,
  ...singleText.fields,
}
