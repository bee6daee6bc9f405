/**
 * The agents together, as a researcher would first try them: composed BOA
 * agents through the runner, and the ANAC champions against the baselines
 * in a small round robin on real ANAC domains (each ordered pair plays both
 * roles, several seeds), scored by mean advantage (discounted utility minus
 * discounted reservation value, as the ANL scores).
 */
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import type { Imported } from "../../src/analysis/Import.ts"
import { run, StrategyError } from "../../src/simulation/Runner.ts"
import {
  decodeStrategySpec,
  strategyKinds,
  strategyProblem,
} from "../../src/simulation/strategies/index.ts"
import * as Memory from "../../src/store/Memory.ts"
import { importDomain, play, prepareDomain } from "./support/Play.ts"

describe("a boa agent composed in a spec", () => {
  it("plays with its model and acceptance condition, and names the rule that fired", async () => {
    const camera = await importDomain("anac2011/Camera")
    const spec = {
      kind: "boa",
      offering: { kind: "boulware", tieBreak: "model", tolerance: 0.03 },
      model: { kind: "frequency" },
      acceptance: {
        kind: "any",
        of: [
          { kind: "const", c: 0.95 },
          { kind: "time", T: 0.98 },
        ],
      },
    }
    const decoded = Either.getOrThrow(decodeStrategySpec(spec))
    expect(decoded).toMatchObject({ anchoring: "public", reported: "leave" })
    const prepared = prepareDomain(camera, [spec, { kind: "hardliner" }], { rounds: 60 })
    const me = prepared.parties[0]!
    expect(me.strategy!.name).toBe(
      "boa(boulware(genius), frequency, any(AC_const(0.95), AC_time(0.98)))",
    )
    let accepted = 0
    for (const seed of [1, 2, 3]) {
      const result = play(prepared, seed)
      expect(result.state.status).toBe("agreed")
      for (const t of result.trace)
        if (t.party === me.id && t.move === "accepted") {
          accepted++
          expect(t.note).toMatch(/^by (AC_const\(0\.95\)|AC_time\(0\.98\)|AC_own-public-offer)$/)
          expect(me.utility(t.terms!) >= 0.95 || result.scores.agreementTime! >= 0.98).toBe(true)
        }
    }
    expect(accepted).toBeGreaterThan(0)
  })

  it("a component that cannot start on a domain fails the run with a StrategyError naming why", async () => {
    const camera = await importDomain("anac2011/Camera")
    const prepared = prepareDomain(
      camera,
      [
        {
          kind: "boa",
          offering: { kind: "boulware", tieBreak: "model" },
          model: { kind: "bayesian" },
        },
        { kind: "conceder" },
      ],
      { rounds: 10 },
    )
    const failed = Effect.runSync(
      Effect.flip(run(prepared, { seed: 1 })).pipe(Effect.provide(Memory.layer)),
    )
    expect(failed).toBeInstanceOf(StrategyError)
    expect(failed.message).toMatch(
      /could not start: bayesian opponent model: .* exceed maxHypotheses/,
    )
  })

  it("every kind the spec names decodes from its kind alone or names what it needs", () => {
    for (const kind of strategyKinds) {
      const r = decodeStrategySpec({ kind })
      if (Either.isLeft(r)) {
        // Those that need more than their kind: a script, Rubinstein's parameters, BOA parts, a remote agent's subject.
        expect(["scripted", "rubinstein", "boa", "remote"]).toContain(kind)
        if (kind === "remote") expect(strategyProblem(r.left)).toMatch(/subject/)
      }
    }
  })
})

describe("the ANAC champions against the baselines (round robin on ANAC domains)", () => {
  const champions = ["agentk", "hardheaded", "cuhkagent", "atlas3"] as const
  const baselines = ["conceder", "random"] as const
  const pool = [...champions, ...baselines]

  it("each champion's mean advantage beats conceder's and random's over a mixed pool", async () => {
    const domains: Array<Imported> = await Promise.all([
      importDomain("anac2011/Laptop"),
      importDomain("anac2011/Camera"),
      importDomain("anac2010/EnglandZimbabwe"),
    ])
    const sums = new Map<string, { total: number; n: number; agreed: number }>()
    const add = (kind: string, advantage: number, agreed: boolean) => {
      const s = sums.get(kind) ?? { total: 0, n: 0, agreed: 0 }
      s.total += advantage
      s.n++
      if (agreed) s.agreed++
      sums.set(kind, s)
    }
    for (const domain of domains)
      for (const a of pool)
        for (const b of pool) {
          if (a === b) continue
          // Ordered pairs: each kind plays each role against each other kind.
          const prepared = prepareDomain(domain, [{ kind: a }, { kind: b }], { rounds: 60 })
          for (const seed of [1, 2]) {
            const result = play(prepared, seed)
            const agreed = result.state.status === "agreed"
            const [pa, pb] = prepared.parties
            add(a, result.scores.parties[pa!.id]!.advantage, agreed)
            add(b, result.scores.parties[pb!.id]!.advantage, agreed)
          }
        }
    const mean = (k: string) => sums.get(k)!.total / sums.get(k)!.n
    const table = pool.map((k) => ({
      agent: k,
      meanAdvantage: Number(mean(k).toFixed(3)),
      agreementRate: Number((sums.get(k)!.agreed / sums.get(k)!.n).toFixed(2)),
      negotiations: sums.get(k)!.n,
    }))
    console.log("POOL mean advantage (3 ANAC domains, ordered pairs, 2 seeds, 60 rounds)")
    console.table(table)
    for (const c of champions)
      for (const b of baselines) expect(mean(c), `${c} vs ${b}`).toBeGreaterThan(mean(b))
  }, 120_000)
})
