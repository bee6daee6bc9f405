import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Stream } from "effect"
import { foldState, foldStateStream } from "../../src/app/Projection.ts"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { evolve, findOffer, initialState } from "../../src/domain/Negotiation.ts"
import { InvariantViolation } from "../../src/domain/Rejection.ts"
import * as Replay from "../../src/domain/Replay.ts"
import { CorruptEvent } from "../../src/store/EventStore.ts"
import {
  A,
  accepted,
  B,
  envelopes,
  M,
  offered,
  offerId,
  opened,
  rejected,
  t,
} from "../support/DomainGiven.ts"

// versions 1..5 at t(0)..t(4)
const history = envelopes([
  opened(),
  offered("a1", A),
  rejected("a1", B),
  offered("m1", M),
  accepted("m1", A),
])

const invariant = (result: Either.Either<unknown, InvariantViolation>): InvariantViolation => {
  if (Either.isRight(result)) throw new Error("expected an InvariantViolation")
  assert.instanceOf(result.left, InvariantViolation)
  return result.left
}

/** The fold's typed error (policy fail): the version, and evolve's words naming negotiation and event type. */
const violation = (result: Either.Either<unknown, CorruptEvent>): CorruptEvent => {
  if (Either.isRight(result)) throw new Error("expected a CorruptEvent")
  assert.instanceOf(result.left, CorruptEvent)
  assert.match(
    result.left.problem,
    /^impossible history in negotiation "[^"]+" at version \d+ \(\w+\): /,
  )
  return result.left
}

describe("replay", () => {
  it("folds the whole log", () => {
    const state = Either.getOrThrow(foldState(history))
    assert.strictEqual(state.version, 5)
    assert.strictEqual(findOffer(state, offerId("a1"))!.status, "rejected")
    assert.deepStrictEqual(
      findOffer(state, offerId("m1"))!.responses.map((r) => r.by),
      [A],
    )
  })

  it("to a version (inclusive)", () => {
    const state = Either.getOrThrow(foldState(history, Replay.untilVersion(3)))
    assert.strictEqual(state.version, 3)
    assert.strictEqual(findOffer(state, offerId("a1"))!.status, "rejected")
    assert.isUndefined(findOffer(state, offerId("m1")))
    assert.strictEqual(Either.getOrThrow(foldState(history, Replay.untilVersion(0))), initialState)
  })

  it("to a moment (inclusive), between moments too", () => {
    const atT2 = Either.getOrThrow(foldState(history, Replay.untilTime(t(2))))
    assert.strictEqual(atT2.version, 3)
    const justBefore = new Date(Date.parse(t(2)) - 1).toISOString() as typeof atT2.updatedAt &
      string
    assert.strictEqual(
      Either.getOrThrow(foldState(history, Replay.untilTime(justBefore))).version,
      2,
    )
    assert.strictEqual(Either.getOrThrow(foldState(history, Replay.untilTime(t(99)))).version, 5)
  })

  it("from a state already folded", () => {
    const head = Either.getOrThrow(foldState(history.slice(0, 2)))
    const all = Either.getOrThrow(foldState(history.slice(2), Replay.toEnd, head))
    assert.deepStrictEqual(all.pending, [offerId("m1")])
    assert.strictEqual(all.version, 5)
  })

  it.effect("a stream folds like an array, to the end, a version and a moment", () =>
    Effect.gen(function* () {
      for (const until of [Replay.toEnd, Replay.untilVersion(4), Replay.untilTime(t(1))]) {
        const streamed = yield* foldStateStream(Stream.fromIterable(history), until)
        const folded = Either.getOrThrow(foldState(history, until))
        assert.strictEqual(streamed.version, folded.version)
        assert.deepStrictEqual(streamed.pending, folded.pending)
        assert.strictEqual(streamed.status, folded.status)
      }
    }),
  )

  it.effect("a stream stops being pulled past the bound", () =>
    Effect.gen(function* () {
      let pulled = 0
      const counted = Stream.fromIterable(history).pipe(
        Stream.rechunk(1),
        Stream.tap(() => Effect.sync(() => pulled++)),
      )
      const state = yield* foldStateStream(counted, Replay.untilVersion(2))
      assert.strictEqual(state.version, 2)
      assert.isAtMost(pulled, 3)
    }),
  )

  it.effect("a stream with an impossible event fails naming its version", () =>
    Effect.gen(function* () {
      const broken = envelopes([opened(), offered("a1", A), accepted("nope", B), offered("b1", B)])
      const error = yield* Effect.flip(foldStateStream(Stream.fromIterable(broken)))
      assert.strictEqual(error._tag, "CorruptEvent")
      assert.strictEqual(error.version, 3)
      assert.strictEqual(error.location, "version 3")
    }),
  )
})

describe("evolve refuses an impossible history (InvariantViolation naming the version)", () => {
  it("a gap in versions", () => {
    const gap = [history[0]!, history[1]!, history[3]!]
    const v = violation(foldState(gap))
    assert.strictEqual(v.version, 4)
    assert.match(v.problem, /\(OfferMade\)/)
    assert.match(v.problem, /expected version 3, found 4/)
    assert.match(v.message, /at version 4/)
  })

  it("a repeated version", () => {
    const v = violation(foldState([history[0]!, history[1]!, history[1]!]))
    assert.strictEqual(v.version, 2)
  })

  it("an event of another negotiation", () => {
    const stranger: EventEnvelope = { ...history[1]!, negotiationId: "other" as NegotiationId }
    const v = violation(foldState([history[0]!, stranger]))
    assert.strictEqual(v.version, 2)
    assert.match(v.problem, /belongs to negotiation "other", not "talks"/)
  })

  it("an accept of an unknown offer", () => {
    const log = envelopes([opened(), offered("a1", A), accepted("zz", B)])
    const v = violation(foldState(log))
    assert.strictEqual(v.version, 3)
    assert.match(v.problem, /\(OfferAccepted\)/)
    assert.match(v.problem, /unknown offer "zz"/)
  })

  it("a move before the negotiation opened", () => {
    const v = invariant(evolve(initialState, envelopes([offered("a1", A)])[0]!))
    assert.strictEqual(v.version, 1)
    assert.match(v.problem, /not been opened/)
  })

  it("a move after the end", () => {
    const log = envelopes([opened(), offered("a1", A), accepted("a1", B), offered("a2", A)])
    const v = violation(foldState(log))
    assert.strictEqual(v.version, 4)
    assert.match(v.problem, /agreed/)
  })

  it("time going backwards", () => {
    const log = envelopes([opened(), offered("a1", A)])
    const earlier: EventEnvelope = {
      ...log[1]!,
      occurredAt: "2020-01-01T00:00:00.000Z" as EventEnvelope["occurredAt"],
    }
    const v = violation(foldState([log[0]!, earlier]))
    assert.strictEqual(v.version, 2)
    assert.match(v.problem, /cannot follow/)
  })

  it("replay stops at the first violation: later valid-looking events are not applied", () => {
    const log = envelopes([opened(), accepted("zz", B), offered("a1", A)])
    assert.strictEqual(violation(foldState(log)).version, 2)
  })

  it("a bound before the violation replays fine", () => {
    const log = envelopes([opened(), offered("a1", A), accepted("zz", B)])
    assert.strictEqual(Either.getOrThrow(foldState(log, Replay.untilVersion(2))).version, 2)
  })
})
