/**
 * A scenario's parameters: what `--set` may override (with its range and
 * options checked), what a Monte Carlo run draws ({@link uncertainParameters}),
 * and the substitution of `{ $param }` references in a scenario's input
 * ({@link applyParameters}). Every problem is a {@link ScenarioError} naming
 * the file and the field.
 *
 * @since 0.5.0
 */
import { Either, Schema } from "effect"
import { deepestIssue } from "../domain/Errors.ts"
import { Parameter, type Params, type ScenarioDefinition } from "./Scenario.ts"
import { ScenarioError } from "./ScenarioError.ts"

const Parameters = Schema.Record({ key: Schema.String, value: Parameter })

/** A number parameter drawn per Monte Carlo run from `[min, max]`. */
export interface Uncertain {
  readonly name: string
  readonly min: number
  readonly max: number
}

/** The parameters a definition declares uncertain and `overrides` leave free. */
export const uncertainParameters = (
  file: string,
  definition: unknown,
  overrides: Readonly<Record<string, string>>,
): Either.Either<ReadonlyArray<Uncertain>, ScenarioError> =>
  Either.flatMap(declaredParameters(file, definition), (declared) => {
    const out: Array<Uncertain> = []
    for (const [name, p] of Object.entries(declared)) {
      if (p.uncertain === undefined || name in overrides) continue
      if (typeof p.default !== "number" || p.uncertain.min > p.uncertain.max)
        return Either.left(
          new ScenarioError({
            file,
            path: `parameters.${name}.uncertain`,
            problem: "only a number parameter can be uncertain, with min <= max",
          }),
        )
      out.push({ name, min: p.uncertain.min, max: p.uncertain.max })
    }
    return Either.right(out)
  })

const declaredParameters = (file: string, definition: unknown) =>
  typeof definition !== "object" || definition === null || Array.isArray(definition)
    ? Either.left(
        new ScenarioError({
          file,
          path: "",
          problem: `a scenario must be an object, not ${definition === null ? "null" : Array.isArray(definition) ? "an array" : `a ${typeof definition}`}`,
        }),
      )
    : Either.mapLeft(
        Schema.decodeUnknownEither(Parameters)(
          (definition as { parameters?: unknown }).parameters ?? {},
        ),
        (e) => new ScenarioError({ file, ...deepestIssue(e, "parameters") }),
      )

const coerce = (
  file: string,
  name: string,
  raw: string,
  like: Parameter["default"],
): Either.Either<number | string | boolean, ScenarioError> => {
  if (typeof like === "number") {
    const n = Number(raw)
    return raw.trim() !== "" && Number.isFinite(n)
      ? Either.right(n)
      : Either.left(
          new ScenarioError({
            file,
            path: `--set ${name}`,
            problem: `expected a number, got ${JSON.stringify(raw)}`,
          }),
        )
  }
  if (typeof like === "boolean") {
    return raw === "true" || raw === "false"
      ? Either.right(raw === "true")
      : Either.left(
          new ScenarioError({
            file,
            path: `--set ${name}`,
            problem: `expected true or false, got ${JSON.stringify(raw)}`,
          }),
        )
  }
  return Either.right(raw)
}

/** A parameter's value for `raw`, checked against the text options it declares. */
const coerceParameter = (
  file: string,
  name: string,
  raw: string,
  p: Parameter,
): Either.Either<number | string | boolean, ScenarioError> =>
  Either.flatMap(coerce(file, name, raw, p.default), (value) => {
    if (p.options !== undefined && typeof value === "string" && !p.options.includes(value))
      return Either.left(
        new ScenarioError({
          file,
          path: `--set ${name}`,
          problem: `expected one of ${p.options.join(", ")}, got ${JSON.stringify(raw)}`,
        }),
      )
    if (
      typeof value === "number" &&
      ((p.min !== undefined && value < p.min) || (p.max !== undefined && value > p.max))
    )
      return Either.left(
        new ScenarioError({
          file,
          path: `--set ${name}`,
          problem: `${raw} is outside the parameter's range, ${rangeText(p)}`,
        }),
      )
    return Either.right(value)
  })

/** A parameter's declared range in words: `from 0 to 1`, `at least 0`, `at most 1`. */
const rangeText = (p: Parameter) =>
  p.min !== undefined && p.max !== undefined
    ? `from ${p.min} to ${p.max}`
    : p.min !== undefined
      ? `at least ${p.min}`
      : `at most ${p.max}`

/** Replaces every `{ "$param": "name" }` with the parameter's value. */
const substitute = (
  file: string,
  value: unknown,
  params: Params,
  path: string,
): Either.Either<unknown, ScenarioError> => {
  if (Array.isArray(value)) {
    const out: Array<unknown> = []
    for (const [i, v] of value.entries()) {
      const r = substitute(file, v, params, `${path}[${i}]`)
      if (Either.isLeft(r)) return r
      out.push(r.right)
    }
    return Either.right(out)
  }
  if (typeof value !== "object" || value === null || typeof value === "function")
    return Either.right(value)
  if (Object.getPrototypeOf(value) !== Object.prototype) return Either.right(value)
  const record = value as Record<string, unknown>
  if ("$param" in record && Object.keys(record).length === 1) {
    const name = record.$param
    return typeof name === "string" && name in params
      ? Either.right(params[name])
      : Either.left(
          new ScenarioError({ file, path, problem: `unknown parameter ${JSON.stringify(name)}` }),
        )
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(record)) {
    if (k === "parameters" && path === "") {
      out[k] = v
      continue
    }
    const r = substitute(file, v, params, path === "" ? k : `${path}.${k}`)
    if (Either.isLeft(r)) return r
    out[k] = r.right
  }
  return Either.right(out)
}

/**
 * Applies `--set` overrides to a scenario definition: the parameter values,
 * and the scenario input with every `$param` replaced (or built by the
 * module's `build(params)`).
 */
export const applyParameters = (
  file: string,
  definition: unknown,
  overrides: Readonly<Record<string, string>>,
): Either.Either<{ readonly params: Params; readonly input: unknown }, ScenarioError> => {
  const def = definition as ScenarioDefinition & { parameters?: unknown }
  const declared = declaredParameters(file, definition)
  if (Either.isLeft(declared)) return Either.left(declared.left)
  const params: Record<string, number | string | boolean> = {}
  for (const [name, p] of Object.entries(declared.right)) {
    if (p.options !== undefined && !p.options.includes(String(p.default)))
      return Either.left(
        new ScenarioError({
          file,
          path: `parameters.${name}.default`,
          problem: `expected one of its options ${p.options.join(", ")}, got ${JSON.stringify(p.default)}`,
        }),
      )
    params[name] = p.default
  }
  for (const [name, raw] of Object.entries(overrides)) {
    const p = declared.right[name]
    if (p === undefined) {
      const known = Object.keys(declared.right)
      return Either.left(
        new ScenarioError({
          file,
          path: `--set ${name}`,
          problem: `unknown parameter (this scenario has ${known.length === 0 ? "none" : known.join(", ")})`,
        }),
      )
    }
    const value = coerceParameter(file, name, raw, p)
    if (Either.isLeft(value)) return Either.left(value.left)
    params[name] = value.right
  }
  if ("build" in def && typeof def.build === "function") {
    return Either.right({ params, input: { ...def.build(params), parameters: def.parameters } })
  }
  return Either.map(substitute(file, definition, params, ""), (input) => ({ params, input }))
}

/** Parses `name=value` pairs of `--set`. */
export const parseOverrides = (
  pairs: ReadonlyArray<string>,
): Either.Either<Record<string, string>, ScenarioError> => {
  const out: Record<string, string> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf("=")
    if (eq <= 0)
      return Either.left(
        new ScenarioError({ file: "--set", path: pair, problem: "expected name=value" }),
      )
    out[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return Either.right(out)
}
