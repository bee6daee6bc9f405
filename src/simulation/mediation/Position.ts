/**
 * A principal's public position, as single-text mediators read it from the
 * public record.
 *
 * @since 0.3.0
 */
import { HashMap } from "effect"
import type { PartyId } from "../../domain/Ids.ts"
import type { Terms } from "../../domain/Issue.ts"
import type { Offer, State } from "../../domain/Negotiation.ts"

/**
 * A principal's public position: its stated demands, or else the terms of
 * the latest offer it made (reported offers included: they are public too).
 */
export const publicPosition = (state: State, party: PartyId): Terms => {
  const stated = state.parties.find((p) => p.id === party)?.position
  if (stated !== undefined) return stated.demands
  let latest: Offer | undefined
  for (const offer of HashMap.values(state.offers))
    if (offer.by === party && (latest === undefined || offer.version > latest.version))
      latest = offer
  return latest?.terms ?? ({} as Terms)
}
