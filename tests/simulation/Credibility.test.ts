/**
 * The ceasefire scenario's `offerCredibility` does what it says (issue 28,
 * item 3): `credible` binds Russia to its reported offer — no proposal and no
 * acceptance (nor a vote for a text) of Russia's is worth less to it than the
 * offer — under either protocol, so `credible` and `cheap-talk` differ.
 */
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import type { Terms } from "../../src/domain/Issue.ts"
import { findOffer } from "../../src/domain/Negotiation.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import { VOTE_YES } from "../../src/simulation/protocols/Settlement.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as Memory from "../../src/store/Memory.ts"

const FILE = "scenarios/ceasefire-freeze.ts"

describe("offerCredibility", () => {
  it("credible: no Russian proposal, acceptance or vote is worth less to Russia than its own offer", async () => {
    for (const protocol of ["single-text", "alternating"]) {
      const compiled = await Effect.runPromise(
        loadScenario(FILE, { offerCredibility: "credible", protocol }),
      )
      const prepared = await Effect.runPromise(prepare(compiled))
      const russia = prepared.parties.find((p) => p.id === "russia")!
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const { events, state } = Effect.runSync(
          Effect.gen(function* () {
            const result = yield* run(prepared, { seed })
            const store = yield* EventStore
            const events: ReadonlyArray<EventEnvelope> = [
              ...(yield* Stream.runCollect(store.read(result.negotiationId))),
            ]
            return { events, state: result.state }
          }).pipe(Effect.provide(Memory.layer)),
        )
        const offer = findOffer(state, "freeze-offer" as never)!
        const floor = russia.utility(offer.terms) - 1e-12
        const termsOf = (id: string): Terms => findOffer(state, id as never)!.terms
        for (const e of events) {
          if (e.metadata?.source !== "simulation") continue
          const ev = e.event
          const worth =
            ev.type === "OfferMade" && ev.by === "russia"
              ? russia.utility(ev.terms)
              : ev.type === "OfferAccepted" && ev.by === "russia"
                ? russia.utility(termsOf(ev.offerId))
                : ev.type === "OfferRejected" && ev.by === "russia" && ev.reason === VOTE_YES
                  ? russia.utility(termsOf(ev.offerId))
                  : undefined
          if (worth !== undefined)
            expect(worth, `${protocol} seed ${seed}: ${ev.type}`).toBeGreaterThanOrEqual(floor)
        }
      }
    }
  })

  it("credible and cheap-talk give different batches", async () => {
    for (const protocol of ["single-text", "alternating"]) {
      const summaries = []
      for (const offerCredibility of ["credible", "cheap-talk"]) {
        const batch = await Effect.runPromise(loadBatch(FILE, { offerCredibility, protocol }))
        const { summary } = await Effect.runPromise(
          simulate(batch, { runs: 40, seed: 1, workers: 0 }),
        )
        summaries.push(JSON.stringify([summary.agreementRate, summary.meanUtility]))
      }
      expect(summaries[0], protocol).not.toEqual(summaries[1])
    }
  }, 60_000)
})

describe("a parameter that cannot act under the chosen play", () => {
  it("is marked: the concession exponents have no effect when honest voters answer the envoy", async () => {
    const marks: Record<string, unknown> = {}
    for (const protocol of ["single-text", "alternating"]) {
      const batch = await Effect.runPromise(loadBatch(FILE, { protocol }))
      const { summary } = await Effect.runPromise(simulate(batch, { runs: 4, seed: 1, workers: 0 }))
      marks[protocol] = [
        summary.drawn.ukraineConcession?.noEffectUnder,
        summary.drawn.russiaConcession?.noEffectUnder,
      ]
    }
    expect(marks["single-text"]).toEqual(["single-text", "single-text"])
    expect(marks.alternating).toEqual([undefined, undefined])
  })
})
