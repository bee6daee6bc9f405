/**
 * Loading scenarios: read a JSON, YAML or TypeScript file, apply parameter
 * overrides, decode, check that every reference fits, and dry-run the
 * timeline through the decider. Every problem is one {@link ScenarioError}
 * naming the file and the field path, e.g.
 * `ceasefire.json: parties[1].preferences.weights.crimea: Expected number, actual "high"`.
 *
 * @since 0.1.0
 */

import { existsSync, realpathSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { register as registerHooks } from "node:module"
import { extname, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { Effect, Either, Schema } from "effect"
import { parseDocument } from "yaml"
import { preferencesProblem } from "../analysis/Preferences.ts"
import { decideLocally } from "../app/CommandHandler.ts"
import { NegotiationCommand, type OpenNegotiation } from "../domain/Command.ts"
import { deepestIssue, messageOf } from "../domain/Errors.ts"
import { type Instant, Provenance, type Source } from "../domain/Event.ts"
import type { PartyId } from "../domain/Ids.ts"
import { initialState, type State } from "../domain/Negotiation.ts"
import { AS_MODULE, type Redirect } from "./BundleHooks.ts"
import { applyParameters } from "./Parameters.ts"
import { protocolDeclarations } from "./Protocols.ts"
import { type Params, Scenario, type TimelineMove } from "./Scenario.ts"
import { ScenarioError } from "./ScenarioError.ts"

export {
  applyParameters,
  parseOverrides,
  type Uncertain,
  uncertainParameters,
} from "./Parameters.ts"
export { ScenarioError } from "./ScenarioError.ts"

/**
 * Run from the compiled bundle, TypeScript scenarios need tsx: registered once,
 * at the first such scenario (from the sources, tsx or vitest already reads them).
 */
let typeScriptLoaderReady: Promise<void> | undefined
const typeScriptLoader = (): Promise<void> => {
  if (import.meta.url.endsWith(".ts")) return Promise.resolve()
  typeScriptLoaderReady ??= import("tsx/esm/api").then(({ register }) => {
    register()
    // The bundle lies in dist/ next to this code, the sources in src/ beside it;
    // Node resolves imports to real paths, so compare with the real path.
    const source = fileURLToPath(new URL("../src/scenario/Scenario.ts", import.meta.url))
    const redirect: Redirect = {
      source: pathToFileURL(existsSync(source) ? realpathSync(source) : source).href,
      compiled: new URL("./scenario.mjs", import.meta.url).href,
    }
    registerHooks(new URL("./scenario-hooks.mjs", import.meta.url), { data: redirect })
  })
  return typeScriptLoaderReady
}

/** The extensions of scenario modules; the others are data (JSON, or else YAML). */
const moduleExtensions = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]

/**
 * The URL to import a scenario module by. Run from the bundle, a `.ts` or
 * `.js` file is marked to load as an ES module whatever its folder's
 * `package.json` says (see `BundleHooks.ts`); `.mts` / `.mjs` are ES modules
 * and `.cts` / `.cjs` CommonJS by their extension.
 */
const moduleUrl = async (file: string, ext: string): Promise<string> => {
  const url = pathToFileURL(resolve(file)).href
  if (import.meta.url.endsWith(".ts") || [".mjs", ".cjs"].includes(ext)) return url
  await typeScriptLoader()
  return ext === ".ts" || ext === ".js" ? `${url}?${AS_MODULE}` : url
}

/** A module's default export; a CommonJS module compiled from ES (`exports.default`, `__esModule`) too. */
const defaultOf = (m: { default?: unknown }): unknown => {
  const d = m.default
  return typeof d === "object" && d !== null && "__esModule" in d && "default" in d
    ? (d as { default: unknown }).default
    : d
}

/** Reads a scenario file: a TypeScript/JavaScript module's default export, JSON, or YAML. */
export const readDefinition = (file: string): Effect.Effect<unknown, ScenarioError> => {
  const fail = (problem: string) => new ScenarioError({ file, path: "", problem })
  const ext = extname(file).toLowerCase()
  if (moduleExtensions.includes(ext))
    return Effect.tryPromise({
      try: async () =>
        defaultOf((await import(await moduleUrl(file, ext))) as { default?: unknown }),
      catch: (e) => fail(`cannot load the module: ${messageOf(e)}`),
    }).pipe(
      Effect.flatMap((d) =>
        d === undefined
          ? Effect.fail(
              fail("the module has no default export (export default defineScenario({...}))"),
            )
          : Effect.succeed(d),
      ),
    )
  return Effect.tryPromise({
    try: () => readFile(file, "utf8"),
    catch: (e) => fail(`cannot read the file: ${messageOf(e)}`),
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () =>
          (ext === ".yaml" || ext === ".yml" ? parseYaml(text) : JSON.parse(text)) as unknown,
        catch: (e) =>
          fail(`not valid ${ext === ".json" ? "JSON" : "YAML"}: ${messageOf(e).split("\n")[0]}`),
      }),
    ),
  )
}

/** Parses YAML; a warning (an unknown tag, say) is as much a problem as an error, and nothing is logged. */
const parseYaml = (text: string): unknown => {
  const doc = parseDocument(text, { logLevel: "silent" })
  const problem = doc.errors[0] ?? doc.warnings[0]
  if (problem !== undefined) throw problem
  return doc.toJS()
}

/** Decodes a scenario input, failing with the first problem's field path. */
export const decodeScenario = (
  file: string,
  input: unknown,
): Either.Either<Scenario, ScenarioError> =>
  Either.mapLeft(
    Schema.decodeUnknownEither(Scenario, { onExcessProperty: "error" })(input),
    (e) => new ScenarioError({ file, ...deepestIssue(e) }),
  )

/** A scenario ready to run: the opening command and the timeline as commands, both checked. */
export interface CompiledScenario {
  readonly file: string
  readonly scenario: Scenario
  readonly params: Params
  readonly open: OpenNegotiation
  /** The timeline as commands, in order, with provenance attached. */
  readonly timeline: ReadonlyArray<NegotiationCommand>
  /** The state after the timeline (a dry run, in memory). */
  readonly afterTimeline: State
  /** The simulated turn order. */
  readonly order: ReadonlyArray<PartyId>
  /** The first simulated turn. */
  readonly simulationStart: Instant
  /** Milliseconds between simulated turns. */
  readonly turnMs: number
}

const HOUR = 3_600_000

/**
 * The command of one timeline move: its sources resolved (ids of the
 * scenario's sources, or given in full), its provenance attached, decoded as
 * a command. Not yet decided: the decider judges it against the state.
 */
export const timelineCommand = (
  file: string,
  scenario: Scenario,
  move: TimelineMove,
  path: string,
): Either.Either<NegotiationCommand, ScenarioError> => {
  const fail = (field: string, problem: string) =>
    Either.left(
      new ScenarioError({ file, path: path === "" ? field : `${path}.${field}`, problem }),
    )
  const cited: Array<Source> = []
  for (const [j, ref] of move.sources.entries()) {
    const s = typeof ref === "string" ? scenario.sources.find((k) => k.id === ref) : ref
    if (s === undefined) return fail(`sources[${j}]`, `unknown source "${ref}"`)
    cited.push({
      reportedBy: s.reportedBy,
      ...(s.where === undefined ? {} : { where: s.where }),
      ...(s.url === undefined ? {} : { url: s.url }),
      ...(s.reportedAt === undefined ? {} : { reportedAt: s.reportedAt }),
      ...(s.quote === undefined ? {} : { quote: s.quote }),
    })
  }
  if (move.status === "reported" && cited.length === 0)
    return fail("sources", "a reported move must cite at least one source")
  const provenance: typeof Provenance.Type = {
    status: move.status,
    ...(cited.length === 0 ? {} : { sources: cited }),
    ...(move.hypothetical ? { hypothetical: true as const } : {}),
  }
  const {
    at,
    status: _status,
    sources: _sources,
    note: _note,
    hypothetical: _hypothetical,
    ...fields
  } = move
  if (fields.type === "OpenNegotiation")
    return fail("type", "the negotiation is opened by the scenario itself, not by a timeline move")
  if (fields.type === "DeclareDeadlinePassed" && move.hypothetical)
    return fail("hypothetical", "a deadline passing carries no provenance to mark")
  return Either.mapLeft(
    Schema.decodeUnknownEither(NegotiationCommand, { onExcessProperty: "error" })({
      ...fields,
      at,
      ...(fields.type === "DeclareDeadlinePassed"
        ? {}
        : { provenance: Schema.encodeSync(Provenance)(provenance) }),
    }),
    (e) => new ScenarioError({ file, ...deepestIssue(e, path) }),
  )
}

/** Checks cross-references and dry-runs the timeline. */
export const compile = (
  file: string,
  scenario: Scenario,
  params: Params,
): Either.Either<CompiledScenario, ScenarioError> => {
  const fail = (path: string, problem: string) =>
    Either.left(new ScenarioError({ file, path, problem }))
  const partyIds = new Set<string>(scenario.parties.map((p) => p.id))
  const principals = scenario.parties.filter((p) => p.role === "principal").map((p) => p.id)
  const protocol = scenario.protocol
  for (const [i, p] of scenario.parties.entries()) {
    if (p.preferences !== undefined && p.preferences.kind !== "custom") {
      const problem = preferencesProblem(p.preferences, scenario.issues)
      if (problem !== undefined) return fail(`parties[${i}].preferences`, problem)
    }
  }
  const order = protocol.order ?? principals
  for (const [i, id] of order.entries())
    if (!partyIds.has(id)) return fail(`protocol.order[${i}]`, `unknown party "${id}"`)
  if (order.length < 1)
    return fail("protocol", "no party to take turns (declare principals or protocol.order)")
  const kind = protocolDeclarations[protocol.kind]
  const problem = kind.check(protocol, order, partyIds)
  if (problem !== undefined) return fail(problem.path, problem.problem)
  const opened =
    scenario.opened ??
    scenario.timeline[0]?.at ??
    protocol.start ??
    ("2025-01-01T00:00:00.000Z" as Instant)
  const last = scenario.timeline.at(-1)?.at ?? opened
  const turnMs = protocol.hoursPerTurn * HOUR
  const simulationStart =
    protocol.start ?? (new Date(Date.parse(last) + turnMs).toISOString() as Instant)
  const turnsPerRound = kind.turnsPerRound(order)
  const deadline = new Date(
    Date.parse(simulationStart) + protocol.rounds * turnsPerRound * turnMs,
  ).toISOString() as Instant

  const open: OpenNegotiation = {
    type: "OpenNegotiation",
    at: opened,
    negotiationId: scenario.id,
    title: scenario.title,
    ...(scenario.description === undefined ? {} : { description: scenario.description }),
    parties: scenario.parties.map((p) => ({ id: p.id, name: p.name, role: p.role })),
    issues: scenario.issues,
    rules: {
      mustAccept: protocol.mustAccept ?? principals,
      mustRatify: protocol.ratification ? principals : [],
      deadline,
      partialAgreements: protocol.partialAgreements,
      ...kind.rules(protocol),
    },
  }
  let state = initialState
  const apply = (
    path: string,
    command: NegotiationCommand,
  ): Either.Either<State, ScenarioError> => {
    // The command handler's own decision, without a store: the dry run is the real thing.
    const decided = decideLocally(scenario.id, state, command)
    if (Either.isLeft(decided))
      return Either.left(
        new ScenarioError({
          file,
          path,
          problem: `${command.type} refused: ${decided.left.message}`,
        }),
      )
    return Either.right(decided.right.state)
  }
  const opening = apply("", open)
  if (Either.isLeft(opening)) return Either.left(opening.left)
  state = opening.right

  const timeline: Array<NegotiationCommand> = []
  for (const [i, move] of scenario.timeline.entries()) {
    const path = `timeline[${i}]`
    const decoded = timelineCommand(file, scenario, move, path)
    if (Either.isLeft(decoded)) return Either.left(decoded.left)
    const applied = apply(path, decoded.right)
    if (Either.isLeft(applied)) return Either.left(applied.left)
    state = applied.right
    timeline.push(decoded.right)
  }
  return Either.right({
    file,
    scenario,
    params,
    open,
    timeline,
    afterTimeline: state,
    order,
    simulationStart,
    turnMs,
  })
}

/** Parameterises, decodes and compiles a definition already read from `file`. */
export const instantiate = (
  file: string,
  definition: unknown,
  overrides: Readonly<Record<string, string>>,
): Either.Either<CompiledScenario, ScenarioError> =>
  Either.flatMap(applyParameters(file, definition, overrides), ({ params, input }) =>
    Either.flatMap(decodeScenario(file, input), (scenario) => compile(file, scenario, params)),
  )

/** Loads, parameterises, decodes and compiles a scenario file. */
export const loadScenario = (
  file: string,
  overrides: Readonly<Record<string, string>> = {},
): Effect.Effect<CompiledScenario, ScenarioError> =>
  Effect.flatMap(readDefinition(file), (definition) => instantiate(file, definition, overrides))
