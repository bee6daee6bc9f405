/**
 * Import of GENIUS non-linear (hyper-rectangle) profiles, the ANAC 2014
 * format, into {@link HyperRectangles}, and the importers that take a GENIUS
 * domain with profiles of either kind.
 *
 * Read as GENIUS 10.4's `NonlinearUtilitySpace` reads them:
 * - the root's `type` attribute, upper-cased, is `NONLINEAR`;
 * - `objective/utility@maxutility` is the normaliser, its first `ufun` the
 *   outermost function, whose `weight` is never applied;
 * - a `hyperRectangle` has `utility` and an optional `weight`; its bounds are
 *   `INCLUDES` or `EXCLUDES` children (`index`, `min`, `max`); when it has
 *   both, only the `EXCLUDES` count; with none it always contributes;
 * - `index` is the GENIUS issue number (the domain issue's `index`
 *   attribute), not the issue's position;
 * - `aggregation` is `sum`, `min` or `max` (any other text means sum);
 * - `reservation@value` (default 0) and `discount_factor@value` (outside
 *   (0, 1] means no discount) are children of `utility_space`.
 *
 * @since 0.1.0
 */
import type { FileSystem } from "@effect/platform"
import { Effect, Either } from "effect"
import type { IssueId } from "../domain/Ids.ts"
import { type GeniusDomain, parseGeniusDomain, parseGeniusProfile } from "./Genius.ts"
import { attr, child, children, fail, type Node, num, parseXml, utilitySpace } from "./GeniusXml.ts"
import {
  type Imported,
  type ImportedProfile,
  joinPath,
  listDirectory,
  type ProfileSource,
  partyOf,
  readText,
} from "./Import.ts"
import { type ImportError, ImportFormatError } from "./ImportError.ts"
import type { Aggregation, Bound, HyperRectangles, Rectangle, Ufun } from "./Nonlinear.ts"
import type { FilePreferences } from "./Preferences.ts"
import { parseGeniusUncertainty } from "./Uncertainty.ts"

/** Whether a GENIUS profile's root says `type="nonlinear"` (any case). */
export const isGeniusNonlinear = (doc: Node): boolean =>
  (attr(utilitySpace(doc) ?? {}, "type") ?? "").toUpperCase() === "NONLINEAR"

const aggregationOf = (s: string | undefined): Aggregation => {
  const a = (s ?? "").toLowerCase()
  return a === "min" || a === "max" ? a : "sum"
}

type Parsed<A> = Either.Either<A, ImportFormatError>

const parseBounds = (
  nodes: ReadonlyArray<Node>,
  tag: string,
  path: string,
  file: string,
  issueOf: ReadonlyMap<string, IssueId>,
): Parsed<Array<Bound>> =>
  Either.gen(function* () {
    const out: Array<Bound> = []
    for (const [k, b] of nodes.entries()) {
      const at = `${path}/${tag}[${k + 1}]`
      const index = attr(b, "index")
      const issue = index === undefined ? undefined : issueOf.get(index.trim())
      if (issue === undefined)
        return yield* fail(
          file,
          `${at}@index`,
          `no domain issue has index ${JSON.stringify(index)}`,
        )
      const min = num(attr(b, "min"))
      const max = num(attr(b, "max"))
      if (min === undefined)
        return yield* fail(file, `${at}@min`, `not a number: ${JSON.stringify(attr(b, "min"))}`)
      if (max === undefined)
        return yield* fail(file, `${at}@max`, `not a number: ${JSON.stringify(attr(b, "max"))}`)
      if (min > max) return yield* fail(file, at, `min ${min} is greater than max ${max}`)
      out.push({ issue, min, max })
    }
    return out
  })

const parseUfun = (
  node: Node,
  path: string,
  file: string,
  issueOf: ReadonlyMap<string, IssueId>,
): Parsed<{
  aggregation: Aggregation
  weight: number
  rectangles: Array<Rectangle>
  ufuns: Array<Ufun>
}> =>
  Either.gen(function* () {
    const rawWeight = attr(node, "weight")
    const weight = rawWeight === undefined ? 1 : num(rawWeight)
    if (weight === undefined)
      return yield* fail(file, `${path}@weight`, `not a number: ${JSON.stringify(rawWeight)}`)
    const rectangles: Array<Rectangle> = []
    for (const [k, r] of children(node, "hyperRectangle").entries()) {
      const at = `${path}/hyperRectangle[${k + 1}]`
      const utility = num(attr(r, "utility"))
      if (utility === undefined)
        return yield* fail(
          file,
          `${at}@utility`,
          `not a number: ${JSON.stringify(attr(r, "utility"))}`,
        )
      const rw = attr(r, "weight")
      const w = rw === undefined ? undefined : num(rw)
      if (rw !== undefined && w === undefined)
        return yield* fail(file, `${at}@weight`, `not a number: ${JSON.stringify(rw)}`)
      const excludes = children(r, "EXCLUDES")
      const includes = children(r, "INCLUDES")
      const rect: { -readonly [K in keyof Rectangle]: Rectangle[K] } = { utility }
      if (w !== undefined) rect.weight = w
      // GENIUS: EXCLUDES replace INCLUDES when a rectangle has both
      if (excludes.length > 0)
        rect.excludes = yield* parseBounds(excludes, "EXCLUDES", at, file, issueOf)
      else if (includes.length > 0)
        rect.includes = yield* parseBounds(includes, "INCLUDES", at, file, issueOf)
      rectangles.push(rect)
    }
    const ufuns: Array<Ufun> = []
    for (const [k, g] of children(node, "ufun").entries())
      ufuns.push(yield* parseUfun(g, `${path}/ufun[${k + 1}]`, file, issueOf))
    return { aggregation: aggregationOf(attr(node, "aggregation")), weight, rectangles, ufuns }
  })

/**
 * Parses a GENIUS non-linear profile against its domain. Bounds refer to
 * issues by their GENIUS `index`; the domain's issues must carry one.
 */
export const parseGeniusNonlinearProfile = (
  text: string,
  file: string,
  domain: GeniusDomain,
): Parsed<HyperRectangles> =>
  Either.gen(function* () {
    const doc = yield* parseXml(text, file)
    const space = utilitySpace(doc)
    if (space === undefined) return yield* fail(file, "utility_space", "no utility_space element")
    const objective = child(space, "objective")
    if (objective === undefined) return yield* fail(file, "utility_space", "no objective element")
    const utility = child(objective, "utility")
    if (utility === undefined)
      return yield* fail(file, "utility_space/objective/utility", "no utility element")
    const rawMax = attr(utility, "maxutility")
    const maxUtility = num(rawMax)
    if (maxUtility === undefined || !(maxUtility > 0))
      return yield* fail(
        file,
        "utility_space/objective/utility@maxutility",
        `not a positive number: ${JSON.stringify(rawMax)}`,
      )
    const root = child(utility, "ufun")
    if (root === undefined)
      return yield* fail(file, "utility_space/objective/utility/ufun", "no ufun element")
    const issueOf = new Map<string, IssueId>()
    domain.keys.forEach((k, i) => {
      if (k.index !== undefined) issueOf.set(k.index.trim(), domain.issues[i]!.id)
    })
    const f = yield* parseUfun(root, "utility_space/objective/utility/ufun", file, issueOf)
    let reservation = 0
    const res = child(space, "reservation")
    if (res !== undefined) {
      const r = num(attr(res, "value"))
      if (r === undefined || r < 0 || r > 1)
        return yield* fail(
          file,
          "utility_space/reservation@value",
          `not a number in [0, 1]: ${JSON.stringify(attr(res, "value"))}`,
        )
      reservation = r
    }
    let discount = 1
    const disc = child(space, "discount_factor")
    if (disc !== undefined) {
      const d = num(attr(disc, "value"))
      if (d === undefined)
        return yield* fail(
          file,
          "utility_space/discount_factor@value",
          `not a number: ${JSON.stringify(attr(disc, "value"))}`,
        )
      discount = d > 0 && d <= 1 ? d : 1
    }
    return {
      kind: "hyper-rectangles" as const,
      maxUtility,
      aggregation: f.aggregation,
      rectangles: f.rectangles,
      ufuns: f.ufuns,
      reservation,
      discount,
      discountPerRound: 1,
      redLines: {},
    }
  })

/** Parses a GENIUS profile of either kind (linear additive, or non-linear by its root's `type`). */
export const parseGeniusAnyProfile = (
  text: string,
  file: string,
  domain: GeniusDomain,
): Parsed<FilePreferences> =>
  Either.flatMap(
    parseXml(text, file),
    (doc): Parsed<FilePreferences> =>
      isGeniusNonlinear(doc)
        ? parseGeniusNonlinearProfile(text, file, domain)
        : parseGeniusProfile(text, file, domain),
  )

/**
 * Reads and parses a GENIUS domain and its profiles, linear or non-linear.
 * A profile's party is the file's base name (as a token) unless given.
 */
export const importGeniusAny = (
  domainFile: string,
  profiles: ReadonlyArray<ProfileSource>,
): Effect.Effect<Imported<FilePreferences>, ImportError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const domain = yield* Effect.flatMap(readText(domainFile), (t) =>
      parseGeniusDomain(t, domainFile),
    )
    const out: Array<ImportedProfile<FilePreferences>> = []
    for (const source of profiles) {
      const { file, party } = partyOf(source)
      const text = yield* readText(file)
      const preferences = yield* parseGeniusAnyProfile(text, file, domain)
      const uncertainty = yield* parseGeniusUncertainty(text, file)
      out.push(
        uncertainty === undefined
          ? { party, preferences, file }
          : { party, preferences, file, uncertainty },
      )
    }
    return { name: domain.name, issues: domain.issues, profiles: out }
  })

/**
 * Imports a folder holding one GENIUS domain file (root element
 * `negotiation_template`) and its profiles (every other `.xml` file with
 * `weight` elements or a non-linear `utility` element), in file-name order.
 */
export const importGeniusFolderAny = (
  dir: string,
): Effect.Effect<Imported<FilePreferences>, ImportError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const names = (yield* listDirectory(dir)).filter((n) => n.toLowerCase().endsWith(".xml"))
    const domains: Array<string> = []
    const profiles: Array<string> = []
    for (const name of names) {
      const file = joinPath(dir, name)
      const text = yield* readText(file)
      if (/<negotiation_template[\s>]/.test(text)) domains.push(file)
      else if (/<weight[\s>]/.test(text) || /<utility\s[^>]*maxutility/.test(text))
        profiles.push(file)
    }
    if (domains.length !== 1)
      return yield* new ImportFormatError({
        file: dir,
        element: "negotiation_template",
        detail: `expected exactly one domain file (root negotiation_template), found ${domains.length}`,
      })
    return yield* importGeniusAny(domains[0]!, profiles)
  })

/**
 * Reads GENIUS's `pareto.xml` (not XML: one line `u1, u2` per frontier point,
 * in the profiles' normalised undiscounted utilities). Blank lines are
 * skipped; anything else that is not a list of numbers is an error naming
 * the line.
 */
export const parseGeniusPareto = (
  text: string,
  file: string,
): Either.Either<Array<Array<number>>, ImportFormatError> => {
  const out: Array<Array<number>> = []
  const lines = text.split(/\r?\n/)
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!.trim()
    if (line === "") continue
    const xs = line.split(",").map((x) => num(x))
    if (xs.some((x) => x === undefined))
      return Either.left(
        new ImportFormatError({
          file,
          element: `line ${k + 1}`,
          detail: `expected comma-separated utilities, got ${JSON.stringify(line)}`,
        }),
      )
    out.push(xs as Array<number>)
  }
  return Either.right(out)
}
