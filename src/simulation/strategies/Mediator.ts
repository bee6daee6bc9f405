/**
 * The `mediator` strategy: a single-text mediator by `method`, one of the
 * mediation methods registered in `mediation/Methods.ts` (the learning
 * mediators of `mediation/Mediators.ts`, the cycling baseline of
 * `mediation/Cycle.ts`), its first text optionally relaying terms it was
 * given.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { Terms } from "../../domain/Issue.ts"
import { offersInOrder } from "../../domain/Negotiation.ts"
import { type Method, mediationMethods } from "../mediation/Methods.ts"
import type { Strategy } from "../Strategy.ts"
import { strategyEntry } from "./Entry.ts"
import { described } from "./Parameters.ts"

export { cyclingMediator, rankCompromises } from "../mediation/Cycle.ts"
export { publicPosition } from "../mediation/Position.ts"

/**
 * The method a mediator spec asks for when it names none: Raiffa's single
 * negotiating text. It is the procedure mediators of international talks
 * used (Camp David), it learns from both sides' criticism every round, and
 * unlike the veto-based methods it can trade one side's gain against the
 * other's, where a veto mediator stops at the first text some party would
 * lose by leaving.
 */
export const DEFAULT_METHOD = "raiffa" as const satisfies Method

/** The `method` parameter: every registered method, named as its description lists them. */
const MethodParameter = described(
  Schema.Literal(
    ...(mediationMethods.map((m) => m.method) as unknown as readonly [Method, ...Array<Method>]),
  ),
  mediationMethods
    .map((m) =>
      m.method === DEFAULT_METHOD
        ? `${m.method} (default)`
        : m.note === undefined
          ? m.method
          : `${m.method} (${m.note})`,
    )
    .join(" | "),
)

/**
 * Mediator (single text), by `method` (see `mediation/Methods.ts`):
 * `raiffa` (the default: Raiffa's single negotiating text, revised from both
 * sides' criticism), `veto`, `hill-climbing`, `feedback`, or `cycle` (the
 * earlier cycling mediator, a baseline). `bias` weighs the mediator's own
 * preferences against the compromise.
 */
export const MediatorSpec = Schema.Struct({
  kind: Schema.Literal("mediator"),
  /** How it mediates (default `raiffa`, resolved when the strategy is made). */
  method: Schema.optionalWith(MethodParameter, { exact: true }),
  /** Weight of its own utility against the compromise (default 0: none). */
  bias: Schema.optionalWith(
    described(
      Schema.Number.pipe(Schema.between(0, 1)),
      "weight in [0, 1] of its own preferences against the compromise (default 0)",
    ),
    { exact: true },
  ),
  /** Its first text relays these terms (an offer made to it: `of` names it in the event's metadata). */
  relay: Schema.optionalWith(
    described(
      Schema.Struct({
        terms: Schema.Record({
          key: Schema.String,
          value: Schema.Union(Schema.String, Schema.Number),
        }),
        of: Schema.optional(Schema.String),
      }),
      "its first text: { terms, of? } (terms it was given to relay, and the offer they come from)",
    ),
    { exact: true },
  ),
  /** `cycle` only: when every text was tried, start over from the best (default) or walk out. */
  exhausted: Schema.optionalWith(
    described(Schema.Literal("start-over", "walk-out"), "cycle only: when every text was tried"),
    { default: () => "start-over" as const },
  ),
})
export type MediatorSpec = typeof MediatorSpec.Type

/** Each method's registry entry. */
const methodOf = new Map(mediationMethods.map((m) => [m.method, m] as const))

/** The mediator strategy (for a mediator party in the single-text protocol). */
export const mediator = (
  spec: MediatorSpec = { kind: "mediator", exhausted: "start-over" },
): Strategy => {
  const strategy = methodOf.get(spec.method ?? DEFAULT_METHOD)!.make(spec)
  return spec.relay === undefined ? strategy : relaying(strategy, spec.relay)
}

/**
 * A mediator whose first text relays terms it was given (an offer made to it,
 * as in shuttle diplomacy); then its method takes over, reading the relayed
 * text and the answers to it from the public record like any other text.
 */
const relaying = (method: Strategy, relay: NonNullable<MediatorSpec["relay"]>): Strategy => ({
  ...method,
  init: (view) => {
    const player = method.init(view)
    let relayed = false
    return {
      ...player,
      move: (turn) => {
        // Started mid-negotiation (a branch), it has relayed already if a text of its own is on record.
        if (!relayed && offersInOrder(turn.state).some((o) => o.by === view.party)) relayed = true
        if (relayed) return player.move(turn)
        relayed = true
        return {
          type: "offer",
          terms: relay.terms as Terms,
          ...(relay.of === undefined ? {} : { metadata: { relayed: relay.of } }),
        }
      },
    }
  },
})

/** Its registration (see `Registry.ts`). */
export const mediatorEntry = strategyEntry({
  specs: [MediatorSpec],
  make: mediator,
  about: [
    {
      kind: "mediator",
      summary:
        "Single-text mediator that learns from every answer: method raiffa (default; revises one text from both sides' criticism), veto, hill-climbing, feedback, or cycle (the earlier cycling baseline)",
      reference:
        "Raiffa, The Art and Science of Negotiation, Harvard UP 1982 (single negotiating text); Klein, Faratin, Sayama & Bar-Yam, Negotiating complex contracts, Group Decision and Negotiation 12(2), 2003 (hill-climbing); NegMAS VetoSTMechanism / HillClimbingSTMechanism; Aydoğan, Hindriks & Jonker, Multilateral mediated negotiation protocols with feedback, 2014 (GENIUS MediatorFeedbackBasedProtocol)",
    },
  ],
})
