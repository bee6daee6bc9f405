/**
 * A log's timeline as one CSV table for pandas or R (`parley export --csv`):
 * one row per event, in log order, negotiation after negotiation, with the
 * columns
 *
 * `negotiation, version, time, round, party, move, type, offer, status,
 * hypothetical, sources, text`, then one column per issue (the terms the move
 * offered, answered or demanded; empty when it has none), then, when the
 * scenario's preferences are known, each party's utility of those terms
 * (`utility_<party>`, undiscounted).
 *
 * `round` is the simulated round, counted from 1 (empty for real moves);
 * `status` is official, reported, simulated or human; an issue whose id
 * repeats a fixed column is headed `terms_<id>`. The dialect is parley's one
 * (`analysis/Csv.ts`).
 *
 * @since 0.5.0
 */
import { csvText } from "../analysis/Csv.ts"
import type { EventEnvelope } from "../domain/Event.ts"
import type { IssueId } from "../domain/Ids.ts"
import { type Evaluator, movesOf } from "./Model.ts"

const FIXED = [
  "negotiation",
  "version",
  "time",
  "round",
  "party",
  "move",
  "type",
  "offer",
  "status",
  "hypothetical",
  "sources",
  "text",
] as const

/** The timeline of every negotiation in `events` as CSV text. */
export const timelineCsv = (
  events: ReadonlyArray<EventEnvelope>,
  evaluators: ReadonlyArray<Evaluator> = [],
): string => {
  const byNegotiation = new Map<string, Array<EventEnvelope>>()
  for (const e of events) {
    const own = byNegotiation.get(e.negotiationId)
    if (own === undefined) byNegotiation.set(e.negotiationId, [e])
    else own.push(e)
  }
  // Every issue of every negotiation, in the order they were opened; each negotiation's own.
  const issues: Array<IssueId> = []
  const own = new Map<string, ReadonlyArray<IssueId>>()
  for (const e of events)
    if (e.event.type === "NegotiationOpened") {
      own.set(
        e.negotiationId,
        e.event.issues.map((i) => i.id),
      )
      for (const i of e.event.issues) if (!issues.includes(i.id)) issues.push(i.id)
    }
  const fixed = new Set<string>(FIXED)
  const rows: Array<ReadonlyArray<unknown>> = [
    [
      ...FIXED,
      ...issues.map((i) => (fixed.has(i) ? `terms_${i}` : i)),
      ...evaluators.map((e) => `utility_${e.party}`),
    ],
  ]
  for (const [negotiation, history] of byNegotiation) {
    const ownIssues = own.get(negotiation) ?? []
    for (const m of movesOf(history)) {
      // Utilities of complete terms only: a stated position that leaves issues open has none.
      const terms = m.terms
      const complete = terms !== undefined && ownIssues.every((i) => terms[i] !== undefined)
      rows.push([
        negotiation,
        m.version,
        m.at,
        m.round === undefined ? null : m.round + 1,
        m.party,
        m.verb,
        m.type,
        m.offerId,
        m.status,
        m.hypothetical === true,
        m.sources.map((s) => s.reportedBy).join("; "),
        m.text,
        ...issues.map((i) => terms?.[i]),
        ...evaluators.map((e) => (complete ? e.utility(terms) : null)),
      ])
    }
  }
  return csvText(rows)
}
