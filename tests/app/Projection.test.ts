/**
 * The projection's policies on a real log file: the shipped example with a
 * line repeated (a version that does not follow) and a line of garbage.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { stateIn } from "../../src/app/Projection.ts"
import { replayFile } from "../../src/app/Replay.ts"

const lines = readFileSync("examples/supply-contract.jsonl", "utf8").trimEnd().split("\n")
const id = "supply-2025"
const dir = mkdtempSync(join(tmpdir(), "parley-projection-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The example with line 5 written twice (file lines 5 and 6) and garbage at file line 9. */
const damaged = join(dir, "damaged.jsonl")
writeFileSync(
  damaged,
  `${[...lines.slice(0, 5), lines[4]!, ...lines.slice(5, 7), "not json at all", ...lines.slice(7)].join("\n")}\n`,
)

describe("projection policies on a file", () => {
  it.effect("the intact file folds to the state at its last version", () =>
    Effect.gen(function* () {
      const whole = yield* replayFile("examples/supply-contract.jsonl")
      assert.strictEqual(stateIn(whole, id).version, lines.length)
      assert.deepStrictEqual(whole.problems, [])
    }),
  )

  it.effect(
    "fail: the repeated line fails the fold, naming the file, the line and the version",
    () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(replayFile(damaged))
        assert.strictEqual(error._tag, "CorruptEvent")
        assert.include(error.message, `${damaged}:6 (version 5)`)
        assert.include(error.message, "expected version 6, found 5")
      }),
  )

  it.effect(
    "stop: the negotiation keeps its state before the repeat; the rest is not applied",
    () =>
      Effect.gen(function* () {
        const stopped = yield* replayFile(damaged, { policy: "stop" })
        assert.strictEqual(stateIn(stopped, id).version, 5)
        assert.deepStrictEqual(
          stopped.problems.map((p) => `${p._tag}@${p.position}`),
          [
            "ImpossibleEvent@6",
            "AfterInvalid@7",
            "AfterInvalid@8",
            "CorruptCommit@9",
            ...lines.slice(7).map((_, k) => `AfterInvalid@${10 + k}`),
          ],
        )
        assert.deepStrictEqual(stopped.stopped, [
          { negotiationId: id, lastGoodVersion: 5, position: 6 },
        ])
      }),
  )

  it.effect("skip: the repeat and the garbage are set aside, and the whole history folds", () =>
    Effect.gen(function* () {
      const skipped = yield* replayFile(damaged, { policy: "skip" })
      const intact = yield* replayFile("examples/supply-contract.jsonl")
      assert.deepStrictEqual(stateIn(skipped, id), stateIn(intact, id))
      assert.deepStrictEqual(
        skipped.problems.map((p) => `${p._tag}@${p.position}`),
        ["ImpossibleEvent@6", "CorruptCommit@9"],
      )
      assert.include(skipped.problems[1]!.message, `${damaged}:9`)
    }),
  )
})
