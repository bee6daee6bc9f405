import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { makeProjection } from "../../src/app/Projection.ts"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import {
  evolve,
  Folding,
  initialState,
  offersInOrder,
  type State,
} from "../../src/domain/Negotiation.ts"
import { modelArb, run } from "../support/ArbitrariesCommands.ts"
import { fastCheck } from "../support/ArbitrariesConfig.ts"

/** A state as plain data, offers in the order made, so that two states compare with toEqual. */
const plain = (state: State) => ({ ...state, offers: offersInOrder(state) })

/** The states `evolve` gives one event at a time: `states[i]` after the first `i` events. */
const evolveSteps = (log: ReadonlyArray<EventEnvelope>): Array<State> => {
  const states = [initialState]
  for (const envelope of log) states.push(Either.getOrThrow(evolve(states.at(-1)!, envelope)))
  return states
}

/** A log damaged at index `k` (past the opening): an event dropped, repeated, or from another negotiation. */
const damaged = (
  log: ReadonlyArray<EventEnvelope>,
  k: number,
  damage: "drop" | "repeat" | "stranger",
): Array<EventEnvelope> =>
  damage === "drop"
    ? [...log.slice(0, k), ...log.slice(k + 1)]
    : damage === "repeat"
      ? [...log.slice(0, k + 1), log[k]!, ...log.slice(k + 1)]
      : [
          ...log.slice(0, k),
          { ...log[k]!, negotiationId: "elsewhere" as NegotiationId },
          ...log.slice(k + 1),
        ]

describe("folding in place (whole-log replay) gives what evolve gives", () => {
  it.prop(
    "a Folding reaches, event by event, the states evolve reaches; a state it handed out never changes",
    [modelArb(), fc.array(fc.boolean(), { minLength: 1 }), fc.boolean()],
    ([model, looks, inPlace]) => {
      const { log } = run(model)
      const expected = evolveSteps(log)
      const folding = new Folding(initialState, inPlace)
      const taken: Array<[number, State, ReturnType<typeof plain>]> = []
      for (const [i, envelope] of log.entries()) {
        expect(folding.add(envelope)).toBeUndefined()
        expect(folding.version).toBe(i + 1)
        // Ask for the state at some versions only, so that runs of events are applied in place.
        if (looks[i % looks.length]!) {
          const state = folding.state
          expect(plain(state)).toEqual(plain(expected[i + 1]!))
          taken.push([i + 1, state, plain(state)])
        }
      }
      expect(plain(folding.state)).toEqual(plain(expected[log.length]!))
      // Folding on did not change any state handed out before.
      for (const [version, state, seen] of taken) {
        expect(state.version).toBe(version)
        expect(plain(state)).toEqual(seen)
      }
    },
    { fastCheck: fastCheck(150) },
  )

  it.prop(
    "a Folding started from a state leaves that state as it was, and ends where evolve ends",
    [modelArb(), fc.nat()],
    ([model, cut]) => {
      const { log } = run(model)
      const k = log.length === 0 ? 0 : cut % (log.length + 1)
      const expected = evolveSteps(log)
      const start = expected[k]!
      const before = plain(start)
      const folding = new Folding(start)
      expect(folding.state).toBe(start)
      for (const envelope of log.slice(k)) expect(folding.add(envelope)).toBeUndefined()
      expect(plain(folding.state)).toEqual(plain(expected[log.length]!))
      expect(plain(start)).toEqual(before)
    },
    { fastCheck: fastCheck(100) },
  )

  it.prop(
    "an event that cannot stand is refused by a Folding exactly when evolve refuses it, with the same problem, and leaves the state as it was",
    [
      modelArb(),
      fc.nat(),
      fc.constantFrom("drop" as const, "repeat" as const, "stranger" as const),
    ],
    ([model, pick, damage]) => {
      const { log } = run(model)
      if (log.length < 2) return
      const broken = damaged(log, 1 + (pick % (log.length - 1)), damage)
      const folding = new Folding()
      let state = initialState
      for (const envelope of broken) {
        const byEvolve = evolve(state, envelope)
        const before = plain(folding.state)
        const refused = folding.add(envelope)
        if (Either.isLeft(byEvolve)) {
          expect(refused?.problem).toBe(byEvolve.left.problem)
          expect(refused?.version).toBe(byEvolve.left.version)
          expect(plain(folding.state)).toEqual(before)
          continue
        }
        expect(refused).toBeUndefined()
        state = byEvolve.right
      }
      expect(plain(folding.state)).toEqual(plain(state))
    },
    { fastCheck: fastCheck(150) },
  )

  it.prop(
    "a projection of two interleaved logs gives each negotiation the state evolve gives it, with and without a state per event",
    [modelArb(), modelArb(), fc.array(fc.boolean()), fc.boolean()],
    ([first, second, order, perEvent]) => {
      const a = run(first).log
      const b = run(second).log.map((e) => ({ ...e, negotiationId: "other" as NegotiationId }))
      const interleaved: Array<EventEnvelope> = []
      let i = 0
      let j = 0
      for (let n = 0; i < a.length || j < b.length; n++)
        interleaved.push(
          j >= b.length || (i < a.length && order[n % Math.max(order.length, 1)] !== false)
            ? a[i++]!
            : b[j++]!,
        )
      const projection = makeProjection()
      const seen: Array<State> = []
      for (const [position, envelope] of interleaved.entries()) {
        const failure = projection.apply(
          { _tag: "Commit", position: position + 1, envelopes: [envelope] },
          perEvent ? { state: (s) => void seen.push(s), problem: () => {} } : undefined,
        )
        expect(failure).toBeUndefined()
      }
      const states = projection.states
      if (a.length > 0)
        expect(plain(states.get(a[0]!.negotiationId)!)).toEqual(plain(evolveSteps(a).at(-1)!))
      if (b.length > 0) expect(plain(states.get("other")!)).toEqual(plain(evolveSteps(b).at(-1)!))
      if (perEvent) {
        expect(seen.length).toBe(interleaved.length)
        // Every state handed to the sink is still the state after its own event.
        const evolvedA = evolveSteps(a)
        const evolvedB = evolveSteps(b)
        for (const state of seen)
          expect(plain(state)).toEqual(
            plain(
              state.negotiationId === "other" ? evolvedB[state.version]! : evolvedA[state.version]!,
            ),
          )
      }
    },
    { fastCheck: fastCheck(60) },
  )
})
