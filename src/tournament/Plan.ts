/**
 * The plan of a tournament: every negotiation it plays, in a fixed order
 * (scenario, assignment, repetition), each with an id and a seed derived
 * from the tournament alone, so the same file and seed always give the same
 * negotiations and a resumed tournament finds each one's log by its id.
 *
 * Assignments of competitors to a scenario's seats (its parties with
 * preferences): with `rotateRoles`, every ordered choice (every competitor
 * plays every role); without it, each combination once, competitors taking
 * the seats in file order. Competitors are distinct unless `selfPlay`.
 * `assignments: N` keeps N of them per scenario, sampled with the seed.
 *
 * @since 0.2.0
 */
import { isToken, MAX_ID_LENGTH, type NegotiationId } from "../domain/Ids.ts"
import { seeded } from "../simulation/Random.ts"
import type { Tournament } from "./Definition.ts"

/** One negotiation of the plan. */
export interface PlannedNegotiation {
  /** Position in the plan. */
  readonly index: number
  readonly id: NegotiationId
  /** Index of the scenario in the tournament. */
  readonly scenario: number
  readonly scenarioName: string
  readonly repetition: number
  readonly seed: number
  /** Seat (party id) to competitor index, in seat order. */
  readonly assignment: ReadonlyArray<readonly [string, number]>
}

/** 32-bit FNV-1a of a string. */
export const fnv1a = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Every way to fill `k` seats from `n` competitors (indices), as the options say. */
export const assignmentsOf = (
  n: number,
  k: number,
  options: { readonly rotateRoles: boolean; readonly selfPlay: boolean },
): Array<Array<number>> => {
  const out: Array<Array<number>> = []
  const pick = (prefix: Array<number>) => {
    if (prefix.length === k) {
      out.push([...prefix])
      return
    }
    // Combinations (no rotation) are non-decreasing (self-play) or increasing sequences.
    const from = options.rotateRoles
      ? 0
      : prefix.length === 0
        ? 0
        : prefix.at(-1)! + (options.selfPlay ? 0 : 1)
    for (let c = from; c < n; c++) {
      if (!options.selfPlay && prefix.includes(c)) continue
      prefix.push(c)
      pick(prefix)
      prefix.pop()
    }
  }
  pick([])
  return out
}

const sanitize = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, "_")

/**
 * A negotiation's id: `<tournament>-<scenario>-<competitors>-r<repetition>`,
 * or, when that is no valid id (too long, other characters), a shortened form
 * ending in a hash of the full one.
 */
export const negotiationIdOf = (
  tournament: string,
  scenario: string,
  competitors: ReadonlyArray<string>,
  repetition: number,
): NegotiationId => {
  const full = `${tournament}-${scenario}-${competitors.join("_")}-r${repetition}`
  if (isToken(full)) return full as NegotiationId
  const hash = fnv1a(full).toString(16).padStart(8, "0")
  const tail = `-r${repetition}-${hash}`
  return `${sanitize(full).slice(0, MAX_ID_LENGTH - tail.length)}${tail}` as NegotiationId
}

/** A negotiation's seed, from the tournament's seed, the scenario, the assignment and the repetition. */
export const negotiationSeed = (
  seed: number,
  scenario: string,
  competitors: ReadonlyArray<string>,
  repetition: number,
): number => fnv1a(`${seed}|${scenario}|${competitors.join("|")}|${repetition}`) & 0x7fffffff

/** Keeps `count` of `xs` (all when there are no more), chosen with `random`, in their order. */
const sample = <A>(xs: ReadonlyArray<A>, count: number, random: () => number): Array<A> => {
  if (count >= xs.length) return [...xs]
  const idx = xs.map((_, i) => i)
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[idx[i], idx[j]] = [idx[j]!, idx[i]!]
  }
  return idx
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((i) => xs[i]!)
}

/** Every negotiation of a tournament, in order. */
export const planOf = (tournament: Tournament): Array<PlannedNegotiation> => {
  const d = tournament.definition
  const names = d.competitors.map((c) => c.name)
  const out: Array<PlannedNegotiation> = []
  for (const [s, scenario] of tournament.scenarios.entries()) {
    const all = assignmentsOf(names.length, scenario.seats.length, d)
    const chosen =
      d.assignments === undefined
        ? all
        : sample(all, d.assignments, seeded(fnv1a(`${d.seed}|${scenario.name}`), 0))
    for (const assignment of chosen) {
      const competitors = assignment.map((c) => names[c]!)
      for (let r = 1; r <= d.repetitions; r++)
        out.push({
          index: out.length,
          id: negotiationIdOf(d.id, scenario.name, competitors, r),
          scenario: s,
          scenarioName: scenario.name,
          repetition: r,
          seed: negotiationSeed(d.seed, scenario.name, competitors, r),
          assignment: scenario.seats.map((seat, i) => [seat, assignment[i]!] as const),
        })
    }
  }
  return out
}
