/**
 * The registries (strategies, acceptance conditions, opponent models,
 * mediation methods) are consistent: every kind is registered once, has its
 * summary, and is made by its own entry; the Schema unions, `make` and the
 * listings derived from them agree with the lists.
 */
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import {
  AcceptanceSpec,
  acceptanceConditions,
  acceptanceInfo,
} from "../../../src/simulation/boa/Acceptance.ts"
import { ModelSpec, modelInfo, opponentModels } from "../../../src/simulation/boa/Models.ts"
import { kindsOf } from "../../../src/simulation/Kinds.ts"
import { mediationMethods } from "../../../src/simulation/mediation/Methods.ts"
import {
  acceptanceCatalog,
  catalog,
  modelCatalog,
} from "../../../src/simulation/strategies/Catalog.ts"
import { entryKinds } from "../../../src/simulation/strategies/Entry.ts"
import {
  DEFAULT_METHOD,
  decodeStrategySpec,
  LocalStrategySpec,
  localStrategies,
  MediatorSpec,
  make,
  StrategySpec,
  strategyEntries,
  strategyKinds,
} from "../../../src/simulation/strategies/index.ts"

const duplicates = (xs: ReadonlyArray<string>) => xs.filter((x, i) => xs.indexOf(x) !== i)

describe("the strategy registry", () => {
  it("names every kind once, in the union's order, remote last", () => {
    const kinds = strategyEntries.flatMap(entryKinds)
    expect(duplicates(kinds)).toEqual([])
    expect(kinds).toEqual(strategyKinds)
    expect(StrategySpec.members.flatMap(kindsOf)).toEqual(kinds)
    expect(LocalStrategySpec.members.flatMap(kindsOf)).toEqual(localStrategies.flatMap(entryKinds))
    expect(kinds.at(-1)).toBe("remote")
  })

  it("says what each of its kinds is, once, and the catalogue lists exactly them", () => {
    for (const entry of strategyEntries) {
      const about = entry.about.map((i) => i.kind)
      expect([...about].sort()).toEqual([...entryKinds(entry)].sort())
      for (const info of entry.about) expect(info.summary).not.toBe("")
    }
    expect(catalog().map((e) => e.kind)).toEqual(strategyKinds)
  })

  it("makes each kind by its own entry", () => {
    const specs: Record<string, unknown> = {
      scripted: { kind: "scripted", offers: [] },
      rubinstein: { kind: "rubinstein", player: 1, delta1: 0.9, delta2: 0.9 },
      boa: { kind: "boa", offering: { kind: "linear" } },
      remote: { kind: "remote", subject: "agents.a" },
    }
    for (const kind of strategyKinds) {
      const decoded = decodeStrategySpec(specs[kind] ?? { kind })
      expect(Either.isRight(decoded), kind).toBe(true)
      if (Either.isRight(decoded)) expect(typeof make(decoded.right).init).toBe("function")
    }
  })
})

describe("the acceptance condition and opponent model registries", () => {
  it("derive their unions and listings from their lists", () => {
    const acceptance = acceptanceConditions.flatMap((e) => kindsOf(e.spec))
    expect(duplicates(acceptance)).toEqual([])
    expect(acceptanceInfo.map((i) => i.kind)).toEqual(acceptance)
    expect(acceptanceCatalog().map((e) => e.kind)).toEqual(acceptance)
    expect(Either.isRight(Schema.decodeUnknownEither(AcceptanceSpec)({ kind: "deadline" }))).toBe(
      true,
    )
    const models = opponentModels.flatMap((e) => kindsOf(e.spec))
    expect(duplicates(models)).toEqual([])
    expect(ModelSpec.members.flatMap(kindsOf)).toEqual(models)
    expect(modelInfo.map((i) => i.kind)).toEqual(models)
    expect(modelCatalog().map((e) => e.kind)).toEqual(models)
  })
})

describe("the mediation method registry", () => {
  it("is the mediator spec's method literal, default included, and makes each method", () => {
    const methods = mediationMethods.map((m) => m.method)
    expect(duplicates(methods)).toEqual([])
    expect(methods).toContain(DEFAULT_METHOD)
    for (const method of methods) {
      const spec = Schema.decodeUnknownSync(MediatorSpec)({ kind: "mediator", method })
      expect(make(spec).name).toBe(`mediator(${method})`)
    }
    expect(
      Either.isLeft(Schema.decodeUnknownEither(MediatorSpec)({ kind: "mediator", method: "x" })),
    ).toBe(true)
    expect(make(Schema.decodeUnknownSync(MediatorSpec)({ kind: "mediator" })).name).toBe(
      `mediator(${DEFAULT_METHOD})`,
    )
  })
})
