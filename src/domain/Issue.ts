/**
 * Issues under negotiation and the terms that give them values.
 *
 * An issue is either a set of discrete options (`"freeze-at-line"`,
 * `"full-withdrawal"`), or a bounded integer or real range. Terms map issue ids
 * to values: a full package covers every issue, a partial offer some of them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { IssueId } from "./Ids.ts"

/** An issue whose value is one of a fixed list of options. */
export const DiscreteIssue = Schema.Struct({
  kind: Schema.Literal("discrete"),
  id: IssueId,
  label: Schema.optional(Schema.String),
  options: Schema.NonEmptyArray(Schema.String),
})
export type DiscreteIssue = typeof DiscreteIssue.Type

/** An issue whose value is an integer in `[min, max]`. */
export const IntegerIssue = Schema.Struct({
  kind: Schema.Literal("integer"),
  id: IssueId,
  label: Schema.optional(Schema.String),
  min: Schema.Int,
  max: Schema.Int,
})
export type IntegerIssue = typeof IntegerIssue.Type

/** An issue whose value is a real number in `[min, max]`. */
export const RealIssue = Schema.Struct({
  kind: Schema.Literal("real"),
  id: IssueId,
  label: Schema.optional(Schema.String),
  min: Schema.Finite,
  max: Schema.Finite,
})
export type RealIssue = typeof RealIssue.Type

/** One issue under negotiation. */
export const Issue = Schema.Union(DiscreteIssue, IntegerIssue, RealIssue)
export type Issue = typeof Issue.Type

/** The value an offer gives one issue: an option name, or a number. */
export const TermValue = Schema.Union(Schema.String, Schema.Finite)
export type TermValue = typeof TermValue.Type

/** Values per issue. A full package names every issue; a partial offer some. */
export const Terms = Schema.Record({ key: IssueId, value: TermValue })
export type Terms = typeof Terms.Type

/**
 * Why a value does not fit an issue, or `undefined` when it fits.
 * Pure and allocation-free on the happy path: it runs on every offer.
 */
export const valueProblem = (issue: Issue, value: TermValue): string | undefined => {
  switch (issue.kind) {
    case "discrete":
      return typeof value === "string" && issue.options.includes(value)
        ? undefined
        : `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(", ")}, got ${JSON.stringify(value)}`
    case "integer":
      return typeof value === "number" &&
        Number.isInteger(value) &&
        value >= issue.min &&
        value <= issue.max
        ? undefined
        : `expected an integer in [${issue.min}, ${issue.max}], got ${JSON.stringify(value)}`
    case "real":
      return typeof value === "number" && value >= issue.min && value <= issue.max
        ? undefined
        : `expected a number in [${issue.min}, ${issue.max}], got ${JSON.stringify(value)}`
  }
}

/** Why an issue definition is unusable (empty range, repeated option), or `undefined`. */
export const issueProblem = (issue: Issue): string | undefined => {
  switch (issue.kind) {
    case "discrete":
      return new Set(issue.options).size === issue.options.length
        ? undefined
        : "options must be distinct"
    case "integer":
    case "real":
      return issue.min <= issue.max
        ? undefined
        : `min ${issue.min} is greater than max ${issue.max}`
  }
}
