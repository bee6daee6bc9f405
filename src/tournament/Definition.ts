/**
 * A tournament file (YAML or JSON): the competitors (named strategy specs),
 * the scenarios (parley scenario files, or GENIUS domains imported directly),
 * repetitions, role rotation, self-play, a rounds override, the seed and the
 * score that ranks. Decoding reports every problem as a {@link ScenarioError}
 * naming the tournament file and the field, e.g.
 * `anac.yaml: competitors[2].strategy: unknown strategy kind "hardheded" (...)`.
 *
 * Loading also reads and compiles every scenario once, for the whole
 * tournament (paths are relative to the tournament file).
 *
 * @since 0.2.0
 */
import type { FileSystem } from "@effect/platform"
import { Effect, Either, Schema } from "effect"
import { importGenius } from "../analysis/Genius.ts"
import { deepestIssue, messageOf } from "../domain/Errors.ts"
import { isToken } from "../domain/Ids.ts"
import { scenarioFromDomain } from "../scenario/FromDomain.ts"
import {
  applyParameters,
  type CompiledScenario,
  compile,
  decodeScenario,
  readDefinition,
  ScenarioError,
} from "../scenario/Load.ts"
import { decodeStrategySpec, strategyProblem } from "../simulation/strategies/index.ts"

const described = <A, I>(schema: Schema.Schema<A, I>, description: string) =>
  schema.annotations({ description })

/** A scenario entry: a parley scenario file, or a GENIUS domain and its profiles. */
export const ScenarioEntry = Schema.Union(
  described(Schema.String, "a parley scenario file (.json, .yaml, .ts), relative to this file"),
  Schema.Struct({
    genius: Schema.Struct({
      domain: described(Schema.String, "the GENIUS domain file (.xml)"),
      profiles: described(
        Schema.Array(Schema.String).pipe(Schema.minItems(2)),
        "the preference profiles (.xml), one per party; a party is named after its file",
      ),
      name: Schema.optional(
        described(Schema.String, "the scenario's name (default: the domain's)"),
      ),
    }),
  }),
)
export type ScenarioEntry = typeof ScenarioEntry.Type

const PositiveInt = Schema.Int.pipe(Schema.positive())

/** The tournament file. */
export const TournamentDefinition = Schema.Struct({
  id: described(Schema.String, "the tournament's id (letters, digits, '_' or '-')"),
  competitors: described(
    Schema.Array(
      Schema.Struct({
        name: described(Schema.String, "the competitor's name (unique)"),
        strategy: described(Schema.Unknown, "any strategy spec (see parley strategies)"),
      }),
    ).pipe(Schema.minItems(1)),
    "the competitors: named strategy specs",
  ),
  scenarios: described(Schema.Array(ScenarioEntry).pipe(Schema.minItems(1)), "the scenarios"),
  repetitions: Schema.optionalWith(
    described(PositiveInt, "how many times each assignment is played"),
    { default: () => 1 },
  ),
  rotateRoles: Schema.optionalWith(
    described(
      Schema.Boolean,
      "every competitor plays every role (ordered assignments); false: each set of competitors once, in file order",
    ),
    { default: () => true },
  ),
  selfPlay: Schema.optionalWith(described(Schema.Boolean, "a competitor may meet itself"), {
    default: () => false,
  }),
  rounds: Schema.optional(described(PositiveInt, "override of each scenario's rounds")),
  seed: Schema.optionalWith(described(Schema.Int, "the tournament's seed"), {
    default: () => 1,
  }),
  score: Schema.optionalWith(
    described(
      Schema.Literal("advantage", "utility", "discounted", "socialWelfare"),
      "what ranks the competitors",
    ),
    { default: () => "advantage" as const },
  ),
  assignments: Schema.optional(
    described(
      PositiveInt,
      "play only this many assignments per scenario, sampled with the seed (multilateral scenarios)",
    ),
  ),
})
export type TournamentDefinition = typeof TournamentDefinition.Type

/** One scenario of a tournament, compiled once. */
export interface TournamentScenario {
  /** Unique within the tournament (the scenario's id, numbered when two share one). */
  readonly name: string
  readonly compiled: CompiledScenario
  /** The parties with preferences, in the scenario's order: the seats competitors take. */
  readonly seats: ReadonlyArray<string>
}

/** A decoded tournament with its scenarios loaded. */
export interface Tournament {
  readonly file: string
  readonly definition: TournamentDefinition
  readonly scenarios: ReadonlyArray<TournamentScenario>
}

/** Decodes a tournament definition read from `file` (no scenario is read). */
export const decodeTournament = (
  file: string,
  input: unknown,
): Either.Either<TournamentDefinition, ScenarioError> => {
  const fail = (path: string, problem: string) =>
    Either.left(new ScenarioError({ file, path, problem }))
  const decoded = Schema.decodeUnknownEither(TournamentDefinition, { onExcessProperty: "error" })(
    input,
  )
  if (Either.isLeft(decoded))
    return Either.left(new ScenarioError({ file, ...deepestIssue(decoded.left) }))
  const d = decoded.right
  if (!isToken(d.id) || d.id.length > 24)
    return fail("id", "must be 1 to 24 letters, digits, '_' or '-' (it prefixes negotiation ids)")
  const names = new Set<string>()
  for (const [i, c] of d.competitors.entries()) {
    if (c.name.trim() === "") return fail(`competitors[${i}].name`, "must not be empty")
    if (names.has(c.name)) return fail(`competitors[${i}].name`, `"${c.name}" is already taken`)
    names.add(c.name)
    const spec = decodeStrategySpec(c.strategy)
    if (Either.isLeft(spec)) {
      // The problem names the kind and the parameter (`boulware: e: ...`); an unknown kind points at `kind`.
      const problem = strategyProblem(spec.left)
      return fail(
        `competitors[${i}].strategy${problem.startsWith("unknown strategy kind") ? ".kind" : ""}`,
        problem,
      )
    }
  }
  return Either.right(d)
}

const dirOf = (file: string) => {
  const i = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"))
  return i < 0 ? "." : file.slice(0, i)
}
const resolveFrom = (dir: string, path: string) =>
  path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) ? path : `${dir}/${path}`

/** Compiles a scenario definition with the tournament's rounds override. */
const compileWith = (
  file: string,
  definition: unknown,
  rounds: number | undefined,
): Either.Either<CompiledScenario, ScenarioError> => {
  const declared =
    typeof definition === "object" &&
    definition !== null &&
    typeof (definition as { parameters?: { rounds?: unknown } }).parameters?.rounds === "object"
  const overrides: Record<string, string> =
    rounds !== undefined && declared ? { rounds: String(rounds) } : {}
  return Either.flatMap(applyParameters(file, definition, overrides), ({ params, input }) =>
    Either.flatMap(decodeScenario(file, input), (scenario) =>
      compile(
        file,
        rounds === undefined
          ? scenario
          : { ...scenario, protocol: { ...scenario.protocol, rounds } },
        params,
      ),
    ),
  )
}

/** Loads one scenario entry. */
const loadEntry = (
  file: string,
  index: number,
  entry: ScenarioEntry,
  rounds: number | undefined,
): Effect.Effect<CompiledScenario, ScenarioError, FileSystem.FileSystem> => {
  const dir = dirOf(file)
  if (typeof entry === "string") {
    const path = resolveFrom(dir, entry)
    return Effect.flatMap(readDefinition(path), (definition) =>
      compileWith(path, definition, rounds),
    )
  }
  const { domain, profiles, name } = entry.genius
  return importGenius(
    resolveFrom(dir, domain),
    profiles.map((p) => resolveFrom(dir, p)),
  ).pipe(
    Effect.mapError(
      (e) =>
        new ScenarioError({
          file,
          path: `scenarios[${index}].genius`,
          problem: messageOf(e),
        }),
    ),
    Effect.flatMap((imported) =>
      compileWith(
        `${file} scenarios[${index}]`,
        scenarioFromDomain(imported, { id: name, source: domain }),
        rounds,
      ),
    ),
  )
}

/** Reads, decodes and loads a tournament file and all its scenarios. */
export const loadTournament = (
  file: string,
  options: { readonly seed?: number | undefined } = {},
): Effect.Effect<Tournament, ScenarioError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const input = yield* readDefinition(file)
    const decoded = yield* decodeTournament(file, input)
    const definition = options.seed === undefined ? decoded : { ...decoded, seed: options.seed }
    const scenarios: Array<TournamentScenario> = []
    const taken = new Map<string, number>()
    for (const [i, entry] of definition.scenarios.entries()) {
      const compiled = yield* loadEntry(file, i, entry, definition.rounds)
      const seats = compiled.scenario.parties
        .filter((p) => p.preferences !== undefined)
        .map((p) => p.id as string)
      if (seats.length === 0)
        return yield* new ScenarioError({
          file,
          path: `scenarios[${i}]`,
          problem: "no party has preferences: there is no seat for a competitor",
        })
      if (!definition.selfPlay && seats.length > definition.competitors.length)
        return yield* new ScenarioError({
          file,
          path: `scenarios[${i}]`,
          problem: `${seats.length} parties need ${seats.length} distinct competitors without selfPlay, but there are ${definition.competitors.length}`,
        })
      const base = compiled.scenario.id as string
      const seen = taken.get(base) ?? 0
      taken.set(base, seen + 1)
      scenarios.push({ name: seen === 0 ? base : `${base}-${seen + 1}`, compiled, seats })
    }
    return { file, definition, scenarios }
  })
