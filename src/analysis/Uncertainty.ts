/**
 * Preference uncertainty (ANAC 2017-2019, GENIUS `utility_space
 * type="UNCERTAIN"`): a party's true utility is linear additive, but its
 * agent is given only a ranking of some bids; it is scored on the true
 * utility.
 *
 * - {@link parseGeniusUncertainty} reads the profile's extra elements
 *   (`comparisons`, `errors`, `elicitation_cost`, `fixed_seed`,
 *   `experimental`), with GENIUS's defaults (10, 10, 0, true, false);
 * - {@link geniusRanking} draws the ranking by GENIUS 10.4's rule
 *   (`ComparisonGenerator.generateRankingByAmount`): exactly `comparisons`
 *   bids, the worst and the best bid of the whole space (first in outcome
 *   order among ties) plus `comparisons - 2` others drawn without
 *   replacement, ordered worst to best; `lowUtility` / `highUtility` are the
 *   true minimum and maximum. GENIUS 9.1.10 instead draws `comparisons + 1`
 *   bids with no forced ends. The draw uses parley's seeded generator, not
 *   Java's, so the rule is GENIUS's but the bids are not the ones GENIUS
 *   would draw;
 * - {@link estimateFromRanking} is the linear program of Tsimpoukis,
 *   Baarslag, Kaisers & Paterakis ("Automated negotiations under user
 *   preference uncertainty: a linear programming approach", Agreement
 *   Technologies 2018, LNCS 11327): one non-negative utility per issue value
 *   and one slack per consecutive pair of the ranking; minimise the slacks
 *   subject to `u(better) - u(worse) + slack >= 0`, with the ranking's ends
 *   fixed at `highUtility` and `lowUtility` (which GENIUS 10.4 gives the
 *   agent);
 * - {@link estimateAccuracy} compares an estimate with the true utility over
 *   every outcome.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import type { Issue, Terms, TermValue } from "../domain/Issue.ts"
import { type Node, num, parseXml, utilitySpace } from "./GeniusXml.ts"
import { ImportFormatError } from "./ImportError.ts"
import {
  digitsAt,
  type OutcomeSpace,
  outcomeSpace,
  scanUtilities,
  termsAt,
} from "./OutcomeSpace.ts"
import { type PartyPreferences, utility } from "./Preferences.ts"
import { seededRandom } from "./Rng.ts"
import { solveLp } from "./Simplex.ts"

/** What a GENIUS uncertainty profile says beyond its (true) linear additive utility. */
export interface UncertaintySettings {
  /** Ranking size (GENIUS 10.4: exactly this many bids). */
  readonly comparisons: number
  /** Parsed, unused by GENIUS's ranking generator. */
  readonly errors: number
  /** Cost of one elicitation query, subtracted from the agent's score (GENIUS 10.4). */
  readonly elicitationCost: number
  /** GENIUS shuffles with seed 314 when true. */
  readonly fixedSeed: boolean
  /** When true GENIUS lets the agent read the true utilities. */
  readonly experimental: boolean
}

const text = (space: Node, name: string): string | undefined => {
  const v = space[name]
  return typeof v === "string" ? v.trim() : undefined
}

/**
 * The uncertainty settings of a GENIUS profile, or `undefined` when its
 * root's `type` is not `UNCERTAIN`. Errors name the file and the element.
 */
export const parseGeniusUncertainty = (
  xml: string,
  file: string,
): Either.Either<UncertaintySettings | undefined, ImportFormatError> =>
  Either.flatMap(parseXml(xml, file), (doc) => {
    const space = utilitySpace(doc)
    if (space === undefined || String(space["@type"] ?? "").toUpperCase() !== "UNCERTAIN")
      return Either.right(undefined)
    const number = (name: string, fallback: number, integer: boolean) => {
      const raw = text(space, name)
      if (raw === undefined) return Either.right(fallback)
      const x = num(raw)
      return x === undefined || x < 0 || (integer && !Number.isInteger(x))
        ? Either.left(
            new ImportFormatError({
              file,
              element: `utility_space/${name}`,
              detail: `not a non-negative ${integer ? "integer" : "number"}: ${JSON.stringify(raw)}`,
            }),
          )
        : Either.right(x)
    }
    const flag = (name: string, fallback: boolean) => {
      const raw = text(space, name)
      return raw === undefined ? fallback : raw.toLowerCase() === "true"
    }
    return Either.all({
      comparisons: number("comparisons", 10, true),
      errors: number("errors", 10, false),
      elicitationCost: number("elicitation_cost", 0, false),
    }).pipe(
      Either.map((n) => ({
        ...n,
        fixedSeed: flag("fixed_seed", true),
        experimental: flag("experimental", false),
      })),
    )
  })

/** A ranking of bids, worst first, with the true utilities of its two ends. */
export interface Ranking {
  /** Outcome indices in the space, worst to best. */
  readonly outcomes: ReadonlyArray<number>
  readonly lowUtility: number
  readonly highUtility: number
}

/** Every outcome's true utility (spaces GENIUS itself enumerates: refuses more than `limit`). */
const utilitiesOf = (space: OutcomeSpace, p: PartyPreferences): Float64Array => {
  const u = new Float64Array(space.size)
  scanUtilities(space, [p], (index, us) => {
    u[index] = us[0]!
  })
  return u
}

/** Which GENIUS version's ranking rule to follow. */
export type GeniusRankingRule = "10.4" | "9.1.10"

/**
 * The ranking GENIUS's rule gives a party (see the module notes), worst to
 * best by true utility, ties kept in outcome order: by default GENIUS 10.4's
 * (`comparisons` bids, at least 2, with the space's worst and best); with
 * `"9.1.10"`, `comparisons + 1` drawn bids and the true utilities of the
 * lowest and highest drawn.
 */
export const geniusRanking = (
  space: OutcomeSpace,
  p: PartyPreferences,
  comparisons: number,
  seed = 314,
  rule: GeniusRankingRule = "10.4",
): Ranking => {
  const u = utilitiesOf(space, p)
  if (rule === "9.1.10") {
    const all = Array.from({ length: u.length }, (_, k) => k)
    const take = Math.min(all.length, comparisons + 1)
    const rand = seededRandom(seed)
    for (let k = 0; k < take; k++) {
      const j = k + Math.floor(rand() * (all.length - k))
      const t = all[k]!
      all[k] = all[j]!
      all[j] = t
    }
    const drawn = all.slice(0, take).sort((a, b) => u[a]! - u[b]! || a - b)
    return {
      outcomes: drawn,
      lowUtility: u[drawn[0]!] ?? 0,
      highUtility: u[drawn[drawn.length - 1]!] ?? 0,
    }
  }
  let lo = 0
  let hi = 0
  for (let k = 1; k < u.length; k++) {
    if (u[k]! < u[lo]!) lo = k
    if (u[k]! > u[hi]!) hi = k
  }
  const rest: Array<number> = []
  for (let k = 0; k < u.length; k++) if (k !== lo && k !== hi) rest.push(k)
  const rand = seededRandom(seed)
  const take = Math.max(0, Math.min(rest.length, comparisons - 2))
  // partial Fisher-Yates: the first `take` entries are a uniform draw
  for (let k = 0; k < take; k++) {
    const j = k + Math.floor(rand() * (rest.length - k))
    const t = rest[k]!
    rest[k] = rest[j]!
    rest[j] = t
  }
  const middle = rest.slice(0, take).sort((a, b) => u[a]! - u[b]! || a - b)
  return { outcomes: [lo, ...middle, hi], lowUtility: u[lo]!, highUtility: u[hi]! }
}

/** A ranking after elicitation, and what it cost. */
export interface Elicited {
  readonly ranking: Ranking
  /** Total cost of the queries so far (GENIUS 10.4's "bother"), subtracted from the agent's score. */
  readonly bother: number
}

/**
 * GENIUS 10.4's elicitation (`User.elicitRank`): the bid `outcome` is inserted
 * into the ranking at its true place (before the first strictly better bid),
 * and `cost` is added to the bother; a bid already ranked changes nothing
 * and costs nothing, as in GENIUS.
 */
export const elicitRank = (
  space: OutcomeSpace,
  truth: PartyPreferences,
  current: Elicited,
  outcome: number,
  cost: number,
): Elicited => {
  const r = current.ranking.outcomes
  if (r.includes(outcome)) return current
  const bother = current.bother + cost
  const f = utility(truth, space.issues)
  const u = f(termsAt(space, outcome))
  let at = 0
  while (at < r.length && f(termsAt(space, r[at]!)) <= u) at++
  const outcomes = [...r.slice(0, at), outcome, ...r.slice(at)]
  return {
    ranking: {
      outcomes,
      lowUtility: Math.min(current.ranking.lowUtility, u),
      highUtility: Math.max(current.ranking.highUtility, u),
    },
    bother,
  }
}

/** A utility estimated from a ranking: one value per issue value, summed. */
export interface RankingEstimate {
  /** Per issue, the estimated contribution of each value (in the space's value order). */
  readonly tables: ReadonlyArray<Float64Array>
  /** Estimated utility of full terms (the sum of its values' entries, clamped to the ranking's ends). */
  readonly utility: (terms: Terms) => number
  /** The program's optimum: total slack (0 when the estimate orders the ranking exactly). */
  readonly slack: number
}

/** The linear program of Tsimpoukis et al. (2018) on a ranking (see the module notes). */
export const estimateFromRanking = (space: OutcomeSpace, ranking: Ranking): RankingEstimate => {
  const n = space.issues.length
  const offset: Array<number> = []
  let vars = 0
  for (let i = 0; i < n; i++) {
    offset.push(vars)
    vars += space.radix[i]!
  }
  const r = ranking.outcomes
  const pairs = r.length - 1
  // columns: phi (vars), slack z (pairs), surplus s (pairs)
  const cols = vars + 2 * pairs
  const digits = r.map((index) => digitsAt(space, index, new Int32Array(n)))
  const rows: Array<Float64Array> = []
  const b: Array<number> = []
  for (let k = 0; k < pairs; k++) {
    const row = new Float64Array(cols)
    for (let i = 0; i < n; i++) {
      row[offset[i]! + digits[k + 1]![i]!]! += 1
      row[offset[i]! + digits[k]![i]!]! -= 1
    }
    row[vars + k] = 1
    row[vars + pairs + k] = -1
    rows.push(row)
    b.push(0)
  }
  const fix = (d: Int32Array, value: number) => {
    const row = new Float64Array(cols)
    for (let i = 0; i < n; i++) row[offset[i]! + d[i]!] = 1
    rows.push(row)
    b.push(value)
  }
  fix(digits[r.length - 1]!, ranking.highUtility)
  if (r.length > 1) fix(digits[0]!, ranking.lowUtility)
  const c = new Float64Array(cols)
  for (let k = 0; k < pairs; k++) c[vars + k] = 1
  const solved = solveLp(rows, b, c)
  const x = solved.status === "optimal" ? solved.x : new Float64Array(cols)
  const tables = space.issues.map((_, i) => x.slice(offset[i]!, offset[i]! + space.radix[i]!))
  const ids = space.issues.map((i) => i.id as string)
  const index = space.values.map((vs) => new Map<TermValue, number>(vs.map((v, k) => [v, k])))
  return {
    tables,
    slack: solved.status === "optimal" ? solved.value : Number.NaN,
    utility: (terms) => {
      let u = 0
      for (let i = 0; i < n; i++) {
        const v = (terms as Record<string, TermValue | undefined>)[ids[i]!]
        const k = v === undefined ? undefined : index[i]!.get(v)
        if (k !== undefined) u += tables[i]![k]!
      }
      // the ranking's ends are the space's worst and best (GENIUS 10.4): no utility lies outside
      return Math.min(ranking.highUtility, Math.max(ranking.lowUtility, u))
    },
  }
}

/** How close an estimate is to the true utility over every outcome. */
export interface EstimateAccuracy {
  /** Mean absolute difference of utilities. */
  readonly meanAbsoluteError: number
  /** Pearson correlation of the utilities. */
  readonly pearson: number
  /** Spearman rank correlation (ties get their mean rank). */
  readonly spearman: number
}

const pearsonOf = (a: Float64Array, b: Float64Array): number => {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let k = 0; k < n; k++) {
    ma += a[k]!
    mb += b[k]!
  }
  ma /= n
  mb /= n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let k = 0; k < n; k++) {
    const x = a[k]! - ma
    const y = b[k]! - mb
    sab += x * y
    saa += x * x
    sbb += y * y
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0
}

const ranks = (a: Float64Array): Float64Array => {
  const order = Array.from(a.keys()).sort((x, y) => a[x]! - a[y]!)
  const out = new Float64Array(a.length)
  for (let k = 0; k < order.length; ) {
    let j = k
    while (j + 1 < order.length && Math.abs(a[order[j + 1]!]! - a[order[k]!]!) <= 1e-12) j++
    for (let t = k; t <= j; t++) out[order[t]!] = (k + j) / 2
    k = j + 1
  }
  return out
}

/** {@link EstimateAccuracy} of `estimate` against `truth` over every outcome of `space`. */
export const estimateAccuracy = (
  space: OutcomeSpace,
  truth: PartyPreferences,
  estimate: (terms: Terms) => number,
): EstimateAccuracy => {
  const t = utilitiesOf(space, truth)
  const e = new Float64Array(space.size)
  scanUtilities(space, [{ kind: "custom", utility: estimate }], (index, us) => {
    e[index] = us[0]!
  })
  let mae = 0
  for (let k = 0; k < t.length; k++) mae += Math.abs(t[k]! - e[k]!)
  return {
    meanAbsoluteError: mae / t.length,
    pearson: pearsonOf(t, e),
    spearman: pearsonOf(ranks(t), ranks(e)),
  }
}

/** The outcome space of `issues` (the small spaces uncertainty domains have), or why not. */
export const rankingSpace = (issues: ReadonlyArray<Issue>): Either.Either<OutcomeSpace, string> =>
  outcomeSpace(issues)
