/**
 * The runner's logs do not change when its hot path is made faster: each case
 * runs a scenario with a seed through the file store (Monte Carlo's whole-run
 * append and the default per-turn append) and compares the SHA-256 of the
 * JSONL log with the digest recorded before the optimisation (issue 17 item
 * 2). A deliberate change of the event format must update the digests here,
 * and say why in its commit.
 */
import { createHash } from "node:crypto"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import * as File from "../../src/store/File.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-golden-"))

const cases: ReadonlyArray<{
  readonly file: string
  readonly overrides: Record<string, string>
  readonly seed: number
  readonly appendEvery: "turn" | "run"
  readonly digest: string
}> = [
  {
    file: "scenarios/anac-laptop.json",
    overrides: { strategy: "boulware" },
    seed: 1,
    appendEvery: "run",
    digest: "0bfed7fa7c9b0569d12209d76adbba55297bd284b576ff1e78ee70c4eb302f40",
  },
  {
    file: "scenarios/anac-laptop.json",
    overrides: { strategy: "conceder" },
    seed: 2,
    appendEvery: "turn",
    digest: "75a955f031cfb10e4feaf60e25ba1fc3e1b75bf78646caf14ddc9f5898f7a2f3",
  },
  {
    file: "scenarios/anac-laptop.json",
    overrides: { strategy: "linear", rounds: "30" },
    seed: 3,
    appendEvery: "run",
    digest: "d0b36cc0c833ca578654af5f62d55f517b9f8afce9baf8f36e2465429a420605",
  },
  {
    file: "scenarios/ceasefire-freeze.ts",
    overrides: {},
    seed: 4,
    appendEvery: "run",
    digest: "4666caf5f3a7719d185e12416b0ae5f570db2901155f0d0b963312b60d47e1c6",
  },
  {
    file: "scenarios/ceasefire-freeze.ts",
    overrides: { protocol: "alternating" },
    seed: 5,
    appendEvery: "turn",
    digest: "9ac16464574e19b8e3ee8cd12de03adc588469047806413af79ceb5b7a943fb4",
  },
  {
    file: "scenarios/ceasefire-freeze.ts",
    overrides: { mediation: "veto" },
    seed: 6,
    appendEvery: "run",
    digest: "60e9d6f9ad9901cd99167ab3395e5ddf405abca91e30291781c7f95602e7e5cb",
  },
  {
    file: "scenarios/rubinstein.ts",
    overrides: {},
    seed: 7,
    appendEvery: "run",
    digest: "097148fea68efc1c964aab7b9408c2a1200e3628b1b6024b8105bd4c0e974327",
  },
  {
    file: "scenarios/rubinstein.ts",
    overrides: { horizon: "3" },
    seed: 8,
    appendEvery: "turn",
    digest: "daaa8b420b7219328124538e800ef94525c5205f321da5ac433d3f8804ec208c",
  },
  {
    file: "scenarios/anac-laptop.json",
    overrides: { strategy: "boulware", rounds: "4" },
    seed: 9,
    appendEvery: "turn",
    digest: "d46da0dac28e0d700f9aa054c46dd08dce0a3c6f1a5192769efb19a48e4ee313",
  },
]

const digestOf = (c: (typeof cases)[number], index: number) =>
  Effect.gen(function* () {
    const compiled = yield* loadScenario(c.file, c.overrides)
    const prepared = yield* prepare(compiled)
    const log = join(dir, `case-${index}.jsonl`)
    yield* run(prepared, {
      seed: c.seed,
      appendEvery: c.appendEvery,
      negotiationId: `golden-${index}` as NegotiationId,
      openingMetadata: { seed: c.seed },
    }).pipe(Effect.provide(File.layer(log)))
    return createHash("sha256").update(readFileSync(log)).digest("hex")
  })

describe("the runner's logs", () => {
  it.each(cases.map((c, i) => [c.file, JSON.stringify(c.overrides), c.seed, i] as const))(
    "%s %s seed %i gives the recorded log",
    async (_file, _overrides, _seed, i) => {
      expect(await Effect.runPromise(digestOf(cases[i]!, i))).toBe(cases[i]!.digest)
    },
    60_000,
  )
})
