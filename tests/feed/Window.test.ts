/**
 * The window of a long negotiation's state: its tally (counts by status and
 * by party, the latest offers), kept up event by event from the offers an
 * event can change, equals the count over every offer at every version; the
 * cut view lists exactly the latest offers plus those the state names; a
 * state is cut further to fit a byte limit, and reported unfittable when
 * even no offer does not fit.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, HashMap } from "effect"
import { Folding, initialState, offersInOrder, type State } from "../../src/domain/Negotiation.ts"
import { toView } from "../../src/domain/View.ts"
import { fitView, OFFERS_SHOWN, Tallies } from "../../src/feed/Window.ts"
import { longNegotiation } from "./support/Long.ts"
import { ceasefire } from "./support/Scripted.ts"

const fullTally = (state: State) => {
  const byStatus: Record<string, number> = {}
  const byParty: Record<string, number> = {}
  for (const o of offersInOrder(state)) {
    byStatus[o.status] = (byStatus[o.status] ?? 0) + 1
    byParty[o.by] = (byParty[o.by] ?? 0) + 1
  }
  return { byStatus, byParty }
}
const nonZero = (r: Readonly<Record<string, number>>) =>
  Object.fromEntries(Object.entries(r).filter(([, n]) => n > 0))

describe("state window", () => {
  it("the tally kept up per event equals the count over every offer, and the cut view lists the latest offers, at every version of a 1,500-version negotiation", () => {
    const envelopes = longNegotiation("tally", 1_500)
    const fold = new Folding(initialState)
    const tallies = new Tallies()
    let cut = 0
    for (const envelope of envelopes) {
      assert.isUndefined(fold.add(envelope))
      const state = fold.state
      tallies.observe(state, envelope)
      const view = tallies.view(state)
      const all = offersInOrder(state)
      if (all.length <= OFFERS_SHOWN) {
        assert.deepStrictEqual(view, toView(state))
        continue
      }
      cut++
      const w = view.window!
      assert.strictEqual(w.offersMade, all.length)
      assert.strictEqual(w.offersShown, view.offers.length)
      assert.strictEqual(w.offersOmitted, all.length - view.offers.length)
      const full = fullTally(state)
      assert.deepStrictEqual(nonZero(w.byStatus), full.byStatus, `version ${state.version}`)
      assert.deepStrictEqual(w.byParty, full.byParty)
      const latest = all.slice(-OFFERS_SHOWN).map((o) => o.offerId)
      const named = new Set([
        ...state.pending,
        ...(state.acceptedOffer ? [state.acceptedOffer] : []),
      ])
      const expected = all.filter((o) => latest.includes(o.offerId) || named.has(o.offerId))
      assert.deepStrictEqual(view.offers, expected)
      assert.deepStrictEqual(
        { ...view, offers: [], window: undefined },
        {
          ...toView(state),
          offers: [],
          window: undefined,
        },
      )
    }
    assert.isAbove(cut, 1_000)
  })

  it.effect(
    "a scripted negotiation with reported offers, answers and an agreement keeps the same tally as a full count",
    () =>
      Effect.gen(function* () {
        const envelopes = yield* ceasefire("talks", 7)
        const fold = new Folding(initialState)
        const tallies = new Tallies()
        for (const envelope of envelopes) {
          fold.add(envelope)
          tallies.observe(fold.state, envelope)
          // Cut below the window: the tally is made from the state, then kept up.
          const view = tallies.view(fold.state, 2)
          if (HashMap.size(fold.state.offers) <= 2) continue
          const full = fullTally(fold.state)
          assert.deepStrictEqual(nonZero(view.window!.byStatus), full.byStatus)
          assert.deepStrictEqual(view.window!.byParty, full.byParty)
        }
      }),
  )

  it("fitView halves the window until the JSON fits the limit, and gives nothing when no window fits", () => {
    const envelopes = longNegotiation("fit", 600)
    const fold = new Folding(initialState)
    const tallies = new Tallies()
    for (const envelope of envelopes) {
      fold.add(envelope)
      tallies.observe(fold.state, envelope)
    }
    const whole = JSON.stringify(tallies.view(fold.state)).length
    const fitted = fitView(tallies, fold.state, Math.floor(whole / 3))
    assert.isDefined(fitted)
    assert.isBelow(fitted!.shown, OFFERS_SHOWN)
    assert.isAtMost(fitted!.bytes, Math.floor(whole / 3))
    assert.strictEqual(Buffer.byteLength(fitted!.json), fitted!.bytes)
    assert.isUndefined(fitView(tallies, fold.state, 200))
  })
})
