/**
 * The XML reading the GENIUS importers share (`Genius.ts`, `GeniusNonlinear.ts`):
 * a lenient prolog (as GENIUS's own parser), elements as plain objects, and
 * small accessors. Internal to the importers: not re-exported by the package.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import { ImportFormatError } from "./ImportError.ts"

/** A parsed XML element (attributes prefixed with `@`). */
export type Node = Record<string, unknown>

const ARRAYS = new Set([
  "issue",
  "item",
  "weight",
  "objective",
  "evaluator",
  "ufun",
  "hyperRectangle",
  "INCLUDES",
  "EXCLUDES",
])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => ARRAYS.has(name),
})

/** A left {@link ImportFormatError} naming the file and element. */
export const fail = (file: string, element: string, detail: string) =>
  Either.left(new ImportFormatError({ file, element, detail }))

/** Whether a parsed value is an element. */
export const isNode = (x: unknown): x is Node =>
  typeof x === "object" && x !== null && !Array.isArray(x)

/** An attribute's text. */
export const attr = (node: Node, name: string): string | undefined => {
  const v = node[`@${name}`]
  return typeof v === "string" ? v : undefined
}

/** The child elements named `name` (an empty element counts). */
export const children = (node: Node, name: string): Array<Node> => {
  const v = node[name]
  if (Array.isArray(v)) return v.filter(isNode).concat(v.filter((x) => x === "").map(() => ({})))
  return isNode(v) ? [v] : v === "" ? [{}] : []
}

/** The first child element named `name`. */
export const child = (node: Node, name: string): Node | undefined => children(node, name)[0]

/** A finite number from text, or `undefined`. */
export const num = (s: string | undefined): number | undefined => {
  if (s === undefined || s.trim() === "") return undefined
  const x = Number(s)
  return Number.isFinite(x) ? x : undefined
}

/**
 * The comments, processing instructions and blank text before the root
 * element, each replaced by its line breaks only (so error lines still match
 * the file). GENIUS's own parser skips them; the ANAC 2014 profiles start with
 * a comment and then an XML declaration, which strict XML rejects.
 */
const blankProlog = (text: string): string =>
  text.replace(/^(?:\uFEFF|\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)+/, (m) => m.replace(/[^\n]/g, ""))

/** Parses XML text, failing with an error naming the file and line. */
export const parseXml = (text: string, file: string): Either.Either<Node, ImportFormatError> => {
  const valid = XMLValidator.validate(blankProlog(text))
  if (valid !== true)
    return fail(
      file,
      `line ${valid.err.line}`,
      `not well-formed XML: ${valid.err.msg}`,
    ) as Either.Either<never, ImportFormatError>
  return Either.try({
    try: () => parser.parse(blankProlog(text)) as Node,
    catch: (e) => new ImportFormatError({ file, element: "(document)", detail: String(e) }),
  })
}

/** The `utility_space` element, wherever the root puts it. */
export const utilitySpace = (doc: Node): Node | undefined => {
  const direct = child(doc, "utility_space")
  if (direct !== undefined) return direct
  const template = child(doc, "negotiation_template")
  return template === undefined ? undefined : child(template, "utility_space")
}
