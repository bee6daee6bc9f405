/**
 * The catalogue of strategies a scenario or `--agent` can name: each kind's
 * summary, the reference it is implemented from (both from its registry
 * entry: `Registry.ts`, then the remote entry, `Spec.ts`), and its parameters (read from its spec Schema:
 * name, default, description). `parley strategies` prints it.
 *
 * @since 0.2.0
 */
import { Either, Option, Schema, SchemaAST } from "effect"
import { acceptanceInfo, acceptanceMembers } from "../boa/Acceptance.ts"
import { ModelSpec, modelInfo } from "../boa/Models.ts"
import { kindsOf } from "../Kinds.ts"
import type { StrategyInfo } from "../Strategy.ts"
import { strategyEntries } from "./Spec.ts"

/** One parameter of a strategy kind. */
export interface ParameterInfo {
  readonly name: string
  /** Its default, when it has one (`undefined`: required or no default). */
  readonly default?: unknown
  readonly required: boolean
  readonly description: string | undefined
}

/** A strategy kind as `parley strategies` lists it. */
export interface CatalogEntry extends StrategyInfo {
  readonly parameters: ReadonlyArray<ParameterInfo>
}

/** What each kind is and where it comes from, in the registry's order. */
export const strategyInfo: ReadonlyArray<StrategyInfo> = strategyEntries.flatMap((e) => e.about)

/** The description annotation of a property's type (looking through `| undefined`). */
const describe = (ast: SchemaAST.AST): string | undefined => {
  const own = Option.getOrUndefined(SchemaAST.getDescriptionAnnotation(ast))
  if (own !== undefined) return own
  if (SchemaAST.isUnion(ast))
    for (const m of ast.types) {
      const d = describe(m)
      if (d !== undefined) return d
    }
  if (SchemaAST.isRefinement(ast)) return describe(ast.from)
  return undefined
}

/** The parameters of one spec member (a Struct with a `kind` literal). */
export const parametersOf = (
  member: Schema.Schema.AnyNoContext,
  kind: string,
): Array<ParameterInfo> => {
  let ast = member.ast
  // optionalWith({ default }) makes the Struct a transformation from the encoded (file) form.
  const encoded = SchemaAST.isTransformation(ast) ? ast.from : ast
  const decoded = SchemaAST.isTransformation(ast) ? ast.to : ast
  ast = encoded
  if (!SchemaAST.isTypeLiteral(ast)) return []
  const defaults = Either.getOrElse(
    Schema.decodeUnknownEither(member)({ kind }),
    () => ({}) as Record<string, unknown>,
  ) as Record<string, unknown>
  const decodedDescriptions = new Map<string, string | undefined>()
  if (SchemaAST.isTypeLiteral(decoded))
    for (const p of decoded.propertySignatures)
      decodedDescriptions.set(String(p.name), describe(p.type))
  return ast.propertySignatures
    .filter((p) => p.name !== "kind")
    .map((p) => {
      const name = String(p.name)
      return {
        name,
        ...(Object.hasOwn(defaults, name) ? { default: defaults[name] } : {}),
        required: !p.isOptional,
        description: describe(p.type) ?? decodedDescriptions.get(name),
      }
    })
}

/** Every strategy kind with its parameters, in the order the registry declares them. */
export const catalog = (): ReadonlyArray<CatalogEntry> =>
  strategyEntries.flatMap((entry) =>
    entry.specs.flatMap((spec) =>
      kindsOf(spec).map((kind) => {
        const info = entry.about.find((i) => i.kind === kind) ?? {
          kind,
          summary: "",
          reference: "",
        }
        return { ...info, parameters: parametersOf(spec, kind) }
      }),
    ),
  )

/** Component kinds (acceptance conditions, opponent models) as the listing shows them. */
export const componentCatalog = (
  infos: ReadonlyArray<StrategyInfo>,
  members: ReadonlyArray<Schema.Schema.AnyNoContext>,
): ReadonlyArray<CatalogEntry> =>
  infos.map((info) => {
    const member = members.find((m) => {
      const ast = SchemaAST.isTransformation(m.ast) ? m.ast.to : m.ast
      if (!SchemaAST.isTypeLiteral(ast)) return false
      const kind = ast.propertySignatures.find((p) => p.name === "kind")?.type
      return kind !== undefined && SchemaAST.isLiteral(kind) && kind.literal === info.kind
    })
    return { ...info, parameters: member === undefined ? [] : parametersOf(member, info.kind) }
  })

/** The opponent models a `boa` agent can name. */
export const modelCatalog = (): ReadonlyArray<CatalogEntry> =>
  componentCatalog(modelInfo, ModelSpec.members as ReadonlyArray<Schema.Schema.AnyNoContext>)

/** The acceptance conditions a `boa` agent can name. */
export const acceptanceCatalog = (): ReadonlyArray<CatalogEntry> =>
  componentCatalog(acceptanceInfo, acceptanceMembers as ReadonlyArray<Schema.Schema.AnyNoContext>)
