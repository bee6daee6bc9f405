/**
 * The catalogue of strategies a scenario or `--agent` can name: each kind's
 * summary, the reference it is implemented from, and its parameters (read
 * from its spec Schema: name, default, description). `parley strategies`
 * prints it.
 *
 * @since 0.2.0
 */
import { Either, Option, Schema, SchemaAST } from "effect"
import { acceptanceInfo, acceptanceMembers } from "../boa/Acceptance.ts"
import { ModelSpec, modelInfo } from "../boa/Models.ts"
import type { StrategyInfo } from "../Strategy.ts"
import { agentkInfo } from "./AgentK.ts"
import { atlas3Info } from "./Atlas3.ts"
import { cuhkagentInfo } from "./CUHKAgent.ts"
import { hardheadedInfo } from "./HardHeaded.ts"
import { microInfo } from "./Micro.ts"
import { StrategySpec } from "./Spec.ts"
import { imitativeInfo, naiveTitForTatInfo, titForTatInfo } from "./TitForTat.ts"

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

const FARATIN =
  "Faratin, Sierra & Jennings, Negotiation decision functions for autonomous agents, Robotics and Autonomous Systems 24(3-4), 1998; GENIUS TimeDependentAgent; NegMAS PolyAspiration"

/** What each kind is and where it comes from. */
export const strategyInfo: ReadonlyArray<StrategyInfo> = [
  agentkInfo,
  hardheadedInfo,
  cuhkagentInfo,
  atlas3Info,
  microInfo,
  naiveTitForTatInfo,
  imitativeInfo,
  titForTatInfo,
  {
    kind: "boa",
    summary:
      "An agent composed from an offering strategy, an opponent model and an acceptance condition",
    reference:
      "Baarslag, Hindriks, Hendrikx, Dirkzwager & Jonker, Decoupling negotiating agents to explore the space of negotiation strategies, in Novel Insights in Agent-based Complex Automated Negotiation, Springer 2014",
  },
  {
    kind: "scripted",
    summary: "Offers a list of terms in turn, then repeats the last or walks out",
    reference: "parley (a scripted baseline)",
  },
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
  {
    kind: "linear",
    summary: "Time-dependent preset that concedes linearly",
    reference: FARATIN,
  },
  {
    kind: "conceder",
    summary: "Time-dependent preset that concedes early",
    reference: FARATIN,
  },
  {
    kind: "red-line-concession",
    summary:
      "Time-dependent concession over the outcomes that respect its red lines; never offers, accepts or ratifies across them",
    reference: "parley (time-dependent concession after Faratin et al. 1998, with red lines)",
  },
  {
    kind: "hardliner",
    summary: "Always bids its best outcome and accepts only as much: never concedes",
    reference: "GENIUS TimeDependentAgentHardliner (Faratin et al. 1998 with e = 0)",
  },
  {
    kind: "random",
    summary: "Offers random acceptable outcomes and accepts acceptable offers with a probability",
    reference: "GENIUS RandomAgent / NegMAS RandomNegotiator (a baseline)",
  },
  {
    kind: "mediator",
    summary:
      "Single-text mediator that learns from every answer: method raiffa (default; revises one text from both sides' criticism), veto, hill-climbing, feedback, or cycle (the earlier cycling baseline)",
    reference:
      "Raiffa, The Art and Science of Negotiation, Harvard UP 1982 (single negotiating text); Klein, Faratin, Sayama & Bar-Yam, Negotiating complex contracts, Group Decision and Negotiation 12(2), 2003 (hill-climbing); NegMAS VetoSTMechanism / HillClimbingSTMechanism; Aydoğan, Hindriks & Jonker, Multilateral mediated negotiation protocols with feedback, 2014 (GENIUS MediatorFeedbackBasedProtocol)",
  },
  {
    kind: "rubinstein",
    summary: "Subgame-perfect equilibrium strategy of split-the-pie with per-round discounting",
    reference:
      "Rubinstein, Perfect equilibrium in a bargaining model, Econometrica 50(1), 1982; Osborne & Rubinstein, Bargaining and Markets, 1990",
  },
  {
    kind: "remote",
    summary:
      "An agent outside parley, asked for each move by a NATS request (parley schema turn|move); its fallback moves when it gives no valid reply",
    reference:
      "parley (agents as services, as GeniusWeb parties and the ANAC human-agent league's agents run outside the platform)",
  },
]

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

/** Every strategy kind with its parameters, in the order the spec declares them. */
export const catalog = (): ReadonlyArray<CatalogEntry> =>
  StrategySpec.members.flatMap((member) =>
    (member.fields.kind.literals as ReadonlyArray<string>).map((kind) => {
      const info = strategyInfo.find((i) => i.kind === kind) ?? {
        kind,
        summary: "",
        reference: "",
      }
      return {
        ...info,
        parameters: parametersOf(member as unknown as Schema.Schema.AnyNoContext, kind),
      }
    }),
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
