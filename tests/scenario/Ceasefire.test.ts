import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type { OfferId } from "../../src/domain/Ids.ts"
import { findOffer } from "../../src/domain/Negotiation.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import * as Memory from "../../src/store/Memory.ts"

const FILE = "scenarios/ceasefire-freeze.ts"
const report = readFileSync("scenarios/sources/ceasefire-freeze-report.txt", "utf8")

describe("the ceasefire-freeze scenario (from the seed report)", () => {
  it.effect("every source it cites quotes the report word for word", () =>
    Effect.gen(function* () {
      const { scenario } = yield* loadScenario(FILE)
      assert.isAbove(scenario.sources.length, 3)
      for (const source of scenario.sources) {
        assert.isDefined(source.quote, `source ${source.id} has no quote`)
        assert.isTrue(report.includes(source.quote!), `not in the report: ${source.quote}`)
      }
    }),
  )

  it.effect(
    "the reported offer stays reported and unconfirmed; nothing is agreed by the timeline",
    () =>
      Effect.gen(function* () {
        const compiled = yield* loadScenario(FILE)
        const state = compiled.afterTimeline
        const offer = findOffer(state, "freeze-offer" as OfferId)!
        assert.strictEqual(offer.provenance.status, "reported")
        assert.isFalse(offer.confirmed)
        assert.strictEqual(offer.status, "pending")
        assert.deepStrictEqual(offer.terms as Record<string, unknown>, {
          "held-territory": "stays-under-russian-control",
          "unheld-claims": "dropped",
          crimea: "stays-under-russian-control",
        })
        assert.isAbove(offer.provenance.sources?.length ?? 0, 0)
        assert.strictEqual(state.status, "open")
        assert.isUndefined(state.agreement)
        const ukraine = state.parties.find((p) => p.id === "ukraine")!
        const demands = ukraine.position?.demands as Record<string, unknown> | undefined
        assert.strictEqual(demands?.crimea, "returned-to-ukraine")
      }),
  )

  it.effect("every assumption is a parameter marked as one", () =>
    Effect.gen(function* () {
      const { scenario } = yield* loadScenario(FILE)
      const params = Object.entries(scenario.parameters)
      assert.isAbove(params.length, 10)
      for (const [name, p] of params)
        assert.isTrue(p.assumption, `${name} is not marked as an assumption`)
      assert.isAbove(scenario.assumptions.length, 0)
    }),
  )

  it.effect("a run prints the sourced timeline, then simulated moves by the strategies", () =>
    Effect.gen(function* () {
      const prepared = yield* Effect.flatMap(
        loadScenario(FILE, { protocol: "alternating" }),
        prepare,
      )
      const result = yield* run(prepared, { seed: 1, trace: true }).pipe(
        Effect.provide(Memory.layer),
      )
      const scripted = result.trace.filter((t) => t.round === null && t.party !== null)
      assert.deepStrictEqual(
        scripted.map((t) => [t.party, t.move, t.status]),
        [
          ["russia", "offered", "reported"],
          ["ukraine", "stated position", "official"],
        ],
      )
      assert.isTrue(scripted.every((t) => (t.sources?.length ?? 0) > 0))
      assert.isAbove(result.trace.filter((t) => t.status === "simulated").length, 2)
      assert.include(["agreed", "expired", "collapsed"], result.state.status)
    }),
  )
})
