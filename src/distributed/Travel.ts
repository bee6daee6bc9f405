/**
 * What a work item carries so that a worker on another machine, with no
 * access to the scenario or tournament file, plays exactly the runs a local
 * batch would: the scenario definition as data (or, for a module whose
 * `build(params)` is code, the input it built), the overrides and the
 * agents; for a tournament, its decoded definition and every scenario as
 * its encoded input and parameters, compiled again on the worker by the same
 * `compile`.
 *
 * A module whose `build(params)` runs per drawn parameter set (the
 * ceasefire scenario) cannot be replaced by one built input: it travels by
 * reference, its path relative to the working directory and the SHA-256 of
 * its content ({@link ModuleReference}). The worker loads the module from
 * its own copy (deployed with it, like parley itself), at the same relative
 * path, and refuses it when its content's hash differs. Code never comes
 * over the bus: shipping the module's text would let anyone holding the
 * work key run code on every worker, whereas a reference lets them choose
 * only among the modules the workers' operator installed, as they were
 * installed. (The hash covers the module's own file; what it imports is
 * the worker's as deployed.)
 *
 * A value that cannot travel — a TypeScript `Strategy` object, a custom
 * utility function, a class instance, a non-finite number — is refused here,
 * before anything is queued, naming the field.
 *
 * @since 0.3.0
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { extname, isAbsolute, normalize, relative, resolve, sep } from "node:path"
import { Effect, Either, Schema } from "effect"
import { messageOf } from "../domain/Errors.ts"
import {
  applyParameters,
  compile,
  decodeScenario,
  instantiate,
  readDefinition,
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

/** A scenario module that travels by reference: where workers find it, and what it must hash to. */
export interface ModuleReference {
  /** Relative to the working directory, with `/` separators, inside it. */
  readonly path: string
  /** SHA-256 of the file's bytes, hex. */
  readonly sha256: string
}

/** A Monte Carlo batch as data. */
export interface TravellingBatch {
  /** The scenario file's name, for messages and log metadata only. */
  readonly file: string
  /** The definition as data; for a module sent by reference, `null`. */
  readonly definition: unknown
  /** The module whose `build(params)` each run calls, when it travels by reference. */
  readonly module?: ModuleReference | undefined
  readonly overrides: Readonly<Record<string, string>>
  readonly agents: Readonly<Record<string, unknown>>
}

/** The batch as data, or why it cannot travel. */
export const travellingBatch = (batch: Batch): Either.Either<TravellingBatch, ScenarioError> => {
  const def = batch.definition as { build?: unknown }
  let definition: unknown = batch.definition
  if (typeof def === "object" && def !== null && typeof def.build === "function") {
    // A module's build(params) is code: ship what it built when no run draws other
    // parameters; otherwise, refer to the module.
    if (batch.uncertain.length > 0) {
      const module = moduleReference(batch.file)
      if (Either.isLeft(module)) return Either.left(module.left)
      const problem = travelProblem(batch.agents, "--agent")
      if (problem !== undefined) return Either.left(refuse(batch.file, problem))
      return Either.right({
        file: batch.file,
        definition: null,
        module: module.right,
        overrides: batch.overrides,
        agents: batch.agents,
      })
    }
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

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/** The reference to the module at `file`: its path inside the working directory and its hash. */
const moduleReference = (file: string): Either.Either<ModuleReference, ScenarioError> => {
  const path = relative(process.cwd(), resolve(file))
  if (path.startsWith("..") || isAbsolute(path))
    return Either.left(
      refuse(
        file,
        "its build(params) draws parameters per run, so workers load the module itself, from the same path relative to their working directory: run from a directory that holds it",
      ),
    )
  try {
    return Either.right({ path: path.split(sep).join("/"), sha256: sha256(readFileSync(file)) })
  } catch (e) {
    return Either.left(refuse(file, `cannot read the module: ${messageOf(e)}`))
  }
}

/**
 * The module a reference names, from this process's working directory: its
 * definition, or why it is refused — a path outside the directory or of
 * another kind than a scenario module (a worker imports nothing else), or
 * content whose hash differs from the coordinator's.
 */
export const loadModule = (
  file: string,
  module: ModuleReference,
): Effect.Effect<unknown, ScenarioError> =>
  Effect.gen(function* () {
    const fail = (problem: string) =>
      new ScenarioError({ file, path: "module", problem: `refused: ${problem}` })
    const path = normalize(module.path)
    if (
      isAbsolute(path) ||
      path.startsWith("..") ||
      ![".ts", ".mts", ".js", ".mjs"].includes(extname(path).toLowerCase())
    )
      return yield* fail(
        `${module.path} is not a scenario module inside the worker's working directory`,
      )
    const bytes = yield* Effect.tryPromise({
      try: () => readFile(path),
      catch: (e) => fail(`this worker has no ${module.path} (${messageOf(e)})`),
    })
    const found = sha256(bytes)
    if (found !== module.sha256)
      return yield* fail(
        `this worker's ${module.path} hashes to ${found.slice(0, 16)}…, the coordinator's to ${module.sha256.slice(0, 16)}… (another version of the module)`,
      )
    return yield* readDefinition(path)
  })

/** The batch again, on a worker: the same steps as `loadBatch` after reading the file. */
export const batchOf = (t: TravellingBatch): Effect.Effect<Batch, ScenarioError> =>
  Effect.gen(function* () {
    const definition = t.module === undefined ? t.definition : yield* loadModule(t.file, t.module)
    const uncertain = yield* uncertainParameters(t.file, definition, t.overrides)
    const compiled = yield* instantiate(t.file, definition, t.overrides)
    const base = yield* prepare(compiled, t.agents)
    return {
      file: t.file,
      definition,
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
