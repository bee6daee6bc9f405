/**
 * What a report shows, derived from a negotiation's events (or, when only its
 * state is known, from the state): the moves in time with how each is known
 * (official, reported, or played by the simulation), their sources numbered
 * as footnotes, and — when the scenario's preferences are at hand — each
 * party's utility of every outcome, the Pareto frontier and the solution
 * points (drawn from a prepared scenario by the caller, see
 * `src/cli/ReportData.ts`).
 *
 * Everything here is pure: no I/O, no clock.
 *
 * @since 0.1.0
 */
import type { Analysis } from "../analysis/Analyze.ts"
import type { EventEnvelope, NegotiationEvent, Source } from "../domain/Event.ts"
import type { Terms } from "../domain/Issue.ts"
import { verbOfEvent } from "../domain/Verbs.ts"
import type { StateView } from "../domain/View.ts"

/**
 * How a move is known: made or confirmed by its party, claimed by others,
 * played by the simulation's strategies, or made by a person at a seat
 * (`parley serve --human`: its event's metadata says `actor: "human"`).
 */
export type MoveStatus = "official" | "reported" | "simulated" | "human"

/** One move on the timeline. */
export interface Move {
  readonly version: number
  readonly at: string
  /** The party that moved; `null` for moves of the table itself (opening, deadline). */
  readonly party: string | null
  readonly type: NegotiationEvent["type"]
  readonly verb: string
  readonly offerId?: string | undefined
  /** The terms offered, accepted, rejected... or the demands stated. */
  readonly terms?: Terms | undefined
  readonly status: MoveStatus
  readonly sources: ReadonlyArray<Source>
  /** A statement or reason given with the move. */
  readonly text?: string | undefined
  /** The simulated round (0-based) when the simulation (a strategy or a person at a seat) played it. */
  readonly round?: number | undefined
  /** A development supposed for a what-if, not reported (`parley record` of a hypothetical move). */
  readonly hypothetical?: true | undefined
}

/** The moves of a negotiation's events, in log order. */
export const movesOf = (events: ReadonlyArray<EventEnvelope>): ReadonlyArray<Move> => {
  const offers = new Map<string, Terms>()
  const moveOf = (e: EventEnvelope): Move => {
    const ev = e.event
    const simulated = e.metadata?.source === "simulation"
    const human = e.metadata?.actor === "human"
    const provenance = "provenance" in ev ? ev.provenance : undefined
    const round = e.metadata?.round
    const base = {
      version: e.version,
      at: e.occurredAt,
      type: ev.type,
      verb: verbOfEvent[ev.type],
      status: human ? "human" : simulated ? "simulated" : (provenance?.status ?? "official"),
      sources: provenance?.sources ?? [],
      ...(simulated && typeof round === "number" ? { round } : {}),
      ...(provenance?.hypothetical === true ? { hypothetical: true as const } : {}),
    } satisfies Partial<Move>
    switch (ev.type) {
      case "NegotiationOpened":
      case "DeadlinePassed":
        return { ...base, party: null }
      case "OfferMade":
        offers.set(ev.offerId, ev.terms)
        return { ...base, party: ev.by, offerId: ev.offerId, terms: ev.terms }
      case "OfferAccepted": {
        // The acceptance condition that fired, when an agent accepted.
        const rule = e.metadata?.acceptance
        return {
          ...base,
          party: ev.by,
          offerId: ev.offerId,
          terms: offers.get(ev.offerId),
          ...(typeof rule === "string" ? { text: `by ${rule}` } : {}),
        }
      }
      case "OfferConfirmed":
      case "OfferWithdrawn":
      case "AgreementRatified":
        return { ...base, party: ev.by, offerId: ev.offerId, terms: offers.get(ev.offerId) }
      case "OfferDenied":
        return {
          ...base,
          party: ev.by,
          offerId: ev.offerId,
          terms: offers.get(ev.offerId),
          text: ev.statement,
        }
      case "OfferRejected":
        return {
          ...base,
          party: ev.by,
          offerId: ev.offerId,
          terms: offers.get(ev.offerId),
          text: ev.reason,
        }
      case "PositionStated":
        return { ...base, party: ev.by, terms: ev.demands, text: ev.statement }
      case "PartyWalkedOut":
        return { ...base, party: ev.by, text: ev.reason }
      case "TalksSuspended":
        return { ...base, party: ev.by ?? null, text: ev.reason }
      default:
        return { ...base, party: ev.by ?? null }
    }
  }
  return events.map((e) => withWords(e, moveOf(e)))
}

/** A move with what its party said (`message`) and why a fallback made it, when the event records them. */
const withWords = (e: EventEnvelope, move: Move): Move => {
  const message = "message" in e.event ? e.event.message : undefined
  const fallback = e.metadata?.fallback
  if (message === undefined && typeof fallback !== "string") return move
  const text = [
    move.text,
    message === undefined ? undefined : `says: "${message}"`,
    typeof fallback === "string" ? `fallback moved: ${fallback}` : undefined,
  ].filter((t) => t !== undefined)
  return { ...move, text: text.join(" · ") }
}

/**
 * The moves a state still shows, for sources that deliver states rather than
 * events (a state feed): the offers and their answers, the latest positions
 * and the agreement. Answers carry no time in a state; each is placed at the
 * time of the next later move that has one.
 */
export const movesOfState = (state: StateView): ReadonlyArray<Move> => {
  const items: Array<Omit<Move, "at"> & { at: string | undefined }> = []
  if (state.openedAt !== null)
    items.push({
      version: 1,
      at: state.openedAt,
      party: null,
      type: "NegotiationOpened",
      verb: verbOfEvent.NegotiationOpened,
      status: "official",
      sources: [],
    })
  for (const o of state.offers) {
    items.push({
      version: o.version,
      at: o.madeAt,
      party: o.by,
      type: "OfferMade",
      verb: verbOfEvent.OfferMade,
      offerId: o.offerId,
      terms: o.terms,
      status: o.provenance.status,
      sources: o.provenance.sources ?? [],
    })
    for (const r of o.responses)
      items.push({
        version: r.version,
        at: undefined,
        party: r.by,
        type: r.answer === "accepted" ? "OfferAccepted" : "OfferRejected",
        verb: r.answer,
        offerId: o.offerId,
        terms: o.terms,
        status: r.provenance.status,
        sources: r.provenance.sources ?? [],
        text: r.reason,
      })
  }
  for (const p of state.parties)
    if (p.position !== undefined)
      items.push({
        version: p.position.version,
        at: p.position.at,
        party: p.id,
        type: "PositionStated",
        verb: verbOfEvent.PositionStated,
        terms: p.position.demands,
        status: p.position.provenance.status,
        sources: p.position.provenance.sources ?? [],
        text: p.position.statement,
      })
  items.sort((a, b) => a.version - b.version)
  let next = state.updatedAt ?? state.openedAt ?? "1970-01-01T00:00:00.000Z"
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!
    if (item.at === undefined) item.at = next
    else next = item.at
  }
  return items.map((m) => ({ ...m, at: m.at ?? next }))
}

/** Sources numbered in order of first citation, and the numbers each move cites. */
export interface Footnotes {
  readonly sources: ReadonlyArray<Source>
  readonly byMove: ReadonlyMap<number, ReadonlyArray<number>>
}

/** Numbers the distinct sources of the moves (1-based) in order of first citation. */
export const footnotes = (moves: ReadonlyArray<Move>): Footnotes => {
  const index = new Map<string, number>()
  const sources: Array<Source> = []
  const byMove = new Map<number, Array<number>>()
  for (const m of moves) {
    const refs: Array<number> = []
    for (const s of m.sources) {
      const key = JSON.stringify([s.reportedBy, s.where, s.url, s.reportedAt, s.quote])
      let k = index.get(key)
      if (k === undefined) {
        sources.push(s)
        k = sources.length
        index.set(key, k)
      }
      if (!refs.includes(k)) refs.push(k)
    }
    if (refs.length > 0) byMove.set(m.version, refs)
  }
  return { sources, byMove }
}

/** A party whose preferences are known: its utility of any terms and its reservation value. */
export interface Evaluator {
  readonly party: string
  readonly utility: (terms: Terms) => number
  readonly reservation: number
}

/** Every outcome's utility for each evaluator (a sample of at most `limit` outcomes of a large space). */
export interface Cloud {
  /** `utilities[i][k]`: evaluator `i`'s utility of the `k`-th outcome drawn. */
  readonly utilities: ReadonlyArray<Float64Array>
  /** Outcomes in the space. */
  readonly outcomes: number
  /** Whether only a sample of the outcomes is drawn. */
  readonly sampled: boolean
}

/** What the utility charts need: the evaluators, the outcome cloud, the frontier analysis. */
export interface Preferences {
  readonly evaluators: ReadonlyArray<Evaluator>
  readonly cloud: Cloud | undefined
  /** The principals' Pareto frontier and solution points (when every principal's preferences are known). */
  readonly analysis: Analysis | undefined
}
