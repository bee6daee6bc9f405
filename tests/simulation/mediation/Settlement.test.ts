/**
 * Single-text settlement as published (issue 28, item 2): under `veto` the
 * current text improves while no one vetoes and the agreement is the final
 * current text at the deadline (NegMAS `VetoSTMechanism`); after a tentative
 * agreement, post-settlement settlement (Raiffa 1985) ends settlements on the
 * Pareto frontier; voters may be the parties' strategies.
 */
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import type { EventEnvelope } from "../../../src/domain/Event.ts"
import { loadScenario } from "../../../src/scenario/Load.ts"
import { loadBatch } from "../../../src/simulation/Batch.ts"
import { simulate } from "../../../src/simulation/MonteCarlo.ts"
import { VOTE_YES } from "../../../src/simulation/protocols/Settlement.ts"
import { type Prepared, prepare, run } from "../../../src/simulation/Runner.ts"
import { EventStore } from "../../../src/store/EventStore.ts"
import * as Memory from "../../../src/store/Memory.ts"

const FILE = "scenarios/ceasefire-freeze.ts"

const prepared = (overrides: Record<string, string>, protocol: object = {}) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const compiled = yield* loadScenario(FILE, overrides)
      const scenario = {
        ...compiled.scenario,
        protocol: { ...compiled.scenario.protocol, ...protocol },
      }
      return yield* prepare({ ...compiled, scenario })
    }),
  )

const logOf = (p: Prepared, seed: number) =>
  Effect.runSync(
    Effect.gen(function* () {
      const result = yield* run(p, { seed })
      const store = yield* EventStore
      const events: ReadonlyArray<EventEnvelope> = [
        ...(yield* Stream.runCollect(store.read(result.negotiationId))),
      ]
      return { result, events }
    }).pipe(Effect.provide(Memory.layer)),
  )

describe("veto, as NegMAS's VetoSTMechanism", () => {
  it("agrees on the final current text at the deadline, not on the first text everyone accepts", async () => {
    const p = await prepared({ mediation: "veto", postSettlement: "false" })
    const rounds = p.compiled.scenario.protocol.rounds
    let agreed = 0
    for (const seed of [1, 2, 3, 4, 5]) {
      const { result, events } = logOf(p, seed)
      if (result.state.status !== "agreed") continue
      agreed++
      // Agreed on the mediator's last turn.
      expect(result.end.round).toBe(rounds - 1)
      // The terms are those of the last text every principal voted for.
      const texts = events.filter(
        (e) =>
          e.event.type === "OfferMade" && e.metadata?.strategy?.toString().startsWith("mediator"),
      )
      const votedFor = new Set<string>()
      const yes = new Map<string, number>()
      for (const e of events)
        if (e.event.type === "OfferRejected" && e.event.reason === VOTE_YES) {
          const id = e.event.offerId as string
          yes.set(id, (yes.get(id) ?? 0) + 1)
          if (yes.get(id) === 2) votedFor.add(id)
        }
      const lastVoted = [...texts]
        .reverse()
        .find((e) => e.event.type === "OfferMade" && votedFor.has(e.event.offerId))
      expect(lastVoted).toBeDefined()
      if (lastVoted?.event.type === "OfferMade")
        expect(result.state.agreement?.terms).toEqual(lastVoted.event.terms)
      // No text was accepted before the final one: every earlier answer is a vote.
      const accepted = events.filter((e) => e.event.type === "OfferAccepted")
      expect(accepted.every((e) => (e.metadata?.round as number) === rounds - 1)).toBe(true)
    }
    expect(agreed).toBeGreaterThan(0)
  })
})

describe("post-settlement settlement (Raiffa 1985)", () => {
  it("puts at least 90% of the default method's settlements on the Pareto frontier", async () => {
    const shares: Record<string, number | null> = {}
    for (const pss of ["false", "true"]) {
      const batch = await Effect.runPromise(loadBatch(FILE, { postSettlement: pss }))
      const { summary } = await Effect.runPromise(
        simulate(batch, { runs: 60, seed: 1, workers: 0 }),
      )
      expect(summary.agreementRate).toBeGreaterThan(0.9)
      shares[pss] = summary.paretoEfficientShare
    }
    expect(shares.true).toBeGreaterThanOrEqual(0.9)
    expect(shares.false!).toBeLessThan(shares.true!)
  }, 120_000)
})

describe("voters", () => {
  it("are the parties' strategies when the protocol says so, so a strategy changes mediated talks", async () => {
    const answers = async (protocol: object) => {
      const p = await prepared({ postSettlement: "false" }, protocol)
      const { result, events } = logOf(p, 1)
      const rules = events
        .filter((e) => e.event.type === "OfferAccepted" && e.event.by === "russia")
        .map((e) => e.metadata?.acceptance)
      return { outcome: `${result.state.status} ${result.rounds}`, rules: new Set(rules) }
    }
    const honest = await answers({})
    const strategies = await answers({ voters: "strategies" })
    // Honest voters answer by their judgement; strategies by their own acceptance conditions.
    expect([...honest.rules]).toEqual(["honest answer"])
    expect(strategies.rules.has("honest answer")).toBe(false)
    expect(strategies.rules.size).toBeGreaterThan(0)
    expect(strategies.outcome).not.toEqual(honest.outcome)
  })
})
