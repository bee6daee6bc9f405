/**
 * fast-check arbitraries for the domain, derived from its Schemas with
 * `Arbitrary.make`. The only schema Arbitrary cannot derive by itself is
 * `Instant` (a regex filter with no pattern hint): it is swapped, wherever it
 * occurs in a schema's AST, for the same refinement annotated with a
 * generator of real instants. Everything else comes from the Schemas as they are.
 */
import { Arbitrary, SchemaAST as AST, FastCheck as fc, Schema } from "effect"
import { EventEnvelope, Instant, NegotiationEvent } from "../../src/domain/Event.ts"

/** Instants between 2000 and 2100, in milliseconds, formatted as the domain writes them. */
export const instantArb: fc.Arbitrary<Instant> = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) })
  .map((ms) => new Date(ms).toISOString() as Instant)

const instantWithArbitrary = Instant.annotations({ arbitrary: () => () => instantArb }).ast

const rewrite = (ast: AST.AST): AST.AST => {
  if (ast === Instant.ast) return instantWithArbitrary
  switch (ast._tag) {
    case "TypeLiteral":
      return new AST.TypeLiteral(
        ast.propertySignatures.map(
          (ps) =>
            new AST.PropertySignature(
              ps.name,
              rewrite(ps.type),
              ps.isOptional,
              ps.isReadonly,
              ps.annotations,
            ),
        ),
        ast.indexSignatures.map(
          (is) => new AST.IndexSignature(is.parameter, rewrite(is.type), is.isReadonly),
        ),
        ast.annotations,
      )
    case "Union":
      return AST.Union.make(ast.types.map(rewrite), ast.annotations)
    case "Refinement":
      return new AST.Refinement(rewrite(ast.from), ast.filter, ast.annotations)
    case "TupleType":
      return new AST.TupleType(
        ast.elements.map((e) => new AST.OptionalType(rewrite(e.type), e.isOptional, e.annotations)),
        ast.rest.map((r) => new AST.Type(rewrite(r.type), r.annotations)),
        ast.isReadonly,
        ast.annotations,
      )
    default:
      return ast
  }
}

/** `Arbitrary.make(schema)`, with generated instants wherever the schema holds an `Instant`. */
export const fromSchema = <A, I, R>(schema: Schema.Schema<A, I, R>): fc.Arbitrary<A> =>
  Arbitrary.make(Schema.make<A>(rewrite(schema.ast)))

/** Any event envelope the schema admits. */
export const envelopeArb: fc.Arbitrary<EventEnvelope> = fromSchema(EventEnvelope)

/** Any event the schema admits. */
export const eventArb: fc.Arbitrary<NegotiationEvent> = fromSchema(NegotiationEvent)
