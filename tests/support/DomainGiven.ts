/**
 * A given/when/then helper for the negotiation decider, and the fixtures the
 * examples share.
 *
 *     given(opened(), offer("o1", A, { border: "line" }))
 *       .when(accept("o1", B))
 *       .then(accepted("o1", B))
 *
 * `given` replays its events (versions 1, 2, ... one minute apart from
 * {@link T0}) through `evolve`, so an impossible history fails the test at
 * once. `then` checks that `decide` emits exactly the expected events and that
 * `evolve` accepts them, and returns the state after them; `thenRejects`
 * checks the rejection's tag and returns it.
 */
import { Either } from "effect"
import { expect } from "vitest"
import { foldState } from "../../src/app/Projection.ts"
import type * as Command from "../../src/domain/Command.ts"
import {
  type EventEnvelope,
  type Instant,
  type NegotiationEvent,
  type NegotiationOpened,
  type OpeningRules,
  type Party,
  type Provenance,
  type Rules,
  SCHEMA_VERSION,
} from "../../src/domain/Event.ts"
import type { EventId, IssueId, NegotiationId, OfferId, PartyId } from "../../src/domain/Ids.ts"
import type { Issue, Terms } from "../../src/domain/Issue.ts"
import { decide, evolve, type State } from "../../src/domain/Negotiation.ts"
import type { Rejection } from "../../src/domain/Rejection.ts"

// ---------------------------------------------------------------------------
// Time, ids and the cast.
// ---------------------------------------------------------------------------

/** The moment the examples start. */
export const T0 = Date.UTC(2025, 3, 22, 9, 0, 0)

/** `T0` plus `minutes`, as an instant. */
export const t = (minutes: number): Instant =>
  new Date(T0 + minutes * 60_000).toISOString() as Instant

export const NID = "talks" as NegotiationId
export const party = (id: string) => id as PartyId
export const offerId = (id: string) => id as OfferId
export const issueId = (id: string) => id as IssueId

/** Two principals, a mediator and an observer. */
export const A = party("A")
export const B = party("B")
export const C = party("C")
export const M = party("M")
export const O = party("O")
export const GHOST = party("ghost")

export const cast: ReadonlyArray<Party> = [
  { id: A, name: "Alphaland", role: "principal" },
  { id: B, name: "Betastan", role: "principal" },
  { id: M, name: "Mediator", role: "mediator" },
  { id: O, name: "Observer", role: "observer" },
]

/** One issue of each kind. */
export const issues: ReadonlyArray<Issue> = [
  { kind: "discrete", id: issueId("border"), options: ["line", "river", "hills"] },
  { kind: "integer", id: issueId("troops"), min: 0, max: 10_000 },
  { kind: "real", id: issueId("aid"), min: 0, max: 1.5 },
]

/** Terms covering every issue, overridable. */
export const full = (overrides: Record<string, string | number> = {}): Terms =>
  ({ border: "line", troops: 500, aid: 0.5, ...overrides }) as Terms

/** Terms covering only the given issues. */
export const partial = (terms: Record<string, string | number>): Terms => terms as Terms

export const reported: Provenance = {
  status: "reported",
  sources: [{ reportedBy: "Daily Wire Service", quote: "sources say" }],
}
export const official: Provenance = { status: "official" }

/** A and B must accept; nobody ratifies; full packages only. */
export const defaultRules: Rules = { mustAccept: [A, B], mustRatify: [], partialAgreements: false }

// ---------------------------------------------------------------------------
// Events.
// ---------------------------------------------------------------------------

const base = { schemaVersion: SCHEMA_VERSION } as const

/** Rules as an opening (version 2) records them: the deadline and the round limit as one `deadline`. */
const recorded = ({ deadline, maxRounds, ...rules }: Rules): OpeningRules =>
  deadline === undefined && maxRounds === undefined
    ? rules
    : {
        ...rules,
        deadline: {
          ...(deadline === undefined ? {} : { at: deadline }),
          ...(maxRounds === undefined ? {} : { afterRounds: maxRounds }),
        },
      }

export const opened = (
  rules: Partial<Rules> = {},
  parties: ReadonlyArray<Party> = cast,
  issueList: ReadonlyArray<Issue> = issues,
): NegotiationOpened => ({
  schemaVersion: 2,
  type: "NegotiationOpened",
  title: "Ceasefire talks",
  parties,
  issues: issueList,
  rules: recorded({ ...defaultRules, ...rules }),
})

export const offered = (
  id: string,
  by: PartyId,
  terms: Terms = full(),
  options: { to?: ReadonlyArray<PartyId>; provenance?: Provenance; inReplyTo?: string } = {},
): NegotiationEvent => ({
  ...base,
  type: "OfferMade",
  offerId: offerId(id),
  by,
  to: options.to ?? (by === A ? [B] : by === B ? [A] : [A, B]),
  terms,
  ...(options.inReplyTo === undefined ? {} : { inReplyTo: offerId(options.inReplyTo) }),
  provenance: options.provenance ?? official,
})

const move =
  <T extends "OfferConfirmed" | "OfferAccepted" | "OfferWithdrawn" | "AgreementRatified">(
    type: T,
  ) =>
  (id: string, by: PartyId, provenance: Provenance = official) =>
    ({ ...base, type, offerId: offerId(id), by, provenance }) as NegotiationEvent

export const confirmed = move("OfferConfirmed")
export const accepted = move("OfferAccepted")
export const withdrawn = move("OfferWithdrawn")
export const ratified = move("AgreementRatified")

export const denied = (id: string, by: PartyId, statement?: string): NegotiationEvent => ({
  ...base,
  type: "OfferDenied",
  offerId: offerId(id),
  by,
  ...(statement === undefined ? {} : { statement }),
  provenance: official,
})

export const rejected = (
  id: string,
  by: PartyId,
  provenance: Provenance = official,
): NegotiationEvent => ({ ...base, type: "OfferRejected", offerId: offerId(id), by, provenance })

export const walkedOut = (by: PartyId): NegotiationEvent => ({
  ...base,
  type: "PartyWalkedOut",
  by,
  provenance: official,
})

export const suspended = (): NegotiationEvent => ({
  ...base,
  type: "TalksSuspended",
  provenance: official,
})

export const resumed = (): NegotiationEvent => ({
  ...base,
  type: "TalksResumed",
  provenance: official,
})

export const deadlinePassed = (): NegotiationEvent => ({ ...base, type: "DeadlinePassed" })

// ---------------------------------------------------------------------------
// Commands (all at `t(100)` unless told otherwise, well after any `given`).
// ---------------------------------------------------------------------------

export const NOW = t(100)

export const open = (
  overrides: Partial<Omit<Command.OpenNegotiation, "type">> = {},
): Command.OpenNegotiation => ({
  type: "OpenNegotiation",
  at: NOW,
  negotiationId: NID,
  title: "Ceasefire talks",
  parties: cast,
  issues,
  rules: defaultRules,
  ...overrides,
})

export const makeOffer = (
  id: string,
  by: PartyId,
  terms: Terms = full(),
  options: Partial<Omit<Command.MakeOffer, "type" | "offerId" | "by" | "terms">> = {},
): Command.MakeOffer => ({
  type: "MakeOffer",
  at: NOW,
  offerId: offerId(id),
  by,
  terms,
  ...options,
})

type OfferMove = "ConfirmOffer" | "DenyOffer" | "AcceptOffer" | "RejectOffer" | "WithdrawOffer"

const offerMove =
  <T extends OfferMove | "RatifyAgreement">(type: T) =>
  (id: string, by: PartyId, options: { provenance?: Provenance; at?: Instant } = {}) =>
    ({
      type,
      at: options.at ?? NOW,
      offerId: offerId(id),
      by,
      ...(options.provenance === undefined ? {} : { provenance: options.provenance }),
    }) as Extract<Command.NegotiationCommand, { type: T }>

export const confirm = offerMove("ConfirmOffer")
export const deny = offerMove("DenyOffer")
export const accept = offerMove("AcceptOffer")
export const reject = offerMove("RejectOffer")
export const withdraw = offerMove("WithdrawOffer")
export const ratify = offerMove("RatifyAgreement")

export const walkOut = (by: PartyId, at: Instant = NOW): Command.WalkOut => ({
  type: "WalkOut",
  at,
  by,
})
export const suspend = (at: Instant = NOW): Command.SuspendTalks => ({ type: "SuspendTalks", at })
export const resume = (at: Instant = NOW): Command.ResumeTalks => ({ type: "ResumeTalks", at })
export const statePosition = (by: PartyId, demands: Terms): Command.StatePosition => ({
  type: "StatePosition",
  at: NOW,
  by,
  demands,
})
export const declareDeadlinePassed = (at: Instant = NOW): Command.DeclareDeadlinePassed => ({
  type: "DeclareDeadlinePassed",
  at,
})

// ---------------------------------------------------------------------------
// given / when / then.
// ---------------------------------------------------------------------------

/** Envelopes for events, versions from `from + 1`, one minute apart. */
export const envelopes = (
  events: ReadonlyArray<NegotiationEvent>,
  options: { from?: number; negotiationId?: NegotiationId } = {},
): Array<EventEnvelope> =>
  events.map((event, i) => {
    const version = (options.from ?? 0) + i + 1
    return {
      eventId: `e${version}` as EventId,
      negotiationId: options.negotiationId ?? NID,
      version,
      occurredAt: t(version - 1),
      event,
    }
  })

/** Folds events into a state; fails the test if the history is impossible. */
export const stateOf = (...events: ReadonlyArray<NegotiationEvent>): State => {
  const result = foldState(envelopes(events))
  if (Either.isLeft(result)) throw new Error(`given an impossible history: ${result.left.message}`)
  return result.right
}

export interface When {
  /** `decide` emits exactly these events, and `evolve` accepts them; returns the state after them. */
  readonly then: (...expected: ReadonlyArray<NegotiationEvent>) => State
  /** `decide` refuses with a rejection tagged `tag`; returns the rejection. */
  readonly thenRejects: <Tag extends Rejection["_tag"]>(
    tag: Tag,
  ) => Extract<Rejection, { _tag: Tag }>
}

export interface Given {
  readonly state: State
  readonly when: (command: Command.NegotiationCommand) => When
}

/** The negotiation after these events. */
export const given = (...events: ReadonlyArray<NegotiationEvent>): Given => {
  const state = stateOf(...events)
  return {
    state,
    when: (command) => {
      const decided = decide(command, state)
      return {
        // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary; a When is never awaited
        then: (...expected) => {
          if (Either.isLeft(decided))
            throw new Error(
              `expected events, got rejection ${decided.left._tag}: ${decided.left.message}`,
            )
          expect(decided.right).toEqual(expected)
          let next = state
          for (const event of decided.right) {
            const evolved = evolve(next, {
              eventId: `e${next.version + 1}` as EventId,
              negotiationId: NID,
              version: next.version + 1,
              occurredAt: command.at,
              event,
            })
            if (Either.isLeft(evolved))
              throw new Error(`evolve refused what decide emitted: ${evolved.left.message}`)
            next = evolved.right
          }
          return next
        },
        thenRejects: (tag) => {
          if (Either.isRight(decided))
            throw new Error(
              `expected rejection ${tag}, got events ${decided.right.map((e) => e.type).join(", ")}`,
            )
          expect(decided.left._tag).toBe(tag)
          return decided.left as Extract<Rejection, { _tag: typeof tag }>
        },
      }
    },
  }
}
