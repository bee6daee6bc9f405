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
    parties: compiled.scenario.parties.map((p, i) => ({ ...p, strategy: strategies[i] })),
  }
  return Either.getOrThrow(prepare({ ...compiled, scenario } as typeof compiled))
}

/** Plays one run of a prepared scenario in memory, with its trace. */
export const play = (prepared: Prepared, seed = 1): RunResult =>
  Effect.runSync(run(prepared, { seed, trace: true }).pipe(Effect.provide(Memory.layer)))
