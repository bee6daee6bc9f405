import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, type Layer, Stream } from "effect"
import { handle, load } from "../../src/app/CommandHandler.ts"
import type { EventEnvelope, PendingEvent } from "../../src/domain/Event.ts"
import type { EventId } from "../../src/domain/Ids.ts"
import { offersInOrder, type State } from "../../src/domain/Negotiation.ts"
import { EventStore, ExpectedVersion } from "../../src/store/EventStore.ts"
import * as File from "../../src/store/File.ts"
import * as Memory from "../../src/store/Memory.ts"
import {
  MODEL_ID,
  type Model,
  modelArb,
  momentsOf,
  openCommand,
  resolve,
  run,
} from "../support/ArbitrariesCommands.ts"
import { fastCheck } from "../support/ArbitrariesConfig.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-props-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
const freshFile = () => join(dir, `log-${++files}.jsonl`)

const snapshot = (state: State) => ({ ...state, offers: offersInOrder(state) })

const readAll = Effect.flatMap(EventStore, (store) =>
  Stream.runCollect(store.read(MODEL_ID)).pipe(Effect.map(Chunk.toReadonlyArray)),
)

/**
 * Runs a model's commands through `handle` against the store in context: each
 * intent is resolved against the state loaded from the store. After every
 * rejected command the stored log must be exactly as it was.
 */
const runThroughStore = (model: Model) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const moments = momentsOf(model.steps)
    const outcomes: Array<string> = []
    for (let i = 0; i <= model.steps.length; i++) {
      const state = yield* load(MODEL_ID)
      const command =
        i === 0
          ? openCommand(model.setup)
          : resolve(model.setup, state, model.steps[i - 1]!.intent, moments[i - 1]!)
      const before = yield* store.version(MODEL_ID)
      const result = yield* Effect.either(handle(MODEL_ID, command))
      if (Either.isLeft(result)) {
        outcomes.push(result.left._tag)
        expect(yield* store.version(MODEL_ID)).toBe(before)
      } else {
        outcomes.push(result.right.envelopes.map((e) => e.event.type).join(","))
        expect(result.right.envelopes.map((e) => e.version)).toEqual(
          result.right.envelopes.map((_, k) => before + k + 1),
        )
      }
    }
    return { outcomes, state: yield* load(MODEL_ID), log: yield* readAll }
  })

/** What the pure decider does with the same model, in the same terms. */
const runPure = (model: Model) => {
  const { turns, state, log } = run(model)
  return {
    outcomes: turns.map((t) =>
      Either.isLeft(t.decided) ? t.decided.left._tag : t.decided.right.map((e) => e.type).join(","),
    ),
    state,
    log,
  }
}

const contiguous = (log: ReadonlyArray<EventEnvelope>) =>
  expect(log.map((e) => e.version)).toEqual(log.map((_, i) => i + 1))

describe("stores (command model through the command handler)", () => {
  it.effect.prop(
    "the JSONL and memory stores give identical states for the same command sequence, the same as the pure decider",
    [modelArb(20)],
    ([model]) =>
      Effect.gen(function* () {
        const path = freshFile()
        const inMemory = yield* runThroughStore(model).pipe(Effect.provide(Memory.layer))
        const inFile = yield* runThroughStore(model).pipe(Effect.provide(File.layer(path)))
        const pure = runPure(model)
        expect(inFile.outcomes).toEqual(inMemory.outcomes)
        expect(inMemory.outcomes).toEqual(pure.outcomes)
        expect(snapshot(inFile.state)).toEqual(snapshot(inMemory.state))
        expect(snapshot(inMemory.state)).toEqual(snapshot(pure.state))
        expect(inFile.log).toEqual(inMemory.log)
        expect(inMemory.log.map((e) => e.event)).toEqual(pure.log.map((e) => e.event))
        // The file reopened from disk holds the same log.
        const reopened = yield* readAll.pipe(Effect.provide(File.layer(path)))
        expect(reopened).toEqual(inMemory.log)
      }),
    { fastCheck: fastCheck(15) },
  )

  it.effect.prop(
    "versions are contiguous from 1 in every stored log (memory and JSONL, after reopening)",
    [modelArb(20)],
    ([model]) =>
      Effect.gen(function* () {
        const path = freshFile()
        const inMemory = yield* runThroughStore(model).pipe(Effect.provide(Memory.layer))
        yield* runThroughStore(model).pipe(Effect.provide(File.layer(path)))
        const reopened = yield* readAll.pipe(Effect.provide(File.layer(path)))
        contiguous(inMemory.log)
        contiguous(reopened)
        expect(reopened.length).toBe(inMemory.log.length)
      }),
    { fastCheck: fastCheck(10) },
  )

  const conflictingAppendChangesNothing =
    (layer: Layer.Layer<EventStore, unknown>) => (model: Model) =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const { log } = yield* runThroughStore(model)
        const n = log.length
        if (n === 0) return
        const stray: PendingEvent = {
          eventId: "stray-writer" as EventId,
          occurredAt: log[n - 1]!.occurredAt,
          event: log[n - 1]!.event,
        }
        for (const expected of [
          ExpectedVersion.NoStream,
          ...Array.from({ length: n }, (_, k) => ExpectedVersion.Exact(k)),
          ExpectedVersion.Exact(n + 1),
        ]) {
          const result = yield* Effect.either(store.append(MODEL_ID, [stray], expected))
          expect(Either.isLeft(result) && result.left._tag).toBe("VersionConflict")
        }
        // A retry of the last append (same ids, same expected version) writes nothing either.
        const last = log[n - 1]!
        const retry = yield* store.append(
          MODEL_ID,
          [{ eventId: last.eventId, occurredAt: last.occurredAt, event: last.event }],
          ExpectedVersion.Exact(n - 1),
        )
        expect(retry.duplicate).toBe(true)
        expect(yield* store.version(MODEL_ID)).toBe(n)
        expect(yield* readAll).toEqual(log)
      }).pipe(Effect.provide(layer))

  it.effect.prop(
    "a conflicting append changes nothing (memory)",
    [modelArb(20)],
    ([model]) => conflictingAppendChangesNothing(Memory.layer)(model),
    { fastCheck: fastCheck(15) },
  )

  it.effect.prop(
    "a conflicting append changes nothing (JSONL, also after reopening)",
    [modelArb(20)],
    ([model]) =>
      Effect.gen(function* () {
        const path = freshFile()
        yield* conflictingAppendChangesNothing(File.layer(path))(model)
        const inMemory = yield* runThroughStore(model).pipe(Effect.provide(Memory.layer))
        const reopened = yield* readAll.pipe(Effect.provide(File.layer(path)))
        expect(reopened).toEqual(inMemory.log)
      }),
    { fastCheck: fastCheck(10) },
  )
})
