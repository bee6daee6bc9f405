/**
 * Quick measurement of `move` cost and of whole bilateral negotiations with
 * the in-test driver (not a test; run with
 * `node --import tsx tests/simulation/strategies/moveCost.ts`).
 *
 * Prints per strategy the mean cost of a `move` answering an offer, next to a
 * reference measured in the same run (one call of the compiled utility), and
 * the negotiations per second of two time-dependent players over 100 rounds
 * on the 3-issue test domain; then the one-off ladder build on a space of
 * about a million outcomes.
 */
import { Either, Schema } from "effect"
import { outcomeSpace } from "../../../src/analysis/OutcomeSpace.ts"
import { Preferences } from "../../../src/analysis/Preferences.ts"
import type { Issue } from "../../../src/domain/Issue.ts"
import { buildLadder } from "../../../src/simulation/strategies/Ladder.ts"
import { bilateral, buyer, offer, seller, strategy, terms, turnAt, viewOf } from "./Driver.ts"

const colors = ["red", "green", "blue"]
const incoming = Array.from({ length: 64 }, (_, k) =>
  offer("s", "b", terms({ color: colors[k % 3]!, qty: k % 5, price: ((k * 7) % 11) * 10 })),
)

const N = 400_000
const time = (f: (i: number) => void): number => {
  for (let i = 0; i < 20_000; i++) f(i)
  const t0 = performance.now()
  for (let i = 0; i < N; i++) f(i)
  return ((performance.now() - t0) * 1e6) / N
}

const bv = viewOf("b", buyer)
const ref = time((i) => {
  bv.utility(incoming[i & 63]!.terms)
})
console.log(`reference: one utility() call ${ref.toFixed(0)} ns`)
for (const s of [
  { kind: "boulware" },
  { kind: "conceder", convention: "negmas", tieBreak: "random" },
  { kind: "tit-for-tat" },
  { kind: "red-line-concession", redLines: { color: ["blue"] } },
  { kind: "hardliner" },
  { kind: "random" },
  { kind: "scripted", offers: [{ color: "red", qty: 4, price: 0 }] },
]) {
  const player = strategy(s).init(viewOf("b", buyer))
  const turns = Array.from({ length: 100 }, (_, r) => turnAt(r, 100, incoming[r & 63]))
  const ns = time((i) => {
    player.move(turns[i % 100]!)
  })
  console.log(
    `${JSON.stringify(s).padEnd(60)} move ${ns.toFixed(0)} ns (${(ns / ref).toFixed(1)}x utility)`,
  )
}

const runs = 3000
const a = strategy({ kind: "boulware" })
const b = strategy({ kind: "conceder", convention: "negmas" })
bilateral(
  { name: "b", strategy: a, view: viewOf("b", buyer) },
  { name: "s", strategy: b, view: viewOf("s", seller) },
  100,
)
let agreed = 0
let moves = 0
const t0 = performance.now()
for (let k = 0; k < runs; k++) {
  const out = bilateral(
    { name: "b", strategy: a, view: viewOf("b", buyer, { seed: k }) },
    { name: "s", strategy: b, view: viewOf("s", seller, { seed: k + 1 }) },
    100,
  )
  if (out.agreement !== undefined) agreed++
  moves += out.rounds
}
const secs = (performance.now() - t0) / 1000
console.log(
  `driver: ${(runs / secs).toFixed(0)} negotiations/s (${(moves / runs).toFixed(1)} moves each, ${agreed} agreed), view setup included`,
)

const big = Schema.decodeUnknownSync(Schema.Array(Schema.Any))([
  { kind: "integer", id: "a", min: 0, max: 99 },
  { kind: "integer", id: "b", min: 0, max: 99 },
  { kind: "integer", id: "c", min: 0, max: 99 },
]) as ReadonlyArray<Issue>
const bigSpace = Either.getOrThrow(outcomeSpace(big))
const t1 = performance.now()
const ladder = buildLadder(
  bigSpace,
  Schema.decodeUnknownSync(Preferences)({
    weights: { a: 3, b: 2, c: 1 },
    evaluations: {
      a: { kind: "monotone", best: "max" },
      b: { kind: "monotone", best: "min" },
      c: { kind: "monotone", best: "max" },
    },
  }),
)
console.log(
  `ladder of ${ladder.length} outcomes: ${(performance.now() - t1).toFixed(0)} ms (once per space and preferences)`,
)
