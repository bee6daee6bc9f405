/**
 * What a reader of the log refuses (issue 25 items 1, 2 and 9): an event
 * whose id is not the digest of its content (edited after it was written),
 * and a line or commit too deep or too large to parse safely — each a typed
 * error naming its position, quoting a bounded excerpt, never a "Maximum
 * call stack size exceeded" and never the whole value.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Stream } from "effect"
import { replayFile } from "../../src/app/Replay.ts"
import { eventIdFor } from "../../src/domain/Envelope.ts"
import { layoutFor } from "../../src/nats/Layout.ts"
import * as File from "../../src/store/File.ts"
import * as Jsonl from "../../src/store/Jsonl.ts"
import * as CommitCodec from "../../src/store/nats/CommitCodec.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-integrity-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
const write = (text: string) => {
  const path = join(dir, `log-${++files}.jsonl`)
  writeFileSync(path, text)
  return path
}

const example = readFileSync("examples/supply-contract.jsonl", "utf8").trimEnd().split("\n")
const v1 = readFileSync("tests/fixtures/events/supply-contract.v1.jsonl", "utf8")
  .trimEnd()
  .split("\n")
const id = "supply-2025"

/** The example with line `n` (1-based) replaced by `edit` of it. */
const edited = (lines: ReadonlyArray<string>, n: number, edit: (line: string) => string) =>
  write(`${lines.map((l, i) => (i === n - 1 ? edit(l) : l)).join("\n")}\n`)

/** A valid-looking envelope line of negotiation `negotiationId` whose metadata nests `depth` deep. */
const deepLine = (depth: number, negotiationId = id) =>
  `{"eventId":"x","negotiationId":"${negotiationId}","version":1,"occurredAt":"2025-01-01T00:00:00.000Z","metadata":{"a":${"[".repeat(depth)}${"]".repeat(depth)}},"event":{"type":"TalksSuspended","schemaVersion":1,"provenance":{"status":"official"}}}`

describe("an event edited after it was written", () => {
  // Line 8 is the chamber's offer; the forger raises its price and keeps its eventId.
  const forged = edited(example, 8, (l) => l.replace('"price":112', '"price":139'))

  it.effect("replay fails naming the line, the negotiation, the version and both ids", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(replayFile(forged))
      assert.strictEqual(error._tag, "CorruptEvent")
      if (error._tag !== "CorruptEvent") return
      assert.strictEqual(error.location, `${forged}:8`)
      assert.strictEqual(error.version, 8)
      assert.strictEqual(error.negotiationId, id)
      assert.include(error.message, `negotiation "${id}" version 8`)
      assert.include(error.message, "does not match its id")
      assert.include(error.message, '"ZcpK6gqkUeLs_rsUBpcfpO"')
    }),
  )

  it.effect("validate's policy (stop) names the line and sets aside only that negotiation", () =>
    Effect.gen(function* () {
      // An intact second negotiation, its ids derived as a writer's are, interleaved with the forged one.
      const other = example.map((l) => {
        const e = JSON.parse(l.replaceAll(`"negotiationId":"${id}"`, '"negotiationId":"other"'))
        return JSON.stringify({
          ...e,
          eventId: eventIdFor(e.negotiationId, e.version, e.occurredAt, e.event),
        })
      })
      const forgedLines = readFileSync(forged, "utf8").trimEnd().split("\n")
      const path = write(`${forgedLines.flatMap((l, i) => [l, other[i]!]).join("\n")}\n`)
      const replayed = yield* replayFile(path, { policy: "stop" })
      const unreadable = replayed.problems.filter((p) => p._tag === "CorruptCommit")
      assert.strictEqual(unreadable.length, 1)
      assert.include(unreadable[0]!.message, `${path}:15`)
      assert.include(unreadable[0]!.message, `(negotiation "${id}")`)
      assert.strictEqual(replayed.states.get(id)?.version, 7)
      assert.strictEqual(replayed.states.get("other")?.version, example.length)
    }),
  )

  it.effect("opening the file as a store refuses it, naming the line", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(File.make(forged))
      assert.strictEqual(error._tag, "CorruptEvent")
      assert.include(error.message, `${forged}:8 (version 8)`)
    }),
  )

  it.effect("a version-1 event is checked as written, before it is upcast", () =>
    Effect.gen(function* () {
      const path = edited(v1, 1, (l) => l.replace('"title":"Component', '"title":"Forged'))
      assert.notStrictEqual(readFileSync(path, "utf8").split("\n")[0], v1[0])
      const error = yield* Effect.flip(replayFile(path))
      assert.include(error.message, `${path}:1 (version 1)`)
      assert.include(error.message, "does not match its id")
    }),
  )

  it.effect(
    "validate's policy names a removed line and a reordered one by the line where the history breaks",
    () =>
      Effect.gen(function* () {
        const removed = write(`${[...example.slice(0, 6), ...example.slice(7)].join("\n")}\n`)
        const gap = yield* replayFile(removed, { policy: "stop" })
        assert.isAbove(gap.problems.length, 0)
        assert.include(gap.problems[0]!.message, `${removed}:7`)
        assert.include(gap.problems[0]!.message, "version 8")
        const swapped = [...example]
        ;[swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!]
        const reordered = write(`${swapped.join("\n")}\n`)
        const order = yield* replayFile(reordered, { policy: "stop" })
        assert.isAbove(order.problems.length, 0)
        assert.include(order.problems[0]!.message, `${reordered}:5`)
        assert.include(order.problems[0]!.message, "version 6")
      }),
  )

  it.effect("the example and the version-1 fixtures, as written, verify", () =>
    Effect.gen(function* () {
      for (const path of [
        "examples/supply-contract.jsonl",
        "tests/fixtures/events/supply-contract.v1.jsonl",
        "tests/fixtures/events/supply-contract-deadline.v1.jsonl",
      ]) {
        const replayed = yield* replayFile(path)
        assert.deepStrictEqual(replayed.problems, [], path)
      }
    }),
  )
})

describe("poison: nesting and size are bounded before parsing", () => {
  it.effect(
    "a JSONL line nested 3,000 deep is a typed error at its line, not a stack overflow",
    () =>
      Effect.gen(function* () {
        const path = write(
          `${[...example.slice(0, 3), deepLine(3000), ...example.slice(3)].join("\n")}\n`,
        )
        const error = yield* Effect.flip(replayFile(path))
        assert.strictEqual(error._tag, "CorruptEvent")
        assert.include(error.message, `${path}:4`)
        assert.include(error.message, "nested deeper than 64 levels")
        assert.isBelow(error.message.length, 600)
        // validate's policy goes on past it.
        const stopped = yield* replayFile(path, { policy: "stop" })
        assert.strictEqual(stopped.problems.filter((p) => p._tag === "CorruptCommit").length, 1)
        // Every reader of the file: the store's open, and a plain read.
        const opened = yield* Effect.flip(File.make(path))
        assert.include(opened.message, `${path}:4`)
        const read = yield* Effect.flip(Stream.runDrain(Jsonl.read(path)))
        assert.include(read.message, "nested deeper than 64 levels")
      }),
  )

  it.effect(
    "the depth limit is an option: a deeper limit lets a line through to its own checks",
    () =>
      Effect.gen(function* () {
        const path = write(`${deepLine(100)}\n`)
        const strict = yield* Effect.flip(replayFile(path))
        assert.include(strict.message, "nested deeper than 64")
        const lenient = yield* Effect.flip(
          replayFile(path, { limits: { maxDepth: 200, maxBytes: 1 << 20 } }),
        )
        assert.notInclude(lenient.message, "nested deeper")
        assert.isBelow(lenient.message.length, 600)
      }),
  )

  it("a NATS commit nested 100,000 deep is a typed error at its sequence, quoting a bounded excerpt", () => {
    const codec = CommitCodec.make("PARLEY", layoutFor())
    const deep = `[${deepLine(100_000, "n1")}]`
    const decoded = codec.decode({
      seq: 42,
      subject: "parley.events.n1",
      data: new TextEncoder().encode(deep),
    })
    assert.isTrue(Either.isLeft(decoded))
    if (Either.isRight(decoded)) return
    assert.strictEqual(decoded.left.location, "stream PARLEY sequence 42")
    assert.include(decoded.left.problem, "nested deeper than 64 levels")
    assert.isBelow(decoded.left.message.length, 600)
    const entry = codec.entryOf({ seq: 42, subject: "parley.events.n1", data: Buffer.from(deep) })
    assert.strictEqual(entry._tag, "Unreadable")
  })

  it("a NATS commit over the size limit is refused unparsed", () => {
    const codec = CommitCodec.make("PARLEY", layoutFor(), { maxBytes: 1000, maxDepth: 64 })
    const big = `[${example[7]!.replace('"delivery":"weekly"', `"delivery":"${"w".repeat(5000)}"`)}]`
    const decoded = codec.decode({ seq: 7, subject: "parley.events.n1", data: Buffer.from(big) })
    assert.isTrue(Either.isLeft(decoded) && decoded.left.problem.includes("over the limit of 1000"))
  })

  it.effect(
    "a line longer than the limit is never held whole: it comes as its first bytes and its length",
    () =>
      Effect.gen(function* () {
        const size = 24 * 1024 * 1024
        const path = write(`${example[0]}\n{"x":"${"y".repeat(size)}"}\n${example[1]}\n`)
        const batches: Array<Jsonl.Line> = []
        yield* Effect.promise(async () => {
          for await (const batch of Jsonl.lines(path, {}, 1 << 20)) batches.push(...batch)
        })
        assert.deepStrictEqual(
          batches.map((l) => l.number),
          [1, 2, 3],
        )
        assert.strictEqual(batches[1]!.bytes, size + 8)
        assert.isBelow(batches[1]!.text.length, 400)
        assert.strictEqual(batches[2]!.text, example[1])
        const error = yield* Effect.flip(
          replayFile(path, { limits: { maxBytes: 1 << 20, maxDepth: 64 } }),
        )
        assert.include(error.message, `${path}:2`)
        assert.include(error.message, `the line is ${size + 8} bytes, over the limit of ${1 << 20}`)
        assert.isBelow(error.message.length, 600)
      }),
  )

  it.effect(
    "a long line is read in time linear in its length, like the same bytes in short lines",
    () =>
      Effect.gen(function* () {
        const mb = 64
        const timeOf = (text: string, count: number) =>
          Effect.promise(async () => {
            const path = write(text)
            let best = Number.POSITIVE_INFINITY
            for (let k = 0; k < 2; k++) {
              const start = performance.now()
              let n = 0
              for await (const batch of Jsonl.lines(path, {}, 1 << 30)) n += batch.length
              best = Math.min(best, performance.now() - start)
              assert.strictEqual(n, count)
            }
            rmSync(path)
            return best
          })
        const short = `{"x":"${"y".repeat(64 * 1024 - 9)}"}\n`.repeat(mb * 16)
        const shortLines = yield* timeOf(short, mb * 16)
        const longLine = yield* timeOf(`{"x":"${"y".repeat(mb * 1024 * 1024 - 9)}"}\n`, 1)
        // Joining the chunks of a line at each read made this quadratic: 6 s for 64 MB, 38 s for 128 MB.
        assert.isBelow(
          longLine,
          4 * shortLines + 1000,
          `short lines ${shortLines} ms, one line ${longLine} ms`,
        )
      }),
  )
})

describe("reading a log back", () => {
  it.effect("a store reads back what it wrote: ids verify on every read path", () =>
    Effect.gen(function* () {
      const path = write(`${example.join("\n")}\n`)
      const store = yield* File.make(path)
      const read = yield* Stream.runCollect(store.read(id as never))
      assert.strictEqual(Chunk.size(read), example.length)
    }),
  )
})
