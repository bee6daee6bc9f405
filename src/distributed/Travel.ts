/**
 * What a work item carries so that a worker on another machine, with no
 * access to the scenario or tournament file, plays exactly the runs a local
 * batch would: the scenario definition as data (or, for a module whose
 * `build(params)` is code, the input it built), the overrides and the
 * agents; for a tournament, its decoded definition and every scenario as
 * its encoded input and parameters, compiled again on the worker by the same
 * `compile`.
 *
 * A value that cannot travel — a TypeScript `Strategy` object, a custom
 * utility function, a class instance, a non-finite number — is refused here,
 * before anything is queued, naming the field.
 *
 * @since 0.3.0
 */
import { Either, Schema } from "effect"
import {
  applyParameters,
  compile,
  decodeScenario,
  instantiate,
  ScenarioError,
  uncertainParameters,
} from "../scenario/Load.ts"
import { Scenario } from "../scenario/Scenario.ts"
import type { Batch } from "../simulation/Batch.ts"
import { prepare } from "../simulation/Runner.ts"
import type { Tournament, TournamentDefinition } from "../tournament/Definition.ts"

/** Where in `value` something is that JSON cannot carry exactly, and what it is. */
export const travelProblem = (value: unknown, path: string): string | undefined => {
  const at = (p: string) => (p === "" ? "the value" : p)
  switch (typeof value) {
    case "string":
    case "boolean":
    case "undefined":
      return undefined
    case "number":
      return Number.isFinite(value) ? undefined : `${at(path)}: ${value} is not a JSON number`
    case "function":
      return `${at(path)}: code (a function) cannot travel to a worker`
    case "object": {
      if (value === null) return undefined
      if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) {
          const p = travelProblem(v, `${path}[${i}]`)
          if (p !== undefined) return p
        }
        return undefined
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null)
        return `${at(path)}: an object of class ${(value as object).constructor?.name ?? "?"} (a TypeScript strategy object?) cannot travel to a worker`
      for (const [k, v] of Object.entries(value)) {
        const p = travelProblem(v, path === "" ? k : `${path}.${k}`)
        if (p !== undefined) return p
      }
      return undefined
    }
    default:
      return `${at(path)}: a ${typeof value} cannot travel to a worker`
  }
}

const refuse = (file: string, problem: string) =>
  new ScenarioError({
    file,
    path: "",
    problem: `cannot run on workers: ${problem}; write it as data (JSON/YAML or a spec), or run it locally`,
  })

/** A Monte Carlo batch as data. */
export interface TravellingBatch {
  /** The scenario file's name, for messages and log metadata only. */
  readonly file: string
  readonly definition: unknown
  readonly overrides: Readonly<Record<string, string>>
  readonly agents: Readonly<Record<string, unknown>>
}

/** The batch as data, or why it cannot travel. */
export const travellingBatch = (batch: Batch): Either.Either<TravellingBatch, ScenarioError> => {
  const def = batch.definition as { build?: unknown }
  let definition: unknown = batch.definition
  if (typeof def === "object" && def !== null && typeof def.build === "function") {
    // A module's build(params) is code: ship what it built, when no run draws other parameters.
    if (batch.uncertain.length > 0)
      return Either.left(
        refuse(
          batch.file,
          `its build(params) is code and parameters ${batch.uncertain.map((u) => u.name).join(", ")} are drawn per run (fix them with --set to ship the built scenario)`,
        ),
      )
    const applied = applyParameters(batch.file, batch.definition, batch.overrides)
    if (Either.isLeft(applied)) return Either.left(applied.left)
    definition = applied.right.input
  }
  const problem =
    travelProblem(definition, "") ?? travelProblem(batch.agents, "--agent") ?? undefined
  if (problem !== undefined) return Either.left(refuse(batch.file, problem))
  return Either.right({
    file: batch.file,
    definition,
    overrides: batch.overrides,
    agents: batch.agents,
  })
}

/** The batch again, on a worker: the same steps as `loadBatch` after reading the file. */
export const batchOf = (t: TravellingBatch): Either.Either<Batch, ScenarioError> =>
  Either.gen(function* () {
    const uncertain = yield* uncertainParameters(t.file, t.definition, t.overrides)
    const compiled = yield* instantiate(t.file, t.definition, t.overrides)
    const base = yield* prepare(compiled, t.agents)
    return {
      file: t.file,
      definition: t.definition,
      overrides: t.overrides,
      agents: t.agents,
      uncertain,
      base,
    }
  })

/** A tournament as data. */
export interface TravellingTournament {
  readonly file: string
  readonly definition: TournamentDefinition
  readonly scenarios: ReadonlyArray<{
    readonly name: string
    readonly seats: ReadonlyArray<string>
    readonly file: string
    /** The scenario as its encoded input, rounds override applied. */
    readonly input: unknown
    readonly params: Readonly<Record<string, number | string | boolean>>
  }>
}

/** The tournament as data, or why it cannot travel. */
export const travellingTournament = (
  tournament: Tournament,
): Either.Either<TravellingTournament, ScenarioError> => {
  const scenarios: Array<TravellingTournament["scenarios"][number]> = []
  for (const [i, s] of tournament.scenarios.entries()) {
    const encoded = Schema.encodeEither(Scenario)(s.compiled.scenario)
    if (Either.isLeft(encoded))
      return Either.left(refuse(tournament.file, `scenarios[${i}]: ${encoded.left.message}`))
    const problem = travelProblem(encoded.right, `scenarios[${i}]`)
    if (problem !== undefined) return Either.left(refuse(tournament.file, problem))
    scenarios.push({
      name: s.name,
      seats: s.seats,
      file: s.compiled.file,
      input: encoded.right,
      params: s.compiled.params,
    })
  }
  const problem = travelProblem(tournament.definition, "")
  if (problem !== undefined) return Either.left(refuse(tournament.file, problem))
  return Either.right({ file: tournament.file, definition: tournament.definition, scenarios })
}

/** The tournament again, on a worker: every scenario decoded and compiled as on the coordinator. */
export const tournamentOf = (t: TravellingTournament): Either.Either<Tournament, ScenarioError> =>
  Either.gen(function* () {
    const scenarios: Array<Tournament["scenarios"][number]> = []
    for (const s of t.scenarios) {
      const scenario = yield* decodeScenario(s.file, s.input)
      const compiled = yield* compile(s.file, scenario, s.params)
      scenarios.push({ name: s.name, seats: s.seats, compiled })
    }
    return { file: t.file, definition: t.definition, scenarios }
  })
