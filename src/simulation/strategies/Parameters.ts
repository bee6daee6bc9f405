/**
 * Parameter Schemas several strategy specs share: the bidding parameters of
 * every strategy that bids from its sorted outcomes, the concession curve's,
 * and the value Schemas they are built from. Each strategy's own spec is in
 * its file; `Registry.ts` lists them.
 *
 * @since 0.3.0
 */
import { Schema } from "effect"

/** A finite number in [0, 1]. */
export const Unit = Schema.Number.pipe(Schema.finite(), Schema.between(0, 1))
/** A finite number in (0, 1). */
export const OpenUnit = Schema.Number.pipe(
  Schema.finite(),
  Schema.greaterThan(0),
  Schema.lessThan(1),
)
/** A finite number ≥ 0. */
export const NonNegative = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())

/** A schema with the description `parley strategies` shows for the parameter. */
export const described = <S extends Schema.Schema.Any>(schema: S, description: string) =>
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
export const bidding = {
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
export const curve = {
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
  /** Lowest target utility (default: as `floor` says). */
  min: Schema.optionalWith(described(Unit, "lowest target utility (default: as floor says)"), {
    exact: true,
  }),
  /**
   * Where the curve ends when `min` is not given: `reservation` (default), its
   * reservation value; `worst-bid`, the utility of its worst bid in the domain,
   * as GENIUS's `TimeDependent_Offering` (`Pmin` = the domain's minimum bid
   * utility). Its bids never go below its reservation value either way. (The
   * default stays parley's until the tests that encode the reservation floor
   * are re-measured: issue 28, item 4.)
   */
  floor: Schema.optionalWith(
    described(
      Schema.Literal("reservation", "worst-bid"),
      "where the curve ends without min: reservation (default) or worst-bid (GENIUS Pmin)",
    ),
    { default: () => "reservation" as const },
  ),
  /** Highest target utility (default: the best utility). */
  max: Schema.optionalWith(described(Unit, "highest target utility (default: its best utility)"), {
    exact: true,
  }),
  ...bidding,
}

/** A concession attitude as a parameter. */
export const PresetParameter = described(
  Preset,
  "concession attitude: boulware, linear, conceder or hardheaded (its exponent in the convention)",
)

/** A concession exponent as a parameter. */
export const Exponent = described(NonNegative, "the concession exponent e (overrides the preset)")
