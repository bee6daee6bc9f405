/**
 * What-if branches: a recorded negotiation replayed to a version through the
 * projection (policy `fail`), so that strategies can play on from there as a
 * new negotiation whose events record where they were branched from. The
 * recording may be a JSONL file or any event store (NATS).
 *
 * @since 0.2.0
 */
import { Data, Effect, type Stream } from "effect"
import { reRecorded } from "../domain/Envelope.ts"
import type { EventEnvelope } from "../domain/Event.ts"
import type { NegotiationId, OfferId, PartyId } from "../domain/Ids.ts"
import { untilVersion } from "../domain/Replay.ts"
import {
  type CorruptEvent,
  EventStore,
  type LogEntry,
  type StoreError,
  validateNegotiationId,
} from "../store/EventStore.ts"
import * as Jsonl from "../store/Jsonl.ts"
import { project } from "./Projection.ts"

/** The recorded prefix a branch starts from. */
export interface Fork {
  /** The recorded events, versions 1 to the branch point. */
  readonly events: ReadonlyArray<EventEnvelope>
  /** `<negotiation>@<version>`, recorded on the branch's events as `forkedFrom`. */
  readonly from: string
  /** The id of the branch: `<negotiation>-fork-v<version>`. */
  readonly negotiationId: NegotiationId
}

/** The recorded negotiation cannot be branched at that version. */
export class ForkError extends Data.TaggedError("ForkError")<{ readonly problem: string }> {
  override get message() {
    return this.problem
  }
}

/**
 * The recorded prefix of `fork` as the branch `negotiationId` records it:
 * the same events at the same versions and times, new ids (derived as a
 * decision's are), and metadata saying where they were branched from. What a
 * run of the branch appends first, expecting no stream.
 */
export const forkEnvelopes = (
  fork: Pick<Fork, "events" | "from">,
  negotiationId: NegotiationId,
): ReadonlyArray<EventEnvelope> =>
  fork.events.map((e) => reRecorded(negotiationId, e, { ...e.metadata, forkedFrom: fork.from }))

const forkOf = <E, R>(
  log: Stream.Stream<LogEntry, E, R>,
  source: NegotiationId,
  version: number,
  where: string,
  locate?: (position: number) => string,
): Effect.Effect<Fork, E | CorruptEvent | ForkError, R> =>
  Effect.gen(function* () {
    if (!Number.isInteger(version) || version < 1)
      return yield* new ForkError({ problem: `--until-version must be 1 or more, not ${version}` })
    const events: Array<EventEnvelope> = []
    yield* project(
      log,
      { only: source, until: untilVersion(version), locate },
      { state: (_, e) => void events.push(e), problem: () => {} },
    )
    if (events.length === 0)
      return yield* new ForkError({
        problem: `${where} holds no events of negotiation "${source}"`,
      })
    if (events.length < version)
      return yield* new ForkError({
        problem: `negotiation "${source}" in ${where} has only ${events.length} events, not ${version}`,
      })
    return {
      events,
      from: `${source}@${version}`,
      negotiationId: `${source}-fork-v${version}`.slice(0, 64) as NegotiationId,
    }
  })

const checked = (negotiationId: string) =>
  Effect.mapError(
    validateNegotiationId(negotiationId),
    (e) => new ForkError({ problem: e.message }),
  )

/** The branch of `negotiationId` at `version` recorded in a JSONL file. */
export const forkFromFile = (
  path: string,
  negotiationId: string,
  version: number,
): Effect.Effect<Fork, CorruptEvent | ForkError | StoreError> =>
  Effect.flatMap(checked(negotiationId), (id) =>
    forkOf(Jsonl.entries(path), id, version, path, (line) => `${path}:${line}`),
  )

/** The branch of `negotiationId` at `version` recorded in the {@link EventStore} in context. */
export const forkFromStore = (
  negotiationId: string,
  version: number,
): Effect.Effect<Fork, CorruptEvent | ForkError | StoreError, EventStore> =>
  Effect.flatMap(checked(negotiationId), (id) =>
    Effect.flatMap(EventStore, (store) => forkOf(store.readLog(id), id, version, "the event log")),
  )

/** Where the recorded simulation stood at a branch point: its last move, and who opened its first round. */
export interface Resume {
  /** The round (0-based) of the last simulated move on record. */
  readonly round: number
  /** The party that made it. */
  readonly by: PartyId
  /** The party that made the first simulated move of round 0 (the first mover of every round). */
  readonly opener: PartyId
  /** How many offers the simulation made (its offers are numbered on from there). */
  readonly offers: number
  /** The offer the last event on record rejects, which a counter-offer of the same move may follow. */
  readonly rejected: OfferId | undefined
}

const moverOf = (e: EventEnvelope): PartyId | undefined => {
  const by = (e.event as { readonly by?: unknown }).by
  return typeof by === "string" ? (by as PartyId) : undefined
}

/**
 * The simulated moves of a recorded prefix, read from the runner's metadata
 * (`source: "simulation"` with its `round`): where the branch carries the
 * talks on from, so that it neither restarts at round 1 nor skips what is
 * pending. `undefined` when the prefix ends before any simulated move (the
 * branch then plays from the first round, as the source did).
 */
export const resumeOf = (events: ReadonlyArray<EventEnvelope>): Resume | undefined => {
  let opener: PartyId | undefined
  let last: Resume | undefined
  let offers = 0
  for (const e of events) {
    const round = e.metadata?.round
    if (e.metadata?.source !== "simulation" || typeof round !== "number") continue
    const by = moverOf(e)
    if (by === undefined) continue
    if (opener === undefined && round === 0) opener = by
    if (e.event.type === "OfferMade") offers++
    last = {
      round,
      by,
      opener: opener ?? by,
      offers,
      rejected: e.event.type === "OfferRejected" ? e.event.offerId : undefined,
    }
  }
  return last
}

/**
 * The first mover and the first turn of a run under a protocol's turn order:
 * the protocol's own, or, for a branch, the turn after the last simulated move
 * on record (`within`: the rest of that move's turn, after rejecting that offer), with the simulation's
 * offers counted so that its offer ids go on.
 */
export const resumeTurn = (
  talks: {
    readonly turnOrder: ReadonlyArray<PartyId>
    readonly first: number
    readonly proposes: (party: PartyId) => boolean
  },
  events: ReadonlyArray<EventEnvelope> | undefined,
): { first: number; from: number; offersMade: number; within: OfferId | undefined } => {
  const start = { first: talks.first, from: 0, offersMade: 0, within: undefined }
  const at = events === undefined ? undefined : resumeOf(events)
  if (at === undefined) return start
  const n = talks.turnOrder.length
  const by = talks.turnOrder.indexOf(at.by)
  const first = talks.turnOrder.indexOf(at.opener)
  if (by < 0 || first < 0) return start
  // Cut after a rejection by a party that may propose: its counter-offer, if any, is still to come,
  // so the branch gives it the rest of its turn (the record cannot tell a bare rejection apart).
  const within = talks.proposes(at.by) ? at.rejected : undefined
  const last = at.round * n + ((by - first + n) % n)
  return { first, from: within !== undefined ? last : last + 1, offersMade: at.offers, within }
}
