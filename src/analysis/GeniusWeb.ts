/**
 * Import of GeniusWeb JSON domains and `LinearAdditiveUtilitySpace` profiles.
 *
 * - domain: `{ name, issuesValues: { <issue>: { values: [...] } | { range: { low, high, step } } } }`;
 *   a range with integer bounds and step 1 becomes an integer issue, any other
 *   range a real issue (analyse it with `realStep` = the range's step, which
 *   {@link GeniusWebImported.realSteps} lists);
 * - profile: `{ LinearAdditiveUtilitySpace: { name, issueUtilities, issueWeights,
 *   domain, reservationBid? } }` with `discreteutils.valueUtilities` (used as
 *   given: `normalize: "none"`, GeniusWeb does not rescale) or
 *   `numberutils { lowValue, lowUtility, highValue, highUtility }`; weights
 *   renormalised to sum 1; the reservation value is the utility of the
 *   `reservationBid` (0 without one). GeniusWeb has no discount factor: 1.
 *
 * When no domain file is given, the domain embedded in the first profile is used.
 *
 * @since 0.1.0
 */
import type { FileSystem } from "@effect/platform"
import { Effect, Either } from "effect"
import { messageOf } from "../domain/Errors.ts"
import type { IssueId } from "../domain/Ids.ts"
import { type Issue, issueProblem, type Terms, type TermValue } from "../domain/Issue.ts"
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
import { type Evaluation, type LinearAdditive, utility } from "./Preferences.ts"

/** A parsed GeniusWeb domain: issues, their original names, and steps of real ranges. */
export interface GeniusWebDomain {
  readonly name: string
  readonly issues: ReadonlyArray<Issue>
  /** Original issue names, in issue order. */
  readonly names: ReadonlyArray<string>
  /** Step of each real (range) issue, by issue id. */
  readonly realSteps: Readonly<Record<string, number>>
}

/** An import result plus the steps of real ranges (pass them as `realStep` to `analyze`). */
export interface GeniusWebImported extends Imported {
  readonly realSteps: Readonly<Record<string, number>>
}

type Json = Record<string, unknown>
const isObject = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x)
const fail = (file: string, element: string, detail: string) =>
  Either.left(new ImportFormatError({ file, element, detail }))

const parseJson = (text: string, file: string): Either.Either<unknown, ImportFormatError> =>
  Either.try({
    try: () => JSON.parse(text) as unknown,
    catch: (e) =>
      new ImportFormatError({
        file,
        element: "(document)",
        detail: `not valid JSON: ${messageOf(e)}`,
      }),
  })

const numberOf = (x: unknown): number | undefined => {
  const n =
    typeof x === "number" ? x : typeof x === "string" && x.trim() !== "" ? Number(x) : Number.NaN
  return Number.isFinite(n) ? n : undefined
}

const domainFrom = (
  json: unknown,
  file: string,
  path: string,
): Either.Either<GeniusWebDomain, ImportFormatError> =>
  Either.gen(function* () {
    if (!isObject(json)) return yield* fail(file, path || "(document)", "expected an object")
    const iv = json.issuesValues
    const ivPath = path ? `${path}.issuesValues` : "issuesValues"
    if (!isObject(iv)) return yield* fail(file, ivPath, "missing or not an object")
    const names = Object.keys(iv)
    if (names.length === 0) return yield* fail(file, ivPath, "no issues")
    const ids = uniqueIds(names)
    const issues: Array<Issue> = []
    const realSteps: Record<string, number> = {}
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!
      const id = ids[i]! as IssueId
      const at = `${ivPath}.${name}`
      const spec = iv[name]
      if (!isObject(spec)) return yield* fail(file, at, "expected an object")
      let issue: Issue
      if (Array.isArray(spec.values)) {
        const options: Array<string> = []
        for (const [k, v] of spec.values.entries()) {
          if (typeof v !== "string" && typeof v !== "number")
            return yield* fail(file, `${at}.values[${k}]`, "expected a string")
          options.push(String(v))
        }
        const [first, ...rest] = options
        if (first === undefined) return yield* fail(file, `${at}.values`, "no values")
        issue = { kind: "discrete", id, label: name, options: [first, ...rest] }
      } else if (isObject(spec.range)) {
        const low = numberOf(spec.range.low)
        const high = numberOf(spec.range.high)
        const step = numberOf(spec.range.step)
        if (low === undefined) return yield* fail(file, `${at}.range.low`, "not a number")
        if (high === undefined) return yield* fail(file, `${at}.range.high`, "not a number")
        if (step === undefined || step <= 0)
          return yield* fail(file, `${at}.range.step`, "not a positive number")
        if (Number.isInteger(low) && Number.isInteger(high) && step === 1)
          issue = { kind: "integer", id, label: name, min: low, max: high }
        else {
          issue = { kind: "real", id, label: name, min: low, max: high }
          realSteps[id] = step
        }
      } else {
        return yield* fail(file, at, "expected `values` (discrete) or `range` (number)")
      }
      const problem = issueProblem(issue)
      if (problem !== undefined) return yield* fail(file, at, problem)
      issues.push(issue)
    }
    return {
      name: domainName(typeof json.name === "string" ? json.name : undefined, file),
      issues,
      names,
      realSteps,
    }
  })

/** Parses a GeniusWeb domain file (`{ name, issuesValues }`). */
export const parseGeniusWebDomain = (
  text: string,
  file: string,
): Either.Either<GeniusWebDomain, ImportFormatError> =>
  Either.flatMap(parseJson(text, file), (json) => domainFrom(json, file, ""))

const space = (json: unknown, file: string): Either.Either<Json, ImportFormatError> =>
  isObject(json) && isObject(json.LinearAdditiveUtilitySpace)
    ? Either.right(json.LinearAdditiveUtilitySpace)
    : fail(
        file,
        "LinearAdditiveUtilitySpace",
        "missing: only linear additive profiles are supported",
      )

/** The domain a GeniusWeb profile embeds (`LinearAdditiveUtilitySpace.domain`). */
export const parseGeniusWebEmbeddedDomain = (
  text: string,
  file: string,
): Either.Either<GeniusWebDomain, ImportFormatError> =>
  Either.gen(function* () {
    const json = yield* parseJson(text, file)
    const las = yield* space(json, file)
    return yield* domainFrom(las.domain, file, "LinearAdditiveUtilitySpace.domain")
  })

/** Parses a GeniusWeb `LinearAdditiveUtilitySpace` profile against its domain (issues matched by name). */
export const parseGeniusWebProfile = (
  text: string,
  file: string,
  domain: GeniusWebDomain,
): Either.Either<LinearAdditive, ImportFormatError> =>
  Either.gen(function* () {
    const json = yield* parseJson(text, file)
    const las = yield* space(json, file)
    const root = "LinearAdditiveUtilitySpace"
    const utils = las.issueUtilities
    const ws = las.issueWeights
    if (!isObject(utils))
      return yield* fail(file, `${root}.issueUtilities`, "missing or not an object")
    if (!isObject(ws)) return yield* fail(file, `${root}.issueWeights`, "missing or not an object")
    const weights: Record<string, number> = {}
    const evaluations: Record<string, Evaluation> = {}
    let total = 0
    for (let i = 0; i < domain.issues.length; i++) {
      const issue = domain.issues[i]!
      const name = domain.names[i]!
      const wAt = `${root}.issueWeights.${name}`
      const w = numberOf(ws[name])
      if (w === undefined || w < 0)
        return yield* fail(file, wAt, "missing or not a non-negative number")
      weights[issue.id] = w
      total += w
      const uAt = `${root}.issueUtilities.${name}`
      const u = utils[name]
      if (!isObject(u)) return yield* fail(file, uAt, "missing or not an object")
      if (isObject(u.discreteutils)) {
        const vu = u.discreteutils.valueUtilities
        if (!isObject(vu))
          return yield* fail(
            file,
            `${uAt}.discreteutils.valueUtilities`,
            "missing or not an object",
          )
        if (issue.kind !== "discrete")
          return yield* fail(file, `${uAt}.discreteutils`, "discrete utilities for a number issue")
        const scores: Record<string, number> = {}
        for (const [value, raw] of Object.entries(vu)) {
          const at = `${uAt}.discreteutils.valueUtilities.${value}`
          const x = numberOf(raw)
          if (x === undefined || x < 0 || x > 1)
            return yield* fail(file, at, "not a number in [0, 1]")
          if (!issue.options.includes(value))
            return yield* fail(file, at, "not a value of the domain's issue")
          scores[value] = x
        }
        evaluations[issue.id] = { kind: "options", scores, normalize: "none" }
      } else if (isObject(u.numberutils)) {
        const nu = u.numberutils
        const at = `${uAt}.numberutils`
        if (issue.kind === "discrete")
          return yield* fail(file, at, "number utilities for a discrete issue")
        const lowValue = numberOf(nu.lowValue)
        const highValue = numberOf(nu.highValue)
        const lowUtility = numberOf(nu.lowUtility)
        const highUtility = numberOf(nu.highUtility)
        if (lowValue === undefined) return yield* fail(file, `${at}.lowValue`, "not a number")
        if (highValue === undefined) return yield* fail(file, `${at}.highValue`, "not a number")
        if (lowUtility === undefined || lowUtility < 0 || lowUtility > 1)
          return yield* fail(file, `${at}.lowUtility`, "not a number in [0, 1]")
        if (highUtility === undefined || highUtility < 0 || highUtility > 1)
          return yield* fail(file, `${at}.highUtility`, "not a number in [0, 1]")
        evaluations[issue.id] = {
          kind: "linear",
          low: lowValue,
          high: highValue,
          atLow: lowUtility,
          atHigh: highUtility,
        }
      } else {
        return yield* fail(file, uAt, "expected discreteutils or numberutils")
      }
    }
    if (!(total > 0)) return yield* fail(file, `${root}.issueWeights`, "all weights are 0")
    for (const k in weights) weights[k] = (weights[k] ?? 0) / total
    const preferences: LinearAdditive = {
      kind: "linear-additive",
      weights: weights as LinearAdditive["weights"],
      evaluations: evaluations as LinearAdditive["evaluations"],
      reservation: 0,
      discount: 1,
      discountPerRound: 1,
      redLines: {},
    }
    const rb = las.reservationBid
    if (rb === undefined || rb === null) return preferences
    const rbAt = `${root}.reservationBid.issuevalues`
    if (!isObject(rb) || !isObject(rb.issuevalues))
      return yield* fail(file, rbAt, "missing or not an object")
    const terms: Record<string, TermValue> = {}
    for (let i = 0; i < domain.issues.length; i++) {
      const issue = domain.issues[i]!
      const raw = rb.issuevalues[domain.names[i]!]
      if (raw === undefined) continue
      if (issue.kind === "discrete") {
        const v = String(raw)
        if (!issue.options.includes(v))
          return yield* fail(
            file,
            `${rbAt}.${domain.names[i]!}`,
            `unknown value ${JSON.stringify(v)}`,
          )
        terms[issue.id] = v
      } else {
        const v = numberOf(raw)
        if (v === undefined) return yield* fail(file, `${rbAt}.${domain.names[i]!}`, "not a number")
        terms[issue.id] = v
      }
    }
    const r = utility(preferences, domain.issues)(terms as Terms)
    return { ...preferences, reservation: Math.min(1, Math.max(0, r)) }
  })

/**
 * Reads a GeniusWeb domain (or, with `undefined`, the domain embedded in the
 * first profile) and its profiles. A profile's party is the file's base name
 * (as a token) unless given.
 */
export const importGeniusWeb = (
  domainFile: string | undefined,
  profiles: ReadonlyArray<ProfileSource>,
): Effect.Effect<GeniusWebImported, ImportError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const sources = profiles.map(partyOf)
    const texts: Array<string> = []
    for (const s of sources) texts.push(yield* readText(s.file))
    let domain: GeniusWebDomain
    if (domainFile !== undefined)
      domain = yield* Effect.flatMap(readText(domainFile), (t) =>
        parseGeniusWebDomain(t, domainFile),
      )
    else if (sources[0] !== undefined)
      domain = yield* parseGeniusWebEmbeddedDomain(texts[0]!, sources[0].file)
    else
      return yield* new ImportFormatError({
        file: "(none)",
        element: "issuesValues",
        detail: "neither a domain file nor a profile to take the domain from",
      })
    const out: Array<ImportedProfile> = []
    for (let i = 0; i < sources.length; i++) {
      const { file, party } = sources[i]!
      const preferences = yield* parseGeniusWebProfile(texts[i]!, file, domain)
      out.push({ party, preferences, file })
    }
    return { name: domain.name, issues: domain.issues, profiles: out, realSteps: domain.realSteps }
  })

/**
 * Imports a folder of GeniusWeb JSON files: the domain is the file with a
 * top-level `issuesValues` (else the one embedded in the first profile), the
 * profiles every file with `LinearAdditiveUtilitySpace`, in file-name order.
 */
export const importGeniusWebFolder = (
  dir: string,
): Effect.Effect<GeniusWebImported, ImportError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const names = (yield* listDirectory(dir)).filter((n) => n.toLowerCase().endsWith(".json"))
    const domains: Array<string> = []
    const profiles: Array<string> = []
    for (const name of names) {
      const file = joinPath(dir, name)
      const json = yield* parseJson(yield* readText(file), file)
      if (isObject(json) && isObject(json.LinearAdditiveUtilitySpace)) profiles.push(file)
      else if (isObject(json) && isObject(json.issuesValues)) domains.push(file)
    }
    if (domains.length > 1)
      return yield* new ImportFormatError({
        file: dir,
        element: "issuesValues",
        detail: `expected at most one domain file, found ${domains.length}`,
      })
    return yield* importGeniusWeb(domains[0], profiles)
  })
