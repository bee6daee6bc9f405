/**
 * The protocols registry: how each protocol kind a scenario may declare
 * (`scenario/Protocols.ts`) is played, and the one place the runner looks a
 * scenario's `protocol.kind` up. Its type requires a play for every declared
 * kind.
 *
 * A new protocol: its declaration in `scenario/Protocols.ts`, its play's
 * module here and its line in {@link protocols}, and its test.
 *
 * @since 0.4.0
 */
import type { ProtocolKindName } from "../../scenario/Protocols.ts"
import { alternating } from "./Alternating.ts"
import { singleText } from "./SingleText.ts"
import { stackedAlternating } from "./StackedAlternating.ts"
import type { ProtocolPlay, Talks, TalksContext } from "./Talks.ts"

/** How every protocol kind is played, by name. */
export const protocols: { readonly [K in ProtocolKindName]: ProtocolPlay<K> } = {
  alternating,
  "stacked-alternating": stackedAlternating,
  "single-text": singleText,
}

/** One run's talks under the context's protocol. */
export const talksOf = (context: TalksContext): Talks =>
  protocols[context.protocol.kind].talks(context)

export type { ProtocolPlay, Talks, TalksContext } from "./Talks.ts"
