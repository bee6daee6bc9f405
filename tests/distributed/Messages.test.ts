/**
 * The decoder of bus messages (`messageDecoder`): what it returns for a
 * message that is not JSON, one of the wrong shape, and one its own check
 * refuses — a typed error naming the subject, the sequence and the field.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { ItemClaim, ItemFailure, messageDecoder } from "../../src/distributed/Messages.ts"

const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value))

/** The error of a decoding that must fail. */
const leftOf = <A, E>(decoded: Either.Either<A, E>): E => {
  if (Either.isRight(decoded)) throw new Error(`decoded: ${JSON.stringify(decoded.right)}`)
  return decoded.left
}

describe("messageDecoder", () => {
  const claim = messageDecoder(ItemClaim)
  const subject = "parley.batches.mc-1.claim.3"

  it("decodes a well-formed message", () => {
    const value = { worker: "w", delivery: 2, at: "2026-01-01T00:00:00.000Z" }
    expect(claim(subject, 9, bytes(value))).toEqual(Either.right(value))
  })

  it("names the subject and sequence of a message that is not JSON", () => {
    const decoded = claim(subject, 9, bytes("{ nope"))
    const error = leftOf(decoded)
    expect(error._tag).toBe("MalformedMessage")
    expect({ subject: error.subject, seq: error.seq, field: error.field }).toEqual({
      subject,
      seq: 9,
      field: "",
    })
    expect(error.message).toContain(`${subject} (sequence 9): not JSON`)
  })

  it("names the field of a message of the wrong shape", () => {
    const decoded = claim(subject, 4, bytes({ worker: "w", delivery: 1.5, at: "now" }))
    const error = leftOf(decoded)
    expect(error.field).toBe("delivery")
    expect(error.message).toContain("delivery: ")
  })

  it("applies the caller's check after the Schema", () => {
    const failure = messageDecoder(ItemFailure, (f, s) =>
      String(f.item) === s.split(".").at(-1)
        ? undefined
        : { field: "item", problem: `says ${f.item}` },
    )
    const record = { batch: "mc-1", item: 2, worker: "w", deliveries: 5, error: "boom" }
    expect(Either.isRight(failure("parley.batches.mc-1.failed.2", 1, bytes(record)))).toBe(true)
    const wrong = failure("parley.batches.mc-1.failed.7", 1, bytes(record))
    const error = leftOf(wrong)
    expect(error.message).toBe(
      "malformed message on parley.batches.mc-1.failed.7 (sequence 1): item: says 2",
    )
  })

  it("a core NATS message (no sequence) is named by its subject alone", () => {
    const error = leftOf(claim("$JS.EVENT.X", 0, bytes("[]")))
    expect(error.message.startsWith("malformed message on $JS.EVENT.X: ")).toBe(true)
  })
})
