import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Schema } from "effect"
import { EventEnvelope } from "../../src/domain/Event.ts"
import { NegotiationOpenedV1 } from "../../src/domain/Upcast.ts"
import { compileGuard } from "../../src/store/Guard.ts"
import { envelopeArb, fromSchema } from "../support/Arbitraries.ts"
import { fastCheck } from "../support/ArbitrariesConfig.ts"

const slow = Schema.is(EventEnvelope, { onExcessProperty: "error" })
const fast = compileGuard(EventEnvelope)

/** A JSON value of any shape, to put where it does not belong. */
const junk = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant("2025-01-01T00:00:00.000Z"),
  fc.constant("a.b"),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string(), { maxKeys: 2 }),
)

/** Every path to a value inside a JSON tree. */
const paths = (
  value: unknown,
  prefix: ReadonlyArray<string | number> = [],
): Array<ReadonlyArray<string | number>> => {
  if (typeof value !== "object" || value === null) return [prefix]
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)
  return [
    prefix,
    ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k])),
  ]
}

/** A copy of `value` with the node at `path` replaced, deleted, or given an extra key. */
const mutate = (
  value: unknown,
  path: ReadonlyArray<string | number>,
  how: number,
  replacement: unknown,
): unknown => {
  const copy = structuredClone(value) as Record<string | number, unknown>
  if (path.length === 0) return replacement
  let parent: Record<string | number, unknown> = copy
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = path[path.length - 1]!
  if (how === 0) parent[last] = replacement
  else if (how === 1 && !Array.isArray(parent)) delete parent[last]
  else if (!Array.isArray(parent)) parent[`extra${String(last)}`] = replacement
  else parent[last] = replacement
  return copy
}

/**
 * Valid values of `arb` pass both checks; broken anywhere (a value replaced, a
 * key removed or added), the compiled guard says what Schema.is says — and
 * enough of them are rejected for that to mean something.
 */
const agreeWhenBroken = (
  arb: fc.Arbitrary<unknown>,
  guard: (u: unknown) => boolean,
  is: (u: unknown) => boolean,
  runs: number,
  minRejected: number,
) => {
  let rejected = 0
  fc.assert(
    fc.property(
      arb.chain((e) => {
        const json = JSON.parse(JSON.stringify(e)) as unknown
        return fc.tuple(fc.constant(json), fc.constantFrom(...paths(json)), fc.nat(2), junk)
      }),
      ([json, path, how, replacement]) => {
        expect(guard(json)).toBe(true)
        expect(is(json)).toBe(true)
        const broken = mutate(json, path, how, replacement)
        const expected = is(broken)
        if (!expected) rejected++
        expect(guard(broken)).toBe(expected)
      },
    ),
    fastCheck(runs),
  )
  expect(rejected).toBeGreaterThan(minRejected)
}

describe("compiled guards", () => {
  it("the compiled guard accepts every valid envelope, as Schema.is does", () => {
    fc.assert(
      fc.property(envelopeArb, (e) => {
        const json = JSON.parse(JSON.stringify(e))
        expect(fast(json)).toBe(true)
        expect(slow(json)).toBe(true)
      }),
      fastCheck(200),
    )
  })

  it("the compiled guard agrees with Schema.is on envelopes broken anywhere (a value replaced, a key removed or added)", () => {
    agreeWhenBroken(envelopeArb, fast, slow, 1000, 100)
  })

  it("the guard the codec reads version-1 openings with agrees with Schema.is on them, valid and broken", () => {
    const v1Envelope = Schema.Struct({ ...EventEnvelope.fields, event: NegotiationOpenedV1 })
    agreeWhenBroken(
      fromSchema(v1Envelope),
      compileGuard(v1Envelope),
      Schema.is(v1Envelope, { onExcessProperty: "error" }),
      300,
      30,
    )
  })
})
