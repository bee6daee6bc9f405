/**
 * A command model of negotiations for property tests.
 *
 * A {@link Model} is a negotiation setup (random parties with roles, issues of
 * all three kinds, rules; now and then a flawed one) and a sequence of command
 * intents. Intents are symbolic — "accept the second pending offer, as one of
 * its addressees", "offer under id o3", "walk out as a random party" — and
 * {@link resolve} turns each into a concrete command against the current
 * state, so that a run mixes moves that are valid (agreements, ratifications,
 * partial agreements, walk-outs and deadlines happen) with invalid ones
 * (unknown and absent parties, duplicate and unknown offer ids, terms that do
 * not fit, moves out of turn, time going backwards).
 */
import { Either, FastCheck as fc } from "effect"
import type { NegotiationCommand, OpenNegotiation } from "../../src/domain/Command.ts"
import type {
  EventEnvelope,
  Instant,
  NegotiationEvent,
  Party,
  Provenance,
  Role,
  Rules,
} from "../../src/domain/Event.ts"
import type { EventId, IssueId, NegotiationId, OfferId, PartyId } from "../../src/domain/Ids.ts"
import type { Issue, Terms, TermValue } from "../../src/domain/Issue.ts"
import {
  decide,
  evolve,
  findOffer,
  initialState,
  type Offer,
  type State,
} from "../../src/domain/Negotiation.ts"
import type { Rejection } from "../../src/domain/Rejection.ts"

/** When every modelled negotiation opens. */
export const START = Date.UTC(2025, 0, 1)
export const MODEL_ID = "model" as NegotiationId
const GHOST = "ghost" as PartyId
const minutes = (n: number) => new Date(START + n * 60_000).toISOString() as Instant

// ---------------------------------------------------------------------------
// Setups.
// ---------------------------------------------------------------------------

export type Flaw = "none" | "ratifierNotPrincipal" | "emptyRange" | "duplicateParty" | "noPrincipal"

export interface Setup {
  readonly parties: ReadonlyArray<Party>
  readonly issues: ReadonlyArray<Issue>
  readonly rules: Rules
  readonly flaw: Flaw
}

const roleArb: fc.Arbitrary<Role> = fc.constantFrom<Role>(
  "principal",
  "principal",
  "principal",
  "mediator",
  "observer",
)

const issuesArb: fc.Arbitrary<ReadonlyArray<Issue>> = fc
  .tuple(
    fc.subarray(["north", "south", "east", "west"], { minLength: 2 }),
    fc.integer({ min: -5, max: 10 }),
    fc.integer({ min: 0, max: 20 }),
    fc.double({ min: -1, max: 0, noNaN: true }),
    fc.double({ min: 0, max: 2, noNaN: true }),
    fc.boolean(),
  )
  .map(([options, min, width, rmin, rmax, extra]) => {
    const issues: Array<Issue> = [
      { kind: "discrete", id: "border" as IssueId, options: options as [string, ...Array<string>] },
      { kind: "integer", id: "troops" as IssueId, min, max: min + width },
      { kind: "real", id: "aid" as IssueId, min: rmin, max: rmax },
    ]
    if (extra) issues.push({ kind: "integer", id: "years" as IssueId, min: 1, max: 3 })
    return issues
  })

/** A negotiation setup; about one in ten is flawed and must be refused. */
export const setupArb: fc.Arbitrary<Setup> = fc
  .record({
    roles: fc.array(roleArb, { minLength: 1, maxLength: 4 }),
    issues: issuesArb,
    mustAccept: fc.array(fc.nat(4), { minLength: 1, maxLength: 3 }),
    mustRatify: fc.oneof(
      { weight: 3, arbitrary: fc.constant([] as Array<number>) },
      { weight: 1, arbitrary: fc.array(fc.nat(4), { minLength: 1, maxLength: 2 }) },
    ),
    partialAgreements: fc.boolean(),
    deadline: fc.option(fc.integer({ min: 60, max: 2_000 }), { freq: 2 }),
    maxRounds: fc.option(fc.integer({ min: 1, max: 8 }), { freq: 2 }),
    flaw: fc.constantFrom<Flaw>(
      ...Array<Flaw>(36).fill("none"),
      "ratifierNotPrincipal",
      "emptyRange",
      "duplicateParty",
      "noPrincipal",
    ),
  })
  .map(
    ({ roles, issues, mustAccept, mustRatify, partialAgreements, deadline, maxRounds, flaw }) => {
      // p0 is always a principal, so a sound setup exists.
      let parties: Array<Party> = ["principal" as Role, ...roles].map((role, i) => ({
        id: `p${i}` as PartyId,
        name: `Party ${i}`,
        role,
      }))
      const principals = parties.filter((p) => p.role === "principal")
      const pick = (i: number) => parties[i % parties.length]!.id
      let issueList = issues
      let ratifiers = [...new Set(mustRatify.map((i) => principals[i % principals.length]!.id))]
      switch (flaw) {
        case "ratifierNotPrincipal": {
          const other = parties.find((p) => p.role !== "principal")
          ratifiers = [...ratifiers, other?.id ?? GHOST]
          break
        }
        case "emptyRange":
          issueList = issues.map((i) => (i.kind === "integer" ? { ...i, min: i.max + 1 } : i))
          break
        case "duplicateParty":
          parties = [...parties, { ...parties[0]!, name: "again" }]
          break
        case "noPrincipal":
          parties = parties.map((p) => ({ ...p, role: "mediator" }))
          ratifiers = []
          break
        case "none":
          break
      }
      return {
        parties,
        issues: issueList,
        rules: {
          mustAccept: [...new Set(mustAccept.map(pick))],
          mustRatify: ratifiers,
          partialAgreements,
          ...(deadline === null ? {} : { deadline: minutes(deadline) }),
          ...(maxRounds === null ? {} : { maxRounds }),
        },
        flaw,
      }
    },
  )

// ---------------------------------------------------------------------------
// Intents.
// ---------------------------------------------------------------------------

/** A party: one of the setup's (by index), or one nobody declared. */
export type PartyRef = number | "ghost"
/**
 * An offer: an id from a small pool (existing or not), the k-th pending one, the
 * accepted one, or the latest pending offer that is only reported.
 */
export type OfferRef =
  | { readonly pool: number }
  | { readonly pending: number }
  | { readonly accepted: true }
  | { readonly unconfirmed: true }
/** Per issue: a fitting value (chosen by `u` in [0, 1]), a value that does not fit, or none. */
export type TermIntent = { readonly fit: "valid" | "invalid" | "omit"; readonly u: number }

export type Intent =
  | {
      readonly kind: "offer"
      readonly id: { readonly pool: number } | "fresh"
      readonly by: PartyRef
      readonly to: ReadonlyArray<PartyRef> | undefined
      readonly terms: ReadonlyArray<TermIntent>
      readonly inReplyTo: OfferRef | undefined
      readonly reported: boolean
    }
  | {
      readonly kind: "confirm" | "deny" | "withdraw"
      readonly offer: OfferRef
      readonly by: PartyRef | "maker"
      readonly reported: boolean
    }
  | {
      readonly kind: "accept" | "reject"
      readonly offer: OfferRef
      readonly by: PartyRef | { readonly addressee: number }
      readonly reported: boolean
    }
  | {
      readonly kind: "ratify"
      readonly offer: OfferRef
      readonly by: PartyRef | { readonly ratifier: number }
      readonly reported: boolean
    }
  | { readonly kind: "position"; readonly by: PartyRef; readonly terms: ReadonlyArray<TermIntent> }
  | { readonly kind: "walkout"; readonly by: PartyRef }
  | { readonly kind: "suspend" | "resume"; readonly by: PartyRef | undefined }
  | { readonly kind: "deadline" }

/** One step: an intent and how many minutes after the previous step it happens (may be negative). */
export interface Step {
  readonly intent: Intent
  readonly dt: number
}

export interface Model {
  readonly setup: Setup
  readonly steps: ReadonlyArray<Step>
}

const partyRefArb: fc.Arbitrary<PartyRef> = fc.oneof(
  { weight: 12, arbitrary: fc.nat(5) },
  { weight: 1, arbitrary: fc.constant("ghost" as const) },
)

const offerRefArb: fc.Arbitrary<OfferRef> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ pending: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ pool: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.constant({ accepted: true as const }) },
)

const termIntentArb: fc.Arbitrary<TermIntent> = fc.record({
  fit: fc.constantFrom<TermIntent["fit"]>(...Array(60).fill("valid"), "invalid", "omit", "omit"),
  u: fc.double({ min: 0, max: 1, noNaN: true }),
})
const termsArb = fc.array(termIntentArb, { minLength: 4, maxLength: 4 })
const reportedArb = fc.constantFrom(false, false, false, false, true)

const intentArb: fc.Arbitrary<Intent> = fc.oneof(
  {
    weight: 16,
    arbitrary: fc.record({
      kind: fc.constant("offer" as const),
      id: fc.oneof(
        { weight: 3, arbitrary: fc.constant("fresh" as const) },
        { weight: 1, arbitrary: fc.record({ pool: fc.nat(7) }) },
      ),
      by: partyRefArb,
      to: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.array(partyRefArb, { minLength: 0, maxLength: 3 }) },
      ),
      terms: termsArb,
      inReplyTo: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: offerRefArb },
      ),
      reported: reportedArb,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom("confirm" as const, "deny" as const, "withdraw" as const),
      offer: fc.oneof(
        { weight: 1, arbitrary: fc.constant({ unconfirmed: true as const }) },
        { weight: 1, arbitrary: offerRefArb },
      ),
      by: fc.oneof(
        { weight: 4, arbitrary: fc.constant("maker" as const) },
        { weight: 1, arbitrary: partyRefArb },
      ),
      reported: fc.constantFrom(false, false, false, false, false, false, true),
    }),
  },
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        "accept" as const,
        "accept" as const,
        "accept" as const,
        "reject" as const,
      ),
      offer: offerRefArb,
      by: fc.oneof(
        { weight: 5, arbitrary: fc.record({ addressee: fc.nat(3) }) },
        { weight: 1, arbitrary: partyRefArb },
      ),
      reported: reportedArb,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("ratify" as const),
      offer: fc.oneof(
        { weight: 4, arbitrary: fc.constant({ accepted: true as const }) },
        { weight: 1, arbitrary: offerRefArb },
      ),
      by: fc.oneof(
        { weight: 5, arbitrary: fc.record({ ratifier: fc.nat(3) }) },
        { weight: 1, arbitrary: partyRefArb },
      ),
      reported: fc.constantFrom(false, false, false, false, false, false, true),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("position" as const),
      by: partyRefArb,
      terms: termsArb,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("walkout" as const), by: partyRefArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom("suspend" as const, "resume" as const),
      by: fc.option(partyRefArb, { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: "deadline" as const }) },
)

const stepArb: fc.Arbitrary<Step> = fc.record({
  intent: intentArb,
  dt: fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 0, max: 30 }) },
    { weight: 1, arbitrary: fc.integer({ min: -30, max: -1 }) },
  ),
})

/** A setup and up to `maxSteps` intents. */
export const modelArb = (maxSteps = 30): fc.Arbitrary<Model> =>
  fc.record({
    setup: setupArb,
    steps: fc.array(stepArb, { maxLength: maxSteps, size: "max" }),
  })

// ---------------------------------------------------------------------------
// Resolving intents against a state.
// ---------------------------------------------------------------------------

/** The command that opens the modelled negotiation, at {@link START}. */
export const openCommand = (setup: Setup): OpenNegotiation => ({
  type: "OpenNegotiation",
  at: minutes(0),
  negotiationId: MODEL_ID,
  title: "modelled talks",
  parties: setup.parties,
  issues: setup.issues,
  rules: setup.rules,
})

const partyOf = (setup: Setup, ref: PartyRef): PartyId =>
  ref === "ghost" ? GHOST : setup.parties[ref % setup.parties.length]!.id

const offerOf = (state: State, ref: OfferRef): OfferId => {
  if ("pool" in ref) return `o${ref.pool}` as OfferId
  if ("pending" in ref)
    return state.pending.length === 0
      ? ("o0" as OfferId)
      : state.pending[ref.pending % state.pending.length]!
  if ("unconfirmed" in ref) {
    for (let i = state.pending.length - 1; i >= 0; i--) {
      const id = state.pending[i]!
      if (findOffer(state, id)?.confirmed === false) return id
    }
    return "o2" as OfferId
  }
  return state.acceptedOffer ?? ("o1" as OfferId)
}

const valueFor = (issue: Issue, t: TermIntent): TermValue => {
  switch (issue.kind) {
    case "discrete":
      return t.fit === "valid"
        ? issue.options[Math.floor(t.u * issue.options.length) % issue.options.length]!
        : t.u < 0.5
          ? "nowhere"
          : 3
    case "integer":
      return t.fit === "valid"
        ? issue.min + Math.floor(t.u * (issue.max - issue.min + 1)) - (t.u === 1 ? 1 : 0)
        : t.u < 0.3
          ? issue.max + 1
          : t.u < 0.6
            ? issue.min + 0.5
            : "many"
    case "real":
      return t.fit === "valid"
        ? Math.min(issue.max, issue.min + t.u * (issue.max - issue.min))
        : t.u < 0.5
          ? issue.min - 1
          : "some"
  }
}

const termsFor = (setup: Setup, intents: ReadonlyArray<TermIntent>): Terms => {
  const terms: Record<string, TermValue> = {}
  setup.issues.forEach((issue, i) => {
    const t = intents[i % intents.length]!
    if (t.fit !== "omit") terms[issue.id] = valueFor(issue, t)
  })
  return terms as Terms
}

const provenanceOf = (reported: boolean): Provenance | undefined =>
  reported ? { status: "reported", sources: [{ reportedBy: "wire" }] } : undefined

const withProvenance = (reported: boolean) => {
  const p = provenanceOf(reported)
  return p === undefined ? {} : { provenance: p }
}

/** The concrete command an intent stands for in `state`, at `at`. */
export const resolve = (
  setup: Setup,
  state: State,
  intent: Intent,
  at: Instant,
): NegotiationCommand => {
  switch (intent.kind) {
    case "offer":
      return {
        type: "MakeOffer",
        at,
        offerId: (intent.id === "fresh" ? `f${state.version}` : `o${intent.id.pool}`) as OfferId,
        by: partyOf(setup, intent.by),
        ...(intent.to === undefined ? {} : { to: intent.to.map((r) => partyOf(setup, r)) }),
        terms: termsFor(setup, intent.terms),
        ...(intent.inReplyTo === undefined ? {} : { inReplyTo: offerOf(state, intent.inReplyTo) }),
        ...withProvenance(intent.reported),
      }
    case "confirm":
    case "deny":
    case "withdraw": {
      const offerId = offerOf(state, intent.offer)
      const by =
        intent.by === "maker"
          ? (findOffer(state, offerId)?.by ?? partyOf(setup, 0))
          : partyOf(setup, intent.by)
      const type =
        intent.kind === "confirm"
          ? "ConfirmOffer"
          : intent.kind === "deny"
            ? "DenyOffer"
            : "WithdrawOffer"
      return { type, at, offerId, by, ...withProvenance(intent.reported) }
    }
    case "accept":
    case "reject": {
      const offerId = offerOf(state, intent.offer)
      let by: PartyId
      if (typeof intent.by === "object") {
        const to = findOffer(state, offerId)?.to ?? []
        by = to.length === 0 ? partyOf(setup, 0) : to[intent.by.addressee % to.length]!
      } else by = partyOf(setup, intent.by)
      return {
        type: intent.kind === "accept" ? "AcceptOffer" : "RejectOffer",
        at,
        offerId,
        by,
        ...withProvenance(intent.reported),
      }
    }
    case "ratify": {
      const ratifiers = setup.rules.mustRatify
      const by =
        typeof intent.by === "object"
          ? ratifiers.length === 0
            ? partyOf(setup, intent.by.ratifier)
            : ratifiers[intent.by.ratifier % ratifiers.length]!
          : partyOf(setup, intent.by)
      return {
        type: "RatifyAgreement",
        at,
        offerId: offerOf(state, intent.offer),
        by,
        ...withProvenance(intent.reported),
      }
    }
    case "position":
      return {
        type: "StatePosition",
        at,
        by: partyOf(setup, intent.by),
        demands: termsFor(setup, intent.terms),
      }
    case "walkout":
      return { type: "WalkOut", at, by: partyOf(setup, intent.by) }
    case "suspend":
    case "resume":
      return {
        type: intent.kind === "suspend" ? "SuspendTalks" : "ResumeTalks",
        at,
        ...(intent.by === undefined ? {} : { by: partyOf(setup, intent.by) }),
      }
    case "deadline":
      return { type: "DeclareDeadlinePassed", at }
  }
}

/** The moment of each step: the running sum of the steps' minutes (it may go backwards). */
export const momentsOf = (steps: ReadonlyArray<Step>): ReadonlyArray<Instant> => {
  let clock = 0
  return steps.map((s) => {
    clock += s.dt
    return minutes(clock)
  })
}

// ---------------------------------------------------------------------------
// Running a model through the pure decider.
// ---------------------------------------------------------------------------

/** What one command did. */
export interface Turn {
  readonly command: NegotiationCommand
  readonly before: State
  readonly after: State
  readonly decided: Either.Either<ReadonlyArray<NegotiationEvent>, Rejection>
  readonly envelopes: ReadonlyArray<EventEnvelope>
}

export interface Run {
  readonly turns: ReadonlyArray<Turn>
  readonly log: ReadonlyArray<EventEnvelope>
  readonly state: State
}

/** Thrown when `evolve` refuses an event `decide` emitted: the decider contradicts itself. */
export class DeciderContradiction extends Error {}

/** The envelope of an event decided at `at` after `state`. */
export const envelopeAfter = (
  state: State,
  event: NegotiationEvent,
  at: Instant,
  offset = 0,
): EventEnvelope => ({
  eventId: `v${state.version + offset + 1}` as EventId,
  negotiationId: MODEL_ID,
  version: state.version + offset + 1,
  occurredAt: at,
  event,
})

/** The commands of a model: opening first, then each intent resolved against the state so far. */
export const run = (model: Model): Run => {
  const moments = momentsOf(model.steps)
  const turns: Array<Turn> = []
  const log: Array<EventEnvelope> = []
  let state = initialState
  const commands = (s: State, i: number): NegotiationCommand =>
    i === 0
      ? openCommand(model.setup)
      : resolve(model.setup, s, model.steps[i - 1]!.intent, moments[i - 1]!)
  for (let i = 0; i <= model.steps.length; i++) {
    const command = commands(state, i)
    const before = state
    const decided = decide(command, state)
    const envelopes: Array<EventEnvelope> = []
    if (Either.isRight(decided)) {
      for (const event of decided.right) {
        const envelope = envelopeAfter(state, event, command.at)
        const next = evolve(state, envelope)
        if (Either.isLeft(next))
          throw new DeciderContradiction(
            `decide emitted ${event.type} for ${JSON.stringify(command)}, evolve refused it: ${next.left.message}`,
          )
        state = next.right
        envelopes.push(envelope)
        log.push(envelope)
      }
    }
    turns.push({ command, before, after: state, decided, envelopes })
  }
  return { turns, log, state }
}

/** Every required party that accepted offer `o` officially in `log`, and the offerer. */
export const acceptedInLog = (log: ReadonlyArray<EventEnvelope>, offer: Offer): Set<PartyId> => {
  const out = new Set<PartyId>([offer.by])
  for (const { event } of log)
    if (
      event.type === "OfferAccepted" &&
      event.offerId === offer.offerId &&
      event.provenance.status === "official"
    )
      out.add(event.by)
  return out
}

/** Every party that ratified offer `id` in `log`. */
export const ratifiedInLog = (log: ReadonlyArray<EventEnvelope>, id: OfferId): Set<PartyId> => {
  const out = new Set<PartyId>()
  for (const { event } of log)
    if (event.type === "AgreementRatified" && event.offerId === id) out.add(event.by)
  return out
}
