/**
 * CUHKAgent's defining behaviour: a threshold that concedes until a
 * non-exploitation point λ set by the discount factor and the opponent's
 * toughness, then holds its discounted value; reinforcement of the
 * opponent's best offer; discount-aware acceptance; and, on real ANAC
 * domains, firmness against a hardliner, agreement with a conceder and an
 * advantage over simple opponents.
 */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import type { Imported } from "../../../src/analysis/Import.ts"
import type { Terms } from "../../../src/domain/Issue.ts"
import type { Prepared, RunResult } from "../../../src/simulation/Runner.ts"
import type { Move, PartyView, Strategy } from "../../../src/simulation/Strategy.ts"
import {
  AC_CUHK_BEST,
  AC_CUHK_THRESHOLD,
  adaptedLambda,
  CUHKAgentSpec,
  cuhkagent,
  cuhkagentInfo,
  cuhkThreshold,
  initialLambda,
} from "../../../src/simulation/strategies/CUHKAgent.ts"
import { ladderOf, termsOf } from "../../../src/simulation/strategies/Ladder.ts"
import { againstBaselines } from "../support/Baselines.ts"
import { importDomain, play, prepareDomain } from "../support/Play.ts"
import { offer, turnAt, viewOf } from "./Driver.ts"

const strategy: Strategy = cuhkagent(Schema.decodeSync(CUHKAgentSpec)({ kind: "cuhkagent" }))

/** The domain with every profile's GENIUS discount factor set to `d`. */
const withDiscount = (imported: Imported, d: number): Imported => ({
  ...imported,
  profiles: imported.profiles.map((p) => ({
    ...p,
    preferences: { ...p.preferences, discount: d },
  })),
})

/** The private view of profile 0 of a prepared domain, with its own seed. */
const firstView = (prepared: Prepared, seed: number): PartyView => {
  const me = prepared.parties[0]!
  return viewOf(me.id, me.preferences, {
    space: prepared.space,
    seed,
    others: [{ party: prepared.parties[1]!.id, role: "principal" }],
  })
}

/** Outcomes worth less than `below` to `view`, worst first. */
const worstOutcomes = (view: PartyView, below: number, count: number): Array<Terms> => {
  const ladder = ladderOf(view)
  const out: Array<Terms> = []
  for (let k = ladder.length - 1; k >= 0 && out.length < count; k--)
    if (ladder.utilities[k]! < below) out.push(termsOf(ladder.space, ladder.order[k]!))
  return out
}

/** The outcome of `view`'s ladder nearest below utility `u`. */
const outcomeWorth = (view: PartyView, u: number): Terms => {
  const ladder = ladderOf(view)
  let k = 0
  while (k < ladder.length - 1 && ladder.utilities[k]! > u) k++
  return termsOf(ladder.space, ladder.order[k]!)
}

/** Drives the player for `rounds` rounds, the opponent offering `offers[r % n]`; stops at an accept or walk-out. */
const drive = (
  view: PartyView,
  offers: ReadonlyArray<Terms>,
  rounds: number,
  opponent = "opponent",
): Array<Move> => {
  const player = strategy.init(view)
  const moves: Array<Move> = []
  for (let r = 0; r < rounds; r++) {
    const m = player.move(
      turnAt(r, rounds, offer(opponent, view.party, offers[r % offers.length]!, r)),
    )
    moves.push(m)
    if (m.type !== "offer") break
  }
  return moves
}

describe("CUHKAgent: threshold and non-exploitation point", () => {
  it("stops exploiting earlier the heavier the discount, and later against a conceding opponent", () => {
    const lambdas = [0.2, 0.5, 0.7, 0.9, 1].map((d) => initialLambda(d, 0.08))
    for (let k = 1; k < lambdas.length; k++) expect(lambdas[k]!).toBeGreaterThan(lambdas[k - 1]!)
    expect(initialLambda(1, 0.08)).toBe(1)
    expect(initialLambda(0, 0.08)).toBe(0.08)
    const l0 = initialLambda(0.5, 0.08)
    // A conceder (σ = 1) pushes λ by w·(1 − λ₀); a hardliner (σ = 0.01) leaves it.
    expect(adaptedLambda(l0, 1, 0.1, 10)).toBeCloseTo(l0 + 0.1 * (1 - l0), 12)
    expect(adaptedLambda(l0, 0.01, 0.1, 10)).toBeCloseTo(l0, 12)
  })

  it("concedes until λ, then holds the discounted value of its best outcome at the deadline", () => {
    const delta = 0.5
    const lambda = initialLambda(delta, 0.08)
    let previous = Number.POSITIVE_INFINITY
    for (let t = 0; t <= lambda; t += 0.05) {
      const l = cuhkThreshold(t, 1, delta, lambda, 2)
      expect(l).toBeLessThanOrEqual(previous)
      previous = l
    }
    expect(cuhkThreshold(0, 1, delta, lambda, 2)).toBe(1)
    expect(cuhkThreshold(lambda, 1, delta, lambda, 2)).toBeCloseTo(delta ** (1 - lambda), 12)
    for (const t of [lambda + 0.01, 0.7, 0.9, 1])
      expect(cuhkThreshold(t, 1, delta, lambda, 2) * delta ** t).toBeCloseTo(delta, 12)
    // Undiscounted, there is nothing to concede to before the deadline.
    expect(cuhkThreshold(0.5, 0.9, 1, initialLambda(1, 0.08), 2)).toBe(0.9)
  })
})

describe("CUHKAgent, turn by turn on Camera (ANAC 2011)", () => {
  it("never bids below its threshold, and exploits a conceding opponent longer than a tough one", async () => {
    const camera = withDiscount(await importDomain("anac2011/Camera"), 0.5)
    const prepared = prepareDomain(camera, [strategy, strategy], { profiles: [0, 1] })
    const v = firstView(prepared, 1)
    const umax = ladderOf(v).utilities[0]!
    // Offers worth little to it (no reinforcement, no acceptance): one
    // repeated (concession degree 0.01), or a new one every round (degree 1).
    const tough = worstOutcomes(v, 0.45, 1)
    const conceding = worstOutcomes(v, 0.45, 100)
    const l0 = initialLambda(0.5, 0.08)
    const lambda = { tough: l0, conceding: adaptedLambda(l0, 1, 0.1, 10) }
    const lows = { tough: 1, conceding: 1 }
    for (const seed of [1, 2, 3]) {
      for (const kind of ["tough", "conceding"] as const) {
        const w = firstView(prepared, seed)
        const moves = drive(w, kind === "tough" ? tough : conceding, 100)
        expect(moves.length).toBeGreaterThan(90)
        moves.forEach((m, r) => {
          if (m.type !== "offer" || r < 11 || r > 90) return
          const t = r / 99
          const u = w.utility(m.terms)
          expect(u).toBeGreaterThanOrEqual(cuhkThreshold(t, umax, 0.5, lambda[kind], 2) - 1e-9)
          if (r >= 38 && r <= 46) lows[kind] = Math.min(lows[kind], u)
        })
      }
    }
    console.log(
      `CUHKAgent on Camera (δ = 0.5): lowest bid at t in [0.38, 0.46] against a tough opponent ${lows.tough.toFixed(3)}, against a conceding one ${lows.conceding.toFixed(3)} (λ ${lambda.tough.toFixed(3)} vs ${lambda.conceding.toFixed(3)})`,
    )
    expect(lows.conceding).toBeGreaterThan(lows.tough + 0.04)
  })

  it("concedes earlier the heavier the discount: a fixed offer is taken by its threshold only when discounted", async () => {
    const base = await importDomain("anac2011/Camera")
    const taken: Record<string, number | undefined> = {}
    for (const d of [0.5, 0.6, 0.9, 1]) {
      const prepared = prepareDomain(withDiscount(base, d), [strategy, strategy], {
        profiles: [0, 1],
      })
      const w = firstView(prepared, 1)
      const moves = drive(w, [outcomeWorth(w, 0.8)], 100)
      const last = moves.at(-1)!
      const r = moves.length - 1
      if (last.type === "accept" && r < 90) {
        expect(last.rule).toBe(AC_CUHK_THRESHOLD)
        taken[d] = r / 99
      }
    }
    console.log(`CUHKAgent on Camera takes an offer worth 0.8 at t = ${JSON.stringify(taken)}`)
    // δ = 0.5: its threshold reaches 0.8 at t = λ·√(0.2 / (1 − δ^(1−λ))).
    const l = initialLambda(0.5, 0.08)
    const expected = l * Math.sqrt((1 - 0.8) / (1 - 0.5 ** (1 - l)))
    expect(taken[0.5]).toBeGreaterThanOrEqual(expected - 0.02)
    expect(taken[0.5]).toBeLessThanOrEqual(expected + 0.03)
    expect(taken[0.6]).toBeGreaterThan(taken[0.5]! + 0.05)
    expect(taken[0.9]).toBeUndefined()
    expect(taken[1]).toBeUndefined()
  })

  it("proposes the opponent's best offer back once its threshold falls to it", async () => {
    const camera = withDiscount(await importDomain("anac2011/Camera"), 0.5)
    const prepared = prepareDomain(camera, [strategy, strategy], { profiles: [0, 1] })
    const w = firstView(prepared, 1)
    const good = outcomeWorth(w, 0.78)
    const offers = [
      good,
      ...worstOutcomes(w, 0.3, 1).flatMap((t) => Array(99).fill(t) as Array<Terms>),
    ]
    const moves = drive(w, offers, 100)
    const back = moves.findIndex((m) => m.type === "offer" && m.terms === good)
    expect(back).toBeGreaterThan(10)
    const l = initialLambda(0.5, 0.08)
    // Not before its threshold (tough opponent: λ ≈ λ₀) reaches the offer's utility.
    expect(cuhkThreshold((back - 1) / 99, 1, 0.5, l, 2)).toBeGreaterThan(w.utility(good))
    expect(cuhkThreshold(back / 99, 1, 0.5, l, 2)).toBeLessThanOrEqual(w.utility(good) + 0.01)
  })
  it("then accepts an offer within 0.01 of that best one, even below its threshold", async () => {
    const camera = withDiscount(await importDomain("anac2011/Camera"), 0.5)
    const prepared = prepareDomain(camera, [strategy, strategy], { profiles: [0, 1] })
    const w = firstView(prepared, 1)
    const ladder = ladderOf(w)
    const good = outcomeWorth(w, 0.78)
    const ug = w.utility(good)
    // An outcome a little worse than the best offer (by 0.005 to 0.01).
    let k = 0
    while (ladder.utilities[k]! > ug - 0.005) k++
    expect(ladder.utilities[k]!).toBeGreaterThanOrEqual(ug - 0.01)
    const close = termsOf(ladder.space, ladder.order[k]!)
    const uc = w.utility(close)
    // 1000 rounds: its threshold moves by about 0.001 a round near λ.
    const rounds = 1000
    const moves = drive(w, [good, ...(Array(rounds - 1).fill(close) as Array<Terms>)], rounds)
    const last = moves.at(-1)!
    const r = moves.length - 1
    const l = initialLambda(0.5, 0.08)
    const at = (round: number) => cuhkThreshold(round / (rounds - 1), 1, 0.5, l, 2)
    console.log(
      `CUHKAgent on Camera (δ = 0.5): best offer ${ug.toFixed(4)}, offer on the table ${uc.toFixed(4)}, threshold ${at(r).toFixed(4)} at t = ${(r / (rounds - 1)).toFixed(3)}: ${last.type} ${last.type === "accept" ? last.rule : ""}`,
    )
    // It accepts on the first turn its threshold falls to the best offer,
    // though the offer on the table is still below the threshold.
    expect(last).toEqual({ type: "accept", rule: AC_CUHK_BEST })
    expect(at(r - 1)).toBeGreaterThan(ug)
    expect(at(r)).toBeLessThanOrEqual(ug + 1e-9)
    expect(uc).toBeLessThan(at(r))
  })
})

/** The agreement time, CUHKAgent's utility and the rule it accepted by, of one run. */
const outcomeOf = (r: RunResult, me: string) => ({
  time: r.scores.agreementTime,
  utility: r.scores.parties[me]!.utility,
  rule: r.trace.find((e) => e.move === "accepted" && e.party === me)?.note,
})

describe("CUHKAgent on real ANAC domains", () => {
  it("holds firm against a hardliner until its endgame, but exploits a conceder (undiscounted)", async () => {
    for (const name of ["anac2011/Amsterdam", "anac2010/EnglandZimbabwe"]) {
      const domain = withDiscount(await importDomain(name), 1)
      const me = domain.profiles[0]!.party
      const hard = prepareDomain(domain, [strategy, { kind: "time-dependent", e: 0 }], {
        profiles: [0, 1],
      })
      const soft = prepareDomain(domain, [strategy, { kind: "conceder" }], { profiles: [0, 1] })
      const umax = ladderOf(firstView(hard, 1)).utilities[0]!
      for (const seed of [1, 2]) {
        const h = play(hard, seed)
        const ownBids = h.trace.filter(
          (e) => e.party === me && e.move === "offered" && e.round !== null && e.round < 94,
        )
        expect(ownBids.length).toBeGreaterThan(80)
        for (const e of ownBids)
          expect(e.utilities![me]!).toBeGreaterThanOrEqual(umax - 0.05 - 1e-9)
        const c = play(soft, seed)
        const hardly = outcomeOf(h, me)
        const easily = outcomeOf(c, me)
        console.log(
          `CUHKAgent on ${name}: vs hardliner agreement at t = ${hardly.time}, utility ${hardly.utility?.toFixed(3)}; vs conceder t = ${easily.time}, utility ${easily.utility?.toFixed(3)}`,
        )
        expect(hardly.time).toBeGreaterThanOrEqual(0.95)
        expect(easily.time).toBeLessThan(0.5)
        expect(easily.utility!).toBeGreaterThan(hardly.utility! + 0.3)
      }
    }
  })

  it("takes a hardliner's offer right after λ only when the discount makes it worth more than holding out", async () => {
    const base = await importDomain("anac2011/Amsterdam")
    const me = base.profiles[0]!.party
    const run = (d: number) =>
      outcomeOf(
        play(
          prepareDomain(withDiscount(base, d), [strategy, { kind: "time-dependent", e: 0 }], {
            profiles: [0, 1],
          }),
          1,
        ),
        me,
      )
    const heavy = run(0.3)
    const light = run(0.5)
    const l = initialLambda(0.3, 0.08)
    console.log(
      `CUHKAgent on Amsterdam vs hardliner: δ = 0.3 ${heavy.rule} at t = ${heavy.time} (λ₀ ${l.toFixed(3)}); δ = 0.5 ${light.rule} at t = ${light.time}`,
    )
    // δ = 0.3: the hardliner's offer, discounted, beats its best at the deadline (u_max·δ) once past λ.
    expect(heavy.rule).toBe(`by ${AC_CUHK_THRESHOLD}`)
    expect(heavy.time!).toBeGreaterThan(l)
    expect(heavy.time!).toBeLessThan(l + 0.05)
    expect(heavy.utility! * 0.3 ** heavy.time!).toBeGreaterThan(0.3)
    // δ = 0.5: it never does (u·0.5^t < 0.5), so it holds out to its endgame.
    expect(light.utility! * 0.5 ** light.time!).toBeLessThan(0.5)
    expect(light.time!).toBeGreaterThanOrEqual(0.95)
    expect(light.utility).toBe(heavy.utility)
  })

  it("agrees earlier the heavier the discount, against a Boulware opponent", async () => {
    const names = ["anac2011/Camera", "anac2011/Amsterdam", "anac2010/EnglandZimbabwe"]
    const bases = await Promise.all(names.map(importDomain))
    const meanTime = (d: number) => {
      let sum = 0
      let n = 0
      for (const base of bases)
        for (const swap of [false, true]) {
          const prepared = prepareDomain(
            withDiscount(base, d),
            swap ? [{ kind: "boulware" }, strategy] : [strategy, { kind: "boulware" }],
            { profiles: [0, 1] },
          )
          const t = play(prepared, 1).scores.agreementTime
          expect(t).not.toBeNull()
          sum += t!
          n++
        }
      return sum / n
    }
    const times = [0.3, 0.5, 1].map(meanTime)
    console.log(
      `CUHKAgent vs boulware, mean agreement time at δ = 0.3, 0.5, 1: ${times.map((t) => t.toFixed(2)).join(", ")}`,
    )
    expect(times[0]!).toBeLessThan(times[1]!)
    expect(times[1]!).toBeLessThan(times[2]!)
  })

  againstBaselines("CUHKAgent", strategy)

  it("is listed with its reference", () => {
    expect(cuhkagentInfo.kind).toBe("cuhkagent")
    expect(cuhkagentInfo.reference).toContain("Hao & Leung")
    expect(Schema.decodeSync(CUHKAgentSpec)({ kind: "cuhkagent" })).toEqual({
      kind: "cuhkagent",
      alpha: 2,
      minLambda: 0.08,
      toughnessWeight: 0.1,
      toughnessExponent: 10,
      exploration: 0.05,
      endgame: 5,
    })
  })
})
