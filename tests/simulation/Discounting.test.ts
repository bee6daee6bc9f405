/**
 * Time and discounting as GENIUS defines them: each move has its own time on
 * the discrete timeline (the k-th of n moves at (k + 1)/(n + 1)), an agreement at time t is worth u·d^t with d the profile's
 * discount factor whatever the number of rounds, and no agreement is worth
 * the reservation value discounted to the end of talks
 * (`getReservationValueWithDiscount`). Per-round discounting stays for the
 * theory scenarios, named as such.
 */
import { describe, expect, it } from "vitest"
import type { Imported } from "../../src/analysis/Import.ts"
import { discountFactor, Preferences } from "../../src/analysis/Preferences.ts"
import { moveTime, normalisedTime, scoreOutcome } from "../../src/simulation/Scores.ts"
import { importDomain, play, prepareDomain } from "./support/Play.ts"

/** Laptop's discount factor, as its profile files give it. */
const LAPTOP_D = 0.42441038

const withReservation = (imported: Imported, reservation: number): Imported => ({
  ...imported,
  profiles: imported.profiles.map((p) => ({
    ...p,
    preferences: { ...p.preferences, reservation },
  })),
})

describe("a move's time", () => {
  it("is (k + 1)/(n + 1) for the k-th of n moves: strictly increasing, the deadline (1) after the last", () => {
    expect(moveTime(0, 4)).toBeCloseTo(0.2, 15)
    expect(moveTime(3, 4)).toBeCloseTo(0.8, 15)
    for (let k = 1; k < 200; k++) expect(moveTime(k, 200)).toBeGreaterThan(moveTime(k - 1, 200))
    expect(moveTime(199, 200)).toBeLessThan(1)
  })
})

describe("normalised time of a round", () => {
  it("is 0 in the first round, 1 in the last, and 1 when a single round is allowed", () => {
    expect(normalisedTime(0, 100)).toBe(0)
    expect(normalisedTime(99, 100)).toBe(1)
    expect(normalisedTime(33, 100)).toBeCloseTo(1 / 3, 15)
    expect(normalisedTime(0, 1)).toBe(1)
    expect(normalisedTime(150, 100)).toBe(1)
  })
})

describe("discount factors", () => {
  const prefs = Preferences.make({
    kind: "linear-additive",
    weights: {},
    evaluations: {},
    reservation: 0.25,
    discount: 0.5,
    discountPerRound: 0.9,
    redLines: {},
  })
  it("GENIUS's applies per unit of normalised time, the theory's per round, both multiply", () => {
    expect(discountFactor(prefs, { time: 1, round: 0 })).toBe(0.5)
    expect(discountFactor(prefs, { time: 0.5, round: 0 })).toBeCloseTo(Math.SQRT1_2, 15)
    expect(discountFactor(prefs, { time: 0, round: 2 })).toBeCloseTo(0.81, 15)
    expect(discountFactor(prefs, { time: 1, round: 2 })).toBeCloseTo(0.405, 15)
  })
  it("scores an agreement by u·D and no agreement by the discounted reservation value", () => {
    const party = { id: "a", preferences: prefs, utility: () => 0.8 }
    const agreed = scoreOutcome([party], {}, { time: 1, round: 0 })
    expect(agreed.agreementTime).toBe(1)
    expect(agreed.parties.a).toEqual({
      utility: 0.8,
      discounted: 0.4,
      reservation: 0.25,
      advantage: (0.8 - 0.25) * 0.5,
    })
    const none = scoreOutcome([party], undefined, { time: 1, round: 0 })
    expect(none.agreementTime).toBeNull()
    expect(none.parties.a).toEqual({
      utility: null,
      discounted: 0.125,
      reservation: 0.25,
      advantage: 0,
    })
  })
})

describe("an imported GENIUS domain keeps its meaning whatever the number of rounds", () => {
  it("Laptop: the agreement's discounted utility is u·d^t with d from the profile files, for 10, 37 and 100 rounds", async () => {
    const laptop = await importDomain("anac2011/Laptop")
    const times: Array<number> = []
    for (const rounds of [10, 37, 100]) {
      const result = play(
        prepareDomain(laptop, [{ kind: "boulware" }, { kind: "boulware" }], { rounds }),
      )
      expect(result.state.status).toBe("agreed")
      const t = result.scores.agreementTime!
      // The accepting party's own time: its move's place on the discrete timeline.
      const accepter = result.trace.find((e) => e.move === "accepted")!.party
      const index = accepter === laptop.profiles[0]!.party ? 0 : 1
      expect(t).toBeCloseTo(moveTime(2 * result.end.round + index, 2 * rounds), 15)
      for (const score of Object.values(result.scores.parties)) {
        expect(score.discounted).toBeCloseTo(score.utility! * LAPTOP_D ** t, 12)
        expect(score.advantage).toBeCloseTo(score.discounted, 12) // reservation 0
      }
      times.push(t)
    }
    // Two Boulwares concede at the same normalised time whatever the rounds: the outcome does not drift with `rounds`.
    for (const t of times) expect(Math.abs(t - times[0]!)).toBeLessThan(0.12)
  })

  it("without agreement every party gets its reservation value discounted to the deadline (t = 1)", async () => {
    const laptop = withReservation(await importDomain("anac2011/Laptop"), 0.3)
    const result = play(
      prepareDomain(laptop, [{ kind: "hardliner" }, { kind: "hardliner" }], { rounds: 20 }),
    )
    expect(result.state.status).toBe("expired")
    expect(result.end.time).toBe(1)
    for (const score of Object.values(result.scores.parties))
      expect(score).toEqual({
        utility: null,
        discounted: 0.3 * LAPTOP_D,
        reservation: 0.3,
        advantage: 0,
      })
  })
})
