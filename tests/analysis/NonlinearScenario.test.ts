import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { importGeniusFolderAny } from "../../src/analysis/GeniusNonlinear.ts"
import { utility } from "../../src/analysis/Preferences.ts"
import type { Terms } from "../../src/domain/Issue.ts"
import { scenarioFromDomain } from "../../src/scenario/FromDomain.ts"
import { instantiate } from "../../src/scenario/Load.ts"
import { fixture } from "./helpers.ts"

const imported = () =>
  Effect.runPromise(
    importGeniusFolderAny(fixture("nonlinear/S-1NAGUNL-114")).pipe(
      Effect.provide(NodeFileSystem.layer),
    ),
  )

describe("hyper-rectangle preferences in scenarios", () => {
  it("an imported non-linear domain becomes a scenario (JSON) that loads with the same utilities", async () => {
    const g = await imported()
    const json = JSON.parse(JSON.stringify(scenarioFromDomain(g, { id: "s114" })))
    expect(json.parties[0].preferences.kind).toBe("hyper-rectangles")
    const compiled = Either.getOrThrow(instantiate("s114.json", json, {}))
    const terms = Object.fromEntries(g.issues.map((i, k) => [i.id, k % 10])) as Terms
    const loaded = compiled.scenario.parties.map((p) =>
      utility(p.preferences!, compiled.scenario.issues)(terms),
    )
    expect(loaded.map((x) => Number(x.toFixed(6)))).toEqual([0.731003, 0.588832])
    expect(compiled.scenario.parties[0]!.preferences!.reservation).toBe(0.6)
    expect(compiled.scenario.parties[0]!.preferences!.discount).toBe(0.95)
  })

  it("errors name the party's field", async () => {
    const g = await imported()
    const json = JSON.parse(JSON.stringify(scenarioFromDomain(g, { id: "s114" })))
    json.parties[1].preferences.rectangles[2].includes[0].issue = "nowhere"
    const bad = instantiate("s114.json", json, {})
    expect(Either.isLeft(bad) && bad.left.message).toMatch(
      /parties\[1\]\.preferences.*rectangles\[2\]\.includes\[0\]\.issue: unknown issue "nowhere"/,
    )
    const json2 = JSON.parse(JSON.stringify(scenarioFromDomain(g, { id: "s114" })))
    json2.parties[0].preferences.maxUtility = "high"
    const bad2 = instantiate("s114.json", json2, {})
    expect(Either.isLeft(bad2) && bad2.left.message).toMatch(
      /parties\[0\]\.preferences\.maxUtility/,
    )
  })

  it("an uncertainty profile imports with its settings, its true utility as preferences, and a note saying so", async () => {
    const g = await Effect.runPromise(
      importGeniusFolderAny(fixture("uncertainty/Jobs")).pipe(Effect.provide(NodeFileSystem.layer)),
    )
    expect(g.profiles.map((p) => p.uncertainty?.comparisons)).toEqual([50, 10])
    const json = JSON.parse(JSON.stringify(scenarioFromDomain(g, { id: "jobs" })))
    expect(json.parties[1].notes).toMatch(/uncertainty profile \(comparisons 10/)
    const compiled = Either.getOrThrow(instantiate("jobs.json", json, {}))
    expect(compiled.scenario.parties[1]!.preferences!.kind).toBe("linear-additive")
  })
})
