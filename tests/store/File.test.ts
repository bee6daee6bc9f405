import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { ExpectedVersion } from "../../src/store/EventStore.ts"
import * as File from "../../src/store/File.ts"
import { pendingFor } from "./EventStoreContract.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-file-store-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
const freshPath = () => join(dir, `log-${++files}.jsonl`)

describe("File event store", () => {
  const a = "torn" as NegotiationId

  /** A log with 3 events of `a`, in 2 appends; returns its path. */
  const seeded = Effect.gen(function* () {
    const path = freshPath()
    const store = yield* File.make(path)
    yield* store.append(a, pendingFor(a, 0, "a", 2), ExpectedVersion.NoStream)
    yield* store.append(a, pendingFor(a, 2, "b"), ExpectedVersion.Exact(2))
    return path
  })

  it.effect("a torn last line is cut off on open and the intact prefix kept", () =>
    Effect.gen(function* () {
      const path = yield* seeded
      const intact = readFileSync(path, "utf8")
      appendFileSync(path, '{"eventId":"half-written","negotiationId":"to')
      const store = yield* File.make(path)
      assert.strictEqual(readFileSync(path, "utf8"), intact)
      assert.strictEqual(yield* store.version(a), 3)
      const next = yield* store.append(a, pendingFor(a, 3, "c"), ExpectedVersion.Exact(3))
      assert.deepStrictEqual(
        next.envelopes.map((e) => e.version),
        [4],
      )
      const read = yield* Stream.runCollect(store.read(a))
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(read).map((e) => e.version),
        [1, 2, 3, 4],
      )
    }),
  )

  it.effect("a torn multi-byte character is cut at the last newline, not at a guessed length", () =>
    Effect.gen(function* () {
      const path = yield* seeded
      const intact = readFileSync(path)
      // "é" is two bytes in UTF-8; keep only the first one.
      appendFileSync(
        path,
        Buffer.concat([Buffer.from('{"x":"caf'), Buffer.from("é").subarray(0, 1)]),
      )
      yield* File.make(path)
      assert.isTrue(readFileSync(path).equals(intact))
    }),
  )

  it.effect("a complete last line without a newline is kept and ended before the next append", () =>
    Effect.gen(function* () {
      const path = yield* seeded
      writeFileSync(path, readFileSync(path, "utf8").trimEnd())
      const store = yield* File.make(path)
      yield* store.append(a, pendingFor(a, 3, "c"), ExpectedVersion.Exact(3))
      const reopened = yield* File.make(path)
      assert.strictEqual(yield* reopened.version(a), 4)
    }),
  )

  it.effect("a garbage middle line fails the open with a CorruptEvent naming file:line", () =>
    Effect.gen(function* () {
      const path = yield* seeded
      const lines = readFileSync(path, "utf8").split("\n")
      lines[1] = "this is not an event"
      writeFileSync(path, lines.join("\n"))
      const error = yield* Effect.flip(File.make(path))
      assert.strictEqual(error._tag, "CorruptEvent")
      if (error._tag === "CorruptEvent") assert.strictEqual(error.location, `${path}:2`)
    }),
  )
})
