import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { deepestIssue } from "../../src/domain/Errors.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { CustomPreferences } from "../../src/scenario/Scenario.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-scenario-"))
const file = (name: string, content: unknown) => {
  const path = join(dir, name)
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content))
  return path
}

const valid = {
  id: "deal",
  title: "A deal",
  parties: [
    {
      id: "a",
      name: "A",
      role: "principal",
      preferences: {
        weights: { price: 1 },
        evaluations: { price: { kind: "monotone", best: "max" } },
      },
      strategy: { kind: "boulware" },
    },
    {
      id: "b",
      name: "B",
      role: "principal",
      preferences: {
        weights: { price: 1 },
        evaluations: { price: { kind: "monotone", best: "min" } },
      },
      strategy: { kind: "conceder" },
    },
  ],
  issues: [{ kind: "integer", id: "price", min: 0, max: 10 }],
  protocol: { kind: "alternating", rounds: { $param: "rounds" } },
  parameters: { rounds: { default: 10, description: "deadline" } },
  opened: "2025-01-01",
}

const failure = (path: string, overrides: Record<string, string> = {}) =>
  Effect.flip(loadScenario(path, overrides)).pipe(Effect.map((e) => e.message))

describe("scenario loading", () => {
  it.effect("a valid JSON scenario loads, with $param substituted", () =>
    Effect.gen(function* () {
      const compiled = yield* loadScenario(file("ok.json", valid))
      assert.strictEqual(compiled.scenario.protocol.rounds, 10)
      const overridden = yield* loadScenario(file("ok2.json", valid), { rounds: "25" })
      assert.strictEqual(overridden.scenario.protocol.rounds, 25)
    }),
  )

  it.effect("a YAML scenario decodes with the same schema", () =>
    Effect.gen(function* () {
      const yaml = `id: deal\ntitle: A deal\nparties:\n  - { id: a, name: A, role: principal }\n  - { id: b, name: B, role: principal }\nissues:\n  - { kind: discrete, id: color, options: [red, blue] }\nprotocol: { kind: alternating, rounds: 3 }\n`
      const compiled = yield* loadScenario(file("ok.yaml", yaml))
      assert.strictEqual(compiled.scenario.issues[0]?.id, "color")
    }),
  )

  it.effect("a wrong type names the file and the field path", () =>
    Effect.gen(function* () {
      const bad = structuredClone(valid) as {
        parties: Array<{ preferences: { weights: Record<string, unknown> } }>
      }
      bad.parties[1]!.preferences.weights.price = "high"
      const path = file("bad-weight.json", bad)
      const message = yield* failure(path)
      assert.include(message, path)
      assert.include(message, "parties[1].preferences.weights.price")
    }),
  )

  it.effect("preferences on an unknown issue are named", () =>
    Effect.gen(function* () {
      const bad = structuredClone(valid) as {
        parties: Array<{ preferences: { weights: Record<string, unknown> } }>
      }
      bad.parties[0]!.preferences.weights.crimea = 1
      const message = yield* failure(file("bad-issue.json", bad))
      assert.include(message, "parties[0].preferences")
      assert.include(message, "crimea")
    }),
  )

  it.effect("an unknown --set parameter and a badly typed value are named", () =>
    Effect.gen(function* () {
      const path = file("params.json", valid)
      assert.include(
        yield* failure(path, { nope: "1" }),
        "--set nope: unknown parameter (this scenario has rounds)",
      )
      assert.include(yield* failure(path, { rounds: "many" }), "--set rounds: expected a number")
    }),
  )

  it.effect("a text parameter with options takes only those, by --set and by default", () =>
    Effect.gen(function* () {
      const withOptions = {
        ...valid,
        parameters: {
          ...valid.parameters,
          mood: { default: "calm", description: "mood", options: ["calm", "angry"] },
        },
      }
      const path = file("options.json", withOptions)
      assert.deepStrictEqual((yield* loadScenario(path, { mood: "angry" })).params.mood, "angry")
      assert.include(
        yield* failure(path, { mood: "sad" }),
        '--set mood: expected one of calm, angry, got "sad"',
      )
      const badDefault = {
        ...withOptions,
        parameters: {
          ...withOptions.parameters,
          mood: { ...withOptions.parameters.mood, default: "sad" },
        },
      }
      assert.include(
        yield* failure(file("bad-default.json", badDefault)),
        'parameters.mood.default: expected one of its options calm, angry, got "sad"',
      )
    }),
  )

  it.effect("a timeline move the rules refuse names its index and the rule", () =>
    Effect.gen(function* () {
      const bad = {
        ...valid,
        timeline: [
          { at: "2025-01-02", type: "MakeOffer", offerId: "o1", by: "a", terms: { price: 5 } },
          { at: "2025-01-03", type: "AcceptOffer", offerId: "o1", by: "zed" },
        ],
      }
      const message = yield* failure(file("bad-move.json", bad))
      assert.include(message, "timeline[1]")
      assert.include(message, 'unknown party "zed"')
    }),
  )

  it.effect("a reported move must cite a source", () =>
    Effect.gen(function* () {
      const bad = {
        ...valid,
        timeline: [
          {
            at: "2025-01-02",
            type: "MakeOffer",
            offerId: "o1",
            by: "a",
            terms: { price: 5 },
            status: "reported",
          },
        ],
      }
      assert.include(yield* failure(file("unsourced.json", bad)), "timeline[0].sources")
    }),
  )

  it.effect("invalid JSON and a missing file are clear errors", () =>
    Effect.gen(function* () {
      assert.include(yield* failure(file("broken.json", "{ nope")), "not valid JSON")
      assert.include(yield* failure(join(dir, "missing.json")), "cannot read the file")
    }),
  )
})

describe("custom preferences (TypeScript scenarios)", () => {
  const problem = (patch: Record<string, unknown>) => {
    const decoded = Schema.decodeUnknownEither(CustomPreferences)({
      kind: "custom",
      utility: () => 0.5,
      ...patch,
    })
    return Either.isLeft(decoded) ? deepestIssue(decoded.left, "preferences") : undefined
  }

  it("refuse a reservation JSON cannot carry, and a discount outside (0, 1], naming the field", () => {
    assert.isUndefined(problem({ reservation: 0.2, discount: 0.9, discountPerRound: 1 }))
    for (const reservation of [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NaN])
      assert.strictEqual(problem({ reservation })?.path, "preferences.reservation")
    for (const discount of [0, 1.5, Number.NaN])
      assert.strictEqual(problem({ discount })?.path, "preferences.discount")
    assert.strictEqual(problem({ discountPerRound: -1 })?.path, "preferences.discountPerRound")
  })
})
