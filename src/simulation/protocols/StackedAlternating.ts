/**
 * Stacked alternating offers: multilateral, the parties take turns in order,
 * each accepting the offer on the table or countering it; every party that
 * must accept has to (the rules' `mustAccept`). Played as alternating talks
 * among any number of parties.
 *
 * @since 0.4.0
 */
import { alternatingTalks } from "./Alternating.ts"
import type { ProtocolPlay } from "./Talks.ts"

/** `stacked-alternating`: multilateral alternating offers (declared in `scenario/Protocols.ts`). */
export const stackedAlternating: ProtocolPlay<"stacked-alternating"> = {
  kind: "stacked-alternating",
  talks: alternatingTalks,
}
