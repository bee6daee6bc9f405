/**
 * Upcasters: every older shape of an event type, and how to read it as the
 * next version, so that a log written by any earlier parley reads as today's
 * events. The codec (`src/store/Codec.ts`) applies them as it reads; nothing
 * behind it sees an older shape, and nothing on disk or in a stream is
 * rewritten.
 *
 * To change an event's shape: raise its version in `Event.ts`, move its old
 * Schema here, and add the step from the old version to the next. A step is
 * frozen once released: it reads exactly what that version wrote, and it does
 * not call code that may change later (it would then change old logs).
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import type { EventType, NegotiationOpened } from "./Event.ts"
import { Party, Rules } from "./Event.ts"
import { Issue } from "./Issue.ts"

/**
 * `NegotiationOpened` as schemaVersion 1 wrote it: when the talks expire was
 * two separate fields of `rules`, `deadline` (a moment) and `maxRounds`.
 */
export const NegotiationOpenedV1 = Schema.Struct({
  type: Schema.Literal("NegotiationOpened"),
  schemaVersion: Schema.Literal(1),
  title: Schema.String,
  description: Schema.optional(Schema.String),
  parties: Schema.Array(Party),
  issues: Schema.Array(Issue),
  rules: Rules,
}).annotations({ identifier: "NegotiationOpenedV1" })
export type NegotiationOpenedV1 = typeof NegotiationOpenedV1.Type

/** 1 → 2: `rules.deadline` and `rules.maxRounds` become one `rules.deadline: { at?, afterRounds? }`. */
const negotiationOpenedV2 = (e: NegotiationOpenedV1): NegotiationOpened => {
  const { deadline, maxRounds, ...rules } = e.rules
  const limit =
    deadline === undefined && maxRounds === undefined
      ? {}
      : {
          deadline: {
            ...(deadline === undefined ? {} : { at: deadline }),
            ...(maxRounds === undefined ? {} : { afterRounds: maxRounds }),
          },
        }
  return { ...e, schemaVersion: 2, rules: { ...rules, ...limit } }
}

/**
 * One step of an event type's history: reads version `from` (checked against
 * `schema`, the shape that version wrote) as version `from + 1`.
 */
export interface Step {
  readonly from: number
  readonly schema: Schema.Schema.AnyNoContext
  readonly up: (event: never) => unknown
}

const step = <A, I, B>(from: number, schema: Schema.Schema<A, I>, up: (event: A) => B): Step => ({
  from,
  schema,
  up,
})

/**
 * The steps of every event type that has changed, oldest first: `steps[i]`
 * reads version `i + 1`. An event type absent here has only ever had version 1.
 */
export const upcasters: { readonly [T in EventType]?: ReadonlyArray<Step> } = {
  NegotiationOpened: [step(1, NegotiationOpenedV1, negotiationOpenedV2)],
}
