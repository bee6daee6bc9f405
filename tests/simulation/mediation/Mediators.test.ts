/**
 * The single-text mediators on a real ANAC domain and on the ceasefire
 * scenario: every party answers every text, no text is proposed twice or
 * after it was rejected, no text crosses a red line a party stated, the
 * veto-based methods end Pareto-above their start text, hill-climbing moves
 * one step on one issue, and more time never costs agreement.
 */
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import type { Imported } from "../../../src/analysis/Import.ts"
import { indexOf } from "../../../src/analysis/OutcomeSpace.ts"
import type { PartyId } from "../../../src/domain/Ids.ts"
import type { Terms } from "../../../src/domain/Issue.ts"
import { type Offer, offersInOrder, type State } from "../../../src/domain/Negotiation.ts"
import { scenarioFromDomain } from "../../../src/scenario/FromDomain.ts"
import { instantiate } from "../../../src/scenario/Load.ts"
import type { ScenarioInput } from "../../../src/scenario/Scenario.ts"
import { loadBatch } from "../../../src/simulation/Batch.ts"
import { simulate } from "../../../src/simulation/MonteCarlo.ts"
import { VOTE_YES } from "../../../src/simulation/protocols/Settlement.ts"
import { type Prepared, prepare } from "../../../src/simulation/Runner.ts"
import { importDomain, play } from "../support/Play.ts"

const METHODS = ["veto", "hill-climbing", "feedback", "raiffa"] as const
type Method = (typeof METHODS)[number]
const MEDIATOR = "mediator" as PartyId

/** An ANAC domain's first two profiles under a mediator, with their reservation values raised to `reservation`. */
const mediated = (
  imported: Imported,
  method: Method,
  options: {
    rounds?: number
    reservation?: number
    /** The mediator's own preferences (a profile's) and how much they bias it. */
    bias?: { profile: number; weight: number }
  } = {},
): Prepared => {
  const chosen = { ...imported, profiles: imported.profiles.slice(0, 2) }
  const base = scenarioFromDomain(chosen)
  const principals = base.parties.map((p) => p.id)
  const definition: ScenarioInput = {
    ...base,
    parties: [
      ...base.parties.map((p) => ({
        ...p,
        preferences: {
          ...(p.preferences as object),
          ...(options.reservation === undefined ? {} : { reservation: options.reservation }),
        },
        strategy: { kind: "boulware" },
      })),
      {
        id: MEDIATOR,
        name: "Mediator",
        role: "mediator",
        ...(options.bias === undefined
          ? { strategy: { kind: "mediator", method } }
          : {
              preferences: base.parties[options.bias.profile]!.preferences,
              strategy: { kind: "mediator", method, bias: options.bias.weight },
            }),
      },
    ] as ScenarioInput["parties"],
    protocol: {
      kind: "single-text",
      order: principals,
      mediator: MEDIATOR,
      rounds: options.rounds ?? 60,
    },
  }
  const compiled = Either.getOrThrow(instantiate("mediated (test)", definition, {}))
  return Either.getOrThrow(prepare(compiled))
}

/** The texts of the talks' mediator, in order. */
const textsOf = (state: State): ReadonlyArray<Offer> => {
  const mediator = state.parties.find((p) => p.role === "mediator")!.id
  return offersInOrder(state).filter((o) => o.by === mediator)
}

const principalsOf = (state: State): ReadonlyArray<PartyId> =>
  state.parties.filter((p) => p.role === "principal").map((p) => p.id)

/** Every principal answered every text the talks did not end on before its turn. */
const expectEveryoneAnswered = (state: State) => {
  const texts = textsOf(state)
  expect(texts.length).toBeGreaterThan(0)
  for (const [i, text] of texts.entries()) {
    const answered = text.responses.filter((r) => r.provenance.status === "official")
    const last = i === texts.length - 1
    if (!last || state.status === "agreed" || text.status === "rejected")
      expect(answered.map((r) => r.by).sort()).toEqual([...principalsOf(state)].sort())
    for (const r of answered) expect(r.verdict).toBeDefined()
  }
}

/** No text was proposed twice, nor after an offer with the same terms was rejected. */
const expectNoRepeat = (state: State) => {
  const mediator = state.parties.find((p) => p.role === "mediator")!.id
  const seen = new Set<string>()
  const rejected = new Set<string>()
  const principals = state.parties.filter((p) => p.role === "principal").length
  const offers = offersInOrder(state)
  const keyOf = (o: Offer) => JSON.stringify(Object.entries(o.terms).sort())
  // The final text puts the current text (one every principal voted for; votes are
  // rejections, `Settlement.ts`) for agreement again, by design (NegMAS, Raiffa 1985).
  const votedFor = new Set(
    offers
      .filter((o) => o.responses.filter((r) => r.reason === VOTE_YES).length === principals)
      .map(keyOf),
  )
  const final = offers.filter((o) => o.by === mediator).at(-1)
  for (const offer of offers) {
    const key = keyOf(offer)
    if (offer === final && votedFor.has(key)) continue
    if (offer.by === mediator) {
      expect(seen.has(key), `text ${offer.offerId} repeats an earlier one`).toBe(false)
      expect(rejected.has(key), `text ${offer.offerId} was rejected before`).toBe(false)
      seen.add(key)
    }
    if (offer.status === "rejected") rejected.add(key)
  }
}

describe("single-text mediators on an ANAC domain (anac2011/Laptop)", async () => {
  const laptop = await importDomain("anac2011/Laptop")

  for (const method of METHODS)
    it(`${method}: every principal answers every text, with a verdict; no text twice`, () => {
      for (const reservation of [0.5, 0.75]) {
        const result = play(mediated(laptop, method, { reservation }))
        expectEveryoneAnswered(result.state)
        expectNoRepeat(result.state)
      }
    })

  for (const method of ["veto", "hill-climbing"] as const)
    it(`${method}: the agreement is Pareto-better than the start text`, () => {
      const prepared = mediated(laptop, method, { reservation: 0.75 })
      const result = play(prepared)
      const start = textsOf(result.state)[0]!
      const [a, b] = prepared.parties.slice(0, 2)
      // The start text is one some party cannot accept, so the talks had to climb.
      expect(a!.acceptable(start.terms) && b!.acceptable(start.terms)).toBe(false)
      expect(result.state.status).toBe("agreed")
      const agreed = result.state.agreement!.terms as Terms
      for (const p of [a!, b!])
        expect(p.utility(agreed)).toBeGreaterThanOrEqual(p.utility(start.terms))
      expect(a!.utility(agreed) + b!.utility(agreed)).toBeGreaterThan(
        a!.utility(start.terms) + b!.utility(start.terms),
      )
    })

  it("hill-climbing: a text that names a current text differs from it in one issue, by one step", () => {
    const prepared = mediated(laptop, "hill-climbing", { reservation: 0.75 })
    const state = play(prepared).state
    const space = prepared.space
    const steps = textsOf(state).filter((t) => t.currentText !== undefined)
    expect(steps.length).toBeGreaterThan(0)
    let oneStep = 0
    for (const text of steps) {
      const from = textsOf(state).find((t) => t.offerId === text.currentText)!
      const changed = space.issues.filter((issue) => from.terms[issue.id] !== text.terms[issue.id])
      if (changed.length === 1) {
        const i = space.issues.indexOf(changed[0]!)
        const values = space.values[i]!
        const distance = Math.abs(
          values.indexOf(from.terms[changed[0]!.id]!) - values.indexOf(text.terms[changed[0]!.id]!),
        )
        if (distance === 1) oneStep++
      }
    }
    // Its own proposals are one-step moves; only probes (when no step is left) may jump.
    expect(oneStep).toBeGreaterThan(0)
    expect(indexOf(space, textsOf(state)[0]!.terms)).toBeGreaterThanOrEqual(0)
  })

  it("a mediator biased by preferences of its own proposes texts better for it", () => {
    // The mediator shares the first profile's preferences; bias 1 makes them all that counts.
    const meanFor = (weight: number) => {
      const prepared = mediated(laptop, "raiffa", {
        reservation: 0.75,
        bias: { profile: 0, weight },
      })
      const texts = textsOf(play(prepared).state)
      const first = prepared.parties[0]!
      return texts.reduce((sum, t) => sum + first.utility(t.terms), 0) / texts.length
    }
    const biased = meanFor(1)
    const neutral = meanFor(0)
    expect(biased).toBeGreaterThan(neutral)
  })
})

describe("single-text mediators on the ceasefire scenario", () => {
  const file = "scenarios/ceasefire-freeze.ts"
  const agents = (method: Method) => ({ us: { kind: "mediator", method } })

  for (const method of METHODS)
    it(`${method}: every party answers every text, none is repeated, none crosses a red line stated in public`, async () => {
      const batch = await Effect.runPromise(loadBatch(file, {}, agents(method)))
      const result = play(batch.base)
      const state = result.state
      expectEveryoneAnswered(state)
      expectNoRepeat(state)
      // Once a party has said a value crosses its red line, no later text has it.
      const lines: Array<{ issue: string; value: unknown; after: number }> = []
      for (const text of textsOf(state)) {
        for (const line of lines)
          if (text.version > line.after)
            expect(text.terms[line.issue as keyof Terms]).not.toBe(line.value)
        for (const r of text.responses)
          for (const c of r.criticism ?? [])
            if (c.redLine === true)
              lines.push({ issue: c.issue, value: text.terms[c.issue], after: r.version })
      }
    })

  it("agreement does not fall with more time: rates at deadlines 12 to 40 rounds never drop by more than 5 points", async () => {
    for (const method of ["raiffa", "hill-climbing"] as const) {
      const rates: Array<number> = []
      for (const rounds of [12, 26, 40]) {
        const batch = await Effect.runPromise(
          loadBatch(file, { rounds: String(rounds) }, agents(method)),
        )
        const { summary } = await Effect.runPromise(
          simulate(batch, { runs: 40, seed: 7, workers: 0 }),
        )
        rates.push(summary.agreementRate)
      }
      for (let i = 1; i < rates.length; i++)
        for (let j = 0; j < i; j++) expect(rates[i]!).toBeGreaterThanOrEqual(rates[j]! - 0.05)
    }
  }, 120_000)
})
