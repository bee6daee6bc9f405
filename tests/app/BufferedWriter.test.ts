/**
 * The command handler's buffered writer: commands decided synchronously
 * against the state it holds, their envelopes buffered, and appended as one
 * commit expecting the version the buffer was decided on.
 */
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Stream } from "effect"
import { BufferedWriter, decideLocally } from "../../src/app/CommandHandler.ts"
import { foldState } from "../../src/app/Projection.ts"
import type { NegotiationCommand } from "../../src/domain/Command.ts"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import { initialState, type State } from "../../src/domain/Negotiation.ts"
import { EventStore, ExpectedVersion } from "../../src/store/EventStore.ts"
import * as Memory from "../../src/store/Memory.ts"
import { A, accept, B, confirm, makeOffer, NID, open, t } from "../support/DomainGiven.ts"

const script: ReadonlyArray<NegotiationCommand> = [
  open({ at: t(0) }),
  makeOffer("o1", A, undefined, { at: t(1) }),
  makeOffer("o2", B, undefined, { at: t(2) }),
  accept("o2", A, { at: t(3) }),
]

const decidedOneByOne = (commands: ReadonlyArray<NegotiationCommand>) => {
  let state: State = initialState
  const envelopes: Array<EventEnvelope> = []
  for (const [i, command] of commands.entries()) {
    const handled = Either.getOrThrow(decideLocally(NID, state, command, { metadata: { move: i } }))
    state = handled.state
    envelopes.push(...handled.envelopes)
  }
  return { state, envelopes }
}

const stored = Effect.flatMap(EventStore, (store) =>
  Effect.map(Stream.runCollect(store.read(NID)), Chunk.toReadonlyArray),
)

describe("a buffered writer", () => {
  it("buffers what decideLocally decides, and takes it as one commit expecting the version it started from", () => {
    const writer = new BufferedWriter(NID)
    for (const [i, command] of script.entries())
      assert.isTrue(Either.isRight(writer.decide(command, { metadata: { move: i } })))
    const expected = decidedOneByOne(script)
    assert.strictEqual(writer.pending, 4)
    assert.strictEqual(writer.state.version, 4)
    assert.deepStrictEqual(writer.state, expected.state)
    const commit = writer.take()!
    assert.deepStrictEqual(commit.envelopes, expected.envelopes)
    assert.deepStrictEqual(commit.expected, ExpectedVersion.Exact(0))
    assert.strictEqual(writer.committed, 4)
    assert.strictEqual(writer.pending, 0)
    assert.strictEqual(writer.take(), undefined)
  })

  it("records nothing for a refused command: state and buffer stay as they were", () => {
    const writer = new BufferedWriter(NID)
    writer.decide(script[0]!)
    const before = writer.state
    const refused = writer.decide(confirm("nope", A, { at: t(1) }))
    assert.isTrue(Either.isLeft(refused))
    assert.strictEqual(writer.state, before)
    assert.strictEqual(writer.pending, 1)
  })

  it.effect(
    "appends each commit expecting the last one's version; a writer behind the log conflicts",
    () =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const writer = new BufferedWriter(NID)
        const decided: Array<EventEnvelope> = []
        const decide = (command: NegotiationCommand) =>
          decided.push(...Either.getOrThrow(writer.decide(command)))
        decide(script[0]!)
        decide(script[1]!)
        yield* writer.append(store)
        yield* writer.append(store) // nothing buffered: nothing appended
        decide(script[2]!)
        decide(script[3]!)
        yield* writer.append(store)
        const log = yield* stored
        assert.deepStrictEqual(log, decided)
        assert.deepStrictEqual(Either.getOrThrow(foldState(log)), writer.state)

        // A second writer that started from the state after two events is behind the log.
        const behind = new BufferedWriter(NID, Either.getOrThrow(foldState(log.slice(0, 2))))
        behind.decide(makeOffer("o3", A, undefined, { at: t(4) }))
        const conflict = yield* Effect.flip(behind.append(store))
        assert.strictEqual(conflict._tag, "VersionConflict")
      }).pipe(Effect.provide(Memory.layer)),
  )

  it.effect(
    "one append effect, made once and run after every turn, appends what is buffered at each run",
    () =>
      Effect.gen(function* () {
        const writer = new BufferedWriter(NID)
        const flush = writer.append(yield* EventStore)
        const decided: Array<EventEnvelope> = []
        for (const [i, command] of script.entries()) {
          decided.push(...Either.getOrThrow(writer.decide(command)))
          if (i % 2 === 1) yield* flush
          assert.strictEqual(writer.committed, i % 2 === 1 ? i + 1 : i)
        }
        yield* flush // nothing buffered: nothing appended
        assert.deepStrictEqual(yield* stored, decided)
        assert.strictEqual(writer.pending, 0)
      }).pipe(Effect.provide(Memory.layer)),
  )

  it.effect("goes on from a state the store already holds after a reset", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const prefix = decidedOneByOne(script.slice(0, 2))
      const { envelopes } = yield* store.append(NID, prefix.envelopes, ExpectedVersion.NoStream)
      const writer = new BufferedWriter(NID)
      writer.reset(Either.getOrThrow(foldState(envelopes)))
      assert.strictEqual(writer.committed, 2)
      writer.decide(script[2]!)
      assert.deepStrictEqual(writer.take()?.expected, ExpectedVersion.Exact(2))
    }).pipe(Effect.provide(Memory.layer)),
  )
})
