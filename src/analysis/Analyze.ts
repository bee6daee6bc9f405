/**
 * One-call analysis of a negotiation domain: the outcome space, the Pareto
 * frontier, the Nash, Kalai-Smorodinsky, egalitarian and maximum-welfare
 * points, the zone of possible agreement and the opposition, plus metrics of
 * a run's offers against them and a text renderer.
 *
 * {@link analyze} streams the outcome space once (see `scanUtilities`),
 * keeping only the frontier and counters: a space of millions of outcomes is
 * analysed in the memory of its frontier. Definitions are those of
 * `Solutions.ts`.
 *
 * @since 0.1.0
 */
import { Data, Either } from "effect"
import type { Issue, Terms, TermValue } from "../domain/Issue.ts"
import { type SearchOptions, searchFrontier } from "./FrontierSearch.ts"
import {
  type OutcomeSpace,
  outcomeSpace,
  type SpaceOptions,
  scanUtilities,
  termsAt,
} from "./OutcomeSpace.ts"
import { type FrontierPoint, makeFrontier } from "./Pareto.ts"
import {
  discounted,
  type Moment,
  type PartyPreferences,
  preferencesProblem,
  reservationOf,
  utility,
  violatesRedLine,
} from "./Preferences.ts"
import {
  distance,
  distanceToFrontier,
  egalitarianPoint,
  idealPoint,
  isRational,
  kalaiSmorodinskyPoint,
  maxWelfarePoint,
  nashPoint,
  opposition,
} from "./Solutions.ts"

/** A party and its preferences, as {@link analyze} takes them. */
export interface PartyProfile {
  readonly party: string
  readonly preferences: PartyPreferences
}

/** An outcome with each party's utility. */
export interface AnalysisPoint {
  readonly terms: Terms
  readonly utilities: Readonly<Record<string, number>>
}

/** A frontier entry; `outcomes` counts the outcomes sharing these utilities (they are one point). */
export interface FrontierEntry extends AnalysisPoint {
  readonly outcomes: number
}

/** The result of {@link analyze}. */
export interface Analysis {
  /** Parties in the order given. */
  readonly parties: ReadonlyArray<string>
  /** Number of outcomes in the (discretised) space. */
  readonly outcomes: number
  /** Outcomes some party's red line excludes (left out of everything below). */
  readonly excludedByRedLines: number
  /** Outcomes every party prefers to no agreement (`u_i >= reservation_i`): the zone of possible agreement. */
  readonly individuallyRational: number
  /** Reservation value per party (the disagreement point). */
  readonly reservations: Readonly<Record<string, number>>
  /** Best utility per party over individually rational outcomes (undefined when there are none). */
  readonly ideal: Readonly<Record<string, number>> | undefined
  /** Pareto-optimal points, sorted by the first party's utility descending. */
  readonly paretoFrontier: ReadonlyArray<FrontierEntry>
  readonly nash: AnalysisPoint | undefined
  readonly kalaiSmorodinsky: AnalysisPoint | undefined
  /** GENIUS's "KS": the Pareto point with the smallest utility spread. */
  readonly egalitarian: AnalysisPoint | undefined
  readonly maxWelfare: AnalysisPoint | undefined
  /** Distance from the frontier to (1, ..., 1). */
  readonly opposition: number
  /**
   * Present when the space was too large to enumerate (more than
   * `exactLimit` outcomes): the frontier and the points above were found by
   * search (`FrontierSearch.ts`) and are approximate; `outcomes` is then the
   * space's size as a float, and `individuallyRational` and
   * `excludedByRedLines` are NaN (not counted).
   */
  readonly approximate?: { readonly method: string; readonly evaluations: number } | undefined
}

/** Options of {@link analyze}: how to discretise, and when to search instead of enumerating. */
export interface AnalyzeOptions extends SpaceOptions, SearchOptions {
  /** Largest space enumerated exactly (default 5,000,000 outcomes); larger ones are searched. */
  readonly exactLimit?: number | undefined
}

/** The default of {@link AnalyzeOptions.exactLimit}. */
export const EXACT_LIMIT = 5_000_000

/** Why a domain cannot be analysed (bad issues, preferences that do not fit, duplicate parties). */
export class AnalysisError extends Data.TaggedError("AnalysisError")<{ readonly reason: string }> {}

const toPoint = (
  space: OutcomeSpace,
  parties: ReadonlyArray<string>,
  p: FrontierPoint,
): FrontierEntry => {
  const utilities: Record<string, number> = {}
  parties.forEach((name, i) => {
    utilities[name] = p.utilities[i]!
  })
  return { terms: termsAt(space, p.index), utilities, outcomes: p.count }
}

const record = (parties: ReadonlyArray<string>, xs: ArrayLike<number>): Record<string, number> => {
  const out: Record<string, number> = {}
  parties.forEach((name, i) => {
    out[name] = xs[i]!
  })
  return out
}

const point = (e: FrontierEntry | undefined): AnalysisPoint | undefined =>
  e === undefined ? undefined : { terms: e.terms, utilities: e.utilities }

/**
 * Analyses a domain for two or more parties. Real issues are discretised
 * (`options.realStep`, see `outcomeSpace`). Fails when the issues or
 * preferences are unusable or party names repeat.
 */
export const analyze = (
  issues: ReadonlyArray<Issue>,
  profiles: ReadonlyArray<PartyProfile>,
  options: AnalyzeOptions = {},
): Either.Either<Analysis, AnalysisError> => {
  const parties = profiles.map((p) => p.party)
  if (new Set(parties).size !== parties.length)
    return Either.left(new AnalysisError({ reason: `party names repeat: ${parties.join(", ")}` }))
  if (profiles.length === 0) return Either.left(new AnalysisError({ reason: "no profiles" }))
  for (const p of profiles) {
    if (p.preferences.kind === "custom") continue
    const problem = preferencesProblem(p.preferences, issues)
    if (problem !== undefined)
      return Either.left(new AnalysisError({ reason: `${p.party}: ${problem}` }))
  }
  const values: Array<ReadonlyArray<TermValue>> = []
  let size = 1
  for (const issue of issues) {
    const one = outcomeSpace([issue], options)
    if (Either.isLeft(one)) return Either.left(new AnalysisError({ reason: one.left }))
    values.push(one.right.values[0]!)
    size *= one.right.size
  }
  if (size > (options.exactLimit ?? EXACT_LIMIT))
    return Either.right(approximateAnalysis(issues, values, size, profiles, options))
  const built = outcomeSpace(issues, options)
  if (Either.isLeft(built)) return Either.left(new AnalysisError({ reason: built.left }))
  const space = built.right
  const prefs = profiles.map((p) => p.preferences)
  const d = prefs.map(reservationOf)
  const m = prefs.length
  const frontier = makeFrontier(m)
  let rational = 0
  const excluded = scanUtilities(space, prefs, (index, u) => {
    let ok = true
    for (let i = 0; i < m; i++) if (u[i]! < d[i]!) ok = false
    if (ok) rational++
    frontier.add(index, u)
  })
  const f = frontier.points()
  const ideal = idealPoint(f, d)
  const at = (p: FrontierPoint | undefined) =>
    p === undefined ? undefined : toPoint(space, parties, p)
  return Either.right({
    parties,
    outcomes: space.size,
    excludedByRedLines: excluded,
    individuallyRational: rational,
    reservations: record(parties, d),
    ideal: ideal === undefined ? undefined : record(parties, ideal),
    paretoFrontier: f.map((p) => toPoint(space, parties, p)),
    nash: point(at(nashPoint(f, d))),
    kalaiSmorodinsky: point(at(kalaiSmorodinskyPoint(f, d))),
    egalitarian: point(at(egalitarianPoint(f, d))),
    maxWelfare: point(at(maxWelfarePoint(f))),
    opposition: opposition(f),
  })
}

/** {@link analyze} of a space too large to enumerate: the frontier by search. */
const approximateAnalysis = (
  issues: ReadonlyArray<Issue>,
  values: ReadonlyArray<ReadonlyArray<TermValue>>,
  size: number,
  profiles: ReadonlyArray<PartyProfile>,
  options: SearchOptions,
): Analysis => {
  const parties = profiles.map((p) => p.party)
  const prefs = profiles.map((p) => p.preferences)
  const d = prefs.map(reservationOf)
  const found = searchFrontier(issues, values, prefs, options)
  const f = found.points
  const entry = (p: FrontierPoint): FrontierEntry => ({
    terms: found.terms(p.index),
    utilities: record(parties, p.utilities),
    outcomes: p.count,
  })
  const at = (p: FrontierPoint | undefined) => (p === undefined ? undefined : entry(p))
  const ideal = idealPoint(f, d)
  return {
    parties,
    outcomes: size,
    excludedByRedLines: Number.NaN,
    individuallyRational: Number.NaN,
    reservations: record(parties, d),
    ideal: ideal === undefined ? undefined : record(parties, ideal),
    paretoFrontier: f.map(entry),
    nash: point(at(nashPoint(f, d))),
    kalaiSmorodinsky: point(at(kalaiSmorodinskyPoint(f, d))),
    egalitarian: point(at(egalitarianPoint(f, d))),
    maxWelfare: point(at(maxWelfarePoint(f))),
    opposition: opposition(f),
    approximate: { method: found.method, evaluations: found.evaluations },
  }
}

/** Metrics of one offer of a run against an {@link Analysis}. */
export interface OfferMetrics {
  readonly utilities: Readonly<Record<string, number>>
  /** Euclidean distance in utility space to the nearest Pareto point. */
  readonly distanceToFrontier: number
  /** Euclidean distance in utility space to the Nash point (NaN when there is none). */
  readonly distanceToNash: number
  /** Whether the offer's utilities match a Pareto point (within 1e-12). */
  readonly paretoOptimal: boolean
}

const vectorOf = (a: Analysis, r: Readonly<Record<string, number>>): Array<number> =>
  a.parties.map((p) => r[p] ?? 0)

/**
 * Compiles a scorer of a run's offers against an analysis: each offer's
 * utilities, distance to the frontier and to the Nash point. The utilities are
 * undiscounted (pass `round` to {@link agreementEfficiency} for discounting).
 */
export const offerMetrics = (
  analysis: Analysis,
  issues: ReadonlyArray<Issue>,
  profiles: ReadonlyArray<PartyProfile>,
): ((terms: Terms) => OfferMetrics) => {
  const fns = profiles.map((p) => utility(p.preferences, issues))
  const frontier: Array<FrontierPoint> = analysis.paretoFrontier.map((e, index) => ({
    index,
    utilities: vectorOf(analysis, e.utilities),
    count: e.outcomes,
  }))
  const nash = analysis.nash === undefined ? undefined : vectorOf(analysis, analysis.nash.utilities)
  return (terms) => {
    const u = fns.map((f) => f(terms))
    const df = distanceToFrontier(frontier, u)
    return {
      utilities: record(analysis.parties, u),
      distanceToFrontier: df,
      distanceToNash: nash === undefined ? Number.NaN : distance(u, nash),
      paretoOptimal: df <= 1e-12,
    }
  }
}

/** How good an agreement (or no agreement) is. */
export interface Efficiency {
  /** Utilities each party gets (discounted by round; the reservation values when there is no agreement). */
  readonly utilities: Readonly<Record<string, number>>
  /** Sum of the utilities. */
  readonly welfare: number
  /** `welfare / maxWelfare` (1 = the best sum any outcome gives). */
  readonly welfareRatio: number
  /** Nash product `prod (u_i - d_i)` divided by the Nash point's (0 when irrational or no deal). */
  readonly nashRatio: number
  readonly distanceToFrontier: number
  readonly distanceToNash: number
  /** Every party gets at least its reservation value and no red line is crossed. */
  readonly individuallyRational: boolean
}

/**
 * The efficiency of a run's outcome: `agreement` terms reached at moment `at`
 * (utilities discounted by each party's factors, see `discountFactor`), or
 * `undefined` for no agreement (everyone gets its reservation value).
 */
export const agreementEfficiency = (
  analysis: Analysis,
  issues: ReadonlyArray<Issue>,
  profiles: ReadonlyArray<PartyProfile>,
  agreement: Terms | undefined,
  at: Moment = { time: 0, round: 0 },
): Efficiency => {
  const d = vectorOf(analysis, analysis.reservations)
  const u =
    agreement === undefined
      ? d
      : profiles.map((p) =>
          discounted(p.preferences, utility(p.preferences, issues)(agreement), at),
        )
  const red =
    agreement !== undefined &&
    profiles.some((p) => violatesRedLine(p.preferences, issues)(agreement))
  const welfare = u.reduce((s, x) => s + x, 0)
  const mw = analysis.maxWelfare
  const best = mw === undefined ? 0 : vectorOf(analysis, mw.utilities).reduce((s, x) => s + x, 0)
  const nashVec =
    analysis.nash === undefined ? undefined : vectorOf(analysis, analysis.nash.utilities)
  const product = (v: ReadonlyArray<number>) => v.reduce((s, x, i) => s * (x - d[i]!), 1)
  const rational = !red && isRational(u, d)
  const nashBest = nashVec === undefined ? 0 : product(nashVec)
  const frontier: Array<FrontierPoint> = analysis.paretoFrontier.map((e, index) => ({
    index,
    utilities: vectorOf(analysis, e.utilities),
    count: e.outcomes,
  }))
  return {
    utilities: record(analysis.parties, u),
    welfare,
    welfareRatio: best > 0 ? welfare / best : 0,
    nashRatio: agreement !== undefined && rational && nashBest > 0 ? product(u) / nashBest : 0,
    distanceToFrontier: distanceToFrontier(frontier, u),
    distanceToNash: nashVec === undefined ? Number.NaN : distance(u, nashVec),
    individuallyRational: rational,
  }
}

const fmt = (x: number): string => x.toFixed(6)

const termsText = (issues: ReadonlyArray<Issue> | undefined, terms: Terms): string =>
  Object.entries(terms as Record<string, TermValue>)
    .map(([id, v]) => {
      const label = issues?.find((i) => i.id === id)?.label ?? id
      return `${label}=${typeof v === "number" ? String(Number(v.toPrecision(12))) : v}`
    })
    .join(", ")

/**
 * A readable text report of an analysis: counts, the solution points with
 * each party's utility and terms, and the first `maxFrontier` (default 20)
 * frontier points. Pass the issues to print their labels.
 */
/**
 * "What would it take" for an outcome: each party accepts it while its
 * reservation value is at most its utility there (`maxReservation`); it is
 * individually rational now when every party's reservation value is at most
 * that, and `shortBy` says by how much each party that would refuse it falls
 * short.
 */
export interface WhatItTakes {
  readonly maxReservation: Readonly<Record<string, number>>
  readonly individuallyRational: boolean
  readonly shortBy: Readonly<Record<string, number>>
}

/** {@link WhatItTakes} of one point against the analysis' reservation values. */
export const whatItTakes = (a: Analysis, point: AnalysisPoint): WhatItTakes => {
  const maxReservation: Record<string, number> = {}
  const shortBy: Record<string, number> = {}
  for (const p of a.parties) {
    const u = point.utilities[p] ?? 0
    maxReservation[p] = u
    const r = a.reservations[p] ?? 0
    if (u < r) shortBy[p] = r - u
  }
  return { maxReservation, individuallyRational: Object.keys(shortBy).length === 0, shortBy }
}

export const renderAnalysis = (
  a: Analysis,
  options: { readonly issues?: ReadonlyArray<Issue>; readonly maxFrontier?: number } = {},
): string => {
  const issues = options.issues
  const width = Math.max(8, ...a.parties.map((p) => p.length))
  const head = (name: string) => name.padEnd(18)
  const cols = (u: Readonly<Record<string, number>>) =>
    a.parties.map((p) => fmt(u[p] ?? Number.NaN).padStart(width)).join(" ")
  const lines: Array<string> = []
  if (a.approximate !== undefined) {
    lines.push(
      `Outcomes: ${a.outcomes.toPrecision(3)}, too many to enumerate: APPROXIMATE frontier and points, found by search (${a.approximate.evaluations} utility evaluations): ${a.approximate.method}`,
    )
    lines.push(`Pareto points found: ${a.paretoFrontier.length}`)
  } else
    lines.push(
      `Outcomes: ${a.outcomes}` +
        (a.excludedByRedLines > 0 ? ` (${a.excludedByRedLines} excluded by red lines)` : "") +
        `, Pareto points: ${a.paretoFrontier.length}, individually rational: ${a.individuallyRational}`,
    )
  lines.push(
    `Reservation values: ${a.parties.map((p) => `${p}=${fmt(a.reservations[p] ?? 0)}`).join(", ")}`,
  )
  lines.push(`Opposition (distance from the frontier to all-ones): ${fmt(a.opposition)}`)
  lines.push("")
  lines.push(`${head("")} ${a.parties.map((p) => p.padStart(width)).join(" ")}  terms`)
  const row = (name: string, p: AnalysisPoint | undefined) =>
    lines.push(
      p === undefined
        ? `${head(name)} (none: no individually rational outcome)`
        : `${head(name)} ${cols(p.utilities)}  ${termsText(issues, p.terms)}`,
    )
  row("Nash", a.nash)
  row("Kalai-Smorodinsky", a.kalaiSmorodinsky)
  row("Egalitarian", a.egalitarian)
  row("Max welfare", a.maxWelfare)
  if (a.ideal !== undefined) lines.push(`${head("Ideal")} ${cols(a.ideal)}`)
  lines.push("")
  const max = options.maxFrontier ?? 20
  lines.push(
    `Pareto frontier (${a.paretoFrontier.length} points; a party accepts a point while its reservation value is at most its utility there):`,
  )
  for (const e of a.paretoFrontier.slice(0, max)) {
    const w = whatItTakes(a, e)
    const verdict = w.individuallyRational
      ? "rational now"
      : `would need ${Object.keys(w.shortBy)
          .map(
            (p) =>
              `${p}'s reservation <= ${fmt(w.maxReservation[p]!)} (now ${fmt(a.reservations[p] ?? 0)})`,
          )
          .join(", ")}`
    lines.push(`${head("")} ${cols(e.utilities)}  [${verdict}]  ${termsText(issues, e.terms)}`)
  }
  if (a.paretoFrontier.length > max)
    lines.push(`${head("")} ... ${a.paretoFrontier.length - max} more`)
  return lines.join("\n")
}
