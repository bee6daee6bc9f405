/**
 * A realistic, deterministic event workload for benchmarks: many bilateral
 * negotiations with a mediator, position statements, offers and counter-
 * offers, rejections, reported offers confirmed or denied, suspensions, and
 * endings by agreement with ratification, walk-out or deadline. Every event
 * is produced by the decider, so the log is valid.
 */
import { Either } from "effect"
import { pendingEvents } from "../../src/app/CommandHandler.ts"
import type { NegotiationCommand } from "../../src/domain/Command.ts"
import type { EventEnvelope, Instant } from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { decide, evolve, initialState, type State } from "../../src/domain/Negotiation.ts"
import { mulberry32 } from "../../src/simulation/Random.ts"

const T0 = Date.UTC(2025, 0, 1)

/** One negotiation of about `length` events. */
export const negotiation = (
  index: number,
  length: number,
  random: () => number,
): Array<EventEnvelope> => {
  const id = `n${index}` as NegotiationId
  let state: State = initialState
  let clock = T0 + index * 1000
  const out: Array<EventEnvelope> = []
  const run = (command: Record<string, unknown>) => {
    clock += 60_000
    const at = new Date(clock).toISOString() as Instant
    const decided = decide({ ...command, at } as NegotiationCommand, state)
    if (Either.isLeft(decided)) return false
    const pending = pendingEvents(id, state, decided.right, at)
    for (const [i, p] of pending.entries()) {
      const envelope: EventEnvelope = { ...p, negotiationId: id, version: state.version + i + 1 }
      state = Either.getOrThrow(evolve(state, envelope))
      out.push(envelope)
    }
    return true
  }
  run({
    type: "OpenNegotiation",
    negotiationId: id,
    title: `Benchmark negotiation ${index}`,
    parties: [
      { id: "buyer", name: "Buyer", role: "principal" },
      { id: "seller", name: "Seller", role: "principal" },
      { id: "mediator", name: "Mediator", role: "mediator" },
    ],
    issues: [
      { kind: "integer", id: "price", min: 0, max: 1000 },
      { kind: "discrete", id: "delivery", options: ["1w", "2w", "4w"] },
      { kind: "real", id: "warranty", min: 0, max: 5 },
    ],
    rules: {
      mustAccept: ["buyer", "seller"],
      mustRatify: ["buyer", "seller"],
      partialAgreements: false,
    },
  })
  const parties = ["buyer", "seller"] as const
  let offer = 0
  let last: string | undefined
  while (out.length < length - 4) {
    const by = parties[offer % 2]!
    const other = parties[(offer + 1) % 2]!
    const r = random()
    if (r < 0.08) {
      run({ type: "StatePosition", by, demands: { price: Math.floor(random() * 1000) } })
      continue
    }
    if (r < 0.1) {
      run({ type: "SuspendTalks", by, reason: "consultations" })
      run({ type: "ResumeTalks", by })
      continue
    }
    const offerId = `o${offer++}`
    const reported = random() < 0.1
    run({
      type: "MakeOffer",
      offerId,
      by,
      terms: {
        price: Math.floor(random() * 1000),
        delivery: ["1w", "2w", "4w"][Math.floor(random() * 3)],
        warranty: Math.round(random() * 50) / 10,
      },
      ...(last === undefined ? {} : { inReplyTo: last }),
      ...(reported
        ? { provenance: { status: "reported", sources: [{ reportedBy: "press" }] } }
        : {}),
    })
    if (reported) run({ type: random() < 0.7 ? "ConfirmOffer" : "DenyOffer", offerId, by })
    run({ type: "RejectOffer", offerId, by: other, reason: "not enough" })
    last = offerId
  }
  const ending = random()
  if (ending < 0.6) {
    const offerId = `o${offer}`
    run({
      type: "MakeOffer",
      offerId,
      by: "mediator",
      to: ["buyer", "seller"],
      terms: { price: 500, delivery: "2w", warranty: 2.5 },
    })
    run({ type: "AcceptOffer", offerId, by: "buyer" })
    run({ type: "AcceptOffer", offerId, by: "seller" })
    run({ type: "RatifyAgreement", offerId, by: "buyer" })
    run({ type: "RatifyAgreement", offerId, by: "seller" })
  } else if (ending < 0.8) run({ type: "WalkOut", by: "seller", reason: "no deal" })
  return out
}

/** `count` negotiations of about `length` events each (seeded). */
export const workload = (count: number, length: number, seed = 1): Array<Array<EventEnvelope>> => {
  const random = mulberry32(seed)
  return Array.from({ length: count }, (_, i) => negotiation(i, length, random))
}
