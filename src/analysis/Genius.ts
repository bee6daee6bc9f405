/**
 * Import of GENIUS XML domains and linear additive profiles (the ANAC
 * 2010-2019 format).
 *
 * Pure parsers ({@link parseGeniusDomain}, {@link parseGeniusProfile}) take
 * the text and the file name (for error messages); thin Effects
 * ({@link importGenius}, {@link importGeniusFolder}) read the files.
 *
 * What is read, and how it maps to {@link Preferences}:
 * - discrete issues (`item` values), integer and real issues (`lowerbound`,
 *   `upperbound` attributes, or a `range` child);
 * - `weight` elements (matched to issues by `index`), renormalised to sum 1;
 * - item `evaluation`s, normalised by the issue's largest (`normalize: "max"`);
 * - integer / real `evaluator ftype="linear"` with `slope` and `offset`
 *   (GENIUS: `offset + slope * (x - lowerbound)`) or `parameter0` and
 *   `parameter1` (`parameter0 + parameter1 * x`), and `ftype="constant"`;
 *   clamped to [0, 1] exactly (the clamp points become `low` / `high`);
 * - `reservation value` (default 0) and `discount_factor value` (GENIUS reads a
 *   missing factor or 0 as "no discount": both give 1). GENIUS discounts by
 *   normalised time, parley per round: the factor is kept as is.
 *
 * @since 0.1.0
 */
import type { FileSystem } from "@effect/platform"
import { Effect, Either } from "effect"
import type { IssueId } from "../domain/Ids.ts"
import { type Issue, issueProblem } from "../domain/Issue.ts"
import { attr, child, children, fail, type Node, num, parseXml, utilitySpace } from "./GeniusXml.ts"
import {
  domainName,
  type Imported,
  type ImportedProfile,
  joinPath,
  listDirectory,
  type ProfileSource,
  partyOf,
  readText,
  uniqueIds,
} from "./Import.ts"
import { type ImportError, ImportFormatError } from "./ImportError.ts"
import type { Evaluation, LinearAdditive, LinearEvaluation } from "./Preferences.ts"

/** A parsed GENIUS domain: its issues and, per issue, the name and index the profiles refer to. */
export interface GeniusDomain {
  readonly name: string
  readonly issues: ReadonlyArray<Issue>
  /** Per issue (same order): the original `name` and `index` attributes. */
  readonly keys: ReadonlyArray<{ readonly name: string; readonly index: string | undefined }>
}

/** Issues of an objective and of its sub-objectives, depth first, with their element paths. */
const collectIssues = (objective: Node, path: string, out: Array<{ node: Node; path: string }>) => {
  for (const issue of children(objective, "issue")) {
    const name = attr(issue, "name")
    out.push({ node: issue, path: `${path}/issue[name=${JSON.stringify(name ?? "?")}]` })
  }
  for (const sub of children(objective, "objective")) collectIssues(sub, `${path}/objective`, out)
}

const issueType = (issue: Node): string | undefined =>
  attr(issue, "vtype") ?? attr(issue, "type") ?? attr(issue, "etype")

const bounds = (issue: Node): { lower: string | undefined; upper: string | undefined } => {
  const range = child(issue, "range")
  return {
    lower: attr(issue, "lowerbound") ?? (range && attr(range, "lowerbound")),
    upper: attr(issue, "upperbound") ?? (range && attr(range, "upperbound")),
  }
}

/**
 * Parses a GENIUS domain file (`negotiation_template/utility_space/objective/issue*`).
 * Issue ids are the names made into tokens (see `sanitizeId`), unique; the
 * original name is kept as `label`.
 */
export const parseGeniusDomain = (
  text: string,
  file: string,
): Either.Either<GeniusDomain, ImportFormatError> =>
  Either.gen(function* () {
    const doc = yield* parseXml(text, file)
    const space = utilitySpace(doc)
    if (space === undefined)
      return yield* fail(file, "negotiation_template", "no utility_space element")
    const objective = child(space, "objective")
    if (objective === undefined) return yield* fail(file, "utility_space", "no objective element")
    const found: Array<{ node: Node; path: string }> = []
    collectIssues(objective, "utility_space/objective", found)
    if (found.length === 0) return yield* fail(file, "utility_space/objective", "no issue elements")
    const names: Array<string> = []
    for (const { node, path } of found) {
      const name = attr(node, "name")
      if (name === undefined || name.trim() === "")
        return yield* fail(file, `${path}@name`, "missing issue name")
      names.push(name)
    }
    const ids = uniqueIds(names)
    const issues: Array<Issue> = []
    for (let i = 0; i < found.length; i++) {
      const { node, path } = found[i]!
      const id = ids[i]! as IssueId
      const label = names[i]!
      const type = issueType(node)
      let issue: Issue
      if (type === "discrete") {
        const options: Array<string> = []
        for (const item of children(node, "item")) {
          const value = attr(item, "value")
          if (value === undefined)
            return yield* fail(file, `${path}/item@value`, "missing item value")
          options.push(value)
        }
        const [first, ...rest] = options
        if (first === undefined) return yield* fail(file, `${path}/item`, "no items")
        issue = { kind: "discrete", id, label, options: [first, ...rest] }
      } else if (type === "integer" || type === "real") {
        const b = bounds(node)
        const min = num(b.lower)
        const max = num(b.upper)
        if (min === undefined)
          return yield* fail(file, `${path}@lowerbound`, `not a number: ${JSON.stringify(b.lower)}`)
        if (max === undefined)
          return yield* fail(file, `${path}@upperbound`, `not a number: ${JSON.stringify(b.upper)}`)
        if (type === "integer" && !(Number.isInteger(min) && Number.isInteger(max)))
          return yield* fail(file, `${path}@lowerbound`, "integer issue bounds must be integers")
        issue = { kind: type, id, label, min, max }
      } else {
        return yield* fail(
          file,
          `${path}@vtype`,
          `unsupported issue type ${JSON.stringify(type ?? "(none)")} (expected discrete, integer or real)`,
        )
      }
      const problem = issueProblem(issue)
      if (problem !== undefined) return yield* fail(file, path, problem)
      issues.push(issue)
    }
    const keys = found.map(({ node }, i) => ({ name: names[i]!, index: attr(node, "index") }))
    return { name: domainName(attr(objective, "name"), file), issues, keys }
  })

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x))

/**
 * The exact {@link LinearEvaluation} of `c0 + c1 * x` clamped to [0, 1] on
 * `[lb, ub]`: where the line leaves [0, 1] inside the range, the crossing
 * becomes the end point (beyond it the evaluation holds the end value).
 */
export const clampedLine = (c0: number, c1: number, lb: number, ub: number): LinearEvaluation => {
  let low = lb
  let high = ub
  if (c1 !== 0) {
    const x0 = -c0 / c1 // where the line is 0
    const x1 = (1 - c0) / c1 // where it is 1
    const a = Math.min(x0, x1)
    const b = Math.max(x0, x1)
    low = Math.min(Math.max(lb, a), ub)
    high = Math.max(Math.min(ub, b), lb)
    if (low > high) {
      low = lb
      high = ub
    }
  }
  return {
    kind: "linear",
    low,
    high,
    atLow: clamp01(c0 + c1 * low),
    atHigh: clamp01(c0 + c1 * high),
  }
}

/**
 * Parses a GENIUS linear additive profile against its domain.
 * Profile issues are matched to domain issues by name, then by index.
 */
export const parseGeniusProfile = (
  text: string,
  file: string,
  domain: GeniusDomain,
): Either.Either<LinearAdditive, ImportFormatError> =>
  Either.gen(function* () {
    const doc = yield* parseXml(text, file)
    const space = utilitySpace(doc)
    if (space === undefined) return yield* fail(file, "utility_space", "no utility_space element")
    if ((attr(space, "type") ?? "").toUpperCase() === "NONLINEAR")
      return yield* fail(
        file,
        "utility_space@type",
        "a non-linear (hyper-rectangle) profile, not a linear additive one: read it with parseGeniusAnyProfile / importGeniusAny",
      )
    const objective = child(space, "objective")
    if (objective === undefined) return yield* fail(file, "utility_space", "no objective element")
    const found: Array<{ node: Node; path: string }> = []
    collectIssues(objective, "utility_space/objective", found)
    const weightsByIndex = new Map<string, { value: string | undefined; path: string }>()
    const collectWeights = (obj: Node, path: string) => {
      for (const w of children(obj, "weight")) {
        const index = attr(w, "index")
        if (index !== undefined)
          weightsByIndex.set(index, {
            value: attr(w, "value"),
            path: `${path}/weight[index=${JSON.stringify(index)}]@value`,
          })
      }
      for (const sub of children(obj, "objective")) collectWeights(sub, `${path}/objective`)
    }
    collectWeights(objective, "utility_space/objective")

    const weights: Record<string, number> = {}
    const evaluations: Record<string, Evaluation> = {}
    for (let i = 0; i < domain.issues.length; i++) {
      const issue = domain.issues[i]!
      const key = domain.keys[i]!
      const match =
        found.find(({ node }) => attr(node, "name") === key.name) ??
        found.find(({ node }) => key.index !== undefined && attr(node, "index") === key.index)
      if (match === undefined)
        return yield* fail(
          file,
          `utility_space/objective/issue[name=${JSON.stringify(key.name)}]`,
          "issue of the domain is missing from the profile",
        )
      const { node, path } = match
      const index = attr(node, "index")
      const w = index === undefined ? undefined : weightsByIndex.get(index)
      if (w === undefined)
        return yield* fail(
          file,
          `utility_space/objective/weight[index=${JSON.stringify(index ?? "?")}]`,
          `no weight for issue ${JSON.stringify(key.name)}`,
        )
      const weight = num(w.value)
      if (weight === undefined || weight < 0)
        return yield* fail(file, w.path, `not a non-negative number: ${JSON.stringify(w.value)}`)
      weights[issue.id] = weight
      if (issue.kind === "discrete") {
        const scores: Record<string, number> = {}
        for (const item of children(node, "item")) {
          const value = attr(item, "value")
          const itemPath = `${path}/item[value=${JSON.stringify(value ?? "?")}]`
          if (value === undefined) return yield* fail(file, `${itemPath}@value`, "missing value")
          if (!issue.options.includes(value))
            return yield* fail(file, itemPath, "value is not an option of the domain's issue")
          const raw = attr(item, "evaluation")
          const e = num(raw)
          if (e === undefined || e < 0)
            return yield* fail(
              file,
              `${itemPath}@evaluation`,
              `not a non-negative number: ${JSON.stringify(raw)}`,
            )
          scores[value] = e
        }
        evaluations[issue.id] = { kind: "options", scores, normalize: "max" }
      } else {
        const ev = child(node, "evaluator")
        if (ev === undefined)
          return yield* fail(file, `${path}/evaluator`, "missing evaluator for a numeric issue")
        const ftype = attr(ev, "ftype") ?? "linear"
        const evPath = `${path}/evaluator`
        const lb = issue.min
        const ub = issue.max
        if (ftype === "constant") {
          const c = num(attr(ev, "parameter0") ?? attr(ev, "offset"))
          if (c === undefined) return yield* fail(file, `${evPath}@parameter0`, "not a number")
          evaluations[issue.id] = clampedLine(c, 0, lb, ub)
        } else if (ftype === "linear") {
          const slope = attr(ev, "slope")
          if (slope !== undefined) {
            const s = num(slope)
            const o = num(attr(ev, "offset"))
            if (s === undefined) return yield* fail(file, `${evPath}@slope`, "not a number")
            if (o === undefined) return yield* fail(file, `${evPath}@offset`, "not a number")
            evaluations[issue.id] = clampedLine(o - s * lb, s, lb, ub)
          } else {
            const p0 = num(attr(ev, "parameter0"))
            const p1 = num(attr(ev, "parameter1"))
            if (p0 === undefined) return yield* fail(file, `${evPath}@parameter0`, "not a number")
            if (p1 === undefined) return yield* fail(file, `${evPath}@parameter1`, "not a number")
            evaluations[issue.id] = clampedLine(p0, p1, lb, ub)
          }
        } else {
          return yield* fail(
            file,
            `${evPath}@ftype`,
            `unsupported evaluator ${JSON.stringify(ftype)} (expected linear or constant)`,
          )
        }
      }
    }
    let total = 0
    for (const k in weights) total += weights[k] ?? 0
    if (!(total > 0))
      return yield* fail(file, "utility_space/objective/weight", "all weights are 0")
    for (const k in weights) weights[k] = (weights[k] ?? 0) / total

    let reservation = 0
    const res = child(space, "reservation") ?? child(objective, "reservation")
    if (res !== undefined) {
      const raw = attr(res, "value")
      const r = num(raw)
      if (r === undefined || r < 0 || r > 1)
        return yield* fail(
          file,
          "utility_space/reservation@value",
          `not a number in [0, 1]: ${JSON.stringify(raw)}`,
        )
      reservation = r
    }
    let discount = 1
    const disc = child(space, "discount_factor") ?? child(objective, "discount_factor")
    if (disc !== undefined) {
      const raw = attr(disc, "value")
      const d = num(raw)
      if (d === undefined || d < 0 || d > 1)
        return yield* fail(
          file,
          "utility_space/discount_factor@value",
          `not a number in [0, 1]: ${JSON.stringify(raw)}`,
        )
      discount = d === 0 ? 1 : d
    }
    return {
      kind: "linear-additive" as const,
      weights: weights as LinearAdditive["weights"],
      evaluations: evaluations as LinearAdditive["evaluations"],
      reservation,
      discount,
      discountPerRound: 1,
      redLines: {},
    }
  })

/**
 * Reads and parses a GENIUS domain and its profiles. A profile's party is the
 * file's base name (as a token) unless given.
 */
export const importGenius = (
  domainFile: string,
  profiles: ReadonlyArray<ProfileSource>,
): Effect.Effect<Imported, ImportError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const domain = yield* Effect.flatMap(readText(domainFile), (t) =>
      parseGeniusDomain(t, domainFile),
    )
    const out: Array<ImportedProfile> = []
    for (const source of profiles) {
      const { file, party } = partyOf(source)
      const text = yield* readText(file)
      const preferences = yield* parseGeniusProfile(text, file, domain)
      out.push({ party, preferences, file })
    }
    return { name: domain.name, issues: domain.issues, profiles: out }
  })

/**
 * Imports a folder holding one GENIUS domain file (root element
 * `negotiation_template`) and its profiles (every other `.xml` file with
 * `weight` elements), profiles in file-name order.
 */
export const importGeniusFolder = (
  dir: string,
): Effect.Effect<Imported, ImportError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const names = (yield* listDirectory(dir)).filter((n) => n.toLowerCase().endsWith(".xml"))
    const domains: Array<string> = []
    const profiles: Array<string> = []
    for (const name of names) {
      const file = joinPath(dir, name)
      const text = yield* readText(file)
      if (/<negotiation_template[\s>]/.test(text)) domains.push(file)
      else if (/<weight[\s>]/.test(text)) profiles.push(file)
    }
    if (domains.length !== 1)
      return yield* new ImportFormatError({
        file: dir,
        element: "negotiation_template",
        detail: `expected exactly one domain file (root negotiation_template), found ${domains.length}`,
      })
    return yield* importGenius(domains[0]!, profiles)
  })
