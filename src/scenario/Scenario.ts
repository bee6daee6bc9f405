/**
 * The scenario format: who negotiates about what, what each side wants, what
 * has happened so far (with sources), how the talks are run, and how each
 * side plays on. One Schema decodes scenarios written as JSON, YAML or
 * TypeScript modules (`export default defineScenario({...})`).
 *
 * Anything a scenario author assumed rather than read in a source belongs in
 * `parameters` (with `assumption: true`), so that a user can change it with
 * `--set name=value`; the scenario refers to it as `{ "$param": "name" }`.
 *
 * @since 0.1.0
 */
import { ParseResult, Schema } from "effect"
import { HyperRectangles } from "../analysis/Nonlinear.ts"
import { realStepOf } from "../analysis/OutcomeSpace.ts"
import { Discount, LinearAdditive, type UtilityFunction } from "../analysis/Preferences.ts"
import { Instant, Role } from "../domain/Event.ts"
import { IssueId, NegotiationId, PartyId, Token } from "../domain/Ids.ts"
import { Issue, Terms } from "../domain/Issue.ts"
import { ProtocolKindName, protocolFields } from "./Protocols.ts"

/** A date (`2025-04-22`) or date-time, normalised to an {@link Instant}. */
export const DateInput = Schema.transformOrFail(Schema.String, Instant, {
  strict: true,
  decode: (s, _, ast) => {
    const ms = Date.parse(s)
    return Number.isNaN(ms)
      ? ParseResult.fail(
          new ParseResult.Type(ast, s, `expected a date like 2025-04-22, got ${JSON.stringify(s)}`),
        )
      : ParseResult.succeed(new Date(ms).toISOString() as Instant)
  },
  encode: (i) => ParseResult.succeed(i as string),
}).annotations({ identifier: "Date" })

/** A source the scenario cites: a report, a statement, an article. */
export const ScenarioSource = Schema.Struct({
  id: Token,
  reportedBy: Schema.String,
  where: Schema.optional(Schema.String),
  url: Schema.optional(Schema.String),
  reportedAt: Schema.optional(DateInput),
  quote: Schema.optional(Schema.String),
})
export type ScenarioSource = typeof ScenarioSource.Type

/** A source cited in full by a move, without an id. */
export const InlineSource = ScenarioSource.pipe(Schema.omit("id"))
export type InlineSource = typeof InlineSource.Type

/** Preferences given as code by a TypeScript scenario. */
export const CustomPreferences = Schema.Struct({
  kind: Schema.Literal("custom"),
  utility: Schema.declare((u: unknown): u is UtilityFunction => typeof u === "function", {
    identifier: "UtilityFunction",
  }),
  // Finite, as for linear preferences: an infinite or NaN reservation makes every score of a run
  // non-finite, which JSON (reports, results on the bus) cannot carry.
  reservation: Schema.optional(Schema.Number.pipe(Schema.finite())),
  discount: Schema.optional(Discount),
  discountPerRound: Schema.optional(Discount),
  redLines: Schema.optional(
    Schema.Record({
      key: Schema.String,
      value: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
    }),
  ),
})

/** A party, its preferences (private to it) and the strategy that plays it. */
export const ScenarioParty = Schema.Struct({
  id: PartyId,
  name: Schema.String,
  role: Role,
  preferences: Schema.optional(Schema.Union(LinearAdditive, HyperRectangles, CustomPreferences)),
  /**
   * A strategy spec (`{ "kind": "boulware", ... }`) or, in TypeScript, a
   * Strategy object. Kept undecoded here: the scenario layer does not depend
   * on the strategies; the runner decodes it (`resolveStrategy` in
   * `simulation/Prepare.ts`) and reports errors at `parties[i].strategy`.
   */
  strategy: Schema.optional(Schema.Unknown),
  notes: Schema.optional(Schema.String),
})
export type ScenarioParty = typeof ScenarioParty.Type

/**
 * How the talks are run after the timeline: the common fields, and each
 * protocol kind's own (`simulation/protocols/`, whose registry lists the kinds).
 */
export const Protocol = Schema.Struct({
  /** The protocol kind (see `simulation/protocols/index.ts`). */
  kind: ProtocolKindName,
  /** Turn order (default: the principals as declared). */
  order: Schema.optional(Schema.Array(PartyId)),
  ...protocolFields,
  /** The deadline, in simulated rounds after the timeline. */
  rounds: Schema.Int.pipe(Schema.between(1, 100_000)),
  /** Who must accept (default: every principal). */
  mustAccept: Schema.optional(Schema.Array(PartyId)),
  /** Whether every principal must ratify an accepted offer. */
  ratification: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Whether offers may settle some issues only. */
  partialAgreements: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** When the first simulated turn happens (default: one step after the timeline's last move). */
  start: Schema.optional(DateInput),
  /** Simulated hours between turns (default 24). */
  hoursPerTurn: Schema.optionalWith(Schema.Number.pipe(Schema.positive()), { default: () => 24 }),
})
export type Protocol = typeof Protocol.Type

/**
 * A named parameter: its default, what it means, whether it is the author's
 * assumption, and — for a number the author is unsure of — the range it may
 * lie in: `parley simulate` then draws it uniformly from that range for each
 * run (seeded), unless `--set` fixes it; `parley run` uses the default.
 */
export const Parameter = Schema.Struct({
  default: Schema.Union(Schema.Number, Schema.String, Schema.Boolean),
  description: Schema.String,
  assumption: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  uncertain: Schema.optional(Schema.Struct({ min: Schema.Finite, max: Schema.Finite })),
  /** The values a text parameter takes: `--set` refuses any other. */
  options: Schema.optional(Schema.NonEmptyArray(Schema.String)),
  /** The least value a number parameter takes: `--set` refuses a smaller one, naming the range. */
  min: Schema.optional(Schema.Finite),
  /** The greatest value a number parameter takes: `--set` refuses a larger one, naming the range. */
  max: Schema.optional(Schema.Finite),
  /**
   * The plays under which it can act (`alternating`, `stacked-alternating`,
   * `single-text`, or `single-text/strategies` when the parties' strategies
   * answer the mediator's texts); absent: all. Under any other, `simulate`
   * marks it as having no effect.
   */
  actsUnder: Schema.optional(Schema.NonEmptyArray(Schema.String)),
})
export type Parameter = typeof Parameter.Type

/**
 * One real move of the timeline: a command (without `at`, given here as a
 * date) plus how it is known — `official`, or `reported` by the cited sources
 * — and, for a what-if, that it is `hypothetical`. `parley record` appends one
 * such move to a negotiation's log.
 */
export const TimelineMove = Schema.Struct(
  {
    at: DateInput,
    type: Schema.String,
    status: Schema.optionalWith(Schema.Literal("official", "reported"), {
      default: () => "official" as const,
    }),
    /** The scenario's sources by id, or sources given in full (a move recorded later may cite new ones). */
    sources: Schema.optionalWith(Schema.Array(Schema.Union(Token, InlineSource)), {
      default: () => [],
    }),
    /** A development supposed, not reported: recorded in its provenance as `hypothetical`. */
    hypothetical: Schema.optionalWith(Schema.Boolean, { default: () => false }),
    note: Schema.optional(Schema.String),
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown }),
)
export type TimelineMove = typeof TimelineMove.Type

/** A scenario, as its file declares it (after `$param` substitution). */
export const Scenario = Schema.Struct({
  id: NegotiationId,
  title: Schema.String,
  description: Schema.optional(Schema.String),
  sources: Schema.optionalWith(Schema.Array(ScenarioSource), { default: () => [] }),
  parties: Schema.Array(ScenarioParty),
  issues: Schema.Array(Issue),
  protocol: Protocol,
  /** When talks opened (default: the first timeline move). */
  opened: Schema.optional(DateInput),
  timeline: Schema.optionalWith(Schema.Array(TimelineMove), { default: () => [] }),
  parameters: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Parameter }), {
    default: () => ({}),
  }),
  /** Statements the scenario's author assumed rather than took from a source. */
  assumptions: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  /** Discretisation step of real issues for strategies and analysis: one for all, or per issue (default: 1/100 of the range). */
  realStep: Schema.optional(
    Schema.Union(
      Schema.Number.pipe(Schema.positive()),
      Schema.Record({ key: IssueId, value: Schema.Number.pipe(Schema.positive()) }),
    ),
  ),
})
export type Scenario = typeof Scenario.Type
/** A scenario as written in a file. */
export type ScenarioInput = typeof Scenario.Encoded

/**
 * The discretisation step of each real issue of a scenario: the scenario's
 * `realStep`, else the analysis default (`defaultRealStep`, 1/100 of the range).
 */
export const realSteps = (scenario: Scenario): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const issue of scenario.issues)
    if (issue.kind === "real") out[issue.id] = realStepOf(issue, scenario.realStep)
  return out
}

/** Parameter values by name. */
export type Params = Readonly<Record<string, number | string | boolean>>

/**
 * What a TypeScript scenario module exports by default: the scenario, or a
 * function of the parameter values that builds it.
 */
export type ScenarioDefinition = ScenarioInput | BuiltScenario

/** A scenario that builds itself from its parameters' values. */
export interface BuiltScenario {
  readonly parameters: ScenarioInput["parameters"]
  readonly build: (params: Params) => ScenarioInput
}

/**
 * Typed helper for TypeScript scenario modules: `export default defineScenario({...})`.
 * What `build` returns is inferred as a constant too (`R`), as the plain form
 * is: otherwise TypeScript widens an array of parties of different shapes
 * (one with a `term` weight, one without) to one object type whose missing
 * keys are `undefined`, which a record of numbers refuses.
 */
export function defineScenario<const S extends ScenarioInput>(scenario: S): S
export function defineScenario<const R extends ScenarioInput>(scenario: {
  readonly parameters: ScenarioInput["parameters"]
  readonly build: (params: Params) => R
}): BuiltScenario
export function defineScenario(scenario: ScenarioDefinition): ScenarioDefinition {
  return scenario
}

/** Terms, re-exported for scenario authors. */
export { Terms }
