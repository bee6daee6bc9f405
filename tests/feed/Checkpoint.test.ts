/**
 * The projector's checkpoint is trusted only when it is a position within
 * this very stream: each other case is rejected with its reason, the stored
 * value quoted in a bounded excerpt (a hostile value nested deep included).
 */
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import * as Checkpoint from "../../src/feed/Checkpoint.ts"

const stream = { name: "PARLEY", created: "2026-12-01T00:00:00.000Z", lastSeq: 120 }
const problemOf = (text: string) =>
  Either.match(Checkpoint.check(text, stream), {
    onLeft: (r) => r.problem,
    onRight: (p) => `accepted ${p}`,
  })

describe("checkpoint", () => {
  it("accepts a position within the stream it names, up to its last sequence", () => {
    assert.deepStrictEqual(
      Checkpoint.check(Checkpoint.encode(120, stream), stream),
      Either.right(120),
    )
    assert.deepStrictEqual(Checkpoint.check(Checkpoint.encode(0, stream), stream), Either.right(0))
  })

  it("rejects a position past the end, another stream, another incarnation, no stream, a bad position, not JSON", () => {
    assert.include(
      problemOf(JSON.stringify({ position: 1e9 })),
      "past the end of stream PARLEY (last sequence 120)",
    )
    assert.include(problemOf(Checkpoint.encode(121, stream)), "past the end")
    assert.include(problemOf(JSON.stringify({ position: 3 })), "names no stream")
    assert.include(
      problemOf(Checkpoint.encode(3, { ...stream, name: "OTHER" })),
      "a position in stream OTHER, not in PARLEY",
    )
    assert.include(
      problemOf(Checkpoint.encode(3, { ...stream, created: "2025-01-01T00:00:00.000Z" })),
      "another incarnation of stream PARLEY (created 2025-01-01T00:00:00.000Z; this one was created 2026-12-01T00:00:00.000Z)",
    )
    assert.include(problemOf(JSON.stringify({ position: -1, stream })), "not a stream sequence")
    assert.include(problemOf(JSON.stringify({ position: 1.5, stream })), "not a stream sequence")
    assert.include(problemOf("{"), "not JSON")
    assert.include(problemOf("null"), "not a stream sequence")
  })

  it("quotes a hostile stored value in a bounded excerpt, with the position it claimed", () => {
    const deep = `{"position":1e9,"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`
    const rejected = Checkpoint.check(deep, stream)
    assert.isTrue(Either.isLeft(rejected))
    if (Either.isLeft(rejected)) {
      assert.isBelow(rejected.left.stored.length, 300)
      assert.isBelow(rejected.left.problem.length, 300)
    }
  })
})
