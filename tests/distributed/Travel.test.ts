/**
 * What a work item carries: a batch rebuilt on a worker from the data it
 * travels as is the batch the coordinator loaded (the same compiled
 * scenario, the same drawn parameters), also for a TypeScript module whose
 * `build(params)` output is shipped; and what cannot travel is refused
 * naming the field — a `Strategy` object given as an agent, a custom utility
 * function. A `build(params)` module with parameters drawn per run travels
 * by reference (its path and content hash): a worker loads its own copy and
 * refuses one whose content differs, or a path outside its directory.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { batchOf, travellingBatch, travelProblem } from "../../src/distributed/Travel.ts"
import { loadBatch, preparedFor } from "../../src/simulation/Batch.ts"
import { decodeStrategySpec, make } from "../../src/simulation/strategies/index.ts"

const laptop = "scenarios/anac-laptop.json"
const ceasefire = "scenarios/ceasefire-freeze.ts"
const load = (file: string, overrides: Record<string, string> = {}, agents = {}) =>
  Effect.runPromise(loadBatch(file, overrides, agents))

describe("travelling batches", () => {
  it("a batch rebuilt from its travelling form draws and compiles every run exactly as the original", async () => {
    const fixed = {
      russiaReservation: "0.5",
      ukraineReservation: "0.3",
      ukraineConcession: "1",
      russiaConcession: "0.4",
    }
    for (const batch of [await load(laptop), await load(ceasefire, fixed)]) {
      const travelling = Either.getOrThrow(travellingBatch(batch))
      // Through JSON, as on the wire.
      const rebuilt = await Effect.runPromise(batchOf(JSON.parse(JSON.stringify(travelling))))
      expect(rebuilt.uncertain).toEqual(batch.uncertain)
      for (const seed of [1, 2, 99]) {
        const a = Either.getOrThrow(preparedFor(batch, seed))
        const b = Either.getOrThrow(preparedFor(rebuilt, seed))
        expect(b.drawn).toEqual(a.drawn)
        expect(JSON.stringify(b.prepared.compiled)).toBe(JSON.stringify(a.prepared.compiled))
      }
    }
  })

  it("refuses a Strategy object given as an agent, naming the agent", async () => {
    const strategy = make(
      Either.getOrThrow(decodeStrategySpec({ kind: "time-dependent", preset: "boulware" })),
    )
    const batch = await load(laptop, {}, { laptop_buyer_utility: strategy })
    const refused = travellingBatch(batch)
    expect(Either.isLeft(refused)).toBe(true)
    const message = Either.isLeft(refused) ? refused.left.message : ""
    expect(message).toContain("cannot run on workers")
    expect(message).toContain("--agent.laptop_buyer_utility")
    expect(message).toContain("code (a function)")
  })

  it("refuses a custom utility function, naming its field", async () => {
    const batch = await load(laptop)
    const definition = JSON.parse(JSON.stringify(batch.definition)) as {
      parties: Array<{ preferences?: unknown }>
    }
    definition.parties[0]!.preferences = { kind: "custom", utility: () => 0.5 }
    const refused = travellingBatch({ ...batch, definition })
    expect(Either.isLeft(refused) && refused.left.message).toContain(
      "parties[0].preferences.utility: code (a function) cannot travel",
    )
  })

  it("a build(params) module whose parameters are drawn per run travels by path and hash, and is rebuilt as the original", async () => {
    const batch = await load(ceasefire)
    const travelling = Either.getOrThrow(travellingBatch(batch))
    expect(travelling.definition).toBeNull()
    expect(travelling.module).toEqual({
      path: ceasefire,
      sha256: createHash("sha256").update(readFileSync(ceasefire)).digest("hex"),
    })
    const rebuilt = await Effect.runPromise(batchOf(JSON.parse(JSON.stringify(travelling))))
    expect(rebuilt.uncertain).toEqual(batch.uncertain)
    for (const seed of [1, 2, 99]) {
      const a = Either.getOrThrow(preparedFor(batch, seed))
      const b = Either.getOrThrow(preparedFor(rebuilt, seed))
      expect(b.drawn).toEqual(a.drawn)
      expect(JSON.stringify(b.prepared.compiled)).toBe(JSON.stringify(a.prepared.compiled))
    }
  })

  it("a worker refuses a module whose content hashes otherwise, or a path outside its directory", async () => {
    const travelling = Either.getOrThrow(travellingBatch(await load(ceasefire)))
    const other = { ...travelling, module: { ...travelling.module!, sha256: "0".repeat(64) } }
    const refused = await Effect.runPromise(Effect.flip(batchOf(other)))
    expect(refused.message).toContain(
      `module: refused: this worker's ${ceasefire} hashes to ${travelling.module!.sha256.slice(0, 16)}…, the coordinator's to 0000000000000000…`,
    )
    for (const path of ["../elsewhere/x.ts", "/etc/x.ts", "scenarios/anac-laptop.json"]) {
      const outside = { ...travelling, module: { ...travelling.module!, path } }
      const no = await Effect.runPromise(Effect.flip(batchOf(outside)))
      expect(no.message).toContain(
        `refused: ${path} is not a scenario module inside the worker's working directory`,
      )
    }
  })

  it("names values JSON cannot carry exactly", () => {
    expect(travelProblem({ a: [1, Number.NaN] }, "")).toBe("a[1]: NaN is not a JSON number")
    expect(travelProblem({ a: new Date(0) }, "")).toContain("a: an object of class Date")
    expect(travelProblem({ a: [1, "x", null, { b: true }] }, "")).toBeUndefined()
  })
})
