/**
 * Opponent models: their update rules, and their accuracy against known
 * time-dependent opponents on real ANAC domains. Accuracy is measured as the
 * survey of Baarslag, Hendrikx, Hindriks & Jonker (JAAMAS 2016) does: the
 * Spearman rank correlation of the estimated and true issue weights, and the
 * Pearson correlation of the estimated and true utility over every outcome,
 * after the model has seen every bid the opponent made in a negotiation
 * against a hardliner (so that the opponent walks its whole concession).
 */
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { digitsAt, type OutcomeSpace, outcomeSpace } from "../../../src/analysis/OutcomeSpace.ts"
import { normalizedWeights, Preferences, utility } from "../../../src/analysis/Preferences.ts"
import type { PartyId } from "../../../src/domain/Ids.ts"
import type { Terms } from "../../../src/domain/Issue.ts"
import {
  bayesianHypotheses,
  bayesianModel,
  bayesianSingle,
} from "../../../src/simulation/boa/BayesianModel.ts"
import type { Bid, OpponentModelKind } from "../../../src/simulation/boa/Boa.ts"
import {
  frequencyModel,
  hardHeadedSingle,
  smithModel,
  smithSingle,
} from "../../../src/simulation/boa/FrequencyModels.ts"
import { ModelSpec, makeModel, modelInfo } from "../../../src/simulation/boa/Models.ts"
import type { Strategy } from "../../../src/simulation/Strategy.ts"
import { ladderPlayer } from "../../../src/simulation/strategies/Concession.ts"
import { decodeStrategySpec, make } from "../../../src/simulation/strategies/index.ts"
import { ladderOf, termsOf } from "../../../src/simulation/strategies/Ladder.ts"
import { bilateral, space, viewOf } from "../strategies/Driver.ts"
import { importDomain } from "../support/Play.ts"

const ranks = (x: ReadonlyArray<number>): Array<number> => {
  const idx = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  const r = new Array<number>(x.length)
  let k = 0
  while (k < idx.length) {
    let j = k
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[k]![0]) j++
    for (let m = k; m <= j; m++) r[idx[m]![1]] = (k + j) / 2
    k = j + 1
  }
  return r
}

/** Pearson correlation; 0 when either side is constant (an uninformed estimate). */
const pearson = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n
    mb += b[i]! / n
  }
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb)
    saa += (a[i]! - ma) ** 2
    sbb += (b[i]! - mb) ** 2
  }
  return saa < 1e-15 || sbb < 1e-15 ? 0 : sab / Math.sqrt(saa * sbb)
}

const spearman = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number =>
  pearson(ranks(a), ranks(b))

const uninformed: OpponentModelKind = {
  name: "uniform",
  init: (view) => ({
    update: () => {},
    utility: () => 1,
    weights: () => view.issues.map(() => 1 / view.issues.length),
  }),
}

interface Case {
  readonly domain: string
  readonly space: OutcomeSpace
  readonly bids: ReadonlyArray<Bid>
  readonly trueWeights: ReadonlyArray<number>
  readonly trueUtility: ReadonlyArray<number>
  readonly holder: { readonly party: string; readonly preferences: Preferences }
}

const ROUNDS = 200

const strategy = (spec: object) => make(Either.getOrThrow(decodeStrategySpec(spec)))

/** The bids a time-dependent opponent makes against a hardliner, with its true preferences. */
const imports = new Map<string, ReturnType<typeof importDomain>>()
const importedDomain = (domain: string) => {
  let p = imports.get(domain)
  if (p === undefined) {
    p = importDomain(domain)
    imports.set(domain, p)
  }
  return p
}

const caseOf = async (domain: string, opponent: string, side: number): Promise<Case> => {
  const imported = await importedDomain(domain)
  const domainSpace = Either.getOrThrow(outcomeSpace(imported.issues))
  const them = imported.profiles[side]!
  const holder = imported.profiles[1 - side]!
  // Driven directly (the runner's event log is not needed to read the offers): the opponent opens.
  const out = bilateral(
    {
      name: them.party,
      strategy: strategy({ kind: opponent }),
      view: viewOf(them.party, them.preferences, { space: domainSpace, seed: 1 }),
    },
    {
      name: holder.party,
      strategy: strategy({ kind: "time-dependent", preset: "hardheaded" }),
      view: viewOf(holder.party, holder.preferences, { space: domainSpace, seed: 2 }),
    },
    ROUNDS,
  )
  const bids = out.steps.flatMap(
    (step): Array<Bid> =>
      step.by === them.party && step.move.type === "offer"
        ? [
            {
              terms: step.move.terms,
              by: them.party as PartyId,
              utility: 0,
              time: step.round / (ROUNDS - 1),
              round: step.round,
            },
          ]
        : [],
  )
  const truth = utility(them.preferences, imported.issues)
  const trueUtility: Array<number> = []
  for (let k = 0; k < domainSpace.size; k++) trueUtility.push(truth(termsOf(domainSpace, k)))
  return {
    domain,
    space: domainSpace,
    bids,
    trueWeights: Array.from(normalizedWeights(them.preferences, imported.issues)),
    trueUtility,
    holder,
  }
}

const accuracy = (c: Case, kind: OpponentModelKind) => {
  const model = kind.init(viewOf(c.holder.party, c.holder.preferences, { space: c.space }))
  for (const b of c.bids) model.update(b)
  const estimated: Array<number> = []
  for (let k = 0; k < c.space.size; k++) estimated.push(model.utility(termsOf(c.space, k)))
  return {
    weights: spearman(model.weights(), c.trueWeights),
    utility: pearson(estimated, c.trueUtility),
  }
}

const mean = (xs: ReadonlyArray<number>) => xs.reduce((s, x) => s + x, 0) / xs.length

describe("opponent models' accuracy on ANAC domains", () => {
  const domains = [
    "anac2011/Laptop",
    "anac2010/ItexvsCypress",
    "anac2010/EnglandZimbabwe",
    "anac2011/Camera",
    "anac2011/Amsterdam",
  ]
  const opponents = ["boulware", "linear", "conceder"]

  it("the frequency models correlate clearly with the true utilities, the Bayesian one on small domains", async () => {
    const cases: Array<Case> = []
    for (const d of domains)
      for (const o of opponents) for (const side of [0, 1]) cases.push(await caseOf(d, o, side))
    const kinds: Array<OpponentModelKind> = [
      uninformed,
      frequencyModel(),
      smithModel,
      bayesianModel(),
    ]
    const rows: Record<string, { w: Array<number>; u: Array<number> }> = {}
    for (const kind of kinds) rows[kind.name] = { w: [], u: [] }
    const perDomain: Record<string, Record<string, Array<number>>> = {}
    for (const c of cases) {
      for (const kind of kinds) {
        if (kind.name === "bayesian" && bayesianHypotheses(c.space) > 20_000) continue
        const a = accuracy(c, kind)
        rows[kind.name]!.w.push(a.weights)
        rows[kind.name]!.u.push(a.utility)
        const byModel = perDomain[c.domain] ?? {}
        perDomain[c.domain] = byModel
        const list = byModel[kind.name] ?? []
        byModel[kind.name] = list
        list.push(a.utility)
      }
    }
    const summary = Object.entries(rows).map(([name, r]) => ({
      model: name,
      cases: r.u.length,
      spearmanWeights: Number(mean(r.w).toFixed(3)),
      pearsonUtility: Number(mean(r.u).toFixed(3)),
      worstUtility: Number(Math.min(...r.u).toFixed(3)),
    }))
    console.log("opponent model accuracy (mean over domains x opponents x sides):")
    console.table(summary)
    console.table(
      Object.fromEntries(
        Object.entries(perDomain).map(([d, m]) => [
          d,
          Object.fromEntries(Object.entries(m).map(([k, u]) => [k, Number(mean(u).toFixed(2))])),
        ]),
      ),
    )
    const u = (name: string) => mean(rows[name]!.u)
    // Thresholds set from the measured figures (frequency 0.59, smith 0.59, bayesian 0.78
    // mean Pearson; the uninformed baseline is 0), with a margin for honest noise.
    for (const name of ["frequency", "smith-frequency"]) {
      expect(u(name)).toBeGreaterThan(u("uniform") + 0.4)
      for (const [domain, m] of Object.entries(perDomain))
        expect(mean(m[name]!), `${name} on ${domain}`).toBeGreaterThan(0.3)
    }
    expect(u("bayesian")).toBeGreaterThan(0.6)
    // Issue weights: the Bayesian model ranks them clearly better than chance (measured
    // 0.5); the frequency models' rankings stay near chance against these opponents
    // (measured 0.05 and 0.11), which the figures above report and nothing here claims.
    expect(mean(rows.bayesian!.w)).toBeGreaterThan(0.3)
  }, 30_000)
})

const digitsOf = (k: number) => digitsAt(space, k, new Int32Array(space.radix.length))

const bid = (terms: Record<string, string | number>, by = "them", time = 0): Bid => ({
  terms: terms as unknown as Terms,
  by: by as PartyId,
  utility: 0,
  time,
  round: 0,
})

describe("update rules", () => {
  // The driver's space: color (3 options), qty (integer 0..4), price (real 0..100, 101 values).
  const me = viewOf("me", undefined, { space })

  it("frequency (HardHeaded): an issue whose value does not change gains weight, the others lose it", () => {
    const m = frequencyModel().init(me)
    expect(m.weights()).toEqual([1 / 3, 1 / 3, 1 / 3])
    const colors = ["red", "green", "blue"]
    for (let k = 0; k < 6; k++) m.update(bid({ color: colors[k % 3]!, qty: 2, price: 10 * k }))
    const [color, qty, price] = m.weights()
    expect(qty!).toBeGreaterThan(1 / 3)
    expect(color!).toBeLessThan(1 / 3)
    expect(price!).toBeLessThan(1 / 3)
    expect(color! + qty! + price!).toBeCloseTo(1, 12)
    // one step by hand: 1 unchanged issue of 3, golden = 0.2 / 3, total = 1 + golden
    const h = hardHeadedSingle(space, 0.2)
    const d = new Int32Array([0, 2, 0])
    h.update(d, bid({}))
    d[0] = 1
    d[2] = 5
    h.update(d, bid({}))
    const g = 0.2 / 3
    expect(h.weights()[1]).toBeCloseTo((1 / 3 + g) / (1 + g), 12)
    expect(h.weights()[0]).toBeCloseTo(1 / 3 / (1 + g), 12)
  })

  it("frequency (HardHeaded): the most offered value scores highest; the learnt weight is capped", () => {
    const m = frequencyModel().init(me)
    for (const color of ["blue", "blue", "blue", "green", "red", "blue"])
      m.update(bid({ color, qty: 1, price: 50 }))
    const at = (color: string) => m.utility(bid({ color, qty: 1, price: 50 }).terms)
    expect(at("blue")).toBeGreaterThan(at("green"))
    expect(at("green")).toBeCloseTo(at("red"), 12)
    // a never-changing issue cannot take every weight: HardHeaded's cap
    for (let k = 0; k < 500; k++)
      m.update(bid({ color: "blue", qty: 1, price: k % 2 === 0 ? 0 : 100 }))
    const w = m.weights()
    expect(Math.max(...w)).toBeLessThan(0.95)
    expect(Math.min(...w)).toBeGreaterThan(0)
  })

  it("smith-frequency: values score by frequency and the steadiest issue weighs most", () => {
    const s = smithSingle(space)
    const d = new Int32Array(3)
    for (let k = 0; k < 10; k++) {
      d[0] = k < 7 ? 2 : 0 // blue 7 times, red 3 times
      d[1] = k % 5 // every quantity twice
      d[2] = 40 // always the same price
      s.update(d, bid({}))
    }
    const w = s.weights()
    expect(w[2]).toBeGreaterThan(w[0]!)
    expect(w[0]).toBeGreaterThan(w[1]!)
    expect(w[0]! + w[1]! + w[2]!).toBeCloseTo(1, 12)
    const t = s.table()
    expect(t[0]![2]).toBeGreaterThan(t[0]![0]!)
    expect(t[0]![1]).toBe(0) // green never offered
    expect(t[2]![40]).toBeCloseTo(w[2]!, 12) // the most offered value scores its full weight
  })

  it("numeric issues learn over the discretised values: an off-grid number counts for the nearest", () => {
    const m = frequencyModel().init(me)
    for (let k = 0; k < 5; k++) m.update(bid({ color: "red", qty: 3, price: 42.4 }))
    expect(m.utility(bid({ color: "red", qty: 3, price: 42 }).terms)).toBeCloseTo(1, 12)
    expect(m.utility(bid({ color: "red", qty: 3, price: 43 }).terms)).toBeLessThan(1)
  })

  it("bayesian: the belief moves toward the opponent's true ranking and shapes", () => {
    // A true hypothesis of the model's own family: price ranked first (weight 3/6),
    // qty second (2/6), color last (1/6); qty uphill, price downhill, color peaked at green.
    const truth = Schema.decodeUnknownSync(Preferences)({
      weights: { color: 1, qty: 2, price: 3 },
      evaluations: {
        color: { kind: "options", scores: { red: 0, green: 1, blue: 0 } },
        qty: { kind: "monotone", best: "max" },
        price: { kind: "monotone", best: "min" },
      },
    })
    const u = utility(truth, space.issues)
    const single = bayesianSingle(space, { sigma: 0.25, concession: 0.5, maxHypotheses: 20_000 })
    const trueRank = single.rankings.findIndex((r) => r[0] === 0 && r[1] === 1 && r[2] === 2)
    const prior = single.rankingBelief()[trueRank]!
    expect(prior).toBeCloseTo(1 / 6, 12)
    // The opponent concedes as the model assumes: at time t it bids the outcome whose
    // utility to it is closest to 1 - 0.5 t (the first such in index order).
    const index = (k: number) => termsOf(space, k)
    for (let step = 0; step <= 20; step++) {
      const t = step / 20
      let best = 0
      let gap = Number.POSITIVE_INFINITY
      for (let k = 0; k < space.size; k++) {
        const g = Math.abs(u(index(k)) - (1 - 0.5 * t))
        if (g < gap - 1e-12) {
          gap = g
          best = k
        }
      }
      single.update(digitsOf(best), bid({}, "them", t))
    }
    const posterior = single.rankingBelief()
    expect(posterior[trueRank]!).toBeGreaterThan(prior)
    expect(posterior[trueRank]!).toBe(Math.max(...posterior))
    const w = single.weights()
    expect(spearman(Array.from(w), [1, 2, 3])).toBe(1)
    // the expected utility now orders outcomes as the truth does, clearly
    const est: Array<number> = []
    const tru: Array<number> = []
    for (let k = 0; k < space.size; k++) {
      est.push(single.table().reduce((s, t, i) => s + t[digitsOf(k)[i]!]!, 0))
      tru.push(u(index(k)))
    }
    expect(pearson(est, tru)).toBeGreaterThan(0.8)
  })

  it("keeps one model per opponent; without a party it averages over those seen", () => {
    const m = frequencyModel().init(viewOf("me", undefined, { space }))
    for (let k = 0; k < 5; k++) {
      m.update(bid({ color: "red", qty: 0, price: 0 }, "a"))
      m.update(bid({ color: "blue", qty: 4, price: 100 }, "b"))
    }
    const red = bid({ color: "red", qty: 0, price: 0 }).terms
    const ua = m.utility(red, "a" as PartyId)
    const ub = m.utility(red, "b" as PartyId)
    expect(ua).toBeCloseTo(1, 12)
    expect(ub).toBeLessThan(0.5)
    expect(m.utility(red)).toBeCloseTo((ua + ub) / 2, 12)
    const wa = m.weights("a" as PartyId)
    const wb = m.weights("b" as PartyId)
    m.weights().forEach((x, i) => {
      expect(x).toBeCloseTo((wa[i]! + wb[i]!) / 2, 12)
    })
    // its own bids teach it nothing
    m.update(bid({ color: "green", qty: 2, price: 50 }, "me"))
    expect(m.utility(red)).toBeCloseTo((ua + ub) / 2, 12)
  })
})

describe("an offering strategy using a model", () => {
  it("bids, at about the same own utility, what the opponent likes more (bidder's model tie-break)", async () => {
    const imported = await importedDomain("anac2011/Camera")
    const domainSpace = Either.getOrThrow(outcomeSpace(imported.issues))
    const [a, b] = imported.profiles
    const ROUNDS = 200
    // A linear concession from its best to 0.6, ties within 0.02 broken by the model or at random.
    const ladderStrategy = (tieBreak: "model" | "random", model?: OpponentModelKind): Strategy => ({
      name: `ladder(${tieBreak})`,
      init: (view) =>
        ladderPlayer(view, ladderOf(view), {
          target: (turn) => 1 - 0.4 * turn.time,
          tieBreak,
          tolerance: 0.02,
          model,
        }),
    })
    // the opponent concedes Boulware-style and never accepts, so every turn is a bid
    const boulware = strategy({ kind: "boulware" })
    const deafBoulware: Strategy = {
      name: "deaf boulware",
      init: (view) => {
        const player = boulware.init(view)
        return { move: (turn) => player.move({ ...turn, onTable: undefined }) }
      },
    }
    const theirU = utility(b!.preferences, imported.issues)
    const ownU = utility(a!.preferences, imported.issues)
    const bidsOf = (s: Strategy) =>
      bilateral(
        { name: "me", strategy: s, view: viewOf("me", a!.preferences, { space: domainSpace }) },
        {
          name: "them",
          strategy: deafBoulware,
          view: viewOf("them", b!.preferences, { space: domainSpace, seed: 3 }),
        },
        ROUNDS,
      ).steps.flatMap((step) =>
        step.by === "me" && step.move.type === "offer" && step.round > 0
          ? [{ own: ownU(step.move.terms), theirs: theirU(step.move.terms) }]
          : [],
      )
    const withModel = bidsOf(ladderStrategy("model", frequencyModel()))
    const atRandom = bidsOf(ladderStrategy("random"))
    const own = (xs: typeof withModel) => mean(xs.map((x) => x.own))
    const theirs = (xs: typeof withModel) => mean(xs.map((x) => x.theirs))
    console.log(
      `Camera, ladder player: own ${own(withModel).toFixed(3)} (model) vs ${own(atRandom).toFixed(3)} (random); opponent's ${theirs(withModel).toFixed(3)} vs ${theirs(atRandom).toFixed(3)}`,
    )
    expect(Math.abs(own(withModel) - own(atRandom))).toBeLessThan(0.01)
    // measured: 0.711 vs 0.503
    expect(theirs(withModel)).toBeGreaterThan(theirs(atRandom) + 0.1)
  })
})

describe("model specs", () => {
  const decode = Schema.decodeUnknownSync(ModelSpec)

  it("decode with their defaults and make their kinds", () => {
    expect(decode({ kind: "frequency" })).toEqual({ kind: "frequency", learningRate: 0.2 })
    expect(decode({ kind: "bayesian" })).toEqual({
      kind: "bayesian",
      sigma: 0.25,
      concession: 0.5,
      maxHypotheses: 20_000,
    })
    expect(makeModel(decode({ kind: "frequency", learningRate: 0.1 }))?.name).toBe("frequency(0.1)")
    expect(makeModel(decode({ kind: "smith-frequency" }))?.name).toBe("smith-frequency")
    expect(makeModel(decode({ kind: "none" }))).toBeUndefined()
    expect(modelInfo.map((i) => i.kind)).toEqual([
      "frequency",
      "smith-frequency",
      "bayesian",
      "none",
    ])
  })

  it("the Bayesian model refuses a domain whose hypothesis space is too big, naming its size", async () => {
    const camera = await importedDomain("anac2011/Camera")
    const cam = Either.getOrThrow(outcomeSpace(camera.issues))
    const kind = makeModel(decode({ kind: "bayesian" }))!
    expect(() => kind.init(viewOf("me", undefined, { space: cam }))).toThrow(
      /2592000 hypotheses .* exceed maxHypotheses 20000/,
    )
  })
})
