/**
 * A long negotiation built directly from events (no simulator): two parties
 * making offers in turn, a few answered, for as many versions as asked — a
 * history whose full state is megabytes.
 */
import { decidedEnvelope } from "../../../src/domain/Envelope.ts"
import type { EventEnvelope, Instant, NegotiationEvent } from "../../../src/domain/Event.ts"
import { official } from "../../../src/domain/Event.ts"
import type { IssueId, NegotiationId, OfferId, PartyId } from "../../../src/domain/Ids.ts"

const options = ["none", "some", "half", "most", "all"]

/** The envelopes of a negotiation `id` of `versions` versions (an opening, then offers; every 7th version a rejection). */
export const longNegotiation = (id: string, versions: number): ReadonlyArray<EventEnvelope> => {
  const out: Array<EventEnvelope> = []
  const start = Date.parse("2030-01-01T00:00:00.000Z")
  const push = (event: NegotiationEvent) => {
    const version = out.length + 1
    const at = new Date(start + version * 1000).toISOString() as Instant
    out.push(decidedEnvelope(id as NegotiationId, version, at, event, {}))
  }
  push({
    type: "NegotiationOpened",
    schemaVersion: 2,
    title: `A long haggle (${id})`,
    parties: [
      { id: "buyer" as PartyId, name: "Buyer", role: "principal" },
      { id: "seller" as PartyId, name: "Seller", role: "principal" },
    ],
    issues: ["price", "delivery", "warranty"].map((issue) => ({
      kind: "discrete" as const,
      id: issue as IssueId,
      label: issue,
      options,
    })),
    rules: {
      mustAccept: ["buyer" as PartyId, "seller" as PartyId],
      mustRatify: [],
      partialAgreements: false,
    },
  } as unknown as NegotiationEvent)
  let last: { id: OfferId; by: PartyId } | undefined
  for (let n = 1; out.length < versions; n++) {
    if (last !== undefined && n % 7 === 0) {
      push({
        type: "OfferRejected",
        schemaVersion: 1,
        offerId: last.id,
        by: (last.by === "buyer" ? "seller" : "buyer") as PartyId,
        provenance: official,
      } as NegotiationEvent)
      continue
    }
    const by = (n % 2 === 0 ? "buyer" : "seller") as PartyId
    const offerId = `o${n}` as OfferId
    push({
      type: "OfferMade",
      schemaVersion: 1,
      offerId,
      by,
      to: [(by === "buyer" ? "seller" : "buyer") as PartyId],
      terms: {
        price: options[n % 5]!,
        delivery: options[(n * 3) % 5]!,
        warranty: options[(n * 7) % 5]!,
      },
      provenance: official,
    } as NegotiationEvent)
    last = { id: offerId, by }
  }
  return out
}
