/**
 * Playing strategies against each other on a real benchmark domain, through
 * the real runner and an in-memory log: the way agent tests measure what an
 * agent does in a whole negotiation.
 */
import { NodeFileSystem } from "@effect/platform-node"
import { Effect, Either } from "effect"
import { importGeniusFolder } from "../../../src/analysis/Genius.ts"
import type { Imported } from "../../../src/analysis/Import.ts"
import { scenarioFromDomain } from "../../../src/scenario/FromDomain.ts"
import { instantiate } from "../../../src/scenario/Load.ts"
import { type Prepared, prepare, type RunResult, run } from "../../../src/simulation/Runner.ts"
import type { Strategy } from "../../../src/simulation/Strategy.ts"
import * as Memory from "../../../src/store/Memory.ts"
import { fixture } from "../../analysis/helpers.ts"

/** A GENIUS domain folder under `tests/fixtures/genius` (e.g. `anac2011/Laptop`), imported. */
export const importDomain = (dir: string): Promise<Imported> =>
  Effect.runPromise(
    importGeniusFolder(fixture(`genius/${dir}`)).pipe(Effect.provide(NodeFileSystem.layer)),
  )

/** Options of {@link prepareDomain}. */
export interface DomainOptions {
  /** Rounds before the deadline (default 100). */
  readonly rounds?: number
  /** Which of the domain's profiles take part, by index (default: all, in file order). */
  readonly profiles?: ReadonlyArray<number>
  /** Whether the agents see the deadline (default true; false: their own time only). */
  readonly deadlineShown?: boolean
}

/**
 * A prepared scenario of an imported domain whose parties (in `profiles`
 * order) play `strategies` (a Strategy object or a strategy spec each).
 */
export const prepareDomain = (
  imported: Imported,
  strategies: ReadonlyArray<Strategy | object>,
  options: DomainOptions = {},
): Prepared => {
  const chosen =
    options.profiles === undefined
      ? imported
      : { ...imported, profiles: options.profiles.map((i) => imported.profiles[i]!) }
  if (chosen.profiles.length !== strategies.length)
    throw new Error(
      `${chosen.profiles.length} profiles take part but ${strategies.length} strategies were given`,
    )
  const definition = scenarioFromDomain(chosen)
  const compiled = Either.getOrThrow(
    instantiate(`${imported.name} (test)`, definition, {
      rounds: String(options.rounds ?? 100),
    }),
  )
  const scenario = {
    ...compiled.scenario,
    protocol:
      options.deadlineShown === undefined
        ? compiled.scenario.protocol
        : { ...compiled.scenario.protocol, deadlineShown: options.deadlineShown },
    parties: compiled.scenario.parties.map((p, i) => ({ ...p, strategy: strategies[i] })),
  }
  return Either.getOrThrow(prepare({ ...compiled, scenario } as typeof compiled))
}

/** Plays one run of a prepared scenario in memory, with its trace. */
export const play = (prepared: Prepared, seed = 1): RunResult =>
  Effect.runSync(run(prepared, { seed, trace: true }).pipe(Effect.provide(Memory.layer)))

/** What {@link headToHead} measured. */
export interface HeadToHead {
  /** Mean advantage of the agent under test over every run. */
  readonly mine: number
  /** Mean advantage of its opponent. */
  readonly theirs: number
  readonly agreements: number
  readonly runs: number
}

/**
 * The agent `me` against `opponent` on the first two profiles of each
 * domain, in both roles, for each seed: each side's mean advantage
 * (discounted utility minus discounted reservation value).
 */
export const headToHead = (
  domains: ReadonlyArray<Imported>,
  me: Strategy | object,
  opponent: Strategy | object,
  seeds: ReadonlyArray<number>,
  options: Omit<DomainOptions, "profiles"> = {},
): HeadToHead => {
  let mine = 0
  let theirs = 0
  let agreements = 0
  let runs = 0
  for (const d of domains) {
    const ids = d.profiles.map((p) => p.party)
    for (const swap of [false, true]) {
      const prepared = prepareDomain(d, swap ? [opponent, me] : [me, opponent], {
        ...options,
        profiles: [0, 1],
      })
      const [meId, oppId] = swap ? [ids[1]!, ids[0]!] : [ids[0]!, ids[1]!]
      for (const seed of seeds) {
        const r = play(prepared, seed)
        mine += r.scores.parties[meId]!.advantage
        theirs += r.scores.parties[oppId]!.advantage
        if (r.scores.agreementTime !== null) agreements++
        runs++
      }
    }
  }
  return { mine: mine / runs, theirs: theirs / runs, agreements, runs }
}
