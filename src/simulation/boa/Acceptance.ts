/**
 * Acceptance conditions (the A of BOA), as defined by Baarslag, Hindriks &
 * Jonker, "Effective acceptance conditions in multi-issue negotiation", Web
 * Intelligence and Agent Systems 12(1), 2014 (first in Baarslag, Hindriks &
 * Jonker, "Acceptance conditions in automated negotiation", ACAN workshop at
 * AAMAS 2011). With `u` the party's own utility, `x` the opponent's offer on
 * the table at time `t`:
 *
 * - `AC_next(α, β)`: `α · u(x) + β ≥ u(next own bid)`;
 * - `AC_prev(α, β)`: `α · u(x) + β ≥ u(own previous bid)`;
 * - `AC_const(c)`: `u(x) ≥ c`;
 * - `AC_time(T)`: `t ≥ T`;
 * - `AC_combi(T, MAX^W)`: `AC_next ∨ (t ≥ T ∧ u(x) ≥ max of u over the
 *   opponent's offers received in the window W)`, and `AC_combi(T, AVG^W)`
 *   with their average; the window is the time `[t − W, t]`, with `W = 1 − t`
 *   (as long as the time left) by default as in the paper.
 *
 * parley adds `AC_reservation` (accept what beats no deal now), `AC_deadline`
 * (on the last turn, accept what beats no deal) and the combinators `any`
 * (the first condition that fires names the rule) and `all`.
 *
 * Whatever the condition, `boaPlayer` only asks it about offers the party may
 * accept at all (`view.acceptable`: no red line crossed, utility at least the
 * reservation value); inside a BOA agent `AC_reservation` therefore accepts
 * every offer that reaches it, the most conceding condition (like
 * `AC_time(0)`), and is meant for composition with `all` / `any`.
 *
 * **Discounting.** `AC_next` and `AC_prev` compare undiscounted utilities by
 * default, as GENIUS's `AC_Next` and `AC_Previous` do (`getMyUndiscountedUtil`
 * of the opponent's last bid against that of its own next or previous bid).
 * With `discounted: true` they take parley's former reading, each utility
 * discounted to the moment it would be realised:
 *
 * - the offer on the table: now (`turn.time`, `turn.round`);
 * - its own next bid (AC_next): at its next turn (`session.paced.next`, its
 *   own clock's pace, `round + 1`), the earliest it could be agreed;
 * - its own previous bid (AC_prev): at its next turn too, since the paper uses
 *   it as a stand-in for the next bid.
 *
 * The other conditions compare discounted utilities (parley's reading):
 *
 * - the opponent's offers in the window (AC_combi): at its next turn, the
 *   earliest a further offer like them could be accepted (the window predicts
 *   what waiting brings);
 * - the reservation value (AC_reservation, AC_deadline): now, as walking out
 *   now (or the deadline, on the last turn) realises it; the factor is common
 *   to both sides, so this is `u(x) ≥ r` (within rounding).
 *
 * `α` and `β` apply to the discounted utility of the offer. `AC_const(c)` and
 * `AC_time(T)` compare undiscounted by definition: `c` is an absolute
 * threshold on the undiscounted utility, and `AC_time` looks at the clock
 * only. Without discounting every comparison is the paper's.
 *
 * Other interpretations written down:
 * - `AC_next` with nothing left to bid above its floor (the offering strategy
 *   has no next bid) accepts: any acceptable offer beats walking out. `AC_combi`
 *   inherits this through its AC_next part (with `α = 1`, `β = 0`, the paper's).
 * - `AC_prev` never fires before the party has bid (its public offers from the
 *   scripted timeline count as bids).
 * - The AC_combi window holds the received offers whose `time` lies in
 *   `[t − W, t]` (both ends included), the offer on the table among them:
 *   for the maximum, `u(x) ≥ max` is then `u(x) ≥` the best earlier offer in
 *   the window; for the average, `u(x) ≥ mean` with `x` included is the same
 *   as `u(x) ≥` the mean of the others. Offers from the scripted timeline
 *   count at time 0. The condition's rule name is the `AC_combi` one whichever
 *   of its two parts fired.
 * - `all` names the rule `all(r1, r2, ...)` from the rules its conditions
 *   returned; `any` names the rule of the first condition that fired.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import { infoOf, type KindEntry, type KindSpec, makerOf, membersOf } from "../Kinds.ts"
import type { PartyView, StrategyInfo, Turn } from "../Strategy.ts"
import type { Acceptance, AcceptanceKind, Bid, Session } from "./Boa.ts"

/** The discount factor now (the offer on the table is realised now). */
const factorNow = (view: PartyView, turn: Turn): number => view.discountAt(turn)

/** The discount factor at its next turn (where its own next bid, or a later offer, is realised). */
const factorNext = (view: PartyView, turn: Turn, session: Session): number =>
  view.discountAt({ time: Math.min(1, session.paced.next), round: turn.round + 1 })

const plain = (name: string, alpha: number, beta: number): string =>
  alpha === 1 && beta === 0 ? name : `${name}(${alpha}, ${beta})`

/**
 * AC_next(α, β): accept when `α · u(offer) + β >= u(next bid)`, the opponent's
 * offer scaled and shifted is worth at least what it would bid next (Baarslag
 * et al. 2014, section 3), on undiscounted utilities as GENIUS's `AC_Next`;
 * with `discounted`, each utility discounted to the moment it would be
 * realised (the offer now, its next bid at its next turn). With nothing left
 * to bid above its floor it accepts (any acceptable offer beats walking out).
 */
export const acNext = (alpha: number, beta: number, discounted = false): AcceptanceKind => {
  const rule = plain("AC_next", alpha, beta)
  return {
    name: rule,
    init: (view) => ({
      accepts: ({ turn, offer, next, session }) =>
        next === undefined ||
        (discounted
          ? alpha * offer.utility * factorNow(view, turn) + beta >=
            next.utility * factorNext(view, turn, session)
          : alpha * offer.utility + beta >= next.utility)
          ? rule
          : undefined,
    }),
  }
}

/**
 * AC_prev(α, β): accept when `α · u(offer) + β >= u(own previous bid)`
 * (`history.sent.at(-1)`); never before it has bid. Undiscounted as GENIUS's
 * `AC_Previous`; with `discounted`, the previous bid stands for the next one,
 * so it is discounted to its next turn.
 */
export const acPrev = (alpha: number, beta: number, discounted = false): AcceptanceKind => {
  const rule = plain("AC_prev", alpha, beta)
  return {
    name: rule,
    init: (view) => ({
      accepts: ({ turn, offer, session }) => {
        const previous = session.history.sent.at(-1)
        if (previous === undefined) return undefined
        return (
          discounted
            ? alpha * offer.utility * factorNow(view, turn) + beta >=
              previous.utility * factorNext(view, turn, session)
            : alpha * offer.utility + beta >= previous.utility
        )
          ? rule
          : undefined
      },
    }),
  }
}

/** AC_const(c): accept when the undiscounted `u(offer) >= c`. */
export const acConst = (c: number): AcceptanceKind => {
  const rule = `AC_const(${c})`
  return {
    name: rule,
    init: () => ({ accepts: ({ offer }) => (offer.utility >= c ? rule : undefined) }),
  }
}

/** AC_time(T): accept any (acceptable) offer once normalised time `t >= T`. */
export const acTime = (T: number): AcceptanceKind => {
  const rule = `AC_time(${T})`
  return {
    name: rule,
    init: () => ({ accepts: ({ turn }) => (turn.time >= T ? rule : undefined) }),
  }
}

/** What AC_combi compares the offer with: the best or the mean of the window. */
export type WindowStatistic = "max" | "avg"

/**
 * The maximum and the mean of the received utilities in a time window whose
 * lower end never moves back: a monotonic queue of positions for the maximum
 * and prefix sums for the mean, so a whole run costs O(received offers).
 * Restarts when asked about another history or an earlier window.
 */
const windowOver = () => {
  let source: ReadonlyArray<Bid> | undefined
  let prefix: Array<number> = [0]
  let queue: Array<number> = []
  let head = 0
  let lo = 0
  let lastFrom = Number.NEGATIVE_INFINITY
  return (
    received: ReadonlyArray<Bid>,
    from: number,
  ): { readonly max: number; readonly avg: number; readonly count: number } => {
    if (received !== source || received.length < prefix.length - 1 || from < lastFrom) {
      source = received
      prefix = [0]
      queue = []
      head = 0
      lo = 0
    }
    lastFrom = from
    for (let i = prefix.length - 1; i < received.length; i++) {
      const u = received[i]!.utility
      prefix.push(prefix[i]! + u)
      while (queue.length > head && received[queue[queue.length - 1]!]!.utility <= u) queue.pop()
      queue.push(i)
    }
    while (lo < received.length && received[lo]!.time < from) lo++
    while (head < queue.length && queue[head]! < lo) head++
    const count = received.length - lo
    if (count === 0) return { max: Number.NEGATIVE_INFINITY, avg: Number.NEGATIVE_INFINITY, count }
    return {
      max: received[queue[head]!]!.utility,
      avg: (prefix[received.length]! - prefix[lo]!) / count,
      count,
    }
  }
}

/**
 * AC_combi(T, MAX^W) / AC_combi(T, AVG^W): AC_next (α = 1, β = 0), or, once
 * `t >= T`, an offer worth at least the best (`max`) or the mean (`avg`)
 * utility of the opponent's offers received in the time window `[t − W, t]`
 * (`W` default `1 − t`, the time left, as in the paper).
 */
export const acCombi = (
  T: number,
  statistic: WindowStatistic,
  W?: number | undefined,
): AcceptanceKind => {
  const rule = `AC_combi(${T}, ${statistic === "max" ? "MAX" : "AVG"}^${W ?? "W"})`
  const next = acNext(1, 0)
  return {
    name: rule,
    init: (view) => {
      const onNext = next.init(view)
      const window = windowOver()
      return {
        accepts: (input) => {
          if (onNext.accepts(input) !== undefined) return rule
          const { turn, offer, session } = input
          if (turn.time < T) return undefined
          const span = W ?? 1 - turn.time
          const stats = window(session.history.received, turn.time - span)
          if (stats.count === 0) return rule
          const expected = statistic === "max" ? stats.max : stats.avg
          return offer.utility * factorNow(view, turn) >= expected * factorNext(view, turn, session)
            ? rule
            : undefined
        },
      }
    },
  }
}

/** Whether the offer, discounted to now, is worth at least the reservation value discounted to now. */
const beatsNoDeal = (view: PartyView, turn: Turn, offer: Bid): boolean => {
  const d = factorNow(view, turn)
  return offer.utility * d >= view.reservation * d
}

/** AC_reservation: accept an offer that beats no deal now (discounted utility at least the discounted reservation value). */
export const acReservation: AcceptanceKind = {
  name: "AC_reservation",
  init: (view) => ({
    accepts: ({ turn, offer }) => (beatsNoDeal(view, turn, offer) ? "AC_reservation" : undefined),
  }),
}

/**
 * AC_deadline: on its last turn (`session.paced.last`: shown by the turn, or
 * estimated from its own clock when the deadline is hidden), accept an offer
 * that beats no deal (discounted utility at least the discounted reservation
 * value).
 */
export const acDeadline: AcceptanceKind = {
  name: "AC_deadline",
  init: (view) => ({
    accepts: ({ turn, offer, session }) =>
      session.paced.last && beatsNoDeal(view, turn, offer) ? "AC_deadline" : undefined,
  }),
}

/** `any(...)`: the first of its conditions that fires (its rule names the acceptance). */
export const anyOf = (conditions: ReadonlyArray<AcceptanceKind>): AcceptanceKind => ({
  name: `any(${conditions.map((c) => c.name).join(", ")})`,
  init: (view) => {
    const parts: ReadonlyArray<Acceptance> = conditions.map((c) => c.init(view))
    return {
      accepts: (input) => {
        for (const p of parts) {
          const rule = p.accepts(input)
          if (rule !== undefined) return rule
        }
        return undefined
      },
    }
  },
})

/** `all(...)`: accepts when every one of its conditions fires; the rule lists theirs. */
export const allOf = (conditions: ReadonlyArray<AcceptanceKind>): AcceptanceKind => ({
  name: `all(${conditions.map((c) => c.name).join(", ")})`,
  init: (view) => {
    const parts: ReadonlyArray<Acceptance> = conditions.map((c) => c.init(view))
    return {
      accepts: (input) => {
        const rules: Array<string> = []
        for (const p of parts) {
          const rule = p.accepts(input)
          if (rule === undefined) return undefined
          rules.push(rule)
        }
        return `all(${rules.join(", ")})`
      },
    }
  },
})

// ---------------------------------------------------------------------------
// Specs

const Finite = Schema.Number.pipe(Schema.finite())
const NonNegative = Finite.pipe(Schema.nonNegative())
const Unit = Finite.pipe(Schema.between(0, 1))

const Alpha = NonNegative.annotations({
  description: "α ≥ 0: how much the opponent's offer is scaled by before comparing (default 1)",
})
const Beta = Finite.annotations({
  description: "β: how much is added to the scaled offer before comparing (default 0)",
})
const Threshold = Unit.annotations({
  description: "T in [0, 1]: the normalised time from which the condition may fire",
})
const Window = Unit.annotations({
  description:
    "W in [0, 1]: the window of time before now whose received offers count (default: the time left, 1 − t)",
})

const Discounted = Schema.optionalWith(
  Schema.Boolean.annotations({
    description:
      "compare utilities discounted to when each is realised (parley's former reading); default false, undiscounted as GENIUS",
  }),
  { default: () => false },
)

/** AC_next(α, β) as a spec. */
export const AcNextSpec = Schema.Struct({
  kind: Schema.Literal("next"),
  alpha: Schema.optionalWith(Alpha, { default: () => 1 }),
  beta: Schema.optionalWith(Beta, { default: () => 0 }),
  discounted: Discounted,
})
/** AC_prev(α, β) as a spec. */
export const AcPrevSpec = Schema.Struct({
  kind: Schema.Literal("prev"),
  alpha: Schema.optionalWith(Alpha, { default: () => 1 }),
  beta: Schema.optionalWith(Beta, { default: () => 0 }),
  discounted: Discounted,
})
/** AC_const(c) as a spec. */
export const AcConstSpec = Schema.Struct({
  kind: Schema.Literal("const"),
  c: Unit.annotations({
    description: "c in [0, 1]: the undiscounted utility an offer must reach",
  }),
})
/** AC_time(T) as a spec. */
export const AcTimeSpec = Schema.Struct({ kind: Schema.Literal("time"), T: Threshold })
/** AC_combi(T, MAX^W) as a spec. */
export const AcCombiMaxSpec = Schema.Struct({
  kind: Schema.Literal("combi-max"),
  T: Threshold,
  W: Schema.optionalWith(Window, { exact: true }),
})
/** AC_combi(T, AVG^W) as a spec. */
export const AcCombiAvgSpec = Schema.Struct({
  kind: Schema.Literal("combi-avg"),
  T: Threshold,
  W: Schema.optionalWith(Window, { exact: true }),
})
/** AC_reservation as a spec. */
export const AcReservationSpec = Schema.Struct({ kind: Schema.Literal("reservation") })
/** AC_deadline as a spec. */
export const AcDeadlineSpec = Schema.Struct({ kind: Schema.Literal("deadline") })

type Leaf =
  | typeof AcNextSpec
  | typeof AcPrevSpec
  | typeof AcConstSpec
  | typeof AcTimeSpec
  | typeof AcCombiMaxSpec
  | typeof AcCombiAvgSpec
  | typeof AcReservationSpec
  | typeof AcDeadlineSpec

/** An acceptance condition as a scenario file writes it, decoded (defaults filled in). */
export type AcceptanceSpec =
  | Leaf["Type"]
  | { readonly kind: "any"; readonly of: ReadonlyArray<AcceptanceSpec> }
  | { readonly kind: "all"; readonly of: ReadonlyArray<AcceptanceSpec> }

/** The file form of {@link AcceptanceSpec}: defaults may be omitted. */
export type AcceptanceSpecEncoded =
  | Leaf["Encoded"]
  | { readonly kind: "any"; readonly of: ReadonlyArray<AcceptanceSpecEncoded> }
  | { readonly kind: "all"; readonly of: ReadonlyArray<AcceptanceSpecEncoded> }

const Conditions = Schema.Array(
  Schema.suspend((): Schema.Schema<AcceptanceSpec, AcceptanceSpecEncoded> => AcceptanceSpec),
)
  .pipe(Schema.minItems(1))
  .annotations({ description: "the acceptance conditions combined (at least one)" })

/** `any`: the first of `of` that fires. */
export const AcAnySpec = Schema.Struct({ kind: Schema.Literal("any"), of: Conditions })
/** `all`: every one of `of` fires. */
export const AcAllSpec = Schema.Struct({ kind: Schema.Literal("all"), of: Conditions })

const PAPER =
  "Baarslag, Hindriks & Jonker, Effective acceptance conditions in multi-issue negotiation, Web Intelligence and Agent Systems 12(1), 2014"

/** An acceptance condition's registration. */
const acceptanceEntry = <Spec extends KindSpec>(entry: KindEntry<Spec, AcceptanceKind>) => entry

/**
 * Every acceptance condition a `boa` agent can name, in the order the
 * listing shows them: the union {@link AcceptanceSpec}, {@link makeAcceptance}
 * and the listing's entries are derived from it. A new condition: its spec
 * above (and in `Leaf`), its entry here, its test.
 */
export const acceptanceConditions = [
  acceptanceEntry({
    spec: AcNextSpec,
    make: (spec) => acNext(spec.alpha, spec.beta, spec.discounted),
    summary: "AC_next(α, β): accept when α·u(offer) + β ≥ u(its next bid)",
    reference: PAPER,
  }),
  acceptanceEntry({
    spec: AcPrevSpec,
    make: (spec) => acPrev(spec.alpha, spec.beta, spec.discounted),
    summary: "AC_prev(α, β): accept when α·u(offer) + β ≥ u(its previous bid)",
    reference: PAPER,
  }),
  acceptanceEntry({
    spec: AcConstSpec,
    make: (spec) => acConst(spec.c),
    summary: "AC_const(c): accept when u(offer) ≥ c (undiscounted)",
    reference: PAPER,
  }),
  acceptanceEntry({
    spec: AcTimeSpec,
    make: (spec) => acTime(spec.T),
    summary: "AC_time(T): accept any acceptable offer from time T",
    reference: PAPER,
  }),
  acceptanceEntry({
    spec: AcCombiMaxSpec,
    make: (spec) => acCombi(spec.T, "max", spec.W),
    summary:
      "AC_combi(T, MAX^W): AC_next, or from time T an offer at least the best received in the last W (default 1 − t)",
    reference: PAPER,
  }),
  acceptanceEntry({
    spec: AcCombiAvgSpec,
    make: (spec) => acCombi(spec.T, "avg", spec.W),
    summary:
      "AC_combi(T, AVG^W): AC_next, or from time T an offer at least the mean received in the last W (default 1 − t)",
    reference: PAPER,
  }),
  acceptanceEntry({
    spec: AcReservationSpec,
    make: () => acReservation,
    summary: "AC_reservation: accept an offer that beats no deal now (discounted)",
    reference: `parley; the reservation value as in ${PAPER}`,
  }),
  acceptanceEntry({
    spec: AcDeadlineSpec,
    make: () => acDeadline,
    summary: "AC_deadline: on its last turn, accept an offer that beats no deal (discounted)",
    reference: `parley; accepting at the deadline as discussed in ${PAPER}`,
  }),
  acceptanceEntry({
    spec: AcAnySpec,
    make: (spec) => anyOf(spec.of.map(makeAcceptance)),
    summary: "any(of): the first of its conditions that fires names the rule",
    reference: `parley; combinations as in ${PAPER}`,
  }),
  acceptanceEntry({
    spec: AcAllSpec,
    make: (spec) => allOf(spec.of.map(makeAcceptance)),
    summary: "all(of): accepts when every one of its conditions fires",
    reference: `parley; combinations as in ${PAPER}`,
  }),
] as const

/** Every acceptance spec member, for the strategies listing. */
export const acceptanceMembers = membersOf(acceptanceConditions)

/**
 * Every acceptance condition a spec can name, discriminated by `kind`:
 *
 * ```json
 * { "kind": "next", "alpha": 1.02 }
 * { "kind": "combi-max", "T": 0.99 }
 * { "kind": "any", "of": [{ "kind": "const", "c": 0.8 }, { "kind": "deadline" }] }
 * ```
 */
export const AcceptanceSpec: Schema.Schema<AcceptanceSpec, AcceptanceSpecEncoded> = Schema.Union(
  ...acceptanceMembers,
).annotations({ identifier: "AcceptanceSpec" })

/** Decodes an acceptance spec (JSON-shaped input) with its defaults, as an `Either`. */
export const decodeAcceptanceSpec = Schema.decodeUnknownEither(AcceptanceSpec, {
  onExcessProperty: "error",
})

/** The acceptance condition of a decoded spec, by its kind's entry. */
export const makeAcceptance: (spec: AcceptanceSpec) => AcceptanceKind =
  makerOf(acceptanceConditions)

/** What the strategies listing shows of each acceptance condition. */
export const acceptanceInfo: ReadonlyArray<StrategyInfo> = infoOf(acceptanceConditions)
