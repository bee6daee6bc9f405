/**
 * Single-text mediators: a mediator party proposes one text at a time to
 * every principal, every principal answers every text (the
 * `every-addressee` rule) with accept or reject, a verdict against the
 * current text and a criticism (see `Judgement.ts`), and the mediator learns
 * from those answers, read from the log, which proposal to make next.
 *
 * Methods (`method` of the `mediator` strategy spec):
 * - `veto` — NegMAS `VetoSTMechanism` (Mohammad et al., NegMAS, 2019–): with
 *   the protocol's `settlement: "final-text"` (the ceasefire scenario sets it
 *   for `veto` and `hill-climbing`), the protocol holds the current text: a
 *   proposal every principal votes for (no one vetoes) replaces it, and the
 *   agreement is the current text put for agreement on the mediator's last
 *   turn (`protocols/Settlement.ts`). parley's veto mediator proposes, among
 *   texts it has not tried, the one its model expects every party to prefer
 *   to the current text (NegMAS draws proposals at random; parley's chooses
 *   them). Without `final-text` the talks end at the first text everyone
 *   accepts, which is not NegMAS's mechanism.
 * - `hill-climbing` — Klein, Faratin, Sayama & Bar-Yam, "Negotiating complex
 *   contracts", Group Decision and Negotiation 12(2), 2003; NegMAS
 *   `HillClimbingSTMechanism`: each proposal differs from the current text
 *   in one issue, by one step along the issue's order (declared options in
 *   order, numbers by their discretisation), so a middle option lies between
 *   the extremes; the veto rule decides what becomes current.
 * - `feedback` — Aydoğan, Hindriks & Jonker, "Multilateral mediated
 *   negotiation protocols with feedback", in Novel Insights in Agent-based
 *   Complex Automated Negotiation, Springer, 2014 (GENIUS
 *   `MediatorFeedbackBasedProtocol`): parties answer better / same / worse
 *   against the current text, the mediator keeps a partial preference model
 *   per party (per issue, which values are better than which) and proposes
 *   one-issue changes its model does not already know to be worse for
 *   someone.
 * - `raiffa` — parley's own method, after Raiffa, The Art and Science of
 *   Negotiation, Harvard UP 1982, ch. 14 (the single negotiating text of
 *   Camp David, 1978), which describes a practice, not an algorithm: what it
 *   takes from Raiffa is one text at a time, drafted by the mediator and
 *   revised from each side's criticism; how a draft is revised (one side's
 *   point, the other's, or both at once on different issues, ranked by the
 *   mediator's model) is parley's. Answers are judged against no agreement.
 *   With `postSettlement` (Raiffa 1985) the tentative agreement is then
 *   improved to the Pareto frontier (`protocols/Settlement.ts`).
 * - `cycle` — parley's earlier mediator (`Cycle.ts`), kept as a baseline
 *   only.
 *
 * Common to all (parley's reading of "a mediator that learns"):
 * - the model: per principal, per issue, a score for each value, started
 *   from the principal's public position (closeness to its stated demand,
 *   ordered options by their position in the list) and updated by every
 *   answer: a verdict credits the values that changed (or blames them),
 *   a criticism credits the value wanted and the values on the way to it and
 *   blames the value criticised; an acceptance credits the text's values;
 * - texts are ranked by the Nash product of the principals' model utilities
 *   (each normalised to [0, 1]), blended with the mediator's own utility by
 *   `bias` (its preferences in the scenario, when it has any);
 * - it never proposes a text it proposed before or saw rejected, nor one
 *   giving an issue a value some party said crosses its red line;
 * - when its method has no proposal left, it probes the best text its model
 *   still allows, and when no text is left it waits for the deadline.
 *
 * @since 0.3.0
 */
import { digitsAt, indexOf, type OutcomeSpace } from "../../analysis/OutcomeSpace.ts"
import type { OfferId, PartyId } from "../../domain/Ids.ts"
import type { Terms, TermValue } from "../../domain/Issue.ts"
import { findOffer, type Offer, offersInOrder, type State } from "../../domain/Negotiation.ts"
import type { Move, PartyView, Strategy } from "../Strategy.ts"
import { termsOf } from "../strategies/Ladder.ts"
import { mediationMethod } from "./Method.ts"
import { publicPosition } from "./Position.ts"

/** Beyond this many outcomes a mediator does not scan the whole space (it keeps to one-issue moves). */
const MAX_SCAN = 250_000

/** One text the mediator proposed, with its place in the space. */
export interface Text {
  readonly offer: Offer
  readonly index: number
}

/** What the mediator knows after reading the log. */
interface Learned {
  /** Per principal, per issue, per value index: the model's score. */
  readonly scores: ReadonlyArray<ReadonlyArray<Float64Array>>
  /** Per issue, per value index: 1 when some party said the value crosses its red line. */
  readonly forbidden: ReadonlyArray<Uint8Array>
  /** Outcome indices proposed by the mediator or rejected by anyone. */
  readonly tried: ReadonlySet<number>
  /** The mediator's texts, in order. */
  readonly texts: ReadonlyArray<Text>
}

const valueIndex = (space: OutcomeSpace, issue: number, value: TermValue | undefined): number =>
  value === undefined ? -1 : space.values[issue]!.indexOf(value)

/** Closeness of value `k` of issue `i` to a demanded value, in [0, 1] (ordered by position or magnitude). */
const closeness = (space: OutcomeSpace, i: number, k: number, demand: TermValue): number => {
  const issue = space.issues[i]!
  const values = space.values[i]!
  const v = values[k]!
  if (issue.kind !== "discrete" && typeof v === "number" && typeof demand === "number")
    return Math.max(
      0,
      1 - Math.abs(v - demand) / (issue.max > issue.min ? issue.max - issue.min : 1),
    )
  const d = values.indexOf(demand)
  if (d < 0) return 0
  return values.length > 1 ? 1 - Math.abs(k - d) / (values.length - 1) : 1
}

/** Reads everything the mediator may learn from the public state. */
const learn = (
  state: State,
  space: OutcomeSpace,
  me: PartyId,
  principals: ReadonlyArray<PartyId>,
): Learned => {
  const n = space.issues.length
  const scores = principals.map((p) => {
    const s = space.values.map((vs) => new Float64Array(vs.length))
    const position = publicPosition(state, p) as Record<string, TermValue | undefined>
    for (let i = 0; i < n; i++) {
      const demand = position[space.issues[i]!.id]
      if (demand === undefined) continue
      for (let k = 0; k < s[i]!.length; k++) s[i]![k] = closeness(space, i, k, demand)
    }
    return s
  })
  const forbidden = space.values.map((vs) => new Uint8Array(vs.length))
  const tried = new Set<number>()
  const texts: Array<Text> = []
  const digitsOf = (terms: Terms) =>
    space.issues.map((issue, i) =>
      valueIndex(space, i, (terms as Record<string, TermValue>)[issue.id]),
    )
  for (const offer of offersInOrder(state)) {
    const index = indexOf(space, offer.terms)
    if (index < 0) continue
    if (offer.by === me) {
      texts.push({ offer, index })
      tried.add(index)
    } else if (offer.status === "rejected") tried.add(index)
    if (offer.responses.length === 0) continue
    const here = digitsOf(offer.terms)
    const current =
      offer.currentText === undefined ? undefined : findOffer(state, offer.currentText)
    const there = current === undefined ? undefined : digitsOf(current.terms)
    for (const r of offer.responses) {
      const j = principals.indexOf(r.by)
      if (j < 0 || r.provenance.status !== "official") continue
      const s = scores[j]!
      const sign = r.verdict === "better" ? 1 : r.verdict === "worse" ? -1 : 0
      if (sign !== 0 && there !== undefined) {
        const changed: Array<number> = []
        for (let i = 0; i < n; i++) if (here[i] !== there[i]) changed.push(i)
        for (const i of changed) {
          s[i]![here[i]!]! += sign / changed.length
          s[i]![there[i]!]! -= sign / changed.length
        }
      } else if (sign !== 0) for (let i = 0; i < n; i++) s[i]![here[i]!]! += (0.5 * sign) / n
      if (r.answer === "accepted") for (let i = 0; i < n; i++) s[i]![here[i]!]! += 0.25 / n
      for (const point of r.criticism ?? []) {
        const i = space.issues.findIndex((issue) => issue.id === point.issue)
        if (i < 0) continue
        const want = valueIndex(space, i, point.toward)
        const was = here[i]!
        if (want < 0) continue
        s[i]![want]! += 1
        s[i]![was]! -= 0.5
        for (let k = Math.min(want, was) + 1; k < Math.max(want, was); k++) s[i]![k]! += 0.5
        if (point.redLine === true) forbidden[i]![was] = 1
      }
    }
  }
  return { scores, forbidden, tried, texts }
}

/** The mediator's evaluation of outcomes under what it has learned. */
const evaluator = (space: OutcomeSpace, learned: Learned, view: PartyView, bias: number) => {
  const n = space.issues.length
  const bounds = learned.scores.map((s) => {
    let lo = 0
    let hi = 0
    for (const row of s) {
      let min = Number.POSITIVE_INFINITY
      let max = Number.NEGATIVE_INFINITY
      for (const x of row) {
        if (x < min) min = x
        if (x > max) max = x
      }
      lo += min
      hi += max
    }
    return { lo, hi }
  })
  const digits = new Int32Array(n)
  /** Each principal's model utility of an outcome, in [0, 1]. */
  const estimates = (index: number): Float64Array => {
    digitsAt(space, index, digits)
    const out = new Float64Array(learned.scores.length)
    for (let j = 0; j < learned.scores.length; j++) {
      const s = learned.scores[j]!
      let u = 0
      for (let i = 0; i < n; i++) u += s[i]![digits[i]!]!
      const { lo, hi } = bounds[j]!
      out[j] = hi > lo ? (u - lo) / (hi - lo) : 0.5
    }
    return out
  }
  const rank = (index: number): number => {
    let product = 1
    for (const u of estimates(index)) product *= u + 0.05
    return bias === 0 ? product : (1 - bias) * product + bias * view.utility(termsOf(space, index))
  }
  const admissible = (index: number): boolean => {
    if (learned.tried.has(index)) return false
    digitsAt(space, index, digits)
    for (let i = 0; i < n; i++) if (learned.forbidden[i]![digits[i]!] === 1) return false
    return true
  }
  const crossesRedLine = (index: number): boolean => {
    digitsAt(space, index, digits)
    for (let i = 0; i < n; i++) if (learned.forbidden[i]![digits[i]!] === 1) return true
    return false
  }
  /** Whether the model expects every principal to prefer `index` to `current`. */
  const betterForAll = (index: number, current: number): boolean => {
    const a = estimates(index)
    const b = estimates(current)
    for (let j = 0; j < a.length; j++) if (!(a[j]! > b[j]! + 1e-12)) return false
    return true
  }
  return { estimates, rank, admissible, crossesRedLine, betterForAll }
}

/** The mediator's evaluation of outcomes (what a method's proposal is ranked by). */
export type Evaluator = ReturnType<typeof evaluator>

/** Outcomes that differ from `index` in one issue: by one step along its order (`adjacent`), or to any value. */
const oneIssueMoves = (space: OutcomeSpace, index: number, adjacent: boolean): Array<number> => {
  const n = space.issues.length
  const digits = digitsAt(space, index, new Int32Array(n))
  const out: Array<number> = []
  let stride = 1
  for (let i = n - 1; i >= 0; i--) {
    const k = digits[i]!
    const r = space.radix[i]!
    for (let to = 0; to < r; to++) {
      if (to === k || (adjacent && Math.abs(to - k) !== 1)) continue
      out.push(index + (to - k) * stride)
    }
    stride *= r
  }
  return out
}

/** `index` with issue `i` moved one step toward value index `want`. */
const stepToward = (space: OutcomeSpace, index: number, i: number, want: number): number => {
  const digits = digitsAt(space, index, new Int32Array(space.issues.length))
  const k = digits[i]!
  if (k === want) return index
  let stride = 1
  for (let x = space.issues.length - 1; x > i; x--) stride *= space.radix[x]!
  return index + (want > k ? 1 : -1) * stride
}

/** Whether every principal addressed answered `offer` officially with a `better` verdict. */
const everyoneBetter = (offer: Offer, principals: ReadonlyArray<PartyId>): boolean =>
  principals.every(
    (p) =>
      !offer.to.includes(p) ||
      offer.responses.some(
        (r) => r.by === p && r.provenance.status === "official" && r.verdict === "better",
      ),
  )

/** What a learning method is given to choose its next proposal from the current text. */
export interface Proposing {
  readonly space: OutcomeSpace
  /** The current text (alive: no party said it crosses a red line). */
  readonly current: Text
  /** The principals present. */
  readonly principals: ReadonlyArray<PartyId>
  /** The mediator's model of the principals, learned from the log. */
  readonly model: Evaluator
  /** The best-ranked admissible candidate (passing `filter`), or -1. */
  readonly best: (candidates: Iterable<number>, filter?: (c: number) => boolean) => number
  /** Every outcome, when the space is small enough to scan (else none). */
  readonly everything: () => Iterable<number>
}

/** What distinguishes one learning method from another (the rest is common: see the file header). */
export interface LearningRule {
  /** Its `method` name. */
  readonly method: string
  /**
   * The veto rule: a proposal replaces the current text only when every
   * principal answers `better`, and each proposal names the text it would
   * replace; without it, the latest draft is the current text.
   */
  readonly vetoRule: boolean
  /** Its next proposal from the current text, or -1 when it has none. */
  readonly propose: (proposing: Proposing) => number
}

/** A learning single-text mediator by its method's rule (see the file header). */
export const learningMediator = (rule: LearningRule, bias: number): Strategy => ({
  name: `mediator(${rule.method})`,
  init: (view) => {
    const space = view.space
    const scan = space.size <= MAX_SCAN
    return {
      move: (turn): Move => {
        const state = turn.state
        const principals = state.parties
          .filter((p) => p.role === "principal" && p.present)
          .map((p) => p.id)
        const learned = learn(state, space, view.party, principals)
        const model = evaluator(space, learned, view, bias)
        const best = (candidates: Iterable<number>, filter?: (c: number) => boolean) => {
          let chosen = -1
          let score = Number.NEGATIVE_INFINITY
          for (const c of candidates) {
            if (!model.admissible(c) || (filter !== undefined && !filter(c))) continue
            const r = model.rank(c)
            if (r > score) {
              score = r
              chosen = c
            }
          }
          return chosen
        }
        const everything = function* () {
          if (scan) for (let k = 0; k < space.size; k++) yield k
        }

        // The current text: by the veto rule, or the latest draft.
        let current: Text | undefined
        for (const text of learned.texts) {
          if (current === undefined || !rule.vetoRule) current = text
          else if (model.crossesRedLine(current.index)) current = text
          else if (
            text.offer.currentText === current.offer.offerId &&
            everyoneBetter(text.offer, principals)
          )
            current = text
        }
        const alive = current !== undefined && !model.crossesRedLine(current.index)

        let next = -1
        if (current === undefined || !alive) next = best(everything())
        else next = rule.propose({ space, current, principals, model, best, everything })
        // Nothing left to the method: probe the best text the model still allows.
        if (next < 0 && current !== undefined)
          next = best(
            scan ? everything() : oneIssueMoves(space, current.index, false),
            alive && rule.vetoRule ? (c) => model.betterForAll(c, current!.index) : undefined,
          )
        if (next < 0 && current !== undefined)
          next = best(scan ? everything() : oneIssueMoves(space, current.index, false))
        if (next < 0) return { type: "reject", reason: "no text left to propose" }
        const currentText: OfferId | undefined =
          alive && rule.vetoRule ? current!.offer.offerId : undefined
        return {
          type: "offer",
          terms: termsOf(space, next),
          ...(currentText === undefined ? {} : { currentText }),
        }
      },
    }
  },
})

/** Veto-rule proposals: among `moves`, the best every principal is expected to prefer, else the best. */
const vetoProposal = (moves: Iterable<number>, { current, model, best }: Proposing): number => {
  const from = current.index
  const list = Array.from(moves)
  const next = best(list, (c) => model.betterForAll(c, from))
  return next < 0 ? best(list) : next
}

/** `veto`: NegMAS `VetoSTMechanism`, proposing from every untried text (see the file header). */
export const vetoMethod = mediationMethod({
  method: "veto",
  from: "NegMAS `VetoSTMechanism` (with `settlement: final-text`)",
  does: "answers are votes; a proposal no one vetoes becomes the current text, and the current text is put for agreement on the mediator's last turn; proposals are the untried texts its model expects everyone to prefer (NegMAS draws them at random)",
  make: (options) =>
    learningMediator(
      {
        method: "veto",
        vetoRule: true,
        propose: (proposing) => vetoProposal(proposing.everything(), proposing),
      },
      options.bias ?? 0,
    ),
})

/** `hill-climbing`: Klein et al. 2003, one step on one issue at a time (see the file header). */
export const hillClimbingMethod = mediationMethod({
  method: "hill-climbing",
  from: "Klein, Faratin, Sayama & Bar-Yam, *Negotiating complex contracts*, GDN 12(2), 2003; NegMAS `HillClimbingSTMechanism`",
  does: "like `veto`, but each proposal differs from the current text in one issue by one step along the issue's order, so a middle option lies between the extremes (NegMAS: any other value of one issue, at random)",
  make: (options) =>
    learningMediator(
      {
        method: "hill-climbing",
        vetoRule: true,
        propose: (proposing) =>
          vetoProposal(oneIssueMoves(proposing.space, proposing.current.index, true), proposing),
      },
      options.bias ?? 0,
    ),
})

/** `feedback`: Aydoğan, Hindriks & Jonker 2014 (see the file header). */
export const feedbackMethod = mediationMethod({
  method: "feedback",
  from: "Aydoğan, Hindriks & Jonker, *Multilateral mediated negotiation protocols with feedback*, 2014 (GENIUS `MediatorFeedbackBasedProtocol`)",
  does: "one-issue changes of the current text (any value) that its partial preference models do not already know to be worse for someone",
  make: (options) =>
    learningMediator(
      {
        method: "feedback",
        vetoRule: true,
        propose: ({ space, current, model, best }) => {
          // What the partial models already know to be worse for someone is not proposed.
          const now = model.estimates(current.index)
          const known = (c: number) => {
            const then = model.estimates(c)
            for (let j = 0; j < then.length; j++) if (then[j]! < now[j]! - 1e-12) return false
            return true
          }
          return best(oneIssueMoves(space, current.index, false), known)
        },
      },
      options.bias ?? 0,
    ),
})

/** `raiffa`: Raiffa's single negotiating text, revised from both sides' criticism (see the file header). */
export const raiffaMethod = mediationMethod({
  method: "raiffa",
  from: "parley's, after Raiffa, *The Art and Science of Negotiation*, 1982, ch. 14 (Camp David)",
  does: "drafts the best compromise of the public positions, then revises the latest draft from both sides' criticism: one side's point, the other's, or one of each on different issues at once",
  make: (options) =>
    learningMediator(
      {
        method: "raiffa",
        vetoRule: false,
        propose: ({ space, current, principals, best }) => {
          // Revise the draft to meet the criticisms: each side's points, and one of each side's at once.
          const points: Array<Array<{ issue: number; want: number }>> = principals.map((p) => {
            const r = current.offer.responses.find(
              (x) => x.by === p && x.provenance.status === "official",
            )
            return (r?.criticism ?? []).flatMap((point) => {
              const i = space.issues.findIndex((issue) => issue.id === point.issue)
              const want = i < 0 ? -1 : valueIndex(space, i, point.toward)
              return want < 0 ? [] : [{ issue: i, want }]
            })
          })
          const candidates = new Set<number>()
          for (const side of points)
            for (const p of side) candidates.add(stepToward(space, current.index, p.issue, p.want))
          for (let a = 0; a < points.length; a++)
            for (let b = a + 1; b < points.length; b++)
              for (const p of points[a]!)
                for (const q of points[b]!)
                  if (p.issue !== q.issue)
                    candidates.add(
                      stepToward(
                        space,
                        stepToward(space, current.index, p.issue, p.want),
                        q.issue,
                        q.want,
                      ),
                    )
          return best(candidates)
        },
      },
      options.bias ?? 0,
    ),
})
