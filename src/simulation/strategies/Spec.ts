/**
 * Strategy specifications as scenario files write them: a JSON object
 * discriminated by `kind`, with defaults for every optional parameter.
 * {@link make} (in `index.ts`) turns a decoded spec into a `Strategy`.
 *
 * ```json
 * { "kind": "boulware", "convention": "negmas" }
 * { "kind": "time-dependent", "convention": "genius", "e": 0.5, "k": 0.1 }
 * { "kind": "rubinstein", "player": 1, "delta1": 0.9, "delta2": 0.8 }
 * ```
 *
 * @since 0.1.0
 */
import { Either, Option, type ParseResult, Schema } from "effect"
import { RedLines } from "../../analysis/Preferences.ts"
import { deepestIssue } from "../../domain/Errors.ts"
import { IssueId } from "../../domain/Ids.ts"
import { Terms } from "../../domain/Issue.ts"
import { AcceptanceSpec } from "../boa/Acceptance.ts"
import { ModelSpec } from "../boa/Models.ts"
import { AgentKSpec } from "./AgentK.ts"
import { Atlas3Spec } from "./Atlas3.ts"
import { CUHKAgentSpec } from "./CUHKAgent.ts"
import { HardHeadedSpec } from "./HardHeaded.ts"
import { MicroSpec } from "./Micro.ts"
import { ImitativeSpec, NaiveTitForTatSpec } from "./TitForTat.ts"

const Unit = Schema.Number.pipe(Schema.finite(), Schema.between(0, 1))
const OpenUnit = Schema.Number.pipe(Schema.finite(), Schema.greaterThan(0), Schema.lessThan(1))
const NonNegative = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())

/** A schema with the description `parley strategies` shows for the parameter. */
const described = <S extends Schema.Schema.Any>(schema: S, description: string) =>
  schema.annotations({ description }) as S

/** `genius` (e < 1 Boulware) or `negmas` (e > 1 Boulware); see `Concession.ts`. */
export const Convention = Schema.Literal("genius", "negmas")

/** A named concession attitude. */
export const Preset = Schema.Literal("boulware", "linear", "conceder", "hardheaded")

/** How to choose among outcomes of about the same own utility. */
export const TieBreak = Schema.Literal("opponent", "random", "model")

/** Which of its own public (scripted-timeline) offers anchor a party (see `boa/Boa.ts`). */
export const Anchoring = Schema.Literal("public", "confirmed", "none").annotations({
  description:
    "own public offers that anchor it: public (all not denied), confirmed (reported ones are cheap talk), none",
})

/** What a party does with its own reported, unconfirmed offers when its play begins. */
export const ReportedOffers = Schema.Literal("leave", "confirm", "deny").annotations({
  description: "its own reported, unconfirmed offers: leave, confirm or deny them",
})

/** Parameters shared by every strategy that bids from its sorted outcomes. */
const bidding = {
  /** Which own public offers anchor it (default `public`). */
  anchoring: Schema.optionalWith(Anchoring, { default: () => "public" as const }),
  /** What it does with its own reported offers (default `leave`). */
  reported: Schema.optionalWith(ReportedOffers, { default: () => "leave" as const }),
  /** Closeness to the opponent's last offer (default) or seeded random. */
  tieBreak: Schema.optionalWith(
    described(
      TieBreak,
      "among bids of about its target utility: the one closest to the opponent's last offer, random, or the one its opponent model rates best",
    ),
    { default: () => "opponent" as const },
  ),
  /** Utility band above the chosen outcome within which ties are broken (default 0.01). */
  tolerance: Schema.optionalWith(
    described(NonNegative, "utility band above its target within which ties are broken"),
    { default: () => 0.01 },
  ),
}

/** Parameters of a concession curve. */
const curve = {
  /** Which exponent convention (default `genius`). */
  convention: Schema.optionalWith(
    described(
      Convention,
      "exponent convention: genius (e < 1 Boulware) or negmas (e > 1 Boulware)",
    ),
    { default: () => "genius" as const },
  ),
  /** GENIUS's initial concession `k` in [0, 1] (default 0; ignored by NegMAS). */
  k: Schema.optionalWith(described(Unit, "GENIUS initial concession k in [0, 1]"), {
    default: () => 0,
  }),
  /** Lowest target utility (default: the reservation value). */
  min: Schema.optionalWith(
    described(Unit, "lowest target utility (default: its reservation value)"),
    {
      exact: true,
    },
  ),
  /** Highest target utility (default: the best utility). */
  max: Schema.optionalWith(described(Unit, "highest target utility (default: its best utility)"), {
    exact: true,
  }),
  ...bidding,
}

/**
 * Scripted: offers `offers` in turn; when they run out, `then` says whether it
 * repeats the last (default) or walks out. It accepts by `accept`: `never`,
 * `acceptable` (default: whatever `view.acceptable` allows) or `next` (an
 * acceptable offer worth at least its next scripted offer).
 */
export const ScriptedSpec = Schema.Struct({
  kind: Schema.Literal("scripted"),
  offers: described(Schema.Array(Terms), "the terms it offers, in turn"),
  exhausted: Schema.optionalWith(
    described(Schema.Literal("repeat-last", "walk-out"), "when its offers run out"),
    {
      default: () => "repeat-last" as const,
    },
  ),
  accept: Schema.optionalWith(
    described(
      Schema.Literal("never", "acceptable", "next"),
      "accepts never, any acceptable offer, or one worth at least its next scripted offer",
    ),
    {
      default: () => "acceptable" as const,
    },
  ),
})
export type ScriptedSpec = typeof ScriptedSpec.Type

const PresetParameter = described(
  Preset,
  "concession attitude: boulware, linear, conceder or hardheaded (its exponent in the convention)",
)
const Exponent = described(NonNegative, "the concession exponent e (overrides the preset)")

/**
 * Time-dependent concession with an explicit exponent `e` or a `preset`
 * (default `boulware`); `e` wins when both are given. Formulas in
 * `Concession.ts` (`geniusTarget`, `negmasTarget`).
 */
export const TimeDependentSpec = Schema.Struct({
  kind: Schema.Literal("time-dependent"),
  preset: Schema.optionalWith(PresetParameter, { default: () => "boulware" as const }),
  e: Schema.optionalWith(Exponent, { exact: true }),
  ...curve,
})
export type TimeDependentSpec = typeof TimeDependentSpec.Type

/** Shorthand for a time-dependent preset: `{ "kind": "boulware", "convention": "negmas" }`. */
export const PresetSpec = Schema.Struct({
  kind: Schema.Literal("boulware", "linear", "conceder"),
  ...curve,
})
export type PresetSpec = typeof PresetSpec.Type

/**
 * Tit-for-tat (Faratin, Sierra & Jennings 1998, imitative tactics) in
 * own-utility terms: `absolute` (default) lowers its target by as much as the
 * opponent's offers rose in its own utility, per step averaged over the last
 * `window` steps; `relative` scales its target by the inverse ratio.
 * It starts at its best outcome and never goes below its reservation value.
 */
export const TitForTatSpec = Schema.Struct({
  kind: Schema.Literal("tit-for-tat"),
  mode: Schema.optionalWith(
    described(
      Schema.Literal("absolute", "relative"),
      "imitate the opponent's concession by difference (absolute) or ratio (relative)",
    ),
    { default: () => "absolute" as const },
  ),
  window: Schema.optionalWith(
    described(Schema.Int.pipe(Schema.positive()), "opponent steps averaged over"),
    { default: () => 1 },
  ),
  /** Lowest target utility (default: the reservation value). */
  min: Schema.optionalWith(
    described(Unit, "lowest target utility (default: its reservation value)"),
    {
      exact: true,
    },
  ),
  ...bidding,
})
export type TitForTatSpec = typeof TitForTatSpec.Type

/**
 * Red-line concession: never offers, accepts or ratifies terms crossing its
 * red lines (its preferences' red lines plus `redLines` here), and concedes
 * time-dependently (default preset `boulware`) over the outcomes that respect
 * them.
 */
export const RedLineConcessionSpec = Schema.Struct({
  kind: Schema.Literal("red-line-concession"),
  redLines: Schema.optionalWith(
    described(RedLines, "values per issue it never accepts, besides its preferences' red lines"),
    { default: () => ({}) },
  ),
  preset: Schema.optionalWith(PresetParameter, { default: () => "boulware" as const }),
  e: Schema.optionalWith(Exponent, { exact: true }),
  ...curve,
})
export type RedLineConcessionSpec = typeof RedLineConcessionSpec.Type

/**
 * Hardliner as GENIUS defines it (`TimeDependentAgentHardliner`, `e = 0`):
 * always bids its best outcome and accepts only an offer worth at least as
 * much; it never concedes.
 */
export const HardlinerSpec = Schema.Struct({
  kind: Schema.Literal("hardliner"),
  ...bidding,
})
export type HardlinerSpec = typeof HardlinerSpec.Type

/**
 * Random: offers uniformly random acceptable outcomes; accepts an acceptable
 * offer with probability `acceptProbability` (default 0.5). Seeded by
 * `view.random`.
 */
export const RandomSpec = Schema.Struct({
  kind: Schema.Literal("random"),
  acceptProbability: Schema.optionalWith(
    described(Unit, "probability of accepting an acceptable offer"),
    { default: () => 0.5 },
  ),
})
export type RandomSpec = typeof RandomSpec.Type

/**
 * Mediator (single text), by `method` (see `mediation/Mediators.ts`):
 * `raiffa` (the default: Raiffa's single negotiating text, revised from both
 * sides' criticism), `veto`, `hill-climbing`, `feedback`, or `cycle` (the
 * earlier cycling mediator, a baseline). `bias` weighs the mediator's own
 * preferences against the compromise.
 */
export const MediatorSpec = Schema.Struct({
  kind: Schema.Literal("mediator"),
  /** How it mediates (default `raiffa`, resolved when the strategy is made). */
  method: Schema.optionalWith(
    described(
      Schema.Literal("veto", "hill-climbing", "feedback", "raiffa", "cycle"),
      "veto | hill-climbing | feedback | raiffa (default) | cycle (baseline)",
    ),
    { exact: true },
  ),
  /** Weight of its own utility against the compromise (default 0: none). */
  bias: Schema.optionalWith(
    described(
      Schema.Number.pipe(Schema.between(0, 1)),
      "weight in [0, 1] of its own preferences against the compromise (default 0)",
    ),
    { exact: true },
  ),
  /** Its first text relays these terms (an offer made to it: `of` names it in the event's metadata). */
  relay: Schema.optionalWith(
    described(
      Schema.Struct({
        terms: Schema.Record({
          key: Schema.String,
          value: Schema.Union(Schema.String, Schema.Number),
        }),
        of: Schema.optional(Schema.String),
      }),
      "its first text: { terms, of? } (terms it was given to relay, and the offer they come from)",
    ),
    { exact: true },
  ),
  /** `cycle` only: when every text was tried, start over from the best (default) or walk out. */
  exhausted: Schema.optionalWith(
    described(Schema.Literal("start-over", "walk-out"), "cycle only: when every text was tried"),
    { default: () => "start-over" as const },
  ),
})
export type MediatorSpec = typeof MediatorSpec.Type

/**
 * Rubinstein's subgame-perfect strategy for splitting a pie over one issue
 * (player 1's share, mapped linearly onto the issue's range): discount
 * factors `delta1`, `delta2` in (0, 1), optional finite `horizon` (number of
 * offers), `player` 1 or 2, and `issue` (default: the only or first numeric
 * issue).
 */
export const RubinsteinSpec = Schema.Struct({
  kind: Schema.Literal("rubinstein"),
  player: described(Schema.Literal(1, 2), "which player it is (1 proposes first)"),
  delta1: described(OpenUnit, "player 1's discount factor per round"),
  delta2: described(OpenUnit, "player 2's discount factor per round"),
  horizon: Schema.optionalWith(
    described(Schema.Int.pipe(Schema.positive()), "number of offers (default: infinite)"),
    { exact: true },
  ),
  issue: Schema.optionalWith(described(IssueId, "the pie (default: the first numeric issue)"), {
    exact: true,
  }),
})
export type RubinsteinSpec = typeof RubinsteinSpec.Type

/** An offering strategy (the B of BOA): a time-dependent curve, a preset, or the Hardliner's. */
export const OfferingSpec = Schema.Union(TimeDependentSpec, PresetSpec, HardlinerSpec)
export type OfferingSpec = typeof OfferingSpec.Type

/**
 * A BOA agent composed from an offering strategy, an acceptance condition
 * (default AC_next) and, optionally, an opponent model (see `boa/Boa.ts`).
 */
export const BoaSpec = Schema.Struct({
  kind: Schema.Literal("boa"),
  offering: described(OfferingSpec, "its offering strategy: a time-dependent spec or hardliner"),
  acceptance: Schema.optionalWith(
    described(AcceptanceSpec, "its acceptance condition (see the acceptance kinds below)"),
    { default: () => ({ kind: "next" as const, alpha: 1, beta: 0 }) },
  ),
  model: Schema.optionalWith(
    described(
      ModelSpec,
      "its opponent model (frequency, smith-frequency, bayesian or none); used by the offering's tieBreak: model",
    ),
    { default: () => ({ kind: "none" as const }) },
  ),
  anchoring: Schema.optionalWith(Anchoring, { default: () => "public" as const }),
  reported: Schema.optionalWith(ReportedOffers, { default: () => "leave" as const }),
})
export type BoaSpec = typeof BoaSpec.Type

/** Every strategy that plays in process, discriminated by `kind` (a remote agent's fallback is one). */
export const LocalStrategySpec = Schema.Union(
  ScriptedSpec,
  TimeDependentSpec,
  PresetSpec,
  TitForTatSpec,
  RedLineConcessionSpec,
  HardlinerSpec,
  RandomSpec,
  MediatorSpec,
  RubinsteinSpec,
  BoaSpec,
  Atlas3Spec,
  MicroSpec,
  NaiveTitForTatSpec,
  ImitativeSpec,
  AgentKSpec,
  CUHKAgentSpec,
  HardHeadedSpec,
).annotations({ identifier: "LocalStrategySpec" })
export type LocalStrategySpec = typeof LocalStrategySpec.Type

/** A NATS subject a request can be sent on: dot-separated tokens, no wildcards or whitespace. */
export const RequestSubject = Schema.String.pipe(
  Schema.pattern(/^[^.\s*>]+(\.[^.\s*>]+)*$/, {
    message: () => "a NATS subject: dot-separated tokens without wildcards (* >) or whitespace",
  }),
)

/**
 * A remote agent (`src/simulation/remote/`, its NATS transport in `src/remote/`): on each of its turns the runner sends the
 * turn as a NATS request on `subject` and plays the move the reply names;
 * when there is no valid reply within `timeoutMs`, its `fallback` (a local
 * strategy, default `boulware`) moves for that turn and the event says why.
 */
export const RemoteSpec = Schema.Struct({
  kind: Schema.Literal("remote"),
  subject: described(RequestSubject, "the NATS subject its turns are sent on"),
  timeoutMs: Schema.optionalWith(
    described(Schema.Int.pipe(Schema.positive()), "how long to wait for its reply, in ms"),
    { default: () => 5000 },
  ),
  fallback: Schema.optionalWith(
    described(
      LocalStrategySpec,
      "the local strategy that moves when it gives no valid reply (a spec; default boulware)",
    ),
    { default: () => Schema.decodeSync(LocalStrategySpec)({ kind: "boulware" }) },
  ),
})
export type RemoteSpec = typeof RemoteSpec.Type

/** Every strategy a scenario file can name, discriminated by `kind`. */
export const StrategySpec = Schema.Union(...LocalStrategySpec.members, RemoteSpec).annotations({
  identifier: "StrategySpec",
})
export type StrategySpec = typeof StrategySpec.Type
/** The file form of {@link StrategySpec}: defaults may be omitted. */
export type StrategySpecEncoded = typeof StrategySpec.Encoded

/** Decodes a strategy spec (JSON-shaped input) with its defaults, as an `Either`. */
export const decodeStrategySpec = Schema.decodeUnknownEither(StrategySpec, {
  onExcessProperty: "error",
})

/** Every strategy kind a spec may name, in declaration order. */
export const strategyKinds: ReadonlyArray<string> = StrategySpec.members.flatMap(
  (m) => m.fields.kind.literals as ReadonlyArray<string>,
)

/**
 * A one-line account of why a strategy spec does not decode: an unknown kind
 * lists the known ones; otherwise the first problem with its field path
 * (`e: Expected a non-negative number, actual -1`).
 */
export const strategyProblem = (error: ParseResult.ParseError): string => {
  const actual = error.issue.actual
  const kind =
    typeof actual === "object" && actual !== null ? (actual as { kind?: unknown }).kind : undefined
  if (typeof kind !== "string" || !strategyKinds.includes(kind))
    return `unknown strategy kind ${JSON.stringify(kind)} (known: ${strategyKinds.join(", ")})`
  const member = StrategySpec.members.find((m) =>
    (m.fields.kind.literals as ReadonlyArray<string>).includes(kind),
  )!
  const { path, problem } = deepestIssue(
    Either.getLeft(
      Schema.decodeUnknownEither(member as Schema.Schema<unknown, unknown>, {
        onExcessProperty: "error",
      })(actual),
    ).pipe(Option.getOrElse(() => error)),
  )
  return `${kind}: ${path === "" ? "" : `${path}: `}${problem}`
}
