/**
 * Time-dependent concession (Faratin, Sierra & Jennings 1998), in the GENIUS
 * or the NegMAS parameterisation: the target utility falls with normalised
 * time from `max` (default: the best utility) to `min` (default: the
 * reservation value); it bids the outcome at or just above the target and
 * accepts by AC_next.
 *
 * - GENIUS: `target(t) = Pmin + (Pmax - Pmin) * (1 - F(t))`,
 *   `F(t) = k + (1 - k) * t^(1/e)`; `e < 1` Boulware (preset 0.2), `e = 1`
 *   linear, `e > 1` Conceder (preset 2), `e = 0` hardliner.
 * - NegMAS: `target(t) = max - (max - min) * t^e`; `e > 1` Boulware (preset
 *   4), `e = 1` linear, `e < 1` Conceder (preset 0.25), `e = inf` hardheaded.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { acNext } from "../boa/Acceptance.ts"
import { boaPlayer, type OfferingKind } from "../boa/Boa.ts"
import type { Strategy } from "../Strategy.ts"
import {
  type Convention,
  curveTarget,
  ladderOffering,
  PRESET_EXPONENTS,
  type Preset,
} from "./Concession.ts"
import { strategyEntry } from "./Entry.ts"
import { type Ladder, ladderOf } from "./Ladder.ts"
import { curve, Exponent, PresetParameter } from "./Parameters.ts"

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

/** The exponent a spec asks for: its `e` when given, else its preset's in its convention. */
export const exponentOf = (convention: Convention, preset: Preset, e: number | undefined): number =>
  e ?? PRESET_EXPONENTS[convention][preset]

/** The name of a time-dependent spec: `boulware(genius)`, `time-dependent(negmas, e=3)`. */
const nameOf = (spec: TimeDependentSpec | PresetSpec, e: number): string =>
  spec.kind === "time-dependent"
    ? `time-dependent(${spec.convention}, e=${e})`
    : `${spec.kind}(${spec.convention})`

/**
 * The offering strategy (the B of BOA) of a time-dependent spec: the bid at
 * or just above the curve's target, from its last public offer (its anchor)
 * or its best outcome down to `min` (default: the reservation value).
 */
export const timeDependentOffering = (
  spec: TimeDependentSpec | PresetSpec,
  options: {
    /** The outcomes it may bid (default: all of its ladder). */
    readonly restrict?: ((ladder: Ladder) => Ladder) | undefined
    readonly name?: string | undefined
  } = {},
): OfferingKind => {
  const preset: Preset = spec.kind === "time-dependent" ? spec.preset : spec.kind
  const e = exponentOf(spec.convention, preset, spec.kind === "time-dependent" ? spec.e : undefined)
  const name = options.name ?? nameOf(spec, e)
  return {
    name,
    init: (view) => {
      const ladder =
        options.restrict === undefined ? ladderOf(view) : options.restrict(ladderOf(view))
      const best = spec.max ?? (ladder.length > 0 ? ladder.utilities[0]! : 0)
      // GENIUS's Pmin: its worst bid's utility (the last rung of its full ladder), unless told otherwise.
      const full = ladderOf(view)
      const worst = full.length > 0 ? full.utilities[full.length - 1]! : 0
      const min = spec.min ?? (spec.floor === "reservation" ? view.reservation : worst)
      let target: ((t: number) => number) | undefined
      return ladderOffering(name, ladder, {
        // The curve starts from its last public offer when it made one (its anchor).
        target: (turn, _offered, session) => {
          target ??= curveTarget(
            { convention: spec.convention, e, k: spec.k },
            min,
            session.anchor === undefined ? best : Math.min(best, session.anchor),
          )
          return target(turn.time)
        },
        floor: Math.max(min, view.reservation),
        tieBreak: spec.tieBreak,
        tolerance: spec.tolerance,
      }).init(view)
    },
  }
}

/**
 * The time-dependent strategy of a spec (`time-dependent`, or a preset kind
 * `boulware` / `linear` / `conceder`): a BOA agent of its offering strategy,
 * no opponent model and AC_next.
 */
export const timeDependent = (spec: TimeDependentSpec | PresetSpec): Strategy => {
  const offering = timeDependentOffering(spec)
  return {
    name: offering.name,
    init: (view) =>
      boaPlayer(view, {
        offering,
        acceptance: acNext(1, 0),
        anchoring: spec.anchoring,
        reported: spec.reported,
      }),
  }
}

/** Where the time-dependent curve and its presets come from. */
const FARATIN =
  "Faratin, Sierra & Jennings, Negotiation decision functions for autonomous agents, Robotics and Autonomous Systems 24(3-4), 1998; GENIUS TimeDependentAgent; NegMAS PolyAspiration"

/** Its registration (see `Registry.ts`). */
export const timeDependentEntry = strategyEntry({
  specs: [TimeDependentSpec, PresetSpec],
  make: timeDependent,
  about: [
    {
      kind: "time-dependent",
      summary:
        "Concedes from its best outcome to its reservation value along a time curve (GENIUS or NegMAS exponent convention); AC_next",
      reference: FARATIN,
    },
    {
      kind: "boulware",
      summary: "Time-dependent preset that holds out and concedes near the deadline",
      reference: FARATIN,
    },
    { kind: "linear", summary: "Time-dependent preset that concedes linearly", reference: FARATIN },
    { kind: "conceder", summary: "Time-dependent preset that concedes early", reference: FARATIN },
  ],
  docs: {
    reference: "Faratin et al. 1998; GENIUS / NegMAS conventions",
    tested: "curves, presets, AC_next; concession starts from its last public offer",
    interpreted: "—",
  },
})
