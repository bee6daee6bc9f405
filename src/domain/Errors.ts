/**
 * The words of whatever was thrown or failed, for one-line errors.
 *
 * @since 0.2.0
 */
import { ParseResult } from "effect"

/** An error's message, or the value itself as text when it is not an `Error`. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** `parties[1].preferences.weights.crimea` from a Schema path. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, key) =>
      typeof key === "number"
        ? `${out}[${key}]`
        : out === ""
          ? String(key)
          : `${out}.${String(key)}`,
    "",
  )

/**
 * The problem of a failed decoding to report, as a field path (under
 * `prefix`) and a one-line message: the one with the deepest path, which in a
 * union is the member that matched furthest (the one the author most likely
 * meant).
 */
export const deepestIssue = (
  error: ParseResult.ParseError,
  prefix = "",
): { readonly path: string; readonly problem: string } => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  // A union member's discriminator (`kind`) that does not match is no news when another
  // member matched it and failed deeper or beside it: that member's issue names the field.
  const depth = (i: (typeof issues)[number]) =>
    i.path.length - (i.path.at(-1) === "kind" && issues.length > 1 ? 0.5 : 0)
  const issue = issues.reduce<(typeof issues)[number] | undefined>(
    (best, i) => (best === undefined || depth(i) > depth(best) ? i : best),
    undefined,
  )
  const path = formatPath(issue?.path ?? [])
  return {
    path:
      prefix === ""
        ? path
        : path === ""
          ? prefix
          : path.startsWith("[")
            ? `${prefix}${path}`
            : `${prefix}.${path}`,
    problem: (issue?.message ?? error.message).split("\n")[0] ?? "invalid",
  }
}
