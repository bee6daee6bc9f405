/**
 * The commands the fault suites drive (an opening between two principals,
 * then numbered offers), and raw reads of a JetStream stream that bypass the
 * adapter, so a test can count what the server really holds.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import type { NegotiationCommand } from "../../../src/domain/Command.ts"
import type { Instant } from "../../../src/domain/Event.ts"
import type { IssueId, NegotiationId, OfferId, PartyId } from "../../../src/domain/Ids.ts"
import type { Terms } from "../../../src/domain/Issue.ts"

// Not DomainGiven: that module imports vitest, and the driver processes run outside it.
const AT = "2025-04-22T10:40:00.000Z" as Instant
const A = "A" as PartyId
const B = "B" as PartyId

/** Opens `id`: principals A and B (both must accept), a mediator; two issues. */
export const opening = (id: string): NegotiationCommand => ({
  type: "OpenNegotiation",
  at: AT,
  negotiationId: id as NegotiationId,
  title: "Fault-injection talks",
  parties: [
    { id: A, name: "Alphaland", role: "principal" },
    { id: B, name: "Betastan", role: "principal" },
    { id: "M" as PartyId, name: "Mediator", role: "mediator" },
  ],
  issues: [
    { kind: "discrete", id: "border" as IssueId, options: ["line", "river", "hills"] },
    { kind: "integer", id: "troops" as IssueId, min: 0, max: 10_000 },
  ],
  rules: { mustAccept: [A, B], mustRatify: [], partialAgreements: false },
})

/** The `k`-th offer: A and B take turns; offer ids are unique per `tag`. */
export const offer = (tag: string, k: number): NegotiationCommand => ({
  type: "MakeOffer",
  at: AT,
  offerId: `${tag}-${k}` as OfferId,
  by: k % 2 === 0 ? A : B,
  terms: { border: "line", troops: k % 10_000 } as unknown as Terms,
})

/** One message of a stream as the server holds it. */
export interface RawMessage {
  readonly seq: number
  readonly subject: string
  readonly data: Uint8Array
}

/** Every message of `stream`, read with an ordered consumer (no adapter involved). */
export const rawMessages = async (
  url: string,
  stream: string,
  options: { readonly nc?: NatsConnection } = {},
): Promise<Array<RawMessage>> => {
  const nc = options.nc ?? (await connect({ servers: url }))
  try {
    const jsm = await jetstreamManager(nc)
    const info = await jsm.streams.info(stream)
    const last = info.state.last_seq
    const out: Array<RawMessage> = []
    if (info.state.messages === 0) return out
    const consumer = await jetstream(nc).consumers.get(stream)
    const messages = await consumer.consume({ max_messages: 1000 })
    for await (const m of messages) {
      out.push({ seq: m.seq, subject: m.subject, data: m.data })
      if (m.seq >= last) break
    }
    return out
  } finally {
    if (options.nc === undefined) await nc.close()
  }
}

/** How many times each event id appears in the stream's commits (unreadable messages skipped). */
export const eventIdCounts = (messages: ReadonlyArray<RawMessage>) => {
  const counts = new Map<string, number>()
  const text = new TextDecoder()
  for (const m of messages) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text.decode(m.data))
    } catch {
      continue
    }
    if (!Array.isArray(parsed)) continue
    for (const e of parsed) {
      const id = (e as { eventId?: unknown }).eventId
      if (typeof id === "string") counts.set(id, (counts.get(id) ?? 0) + 1)
    }
  }
  return counts
}
