/**
 * Fields every kind of preferences shares (numbers in [0, 1], discount
 * factors, red lines), in a module of their own so that each kind's module
 * (`Preferences.ts`, `Nonlinear.ts`) can use them without importing the other.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { IssueId } from "../domain/Ids.ts"
import { TermValue } from "../domain/Issue.ts"

/** A number in `[0, 1]`. */
export const UnitInterval = Schema.Number.pipe(
  Schema.finite(),
  Schema.between(0, 1, { identifier: "UnitInterval" }),
)

/** A finite number `>= 0`. */
export const NonNegative = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())

/** Values per issue that a party never accepts (options, or exact numbers). */
export const RedLines = Schema.Record({ key: IssueId, value: Schema.Array(TermValue) })
export type RedLines = typeof RedLines.Type

/** A discount factor in `(0, 1]`; 1 means no discounting. */
export const Discount = Schema.Number.pipe(
  Schema.finite(),
  Schema.greaterThan(0),
  Schema.lessThanOrEqualTo(1),
)
