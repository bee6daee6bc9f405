/**
 * Opponent models (the O of BOA): estimates of what the opponents value,
 * learnt from their bids. Each model is linear additive (a weight per issue, a
 * score per value) over the outcome space's values (`view.space.values[i]`:
 * a numeric issue is learnt over its discretised values, an offered number
 * counting for the nearest of them).
 *
 * - `frequency`: the HardHeaded frequency model (van Krimpen, Looije &
 *   Hajizadeh, "HardHeaded", in Ito, Zhang, Robu & Matsuo (eds.), Complex
 *   Automated Negotiations: Theories, Models, and Software Competitions,
 *   Studies in Computational Intelligence 435, Springer 2013; as described by
 *   Baarslag, Hendrikx, Hindriks & Jonker, "Learning about the opponent in
 *   automated bilateral negotiation: a comprehensive survey of opponent
 *   modeling techniques", Autonomous Agents and Multi-Agent Systems 30(5),
 *   2016, section 5.2). Issue weights start equal; when an issue keeps its
 *   value between two consecutive bids of the opponent it gains `learningRate
 *   / n` (n issues) and the weights are renormalised; an issue's weight never
 *   grows beyond `1 - n·(learningRate/n)/total` (HardHeaded's cap, so that no
 *   issue takes every weight). Every value starts at a count of 1 and gains 1
 *   each time it is offered; its score is its count over the issue's highest
 *   count.
 * - `smith-frequency`: the frequency model of AgentSmith (van Galen Last,
 *   ANAC 2010; as described by Baarslag, Hendrikx, Hindriks & Jonker,
 *   "Predicting the performance of opponent models in automated negotiation",
 *   WI-IAT 2013, and the 2016 survey): a value's score is how often it was
 *   offered over how often the issue's most offered value was; an issue's
 *   weight is proportional to the count of its most offered value (an issue
 *   whose value the opponent keeps matters to it).
 * - `bayesian`: Hindriks & Tykhonov, "Opponent modelling in automated
 *   multi-issue negotiation using Bayesian learning", AAMAS 2008. A
 *   hypothesis is a ranking of the issues (weights linear in rank, `w = 2r /
 *   (n(n+1))` for rank r = 1..n, the least important issue ranked 1) and one
 *   evaluation shape per issue over its values in their listed order:
 *   downhill, uphill, or triangular with its peak at an inner value. The
 *   belief over the (joint) hypotheses starts uniform and is updated by Bayes'
 *   rule with the likelihood that the opponent, conceding over time, makes a
 *   bid of utility about `1 - concession·t` at normalised time t: a Gaussian
 *   of width `sigma` around that value. The estimate is the expectation
 *   under the belief (for a linear additive hypothesis space, a table of
 *   expected weighted scores, so a query costs one read per issue).
 *
 * Several opponents: one model per opponent (keyed by `bid.by`); `utility`
 * and `weights` without a party average over the opponents seen so far (the
 * prior before any bid: uniform weights, every value scoring 1 for the
 * frequency models, the uniform belief for the Bayesian one).
 *
 * What we interpreted:
 * - HardHeaded's published agent learns the value counts only from the
 *   second bid on (its learner needs two bids to compare); we count the
 *   opponent's first bid as well, which is its best and the most telling.
 *   When an unchanged issue is already at the cap, HardHeaded divides it by
 *   the total without adding the increment, so its weights may stop summing
 *   to 1; we renormalise after each update.
 * - Smith's model, as the survey describes it, is read as above: weights from
 *   the frequency of each issue's most offered value, values from their
 *   frequency relative to that.
 * - Hindriks & Tykhonov define the shapes for issues with ordered values; an
 *   unordered discrete issue is given the order of its listed options, as the
 *   GENIUS implementation does. A numeric issue of more than 11 values gets
 *   triangles peaked at 9 evenly spaced inner values. The paper indexes the
 *   expected concession by bid number; with parley's normalised time we use
 *   `1 - concession·t` (t in [0, 1]), `concession` a parameter. The defaults
 *   (`concession` 0.5, `sigma` 0.25) come from a sweep against time-dependent
 *   opponents on Laptop and ItexvsCypress (concession 0.2 to 1, sigma 0.1 to
 *   0.4: mean Pearson correlation with the true utilities 0.68 to 0.79; the
 *   defaults 0.78).
 * - The joint hypothesis space has `n! · Π shapes_i` elements; above
 *   `maxHypotheses` (default 20,000) the model refuses: `init` throws an
 *   error naming the size (check first with `bayesianHypotheses` in
 *   `BayesianModel.ts`).
 *   Laptop (162 hypotheses) and ItexvsCypress (4,320) fit; EnglandZimbabwe (69,120,
 *   about 13 ms per bid), Camera, Amsterdam and
 *   Travel do not.
 *
 * Measured (`tests/simulation/boa/Models.test.ts`: the bids of boulware,
 * linear and conceder opponents against a hardliner, 200 rounds, both sides
 * of Laptop, ItexvsCypress, EnglandZimbabwe, Camera, Amsterdam): mean Pearson
 * correlation of estimated and true utility over all outcomes 0.59
 * (frequency), 0.59 (smith-frequency), 0.78 (bayesian, Laptop and
 * ItexvsCypress only); mean Spearman correlation of the issue weights 0.05,
 * 0.11 and 0.50: the frequency models order outcomes well but not issues.
 *
 * This file registers them (their specs and {@link opponentModels}); their
 * code lives per family: `FrequencyModels.ts` (`frequency`,
 * `smith-frequency`), `BayesianModel.ts` (`bayesian`), and what they share,
 * one model per opponent over the space's values, in `PerOpponent.ts`.
 *
 * @since 0.3.0
 */
import { Schema } from "effect"
import { infoOf, type KindEntry, type KindSpec, makerOf, membersOf } from "../Kinds.ts"
import type { StrategyInfo } from "../Strategy.ts"
import { bayesianModel } from "./BayesianModel.ts"
import type { OpponentModelKind } from "./Boa.ts"
import { frequencyModel, smithModel } from "./FrequencyModels.ts"

const Unit = Schema.Number.pipe(Schema.finite(), Schema.between(0, 1))
const Positive = Schema.Number.pipe(Schema.finite(), Schema.positive())

/** The HardHeaded frequency model. */
export const FrequencyModelSpec = Schema.Struct({
  kind: Schema.Literal("frequency"),
  learningRate: Schema.optionalWith(
    Unit.annotations({
      description:
        "weight gained (before renormalising, split over the n issues) by an issue whose value did not change between two consecutive opponent bids (HardHeaded's 0.2)",
    }),
    { default: () => 0.2 },
  ),
})
export type FrequencyModelSpec = typeof FrequencyModelSpec.Type

/** Smith's frequency model (AgentSmith, ANAC 2010). */
export const SmithModelSpec = Schema.Struct({ kind: Schema.Literal("smith-frequency") })
export type SmithModelSpec = typeof SmithModelSpec.Type

/** The Bayesian model of Hindriks & Tykhonov (2008), for small domains. */
export const BayesianModelSpec = Schema.Struct({
  kind: Schema.Literal("bayesian"),
  sigma: Schema.optionalWith(
    Positive.annotations({
      description:
        "width of the Gaussian likelihood around the utility the opponent is expected to bid (default 0.25)",
    }),
    { default: () => 0.25 },
  ),
  concession: Schema.optionalWith(
    Unit.annotations({
      description:
        "the opponent's bid at normalised time t is expected to be worth 1 - concession·t to it (default 0.5)",
    }),
    { default: () => 0.5 },
  ),
  maxHypotheses: Schema.optionalWith(
    Schema.Int.pipe(Schema.positive()).annotations({
      description:
        "largest joint hypothesis space (issue rankings times evaluation shapes) it accepts; larger domains are refused (default 20000)",
    }),
    { default: () => 20_000 },
  ),
})
export type BayesianModelSpec = typeof BayesianModelSpec.Type

/** No opponent model. */
export const NoModelSpec = Schema.Struct({ kind: Schema.Literal("none") })
export type NoModelSpec = typeof NoModelSpec.Type

/** An opponent model's registration (`undefined`: no model). */
const modelEntry = <Spec extends KindSpec>(entry: KindEntry<Spec, OpponentModelKind | undefined>) =>
  entry

/**
 * Every opponent model a `boa` agent can name, in the order the listing
 * shows them: the union {@link ModelSpec}, {@link makeModel} and the
 * listing's entries are derived from it. A new model: its spec above,
 * its kind in its family's file, its entry here, its test.
 */
export const opponentModels = [
  modelEntry({
    spec: FrequencyModelSpec,
    make: (spec) => frequencyModel(spec.learningRate),
    summary:
      "HardHeaded's frequency model: an issue whose value the opponent keeps gains weight; values score by how often they are offered",
    reference:
      "van Krimpen, Looije & Hajizadeh, HardHeaded, Complex Automated Negotiations: Theories, Models, and Software Competitions, Springer 2013; Baarslag, Hendrikx, Hindriks & Jonker, Learning about the opponent in automated bilateral negotiation, JAAMAS 2016",
  }),
  modelEntry({
    spec: SmithModelSpec,
    make: () => smithModel,
    summary:
      "AgentSmith's frequency model: values score by how often they are offered, issues weigh by the count of their most offered value",
    reference:
      "Baarslag, Hendrikx, Hindriks & Jonker, Predicting the performance of opponent models in automated negotiation, WI-IAT 2013 (AgentSmith, ANAC 2010)",
  }),
  modelEntry({
    spec: BayesianModelSpec,
    make: (spec) => bayesianModel(spec),
    summary:
      "Bayesian learning over issue rankings and evaluation shapes, assuming the opponent concedes over time; small domains only",
    reference:
      "Hindriks & Tykhonov, Opponent modelling in automated multi-issue negotiation using Bayesian learning, AAMAS 2008",
  }),
  modelEntry({
    spec: NoModelSpec,
    make: () => undefined,
    summary: "no opponent model",
    reference: "",
  }),
] as const

/** Every opponent model a spec can name, discriminated by `kind`. */
export const ModelSpec = Schema.Union(...membersOf(opponentModels)).annotations({
  identifier: "ModelSpec",
})
export type ModelSpec = typeof ModelSpec.Type

/** The model kind a decoded spec names (`undefined` for `none`), by its kind's entry. */
export const makeModel: (spec: ModelSpec) => OpponentModelKind | undefined = makerOf(opponentModels)

/** What a listing shows of each model kind. */
export const modelInfo: ReadonlyArray<StrategyInfo> = infoOf(opponentModels)
