/**
 * The move vocabulary: every kind of move a party may make on its turn, with
 * the fields each carries, declared once as Schemas. The runner's `Move` type
 * is derived from them, and so are the moves made outside the runner — a
 * remote agent's reply (`remote/Protocol.ts`) and a person's at a seat
 * (`human/Seat.ts`) — which carry the answer moves' wire fields only.
 *
 * @since 0.4.0
 */
import { Schema } from "effect"
import { Criticism, Metadata, Verdict } from "../domain/Event.ts"
import { OfferId } from "../domain/Ids.ts"
import { Terms } from "../domain/Issue.ts"

/**
 * What an answer to a mediator's text may say besides yes or no (recorded on
 * the answer); the runner fills in what a move leaves out with the party's
 * honest judgement (`mediation/Judgement.ts`).
 */
const judgedFields = {
  verdict: Schema.optional(Verdict),
  criticism: Schema.optional(Schema.Array(Criticism)),
}

/** Each kind of move's own fields. */
export const moveFields = {
  /** Accept the offer on the table; `rule` names the acceptance condition that fired (shown in the timeline). */
  accept: { rule: Schema.optional(Schema.String), ...judgedFields },
  /**
   * Reject the offer on the table (if any) and propose these terms; a
   * mediator names the `currentText` its text would replace.
   */
  offer: { terms: Terms, currentText: Schema.optional(OfferId) },
  /** Reject the offer on the table without proposing anything. */
  reject: { reason: Schema.optional(Schema.String), ...judgedFields },
  /** Leave the negotiation. */
  "walk-out": { reason: Schema.optional(Schema.String) },
  /** As its maker, confirm an offer of its own that was only reported (this is the turn's move). */
  confirm: { offerId: OfferId },
  /** As its maker, deny an offer of its own that was only reported (this is the turn's move). */
  deny: { offerId: OfferId, statement: Schema.optional(Schema.String) },
} as const

/** Every kind of move. */
export type MoveType = keyof typeof moveFields

/**
 * What any move may carry: `metadata`, recorded on the events it causes (say,
 * why a remote agent's fallback moved, or that a person made the move; the
 * runner's own keys `source`, `strategy`, `round` win over a move's), and
 * free text sent with it (as the human-agent league's agents and LLM
 * negotiators talk): recorded on the event, shown in the timeline, passed to
 * the other parties' next turns.
 */
const anyMoveFields = {
  metadata: Schema.optional(Metadata),
  message: Schema.optional(Schema.String),
}

/** What a party does on its turn. */
export const Move = Schema.Union(
  Schema.Struct({ type: Schema.Literal("accept"), ...moveFields.accept, ...anyMoveFields }),
  Schema.Struct({ type: Schema.Literal("offer"), ...moveFields.offer, ...anyMoveFields }),
  Schema.Struct({ type: Schema.Literal("reject"), ...moveFields.reject, ...anyMoveFields }),
  Schema.Struct({ type: Schema.Literal("walk-out"), ...moveFields["walk-out"], ...anyMoveFields }),
  Schema.Struct({ type: Schema.Literal("confirm"), ...moveFields.confirm, ...anyMoveFields }),
  Schema.Struct({ type: Schema.Literal("deny"), ...moveFields.deny, ...anyMoveFields }),
)
export type Move = typeof Move.Type

/** What an answer to a mediator's text may say besides yes or no. */
export interface Judged {
  readonly verdict?: Verdict | undefined
  readonly criticism?: ReadonlyArray<Criticism> | undefined
}

/**
 * The moves made outside the runner (a remote agent's, a person's), in the
 * order the others hear of them: a principal's confirm or deny of its own
 * reported offer is the runner's alone.
 */
export const answerMoveTypes = [
  "offer",
  "accept",
  "reject",
  "walk-out",
] as const satisfies ReadonlyArray<MoveType>
export type AnswerMoveType = (typeof answerMoveTypes)[number]

/**
 * The Schemas of the moves made outside the runner, one per kind: its type,
 * an offer's `terms`, a rejection's or walk-out's `reason` and the `message`
 * (given as the caller's Schemas: each channel bounds free text its own
 * way); nothing else crosses (a move's metadata stays with whoever made it).
 */
export const answerMoves = <Message extends Schema.Schema.Any, Reason extends Schema.Schema.Any>(
  message: Message,
  reason: Reason,
) => {
  const words = { message: Schema.optional(message) }
  return {
    accept: Schema.Struct({ type: Schema.Literal("accept"), ...words }),
    offer: Schema.Struct({
      type: Schema.Literal("offer"),
      terms: moveFields.offer.terms,
      ...words,
    }),
    reject: Schema.Struct({
      type: Schema.Literal("reject"),
      reason: Schema.optional(reason),
      ...words,
    }),
    "walk-out": Schema.Struct({
      type: Schema.Literal("walk-out"),
      reason: Schema.optional(reason),
      ...words,
    }),
  } satisfies Record<AnswerMoveType, Schema.Schema.Any>
}
