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
    digest: "94707ef24a1d6246cad44a82bb23b2a9047c705292bf8943562f225f9b43a040",
  },
  {
    file: "scenarios/anac-laptop.json",
    overrides: { strategy: "conceder" },
    seed: 2,
    appendEvery: "turn",
    digest: "3ee059c2a78b6331c8519014814a8d933b6a4fb6bc0e26038b750b1b182fa077",
  },
  {
    file: "scenarios/anac-laptop.json",
    overrides: { strategy: "linear", rounds: "30" },
    seed: 3,
    appendEvery: "run",
    digest: "9fe9e2d2b30c308e270adc70f0c2ffb0dbff9e69799a63546c2ab9a4ffa8a7b3",
  },
  {
    file: "scenarios/ceasefire-freeze.ts",
    overrides: {},
    seed: 4,
    appendEvery: "run",
    digest: "333f80224d0fadd484bf66c4409c6908e6ed4bc73850b7c66cc585146dcd620c",
  },
  {
    file: "scenarios/ceasefire-freeze.ts",
    overrides: { protocol: "alternating" },
    seed: 5,
    appendEvery: "turn",
    digest: "f88737e1033c21dfef3b148c0555715602709129880f3b99ea9b5a8f04711c57",
  },
  {
    file: "scenarios/ceasefire-freeze.ts",
    overrides: { mediation: "veto" },
    seed: 6,
    appendEvery: "run",
    digest: "453b62af45c488ac80827c647d83b80644f54bdbd4ad758207e9bb9bacdf8b32",
  },
  {
    file: "scenarios/rubinstein.ts",
    overrides: {},
    seed: 7,
    appendEvery: "run",
    digest: "c8c5551e5a220075aad0a57b205cfed2f71168f397a907a0ea8357bf21f0c0c3",
  },
  {
    file: "scenarios/rubinstein.ts",
    overrides: { horizon: "3" },
    seed: 8,
    appendEvery: "turn",
    digest: "d1aab6579f0f5ed01a48088bba6fd169bed140cd8f8db1d8d31463004a969879",
  },
  {
    file: "scenarios/anac-laptop.json",
    overrides: { strategy: "boulware", rounds: "4" },
    seed: 9,
    appendEvery: "turn",
    digest: "e5d6876c587394b6bbb22b8db08cb9f8ba18774104343bc3b7ceb0b5a13282ad",
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
