/**
 * (One file, over 500 lines, on purpose: the family's members share their
 * reciprocation and differ in a few lines each, which read best together.)
 *
 * The tit-for-tat family: strategies that reciprocate the opponent's moves.
 *
 * 1. **`tit-for-tat`**: imitation in own-utility terms, after Faratin, Sierra &
 *    Jennings' imitative tactics: it opens with its best outcome, then moves
 *    its target utility as the opponent's offers move in its own utility.
 *    - `absolute`: `target' = target - (u(o_n) - u(o_{n-w})) / w`, where `o_n`
 *      is the latest offer received and `w` the window: it concedes per step
 *      as much as the opponent conceded per step over the last `w` steps (and
 *      hardens as much when the opponent retracts).
 *    - `relative`: `target' = target * (u(o_{n-w}) / u(o_n))^(1/w)`: the same
 *      concession in percentage terms.
 *
 *    The target stays within `[max(min, reservation), best utility]`; bids are
 *    chosen at or just above it and offers accepted by AC_next.
 *
 * 2. **`naive-tit-for-tat`**: the naive tit-for-tat of NegMAS
 *    (`NaiveTitForTatNegotiator`; Y. Mohammad, S. Nakadai & A. Greenwald,
 *    "NegMAS: a platform for automated negotiations", PRIMA 2020), re-derived
 *    from its description:
 *    it thinks only in its own utility (no opponent model, an implicit
 *    zero-sum assumption). When the opponent's latest offer is worth
 *    `c = u(o_n) - u(o_{n-1}) > 0` more to it than the one before, it lowers
 *    its own level by `c + kindness * c` (a kind agent concedes a little more
 *    than it received); a retraction is not answered (`alwaysConcede`, the
 *    default) or answered by hardening as much. Before it can measure any
 *    concession (fewer than two offers from the opponent) it makes an
 *    `initialConcession` from its best outcome, so that two tit-for-tat agents
 *    waiting for each other do not deadlock. With `step` (the default) each
 *    new bid is also at least one utility level below its previous one, as
 *    NegMAS bids "the outcome just below" its level: it keeps moving when the
 *    opponent's concessions do not show in its own utility (in a non-zero-sum
 *    domain a concession in the opponent's utility may be worth nothing to
 *    it). It bids at or just above its level (never below its reservation
 *    value) and accepts by AC_next.
 *
 *    Interpretations (ours): its level is a target utility that accumulates
 *    the reciprocated concessions (not the utility of the outcome it bid, so
 *    that small concessions add up on a coarse outcome space); the initial
 *    concession is a fraction of the range from its best utility to its floor
 *    (NegMAS's is a fraction of the best utility, or one outcome down); its
 *    `kindness` defaults to 0.1 (NegMAS's to 0) so that it concedes a little
 *    more than it receives.
 *
 * 3. **`imitative`**: the behaviour-dependent (imitative) tactics of P.
 *    Faratin, C. Sierra & N. R. Jennings, "Negotiation decision functions for
 *    autonomous agents", Robotics and Autonomous Systems 24(3-4), 1998,
 *    section 4.3, applied PER ISSUE `j` to the opponent's values `o_k[j]`
 *    (`o_k` its latest offer, `o_{k-1}` the one before, ...; in the paper's
 *    notation `o_k = x^{t_n}_{b→a}`, `o_{k-d} = x^{t_{n-2d}}_{b→a}`) and its
 *    own previous value `x[j]`, the result clamped to the issue's range:
 *    - relative tit-for-tat (step `δ`, `delta`): `x'[j] = o_{k-δ}[j] / o_{k-δ+1}[j] * x[j]`;
 *    - random absolute tit-for-tat (step `δ`, noise `M`):
 *      `x'[j] = x[j] + (o_{k-δ}[j] - o_{k-δ+1}[j]) + (-1)^s R(M)`, `s = 0` when its evaluation of issue `j` decreases with the value, 1
 *      when it increases (the noise is an extra concession), `R(M)` a seeded
 *      random amount in `[0, M]`;
 *    - averaged tit-for-tat (window `γ`, `window`): `x'[j] = o_{k-γ}[j] / o_k[j] * x[j]`.
 *
 *    It opens with its best outcome and repeats its previous offer until the
 *    opponent has made enough offers (`δ + 1`, resp. `γ + 1`), or when no new
 *    offer arrived. It accepts by AC_next (an offer worth at least the counter-
 *    offer it would make).
 *
 * Interpretations (ours, for the imitative tactics):
 *
 * - **Discrete issues** are given numbers by the party's OWN evaluation order:
 *   an option's value is its position `1..K` among the issue's options sorted
 *   by its own evaluation, worst first (ties in the issue's option order; the
 *   option order itself when it has no per-issue evaluation, e.g. custom
 *   preferences). The formula runs on these positions and the result is
 *   rounded to the nearest position.
 * - **Numeric issues** use their values as they are. The result is rounded to
 *   an integer for integer issues and to the nearest value of the outcome
 *   space's grid for real ones. Its own previous value `x[j]` is the value it
 *   intended (before rounding), so that concessions smaller than a grid step
 *   accumulate instead of being rounded away.
 * - A ratio whose denominator is 0 (or whose terms differ in sign) is
 *   undefined: that issue keeps its previous value.
 * - `R(M)`: the paper draws an integer in `[0, M]` in the issue's units; here
 *   `noise` is `M` as a fraction of the issue's range (one setting fits issues
 *   of any scale), drawn uniformly from `view.random`.
 * - **Never below its reservation value**: when the imitated offer crosses a
 *   red line or is worth less than its reservation value, it repeats its
 *   previous offer (and keeps its previous values).
 * - **Multilateral**: it imitates the party whose offer is on the table, from
 *   that party's own history of offers to it (likewise, `naive-tit-for-tat`
 *   reciprocates the concession of the party whose offer is on the table,
 *   measured between that party's two latest offers it received).
 *
 * One file: the three agents are one family, documented and compared
 * together above, and each is short enough to read beside the others.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { utilityTables } from "../../analysis/OutcomeSpace.ts"
import type { OfferId, PartyId } from "../../domain/Ids.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import { acNext } from "../boa/Acceptance.ts"
import { type Bid, boaPlayer, type OfferingKind, type Planned } from "../boa/Boa.ts"
import type { PartyView, Strategy, StrategyInfo } from "../Strategy.ts"
import { ladderPlayer } from "./Concession.ts"
import { strategyEntry } from "./Entry.ts"
import { ladderOf, rungAtOrAbove, termsOf } from "./Ladder.ts"
import { bidding, described, NonNegative, Unit } from "./Parameters.ts"

/**
 * Tit-for-tat (Faratin, Sierra & Jennings 1998, imitative tactics) in
 * own-utility terms: `absolute` (default) lowers its target by as much as the
 * opponent's offers rose in its own utility, per step averaged over the last
 * `window` steps; `relative` scales its target by the inverse ratio.
 * It starts at its best outcome and never goes below its reservation value.
 */
export const TitForTatSpec = Schema.Struct({
  kind: Schema.Literal("tit-for-tat"),
  mode: Schema.optionalWith(
    described(
      Schema.Literal("absolute", "relative"),
      "imitate the opponent's concession by difference (absolute) or ratio (relative)",
    ),
    { default: () => "absolute" as const },
  ),
  window: Schema.optionalWith(
    described(Schema.Int.pipe(Schema.positive()), "opponent steps averaged over"),
    { default: () => 1 },
  ),
  /** Lowest target utility (default: the reservation value). */
  min: Schema.optionalWith(
    described(Unit, "lowest target utility (default: its reservation value)"),
    {
      exact: true,
    },
  ),
  ...bidding,
})
export type TitForTatSpec = typeof TitForTatSpec.Type

const Window = Schema.Int.pipe(Schema.positive())

/** The tit-for-tat strategy of a spec (own-utility imitation). */
export const titForTat = (spec: TitForTatSpec): Strategy => ({
  name: `tit-for-tat(${spec.mode})`,
  init: (view) => {
    const ladder = ladderOf(view)
    const max = ladder.length > 0 ? ladder.utilities[0]! : 0
    const min = Math.max(spec.min ?? view.reservation, view.reservation)
    const w = spec.window
    const seen = new Float64Array(w + 1)
    let count = 0
    let last: OfferId | undefined
    let target = max
    return ladderPlayer(view, ladder, {
      target: (turn, u) => {
        const offer = turn.onTable
        if (offer === undefined || u === undefined || offer.offerId === last) return target
        last = offer.offerId
        seen[count % (w + 1)] = u
        count++
        if (count > w) {
          const now = seen[(count - 1) % (w + 1)]!
          const then = seen[(count - 1 - w) % (w + 1)]!
          if (spec.mode === "absolute") target -= (now - then) / w
          else if (now > 0 && then > 0) target *= (then / now) ** (1 / w)
          if (target > max) target = max
          if (target < min) target = min
        }
        return target
      },
      floor: min,
      tieBreak: spec.tieBreak,
      tolerance: spec.tolerance,
    })
  },
})

/** What `parley strategies` shows of `tit-for-tat`. */
export const titForTatInfo: StrategyInfo = {
  kind: "tit-for-tat",
  summary:
    "Tit-for-tat in own-utility terms: lowers (or raises) its target utility as much as the opponent's offers rose (or fell) in its own utility, absolutely or relatively, over a window",
  reference:
    'P. Faratin, C. Sierra & N. R. Jennings, "Negotiation decision functions for autonomous agents", Robotics and Autonomous Systems 24, 1998 (imitative tactics)',
}

// ---------------------------------------------------------------------------
// naive-tit-for-tat

/**
 * Naive tit-for-tat (NegMAS's `NaiveTitForTatNegotiator`, in own utility):
 * reciprocates each concession of the opponent, measured in its own utility,
 * plus `kindness` times it; makes an `initialConcession` before it can measure
 * one; never offers below its reservation value (nor `min`).
 */
export const NaiveTitForTatSpec = Schema.Struct({
  kind: Schema.Literal("naive-tit-for-tat"),
  kindness: Schema.optionalWith(
    Schema.Number.pipe(Schema.finite(), Schema.greaterThanOrEqualTo(-1)).annotations({
      description:
        "How much more than the opponent's concession it concedes, as a fraction of it: it lowers its level by (1 + kindness) * c for an opponent concession c (0: exact reciprocity; negative: less; default 0.1)",
    }),
    { default: () => 0.1 },
  ),
  initialConcession: Schema.optionalWith(
    Unit.annotations({
      description:
        "The concession it makes before it can measure the opponent's (fewer than two offers received), as a fraction of the range from its best utility to its floor (default 0.05)",
    }),
    { default: () => 0.05 },
  ),
  alwaysConcede: Schema.optionalWith(
    Schema.Boolean.annotations({
      description:
        "Ignore the opponent's retractions (true, default) or harden by as much as the opponent retracted (false)",
    }),
    { default: () => true },
  ),
  step: Schema.optionalWith(
    Schema.Boolean.annotations({
      description:
        "Whether each new bid goes at least one utility level below its previous bid, as NegMAS looks up the outcome just below its level (true, default: it never stalls when the opponent's concessions do not show in its own utility); false: pure reciprocity, which may deadlock",
    }),
    { default: () => true },
  ),
  min: Schema.optionalWith(
    Unit.annotations({
      description: "Lowest level it concedes to (default: the reservation value)",
    }),
    { exact: true },
  ),
  tieBreak: Schema.optionalWith(
    Schema.Literal("opponent", "random").annotations({
      description:
        "Among outcomes of about the same own utility: the one closest to the opponent's last offer (default) or a seeded random one",
    }),
    { default: () => "opponent" as const },
  ),
  tolerance: Schema.optionalWith(
    NonNegative.annotations({
      description: "Utility band above its level within which ties are broken (default 0.01)",
    }),
    { default: () => 0.01 },
  ),
})
export type NaiveTitForTatSpec = typeof NaiveTitForTatSpec.Type

/** What `parley strategies` shows of `naive-tit-for-tat`. */
export const naiveTitForTatInfo: StrategyInfo = {
  kind: "naive-tit-for-tat",
  summary:
    "Naive tit-for-tat in own utility: answers each opponent concession c (the rise of its offers in own utility) by conceding (1 + kindness) * c, with an initial concession so two tit-for-tat agents do not deadlock; accepts by AC_next",
  reference:
    'Y. Mohammad, S. Nakadai & A. Greenwald, "NegMAS: a platform for automated negotiations", PRIMA 2020 (NaiveTitForTatNegotiator); after P. Faratin, C. Sierra & N. R. Jennings, Robotics and Autonomous Systems 24, 1998',
}

/** The naive tit-for-tat strategy of a spec. */
export const naiveTitForTat = (spec: NaiveTitForTatSpec): Strategy => {
  const name = `naive-tit-for-tat(kindness=${spec.kindness})`
  return {
    name,
    init: (view) => {
      const ladder = ladderOf(view)
      const best = ladder.length > 0 ? ladder.utilities[0]! : 0
      const floor = Math.max(spec.min ?? view.reservation, view.reservation)
      const opening = best - spec.initialConcession * Math.max(0, best - floor)
      // the own utility of each opponent's latest offer received
      const lastFrom = new Map<PartyId, number>()
      let measured = false
      let proposed = false
      let lastOffer: OfferId | undefined
      let level = best
      return ladderPlayer(
        view,
        ladder,
        {
          target: (turn, u, session) => {
            const offer = turn.onTable
            if (offer !== undefined && u !== undefined && offer.offerId !== lastOffer) {
              lastOffer = offer.offerId
              const before = lastFrom.get(offer.by)
              lastFrom.set(offer.by, u)
              if (before !== undefined) {
                measured = true
                const c = u - before
                if (c > 0) level -= (1 + spec.kindness) * c
                else if (!spec.alwaysConcede) level -= c
              }
            }
            // the first bid is its best; until it can measure a concession it concedes initially
            if (proposed && !measured && level > opening) level = opening
            const previous = session.history.sent.at(-1)
            if (spec.step && proposed && previous !== undefined) {
              // at least the next utility level below its previous bid
              const below = rungAtOrAbove(ladder, previous.utility) + 1
              if (below < ladder.length && ladder.utilities[below]! < level)
                level = ladder.utilities[below]!
            }
            proposed = true
            if (level > best) level = best
            if (level < floor) level = floor
            return level
          },
          floor,
          tieBreak: spec.tieBreak,
          tolerance: spec.tolerance,
        },
        name,
      )
    },
  }
}

// ---------------------------------------------------------------------------
// imitative (Faratin, Sierra & Jennings 1998, per issue)

/** Which imitative tactic of Faratin, Sierra & Jennings (1998, section 4.3). */
export const ImitativeTactic = Schema.Literal("relative", "random-absolute", "averaged")
export type ImitativeTactic = typeof ImitativeTactic.Type

/**
 * The imitative (behaviour-dependent) tactics of Faratin, Sierra & Jennings
 * (1998), per issue: relative tit-for-tat, random absolute tit-for-tat
 * (with noise `R(M)`), averaged tit-for-tat (window γ).
 */
export const ImitativeSpec = Schema.Struct({
  kind: Schema.Literal("imitative"),
  tactic: Schema.optionalWith(
    ImitativeTactic.annotations({
      description:
        "relative (default): x' = o[k-δ]/o[k-δ+1] * x; random-absolute: x' = x + (o[k-δ] - o[k-δ+1]) ± R(M); averaged: x' = o[k-γ]/o[k] * x, per issue on the opponent's values o",
    }),
    { default: () => "relative" as const },
  ),
  delta: Schema.optionalWith(
    Window.annotations({
      description:
        "δ of relative and random-absolute tit-for-tat: it imitates the opponent's step of δ offers ago (default 1: its latest step)",
    }),
    { default: () => 1 },
  ),
  window: Schema.optionalWith(
    Window.annotations({
      description:
        "γ of averaged tit-for-tat: it imitates the opponent's change over its last γ steps (default 2)",
    }),
    { default: () => 2 },
  ),
  noise: Schema.optionalWith(
    Unit.annotations({
      description:
        "M of random absolute tit-for-tat, as a fraction of each issue's range: an extra concession drawn uniformly in [0, M] per issue (default 0.05)",
    }),
    { default: () => 0.05 },
  ),
})
export type ImitativeSpec = typeof ImitativeSpec.Type

/** What `parley strategies` shows of `imitative`. */
export const imitativeInfo: StrategyInfo = {
  kind: "imitative",
  summary:
    "Faratin-Sierra-Jennings imitative tactics per issue: relative, random absolute or averaged tit-for-tat on the opponent's values of each issue (discrete issues by own evaluation order), clamped to the issue's range; accepts by AC_next",
  reference:
    'P. Faratin, C. Sierra & N. R. Jennings, "Negotiation decision functions for autonomous agents", Robotics and Autonomous Systems 24, 1998, section 4.3',
}

/** How a party puts numbers on each issue's values (see the interpretations above). */
interface Coordinates {
  /** The number of a value of issue `i`. */
  readonly of: (i: number, value: TermValue) => number
  /** The value of issue `i` nearest to a number (already clamped to its range). */
  readonly value: (i: number, x: number) => TermValue
  /** Per issue, the range of numbers. */
  readonly low: Float64Array
  readonly high: Float64Array
  /** Per issue, -1 when its own evaluation increases with the number, +1 otherwise. */
  readonly noiseSign: Float64Array
}

const coordinatesOf = (view: PartyView): Coordinates => {
  const space = view.space
  const n = space.issues.length
  const tables = view.preferences === undefined ? undefined : utilityTables(space, view.preferences)
  const positions: Array<Map<TermValue, number> | undefined> = []
  const options: Array<ReadonlyArray<TermValue> | undefined> = []
  const low = new Float64Array(n)
  const high = new Float64Array(n)
  const noiseSign = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const issue = space.issues[i]!
    const vs = space.values[i]!
    const t = tables?.[i]
    if (issue.kind === "discrete") {
      // worst first by its own evaluation, ties in option order
      const order = vs.map((_, k) => k)
      if (t !== undefined) order.sort((a, b) => t[a]! - t[b]! || a - b)
      const map = new Map<TermValue, number>()
      order.forEach((k, p) => {
        map.set(vs[k]!, p + 1)
      })
      positions.push(map)
      options.push(order.map((k) => vs[k]!))
      low[i] = 1
      high[i] = vs.length
      noiseSign[i] = -1
    } else {
      positions.push(undefined)
      options.push(undefined)
      low[i] = issue.min
      high[i] = issue.max
      noiseSign[i] = t !== undefined && t[0]! > t[t.length - 1]! ? 1 : -1
    }
  }
  return {
    of: (i, value) => {
      const map = positions[i]
      if (map !== undefined) return map.get(value) ?? Number.NaN
      return typeof value === "number" ? value : Number.NaN
    },
    value: (i, x) => {
      const byPosition = options[i]
      if (byPosition !== undefined) return byPosition[Math.round(x) - 1]!
      const issue = space.issues[i]!
      if (issue.kind === "integer") return Math.round(x)
      // nearest grid value (values ascend)
      const vs = space.values[i]! as ReadonlyArray<number>
      let lo = 0
      let hi = vs.length - 1
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (vs[mid]! < x) lo = mid + 1
        else hi = mid
      }
      if (lo > 0 && x - vs[lo - 1]! <= vs[lo]! - x) return vs[lo - 1]!
      return vs[lo]!
    },
    low,
    high,
    noiseSign,
  }
}

/** The imitative tactic's next value of one issue, or NaN when undefined (keep the previous). */
export const imitate = (
  tactic: ImitativeTactic,
  history: ReadonlyArray<number>,
  previous: number,
  spec: { readonly delta: number; readonly window: number },
  noise: () => number,
): number => {
  const k = history.length - 1
  const ratio = (a: number, b: number) => (b === 0 || a * b < 0 ? Number.NaN : a / b)
  switch (tactic) {
    case "relative": {
      const d = spec.delta
      if (k < d) return Number.NaN
      return ratio(history[k - d]!, history[k - d + 1]!) * previous
    }
    case "random-absolute": {
      const d = spec.delta
      if (k < d) return Number.NaN
      return previous + (history[k - d]! - history[k - d + 1]!) + noise()
    }
    case "averaged": {
      const g = spec.window
      if (k < g) return Number.NaN
      return ratio(history[k - g]!, history[k]!) * previous
    }
  }
}

const imitativeOffering = (spec: ImitativeSpec): OfferingKind => ({
  name: `imitative(${spec.tactic})`,
  init: (view) => {
    const ladder = ladderOf(view)
    const space = view.space
    const n = space.issues.length
    const ids = space.issues.map((i) => i.id as string)
    const co = coordinatesOf(view)
    const histories = new Map<PartyId, Array<Array<number>>>()
    let read = 0
    let current: Planned | undefined
    let x = new Float64Array(n)
    const open = (): Planned | undefined => {
      if (ladder.length === 0 || ladder.utilities[0]! < view.reservation) return undefined
      const terms = termsOf(space, ladder.order[0]!)
      for (let i = 0; i < n; i++) x[i] = co.of(i, (terms as Record<string, TermValue>)[ids[i]!]!)
      return { terms, utility: ladder.utilities[0]! }
    }
    const record = (bid: Bid): void => {
      let h = histories.get(bid.by)
      if (h === undefined) {
        h = ids.map(() => [])
        histories.set(bid.by, h)
      }
      const t = bid.terms as Record<string, TermValue | undefined>
      for (let i = 0; i < n; i++) {
        const v = t[ids[i]!]
        h[i]!.push(v === undefined ? Number.NaN : co.of(i, v))
      }
    }
    return {
      next: (_turn, session) => {
        if (current === undefined) {
          current = open()
          read = session.history.received.length
          for (const b of session.history.received) record(b)
          return current
        }
        const received = session.history.received
        if (received.length === read) return current
        for (let r = read; r < received.length; r++) record(received[r]!)
        read = received.length
        const h = histories.get(received.at(-1)!.by)!
        const nx = new Float64Array(n)
        const terms: Record<string, TermValue> = {}
        for (let i = 0; i < n; i++) {
          const noise = () =>
            co.noiseSign[i]! * view.random() * spec.noise * (co.high[i]! - co.low[i]!)
          let v = imitate(spec.tactic, h[i]!, x[i]!, spec, noise)
          if (Number.isNaN(v)) v = x[i]!
          v = Math.min(co.high[i]!, Math.max(co.low[i]!, v))
          nx[i] = v
          terms[ids[i]!] = co.value(i, v)
        }
        const frozen = Object.freeze(terms) as Terms
        if (!view.acceptable(frozen)) return current
        x = nx
        current = { terms: frozen, utility: view.utility(frozen) }
        return current
      },
    }
  },
})

/** The imitative strategy of a spec (per-issue tactics of Faratin, Sierra & Jennings 1998). */
export const imitative = (spec: ImitativeSpec): Strategy => {
  const offering = imitativeOffering(spec)
  return {
    name: offering.name,
    init: (view) => boaPlayer(view, { offering, acceptance: acNext(1, 0) }),
  }
}

/** Its registration (see `Registry.ts`). */
export const titForTatEntry = strategyEntry({
  specs: [TitForTatSpec],
  make: titForTat,
  about: [titForTatInfo],
})

/** Its registration (see `Registry.ts`). */
export const naiveTitForTatEntry = strategyEntry({
  specs: [NaiveTitForTatSpec],
  make: naiveTitForTat,
  about: [naiveTitForTatInfo],
  docs: {
    reference: "NegMAS `NaiveTitForTatNegotiator` (read, not copied)",
    tested:
      "reciprocates concessions with kindness 0.1 and an initial concession of 0.05; agrees with a Conceder on all nine bilateral fixtures and on Dinner (3 parties)",
    interpreted:
      '`step`: each new bid at least one utility level below the last, as NegMAS bids "just below" its level',
  },
})

/** Its registration (see `Registry.ts`). */
export const imitativeEntry = strategyEntry({
  specs: [ImitativeSpec],
  make: imitative,
  about: [imitativeInfo],
  docs: {
    reference: "Faratin, Sierra & Jennings 1998, §4.3",
    tested:
      "relative, random-absolute and averaged tit-for-tat per issue: exact next values on numeric issues (Killer Robot)",
    interpreted:
      "discrete options ordered by its own evaluation; noise as a fraction of the issue's range",
  },
})
