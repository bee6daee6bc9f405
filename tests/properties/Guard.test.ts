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
    let rejected = 0
    fc.assert(
      fc.property(
        envelopeArb.chain((e) => {
          const json = JSON.parse(JSON.stringify(e)) as unknown
          return fc.tuple(fc.constant(json), fc.constantFrom(...paths(json)), fc.nat(2), junk)
        }),
        ([json, path, how, replacement]) => {
          const broken = mutate(json, path, how, replacement)
          const expected = slow(broken)
          if (!expected) rejected++
          expect(fast(broken)).toBe(expected)
        },
      ),
      fastCheck(1000),
    )
    expect(rejected).toBeGreaterThan(100)
  })

  it("the guard the codec reads version-1 openings with agrees with Schema.is on them, valid and broken", () => {
    const v1Envelope = Schema.Struct({ ...EventEnvelope.fields, event: NegotiationOpenedV1 })
    const slowV1 = Schema.is(v1Envelope, { onExcessProperty: "error" })
    const fastV1 = compileGuard(v1Envelope)
    let rejected = 0
    fc.assert(
      fc.property(
        fromSchema(v1Envelope).chain((e) => {
          const json = JSON.parse(JSON.stringify(e)) as unknown
          return fc.tuple(fc.constant(json), fc.constantFrom(...paths(json)), fc.nat(2), junk)
        }),
        ([json, path, how, replacement]) => {
          expect(fastV1(json)).toBe(true)
          expect(slowV1(json)).toBe(true)
          const broken = mutate(json, path, how, replacement)
          const expected = slowV1(broken)
          if (!expected) rejected++
          expect(fastV1(broken)).toBe(expected)
        },
      ),
      fastCheck(300),
    )
    expect(rejected).toBeGreaterThan(30)
  })
})
