/**
 * What the state feed publishes: the state view of `src/domain/View.ts` as
 * JSON (decoded and validated here for subscribers), the summary of every
 * negotiation, and the JSON Schemas `parley schema` prints.
 *
 * @since 0.1.0
 */
import { Either, JSONSchema, Schema } from "effect"
import { EventEnvelope, Instant } from "../domain/Event.ts"
import { NegotiationId } from "../domain/Ids.ts"
import { StateView, Status, Version } from "../domain/View.ts"
import { describeParseError } from "../store/Codec.ts"
import { excerpt, thrown } from "./Problems.ts"

export { StateView }

/** One negotiation in the summary: enough for a dashboard to discover and list it. */
export const SummaryEntry = Schema.Struct({
  negotiationId: NegotiationId,
  title: Schema.String,
  status: Status,
  version: Version,
  updatedAt: Schema.NullOr(Instant),
}).annotations({ identifier: "SummaryEntry" })
/** One negotiation in the summary. */
export type SummaryEntry = typeof SummaryEntry.Type

/**
 * Every negotiation the projector knows, with its status and version.
 * `position` is the log position the summary reflects: a summary with a
 * higher position is newer.
 */
export const Summary = Schema.Struct({
  position: Version,
  negotiations: Schema.Array(SummaryEntry),
}).annotations({ identifier: "Summary", title: "parley state summary" })
/** The summary, decoded. */
export type Summary = typeof Summary.Type

const decodeView = Schema.decodeUnknownEither(StateView, {
  errors: "first",
  onExcessProperty: "error",
})

/**
 * Parses and validates one published state payload; the problem (the first
 * schema issue, with its path, in a bounded excerpt) when it is not one —
 * never a throw, whatever the payload (nested 100,000 deep included). Excess fields are refused:
 * the view has no field this Schema does not know.
 */
export const decodeState = (text: string): Either.Either<StateView, string> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return Either.left(`not JSON (${thrown(e)})`)
  }
  try {
    return Either.mapLeft(decodeView(value), (e) => excerpt(describeParseError(e)))
  } catch (e) {
    // A value nested too deep for the decoder (or its error) to walk: named, never quoted.
    return Either.left(`cannot be decoded (${thrown(e)})`)
  }
}

/** The JSON Schema of a published state (draft-07, from {@link StateView}). */
export const stateJsonSchema = (): JSONSchema.JsonSchema7Root => JSONSchema.make(StateView)

/** The JSON Schema of a stored event envelope (a NATS commit is a JSON array of these). */
export const eventJsonSchema = (): JSONSchema.JsonSchema7Root => JSONSchema.make(EventEnvelope)
