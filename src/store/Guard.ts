/**
 * Fast type guards compiled from Schemas: the same answer as
 * `Schema.is(schema, { onExcessProperty: "error" })`, at a fraction of the
 * cost, for the plain-JSON subset the event model uses (structs, records,
 * arrays, unions, literals, primitives and refinements). Any other AST node is
 * checked by `Schema.is` itself, so the guard is never looser than the Schema.
 *
 * Reading a log validates every event at the boundary; Effect's general
 * parser builds a result per node and dominated replay time (about 7 µs of
 * the 8 µs it took to read one event), which this removes.
 *
 * @since 0.1.0
 */
import { SchemaAST as AST, Option, Schema } from "effect"

/** A compiled type guard. */
export type Guard = (u: unknown) => boolean

const hasOwn = Object.prototype.hasOwnProperty
const options = { onExcessProperty: "error" } as const

const compileAst = (ast: AST.AST): Guard => {
  switch (ast._tag) {
    case "StringKeyword":
      return (u) => typeof u === "string"
    case "NumberKeyword":
      return (u) => typeof u === "number"
    case "BooleanKeyword":
      return (u) => typeof u === "boolean"
    case "UndefinedKeyword":
      return (u) => u === undefined
    case "UnknownKeyword":
    case "AnyKeyword":
      return () => true
    case "Literal": {
      const literal = ast.literal
      return (u) => u === literal
    }
    case "Refinement": {
      const from = compileAst(ast.from)
      const refined: Guard = (u) => from(u) && Option.isNone(ast.filter(u, options, ast))
      return refinesString(ast) ? remembering(refined) : refined
    }
    case "Union": {
      const members = ast.types.map(compileAst)
      return (u) => {
        for (const m of members) if (m(u)) return true
        return false
      }
    }
    case "TupleType": {
      if (ast.rest.length > 1) break
      const elements = ast.elements.map((e) => ({
        guard: compileAst(e.type),
        optional: e.isOptional,
      }))
      const rest = ast.rest[0] === undefined ? undefined : compileAst(ast.rest[0].type)
      return (u) => {
        if (!Array.isArray(u)) return false
        if (rest === undefined && u.length > elements.length) return false
        for (let i = 0; i < elements.length; i++) {
          const e = elements[i]!
          if (i >= u.length) {
            if (!e.optional) return false
            continue
          }
          if (!e.guard(u[i])) return false
        }
        if (rest !== undefined)
          for (let i = elements.length; i < u.length; i++) if (!rest(u[i])) return false
        return true
      }
    }
    case "TypeLiteral": {
      if (ast.propertySignatures.some((p) => typeof p.name !== "string")) break
      const props = ast.propertySignatures.map((p) => ({
        name: p.name as string,
        guard: compileAst(p.type),
        optional: p.isOptional,
      }))
      const names = new Set(props.map((p) => p.name))
      const index = ast.indexSignatures.map((s) => ({
        key: compileAst(s.parameter),
        value: compileAst(s.type),
      }))
      return (u) => {
        if (typeof u !== "object" || u === null) return false
        const record = u as Record<string, unknown>
        for (const p of props) {
          if (!hasOwn.call(record, p.name)) {
            if (p.optional) continue
            return false
          }
          if (!p.guard(record[p.name])) return false
        }
        for (const key in record) {
          if (!hasOwn.call(record, key) || names.has(key)) continue
          // With onExcessProperty "error", a key is allowed only by an index signature it fits.
          let fits = false
          for (const s of index)
            if (s.key(key)) {
              if (!s.value(record[key])) return false
              fits = true
            }
          if (!fits) return false
        }
        return true
      }
    }
  }
  const fallback = Schema.is(Schema.make(ast), options)
  return (u) => fallback(u)
}

/** Whether a refinement refines strings (an id, an instant): its innermost type is `string`. */
const refinesString = (ast: AST.Refinement): boolean => {
  let from: AST.AST = ast.from
  while (from._tag === "Refinement") from = from.from
  return from._tag === "StringKeyword"
}

/** Strings up to this long are remembered: ids, which recur on nearly every line of a log. */
const REMEMBERED_LENGTH = 16
/** How many strings one guard remembers at most. */
const REMEMBERED_COUNT = 4096

/**
 * A guard of a string refinement that remembers the short strings it passed:
 * a filter is a function of its value, and the ids of a log (negotiations,
 * offers, parties, issues) recur on nearly every line, so a set lookup (on
 * strings `JSON.parse` has already made unique) replaces the filter's
 * pattern match. Bounded, so that a log of many distinct ids costs no more
 * than the filter itself.
 */
const remembering = (guard: Guard): Guard => {
  const passed = new Set<string>()
  return (u) => {
    if (typeof u !== "string") return false
    if (passed.has(u)) return true
    if (!guard(u)) return false
    if (u.length <= REMEMBERED_LENGTH && passed.size < REMEMBERED_COUNT) passed.add(u)
    return true
  }
}

/** Compiles a guard for the type side of `schema`. */
export const compileGuard = <A, I, R>(schema: Schema.Schema<A, I, R>): ((u: unknown) => u is A) =>
  compileAst(AST.typeAST(schema.ast)) as (u: unknown) => u is A
