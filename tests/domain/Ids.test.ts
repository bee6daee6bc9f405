import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { EventEnvelope, Metadata } from "../../src/domain/Event.ts"
import { IssueId, isToken, PartyId } from "../../src/domain/Ids.ts"
import { Issue } from "../../src/domain/Issue.ts"
import { decode, encode } from "../../src/store/Codec.ts"

describe("ids", () => {
  it("are subject-safe tokens", () => {
    for (const bad of ["", "a.b", "a*", ">", "a b", "x".repeat(65)]) {
      expect(Either.isLeft(Schema.decodeUnknownEither(PartyId)(bad))).toBe(true)
      expect(isToken(bad)).toBe(false)
    }
    expect(Schema.decodeUnknownSync(PartyId)("Alpha_land-2")).toBe("Alpha_land-2")
  })

  it("__proto__ is not an id: as a key of terms it would be lost or replace the object's prototype", () => {
    // Schema decoding of a record drops an own "__proto__" key, and assigning one sets the
    // prototype instead (as the decider does when it records partial agreements).
    expect(Either.isLeft(Schema.decodeUnknownEither(IssueId)("__proto__"))).toBe(true)
    expect(isToken("__proto__")).toBe(false)
    const issue = { kind: "integer", id: "__proto__", min: 0, max: 1 }
    expect(Either.isLeft(Schema.decodeUnknownEither(Issue)(issue))).toBe(true)
    expect(Schema.decodeUnknownSync(IssueId)("__proto__x")).toBe("__proto__x")
  })
})

describe("metadata", () => {
  it("holds only numbers JSON can write: NaN and infinities would come back as null", () => {
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(Schema.is(Metadata)({ seed: n })).toBe(false)
    const envelope = {
      eventId: "e1",
      negotiationId: "n1",
      version: 1,
      occurredAt: "2025-01-01T00:00:00.000Z",
      metadata: { seed: 42, strategy: "boulware", live: true },
      event: { type: "DeadlinePassed", schemaVersion: 1 },
    } as unknown as EventEnvelope
    expect(Schema.is(EventEnvelope)(envelope)).toBe(true)
    expect(decode(encode(envelope), "here")).toEqual(Either.right(envelope))
  })
})
