/**
 * A run's trace: the timeline lines `parley run` prints (the scripted
 * timeline, then every simulated move, one builder per kind of line), each with the parties' utilities of
 * its terms. Monte Carlo runs without one: every line is built only when the
 * run traces, so a batch pays nothing for it.
 *
 * @since 0.4.0
 */
import type { NegotiationCommand } from "../domain/Command.ts"
import type { Instant } from "../domain/Event.ts"
import type { OfferId, PartyId } from "../domain/Ids.ts"
import type { Terms } from "../domain/Issue.ts"
import type { Offer } from "../domain/Negotiation.ts"
import { verbOfCommand, verbOfEvent } from "../domain/Verbs.ts"
import type { TimelineMove } from "../scenario/Scenario.ts"
import type { Judged, Move } from "./Strategy.ts"

/** One line of a run's timeline. */
export interface TraceEntry {
  /** The simulated round, or `null` for the scripted timeline. */
  readonly round: number | null
  readonly at: Instant
  readonly version: number
  readonly party: PartyId | null
  readonly move: string
  readonly offerId?: OfferId | undefined
  readonly terms?: Terms | undefined
  /** Each party's undiscounted utility of the terms, where its preferences are known. */
  readonly utilities?: Readonly<Record<string, number>> | undefined
  readonly status: "official" | "reported" | "simulated"
  readonly sources?: ReadonlyArray<string> | undefined
  readonly note?: string | undefined
  /** The free text the party sent with the move. */
  readonly message?: string | undefined
  /** Why a fallback strategy moved instead of the party's remote agent (the move's `fallback` metadata). */
  readonly fallback?: string | undefined
}

/** A trace line before the utilities of its terms are filled in. */
export type TraceLine = Omit<TraceEntry, "utilities">

/** The parties whose utilities a trace line shows. */
export interface Scored {
  readonly id: PartyId
  readonly preferences: unknown
  readonly utility: (terms: Terms) => number
}

/** A run's trace being written: off (nothing is kept) unless the run asks for one. */
export class Tracer {
  readonly entries: Array<TraceEntry> = []

  constructor(
    /** Whether lines are kept; the per-move call sites test it before building a line. */
    readonly on: boolean,
    private readonly parties: ReadonlyArray<Scored>,
  ) {}

  /** Records a line, with each party's utility of its terms. */
  push(entry: TraceLine): void {
    this.entries.push(
      entry.terms === undefined ? entry : { ...entry, utilities: this.utilitiesOf(entry.terms) },
    )
  }

  /** Records a line built only when tracing (batches skip the cost). */
  note(line: () => TraceLine): void {
    if (this.on) this.push(line())
  }

  private utilitiesOf(terms: Terms): Record<string, number> {
    const out: Record<string, number> = {}
    for (const p of this.parties) if (p.preferences !== undefined) out[p.id] = p.utility(terms)
    return out
  }
}

/** The line of a scripted timeline's command, recorded at `version`. */
export const timelineLine = (
  command: NegotiationCommand,
  move: TimelineMove,
  version: number,
): TraceLine => ({
  round: null,
  at: command.at,
  version,
  party: "by" in command && command.by !== undefined ? command.by : null,
  move: verbOfCommand(command.type),
  offerId: "offerId" in command ? command.offerId : undefined,
  terms:
    command.type === "MakeOffer"
      ? command.terms
      : command.type === "StatePosition"
        ? command.demands
        : undefined,
  status: move.status,
  sources: move.sources.map((s) => (typeof s === "string" ? s : s.reportedBy)),
  note: move.hypothetical
    ? `hypothetical${move.note === undefined ? "" : `: ${move.note}`}`
    : move.note,
})

/** A simulated move's line, common part: with what `move` said and its fallback, if any. */
const moveLine = (party: PartyId, round: number, at: Instant, move: Move | undefined) => {
  const plain = { round, at, party, status: "simulated" as const }
  const message = move?.message
  const fallback = move?.metadata?.fallback
  return message === undefined && fallback === undefined
    ? plain
    : { ...plain, message, ...(typeof fallback === "string" ? { fallback } : {}) }
}

/** What an answer to a mediator's text said, for the trace: the verdict against the current text, and what it wants changed. */
export const describeJudgement = (
  j: Judged | undefined,
  text: Offer | undefined,
): string | undefined => {
  if (j === undefined || j.verdict === undefined) return undefined
  const against = text?.currentText === undefined ? "no agreement" : text.currentText
  const wants = (j.criticism ?? [])
    .map((c) => `${c.issue} → ${c.toward}${c.redLine === true ? " (red line)" : ""}`)
    .join(", ")
  return `${j.verdict} than ${against}${wants === "" ? "" : `; wants ${wants}`}`
}

/** An acceptance of `table`: the rule that fired and the judgement it recorded, if any. */
export const acceptedLine = (
  party: PartyId,
  round: number,
  at: Instant,
  move: Move & { readonly type: "accept" },
  version: number,
  table: Offer,
  judgement: Judged | undefined,
): TraceLine => {
  const notes = [
    move.rule === undefined ? undefined : `by ${move.rule}`,
    describeJudgement(judgement, table),
  ].filter((x) => x !== undefined)
  return {
    ...moveLine(party, round, at, move),
    version,
    move: verbOfEvent.OfferAccepted,
    offerId: table.offerId,
    terms: table.terms,
    ...(notes.length === 0 ? {} : { note: notes.join("; ") }),
  }
}

/** A confirmation or denial of the party's own reported offer. */
export const settledLine = (
  party: PartyId,
  round: number,
  at: Instant,
  move: Move & { readonly type: "confirm" | "deny" },
  version: number,
): TraceLine => ({
  ...moveLine(party, round, at, move),
  version,
  move: move.type === "confirm" ? verbOfEvent.OfferConfirmed : verbOfEvent.OfferDenied,
  offerId: move.offerId,
  note: move.type === "deny" ? move.statement : undefined,
})

/** A rejection of `table` (`move` is the rejection itself, `undefined` when a counter-offer rejected it). */
export const rejectedLine = (
  party: PartyId,
  round: number,
  at: Instant,
  move: Move | undefined,
  version: number,
  table: Offer,
  judgement: Judged | undefined,
): TraceLine => {
  const described = describeJudgement(judgement, table)
  return {
    ...moveLine(party, round, at, move),
    version,
    move: verbOfEvent.OfferRejected,
    offerId: table.offerId,
    ...(described === undefined ? {} : { note: described }),
  }
}

/** An offer of `move`'s terms, numbered `offerId`. */
export const offeredLine = (
  party: PartyId,
  round: number,
  at: Instant,
  move: Move & { readonly type: "offer" },
  version: number,
  offerId: OfferId,
): TraceLine => ({
  ...moveLine(party, round, at, move),
  version,
  move: verbOfEvent.OfferMade,
  offerId,
  terms: move.terms,
})

/** A walk-out, with its reason. */
export const walkedOutLine = (
  party: PartyId,
  round: number,
  at: Instant,
  move: Move & { readonly type: "walk-out" },
  version: number,
): TraceLine => ({
  ...moveLine(party, round, at, move),
  version,
  move: verbOfEvent.PartyWalkedOut,
  note: move.reason,
})

/** A party's answer when the rules ask it to ratify `offer`. */
export const ratifiedLine = (
  party: PartyId,
  round: number,
  at: Instant,
  ratified: boolean,
  version: number,
  offer: Offer,
): TraceLine => ({
  round,
  at,
  party,
  status: "simulated",
  version,
  move: ratified ? verbOfEvent.AgreementRatified : "refused to ratify",
  ...(ratified ? { offerId: offer.offerId } : {}),
})

/** The deadline passing after the last round played. */
export const deadlineLine = (round: number, at: Instant, version: number): TraceLine => ({
  round,
  at,
  party: null,
  status: "simulated",
  version,
  move: verbOfEvent.DeadlinePassed,
})
