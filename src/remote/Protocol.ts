/**
 * The wire contract between the runner and a remote agent: on a party's turn
 * the runner sends an {@link AgentTurn} as the JSON body of a NATS request on
 * the agent's subject; the reply's JSON body is an {@link AgentMove} (or, when
 * the turn asks for a ratification, an {@link AgentRatification}). These
 * Schemas are the ones `parley schema turn|move` print, the AsyncAPI document
 * embeds and the runner decodes replies with; nothing else describes them.
 *
 * @since 0.3.0
 */
import { Either, JSONSchema, Schema } from "effect"
import { Preferences } from "../analysis/Preferences.ts"
import { messageOf } from "../domain/Errors.ts"
import { PartyId } from "../domain/Ids.ts"
import { Offer, StateView, Version } from "../domain/View.ts"
import { answerMoves, answerMoveTypes, type Move } from "../simulation/Move.ts"
import { describeParseError } from "../store/Codec.ts"

/** Free text, at most 2000 characters (a message rides on an event in the log). */
const Text = Schema.String.pipe(Schema.maxLength(2000))

/** What another party said with a move since the agent's previous turn. */
export const HeardMessage = Schema.Struct({
  party: PartyId,
  round: Version,
  move: Schema.Literal(...answerMoveTypes),
  message: Schema.String,
}).annotations({ identifier: "HeardMessage" })

/** A party's turn as a remote agent receives it (the JSON body of the request). */
export const AgentTurn = Schema.Struct({
  ask: Schema.Literal("move", "ratify").annotations({
    description:
      "move: reply with an AgentMove; ratify: the rules ask it to ratify the accepted offer in onTable, reply with an AgentRatification",
  }),
  negotiationId: Schema.String,
  party: PartyId,
  round: Version.annotations({ description: "the simulated round, from 0" }),
  rounds: Schema.optional(
    Schema.Int.pipe(Schema.positive()).annotations({
      description:
        "how many simulated rounds the deadline allows (absent when the scenario hides the deadline)",
    }),
  ),
  time: Schema.Number.pipe(Schema.between(0, 1)).annotations({
    description:
      "its own normalised time: the time of this move on the discrete timeline, every move one step, the deadline at 1",
  }),
  last: Schema.optional(
    Schema.Boolean.annotations({
      description: "whether this is its last turn (absent when the scenario hides the deadline)",
    }),
  ),
  onTable: Schema.NullOr(Offer).annotations({
    description: "the offer it must answer (or, for ratify, the accepted offer), or null",
  }),
  state: StateView.annotations({ description: "the public state, as parley schema state" }),
  preferences: Schema.NullOr(Preferences).annotations({
    description: "its own preferences (null when the scenario gives them as code)",
  }),
  reservation: Schema.Number.annotations({
    description: "its reservation value (undiscounted utility of no agreement)",
  }),
  discount: Schema.Number.annotations({
    description: "its discount factor per unit of normalised time (1: none)",
  }),
  messages: Schema.Array(HeardMessage).annotations({
    description: "what the other parties said with their moves since its previous turn",
  }),
}).annotations({ identifier: "AgentTurn", title: "parley agent turn" })
/** A turn on the wire. */
export type AgentTurn = typeof AgentTurn.Encoded

/** The moves a remote agent may reply with, from the move vocabulary: free text is the wire's {@link Text}. */
const moves = answerMoves(
  Text.annotations({ description: "free text for the other parties, recorded on the event" }),
  Text,
)

/** The move a remote agent replies with: the runner's move type. */
export const AgentMove = Schema.Union(
  moves.accept.annotations({ description: "accept the offer on the table" }),
  moves.offer.annotations({
    description: "reject the offer on the table (if any) and propose these terms",
  }),
  moves.reject,
  moves["walk-out"],
).annotations({ identifier: "AgentMove", title: "parley agent move" })
/** A decoded move. */
export type AgentMove = typeof AgentMove.Type

/**
 * The part of a move that crosses the wire, either way: its type, an offer's
 * `terms`, a rejection's or walk-out's `reason` and the `message`; nothing
 * else (a move's metadata stays with whoever made it). An {@link AgentMove}
 * is a runner's move, so the runner plays a reply through this as it is, and
 * a served agent sends its strategy's move through it. A served agent answers
 * offers and never reports one, so it has no offer of its own to confirm or
 * deny: such a move goes out as a rejection.
 */
export const wireMove = (move: Move): AgentMove => {
  const words = move.message === undefined ? {} : { message: move.message }
  switch (move.type) {
    case "accept":
      return { type: "accept", ...words }
    case "offer":
      return { type: "offer", terms: move.terms, ...words }
    case "reject":
    case "walk-out":
      return {
        type: move.type,
        ...(move.reason === undefined ? {} : { reason: move.reason }),
        ...words,
      }
    case "confirm":
    case "deny":
      return { type: "reject", ...words }
  }
}

/** The reply to a turn that asks for a ratification. */
export const AgentRatification = Schema.Struct({
  ratify: Schema.Boolean,
  message: moves.accept.fields.message,
}).annotations({
  identifier: "AgentRatification",
  title: "parley agent ratification",
})
/** A decoded ratification. */
export type AgentRatification = typeof AgentRatification.Type

/** The JSON Schema of a turn (`parley schema turn`). */
export const turnJsonSchema = (): JSONSchema.JsonSchema7Root => JSONSchema.make(AgentTurn)

/** The JSON Schema of a reply: a move or a ratification (`parley schema move`). */
export const moveJsonSchema = (): JSONSchema.JsonSchema7Root =>
  JSONSchema.make(
    Schema.Union(AgentMove, AgentRatification).annotations({
      identifier: "AgentReply",
      title: "parley agent reply",
    }),
  )

/** Parses a reply body with `schema`; the problem (not JSON, or the first schema issue with its path) if it is not one. */
export const decodeReply = <A, I>(
  schema: Schema.Schema<A, I>,
  text: string,
): Either.Either<A, string> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return Either.left(`the reply is not JSON (${messageOf(e)})`)
  }
  return Either.mapLeft(
    Schema.decodeUnknownEither(schema, { errors: "first" })(value),
    (e) => `the reply does not match the schema (${describeParseError(e)})`,
  )
}
