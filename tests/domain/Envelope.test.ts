import { describe, expect, it } from "vitest"
import { forkEnvelopes } from "../../src/app/Fork.ts"
import { decidedEnvelope, eventIdFor, makeEnvelope, reRecorded } from "../../src/domain/Envelope.ts"
import type { EventEnvelope, PendingEvent } from "../../src/domain/Event.ts"
import type { EventId, NegotiationId } from "../../src/domain/Ids.ts"
import { envelopeOf } from "../../src/store/EventStore.ts"
import { A, NID, offered, opened, t } from "../support/DomainGiven.ts"

const BRANCH = "talks-fork-v2" as NegotiationId

describe("the envelope builder", () => {
  it("derives an event's id from where it goes and what it says, the same for a retry", () => {
    const id = eventIdFor(NID, 1, t(0), opened())
    expect(eventIdFor(NID, 1, t(0), opened())).toBe(id)
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    for (const other of [
      eventIdFor(BRANCH, 1, t(0), opened()),
      eventIdFor(NID, 2, t(0), opened()),
      eventIdFor(NID, 1, t(1), opened()),
      eventIdFor(NID, 1, t(0), offered("o1", A)),
    ])
      expect(other).not.toBe(id)
  })

  it("writes the fields in one canonical order, the optional ones only when set", () => {
    const bare = decidedEnvelope(NID, 1, t(0), opened(), {})
    expect(Object.keys(bare)).toEqual([
      "eventId",
      "negotiationId",
      "version",
      "occurredAt",
      "event",
    ])
    const full = decidedEnvelope(NID, 1, t(0), opened(), {
      metadata: { source: "scenario" },
      correlationId: "c",
      causationId: "k",
    })
    expect(Object.keys(full)).toEqual([
      "eventId",
      "negotiationId",
      "version",
      "occurredAt",
      "causationId",
      "correlationId",
      "metadata",
      "event",
    ])
    expect(full.eventId).toBe(eventIdFor(NID, 1, t(0), opened()))
  })

  it("is what the store numbers an appended event with", () => {
    const decided = decidedEnvelope(NID, 3, t(2), offered("o1", A), {
      metadata: { move: 1 },
      causationId: "k",
    })
    const { negotiationId: _n, version: _v, ...pending } = decided
    const stored = envelopeOf(pending as PendingEvent, NID, 3)
    expect(JSON.stringify(stored)).toBe(JSON.stringify(decided))
    expect(JSON.stringify(makeEnvelope("x" as EventId, NID, 3, t(2), offered("o1", A), {}))).toBe(
      JSON.stringify(
        envelopeOf({ eventId: "x" as EventId, occurredAt: t(2), event: offered("o1", A) }, NID, 3),
      ),
    )
  })

  it("copies a fork's recorded prefix as a run of the branch always has (new ids, forkedFrom, same versions)", () => {
    const recorded: ReadonlyArray<EventEnvelope> = [
      decidedEnvelope(NID, 1, t(0), opened(), { metadata: { source: "scenario" } }),
      decidedEnvelope(NID, 2, t(1), offered("o1", A), {
        metadata: { source: "timeline", move: 0 },
        causationId: "k",
        correlationId: "c",
      }),
    ]
    const fork = { events: recorded, from: `${NID}@2`, negotiationId: BRANCH }
    // The copy the runner made inline before the builder existed: the reference.
    const before = recorded.map((e) => ({
      eventId: eventIdFor(BRANCH, e.version, e.occurredAt, e.event),
      occurredAt: e.occurredAt,
      ...(e.causationId === undefined ? {} : { causationId: e.causationId }),
      ...(e.correlationId === undefined ? {} : { correlationId: e.correlationId }),
      metadata: { ...e.metadata, forkedFrom: fork.from },
      event: e.event,
    }))
    const copied = forkEnvelopes(fork, BRANCH)
    expect(copied.map((e, i) => JSON.stringify(envelopeOf(e, BRANCH, i + 1)))).toEqual(
      before.map((e, i) => JSON.stringify(envelopeOf(e, BRANCH, i + 1))),
    )
    expect(copied.map((e) => JSON.stringify(e))).toEqual(
      before.map((e, i) => JSON.stringify(envelopeOf(e, BRANCH, i + 1))),
    )
    expect(reRecorded(BRANCH, recorded[0]!, { forkedFrom: fork.from }).version).toBe(1)
  })
})
