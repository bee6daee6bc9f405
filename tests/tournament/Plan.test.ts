import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { isToken } from "../../src/domain/Ids.ts"
import { loadTournament } from "../../src/tournament/Definition.ts"
import { assignmentsOf, negotiationIdOf, planOf } from "../../src/tournament/Plan.ts"
import { dinner, englandZimbabwe, four, laptop, tempDir, write } from "./support.ts"

const planFor = async (definition: object) => {
  const file = write(tempDir(), "t.json", definition)
  const tournament = await Effect.runPromise(
    loadTournament(file).pipe(Effect.provide(NodeFileSystem.layer)),
  )
  return planOf(tournament)
}

const base = {
  id: "plan",
  competitors: four,
  scenarios: [laptop, englandZimbabwe],
  repetitions: 3,
  rounds: 30,
}

const names = (assignment: ReadonlyArray<readonly [string, number]>) =>
  assignment.map(([, c]) => four[c]!.name).join(" vs ")

describe("the plan of a tournament", () => {
  it("4 competitors on 2 domains with rotation, no self-play and 3 repetitions: 4·3·2·3 = 72 negotiations", async () => {
    const plan = await planFor(base)
    expect(plan).toHaveLength(72)
    expect(new Set(plan.map((p) => p.id)).size).toBe(72)
    for (const p of plan) expect(isToken(p.id)).toBe(true)
    // Every ordered pair of distinct competitors, in every role, 3 times per domain.
    for (const scenario of [0, 1]) {
      const pairs = plan.filter((p) => p.scenario === scenario).map((p) => names(p.assignment))
      expect(new Set(pairs).size).toBe(12)
      for (const pair of new Set(pairs)) expect(pairs.filter((x) => x === pair)).toHaveLength(3)
      expect(pairs).toContain("hardheaded vs agentk")
      expect(pairs).toContain("agentk vs hardheaded")
      expect(pairs.some((x) => x === "agentk vs agentk")).toBe(false)
    }
    // Seeds depend on the repetition and the assignment, not on the plan's position.
    expect(new Set(plan.map((p) => p.seed)).size).toBe(72)
  })

  it("derives the same ids and seeds from the same file and seed, other seeds from another seed", async () => {
    const a = await planFor(base)
    const b = await planFor(base)
    expect(b).toEqual(a)
    const c = await planFor({ ...base, seed: 2 })
    expect(c.map((p) => p.id)).toEqual(a.map((p) => p.id))
    expect(c.filter((p, i) => p.seed === a[i]!.seed)).toHaveLength(0)
  })

  it("without rotation plays each pair once, in file order; self-play adds each competitor against itself", async () => {
    const fixed = await planFor({ ...base, rotateRoles: false })
    expect(fixed).toHaveLength(6 * 2 * 3)
    expect(fixed.some((p) => names(p.assignment) === "agentk vs hardheaded")).toBe(false)
    expect(fixed.some((p) => names(p.assignment) === "hardheaded vs agentk")).toBe(true)
    const self = await planFor({ ...base, selfPlay: true })
    expect(self).toHaveLength(16 * 2 * 3)
    expect(self.some((p) => names(p.assignment) === "agentk vs agentk")).toBe(true)
    expect(assignmentsOf(4, 2, { rotateRoles: false, selfPlay: true })).toHaveLength(10)
  })

  it("a 3-party scenario takes every assignment of competitors to its parties, or a seeded sample", async () => {
    const all = await planFor({ id: "multi", competitors: four, scenarios: [dinner], rounds: 30 })
    expect(all).toHaveLength(4 * 3 * 2)
    expect(all[0]!.assignment.map(([seat]) => seat)).toEqual([
      "Dinner_util1",
      "Dinner_util2",
      "Dinner_util3",
    ])
    expect(new Set(all.map((p) => names(p.assignment))).size).toBe(24)
    const sampled = await planFor({
      id: "multi",
      competitors: four,
      scenarios: [dinner],
      assignments: 5,
    })
    expect(sampled).toHaveLength(5)
    expect(
      await planFor({ id: "multi", competitors: four, scenarios: [dinner], assignments: 5 }),
    ).toEqual(sampled)
    const ids = new Set(all.map((p) => p.id))
    for (const p of sampled) expect(ids.has(p.id)).toBe(true)
  })

  it("shortens an id that would be too long or hold other characters, keeping it unique by a hash", () => {
    const long = negotiationIdOf(
      "t",
      "a-very-long-scenario-name",
      ["competitor number one", "competitor number two"],
      12,
    )
    expect(isToken(long)).toBe(true)
    expect(long).toMatch(/-r12-[0-9a-f]{8}$/)
    const other = negotiationIdOf(
      "t",
      "a-very-long-scenario-name",
      ["competitor number two", "competitor number one"],
      12,
    )
    expect(other).not.toBe(long)
    expect(negotiationIdOf("t", "s", ["a", "b"], 1)).toBe("t-s-a_b-r1")
  })
})
