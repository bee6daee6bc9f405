import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { foldState } from "../../src/app/Projection.ts"
import {
  findOffer,
  isTerminal,
  offersInOrder,
  officiallyAcceptedBy,
  type State,
} from "../../src/domain/Negotiation.ts"
import * as Replay from "../../src/domain/Replay.ts"
import {
  acceptedInLog,
  type Model,
  modelArb,
  ratifiedInLog,
  run,
} from "../support/ArbitrariesCommands.ts"
import { fastCheck, seed } from "../support/ArbitrariesConfig.ts"

/** A state as plain data, offers in the order made, so that two states compare with toEqual. */
const snapshot = (state: State) => ({ ...state, offers: offersInOrder(state) })

const fold = (log: Parameters<typeof foldState>[0], until?: Replay.Until, from?: State) =>
  Either.getOrThrow(foldState(log, until, from))

const RUNS = 150

describe("decider properties (command model)", () => {
  it.prop(
    "every event decide emits from a reachable state is accepted by evolve; a rejected command emits nothing",
    [modelArb()],
    ([model]) => {
      const { turns, log } = run(model) // throws DeciderContradiction if evolve refuses
      for (const turn of turns) {
        if (Either.isLeft(turn.decided)) {
          expect(turn.envelopes).toEqual([])
          expect(turn.after).toBe(turn.before)
          expect(typeof turn.decided.left._tag).toBe("string")
        } else {
          expect(turn.decided.right.length).toBeGreaterThan(0)
          expect(turn.after.version).toBe(turn.before.version + turn.decided.right.length)
        }
      }
      expect(log.length).toBe(turns.reduce((n, t) => n + t.envelopes.length, 0))
    },
    { fastCheck: fastCheck(RUNS) },
  )

  it.prop(
    "an official rejection rejects an offer at once, or under every-addressee once every addressee at the table has answered",
    [modelArb(), fc.boolean()],
    ([generated, everyAddressee]) => {
      const model: Model = everyAddressee
        ? {
            ...generated,
            setup: {
              ...generated.setup,
              rules: { ...generated.setup.rules, answers: "every-addressee" },
            },
          }
        : generated
      const { turns } = run(model)
      for (const turn of turns) {
        if (Either.isLeft(turn.decided)) continue
        for (const event of turn.decided.right) {
          if (event.type !== "OfferRejected" && event.type !== "OfferAccepted") continue
          if (event.provenance.status !== "official") continue
          const before = findOffer(turn.before, event.offerId)!
          const after = findOffer(turn.after, event.offerId)!
          expect(before.status).toBe("pending")
          if (turn.before.rules.answers !== "every-addressee") {
            if (event.type === "OfferRejected") expect(after.status).toBe("rejected")
            continue
          }
          const waiting = turn.after.parties.filter(
            (p) =>
              p.present &&
              after.to.includes(p.id) &&
              !after.responses.some((r) => r.by === p.id && r.provenance.status === "official"),
          )
          const someoneRejected = after.responses.some(
            (r) => r.answer === "rejected" && r.provenance.status === "official",
          )
          if (after.status === "rejected") {
            expect(waiting).toEqual([])
            expect(someoneRejected).toBe(true)
          } else if (after.status === "pending")
            expect(waiting.length > 0 || !someoneRejected).toBe(true)
        }
      }
    },
    { fastCheck: fastCheck(RUNS) },
  )

  it.prop(
    "versions are contiguous from 1 in every decided log",
    [modelArb()],
    ([model]) => {
      const { log } = run(model)
      expect(log.map((e) => e.version)).toEqual(log.map((_, i) => i + 1))
    },
    { fastCheck: fastCheck(100) },
  )

  it.prop(
    "replay is deterministic: folding the log (twice) gives the state the decider reached step by step",
    [modelArb()],
    ([model]) => {
      const { log, state } = run(model)
      const once = fold(log)
      expect(snapshot(once)).toEqual(snapshot(state))
      expect(snapshot(fold(log))).toEqual(snapshot(once))
    },
    { fastCheck: fastCheck(150) },
  )

  it.prop(
    "folding a prefix then the rest equals folding all; replay to version k equals folding the first k events",
    [modelArb(), fc.nat()],
    ([model, cut]) => {
      const { log, turns } = run(model)
      const k = log.length === 0 ? 0 : cut % (log.length + 1)
      const all = fold(log)
      const prefix = fold(log.slice(0, k))
      expect(snapshot(fold(log.slice(k), Replay.toEnd, prefix))).toEqual(snapshot(all))
      expect(snapshot(fold(log, Replay.untilVersion(k)))).toEqual(snapshot(prefix))
      // The state after the command that wrote event k is the replay up to version k.
      const turn = turns.find((t) => t.after.version === k && t.envelopes.length > 0)
      if (turn !== undefined) expect(snapshot(prefix)).toEqual(snapshot(turn.after))
    },
    { fastCheck: fastCheck(150) },
  )

  it.prop(
    "replay to a moment equals folding the events that occurred at or before it",
    [modelArb(), fc.nat()],
    ([model, pick]) => {
      const { log } = run(model)
      if (log.length === 0) return
      const at = log[pick % log.length]!.occurredAt
      const upTo = log.filter((e) => e.occurredAt <= at)
      expect(upTo).toEqual(log.slice(0, upTo.length)) // time never goes backwards in a log
      expect(snapshot(fold(log, Replay.untilTime(at)))).toEqual(snapshot(fold(upTo)))
    },
    { fastCheck: fastCheck(100) },
  )

  it.prop(
    "an agreement exists only when every party the rules require has accepted the same offer and every required principal has ratified it",
    [modelArb()],
    ([model]) => {
      const { turns, log } = run(model)
      for (const turn of turns) {
        const s = turn.after
        expect(s.status === "agreed").toBe(s.agreement !== undefined)
        if (s.agreement === undefined) continue
        const upTo = log.slice(0, s.version)
        const offer = offersInOrder(s).find((o) => o.offerId === s.agreement!.offerId)!
        expect(offer.status).toBe("accepted")
        expect(offer.complete).toBe(true)
        expect(Object.keys(offer.terms).sort()).toEqual(s.issues.map((i) => i.id).sort())
        const acceptedBy = acceptedInLog(upTo, offer)
        for (const p of s.rules.mustAccept) expect(acceptedBy).toContain(p)
        const ratifiedBy = ratifiedInLog(upTo, offer.offerId)
        for (const p of s.rules.mustRatify) expect(ratifiedBy).toContain(p)
        expect(new Set(s.agreement.acceptedBy)).toEqual(acceptedBy)
        // A reported offer binds only once its party confirmed it.
        const made = upTo.find(
          (e) => e.event.type === "OfferMade" && e.event.offerId === offer.offerId,
        )!
        if (made.event.type === "OfferMade" && made.event.provenance.status === "reported")
          expect(
            upTo.some(
              (e) => e.event.type === "OfferConfirmed" && e.event.offerId === offer.offerId,
            ),
          ).toBe(true)
      }
    },
    { fastCheck: fastCheck(RUNS) },
  )

  it.prop(
    "at most one agreement, and nothing is offered, accepted or recorded after a terminal state",
    [modelArb()],
    ([model]) => {
      const { turns } = run(model)
      let agreement: State["agreement"]
      let closed: State["status"] | undefined
      for (const turn of turns) {
        if (closed !== undefined) {
          expect(Either.isLeft(turn.decided)).toBe(true)
          if (Either.isLeft(turn.decided)) expect(turn.decided.left._tag).toBe("NegotiationClosed")
          expect(turn.after.status).toBe(closed)
        }
        if (agreement !== undefined) expect(turn.after.agreement).toBe(agreement)
        agreement = turn.after.agreement
        if (isTerminal(turn.after.status)) closed = turn.after.status
      }
    },
    { fastCheck: fastCheck(RUNS) },
  )

  it.prop(
    "an offer every required party has officially accepted never stays pending, and pending lists exactly the pending offers",
    [modelArb()],
    ([model]) => {
      for (const { after: s } of run(model).turns) {
        const pending = offersInOrder(s).filter((o) => o.status === "pending")
        expect(s.pending).toEqual(pending.map((o) => o.offerId))
        for (const offer of pending) {
          const accepted = officiallyAcceptedBy(offer)
          const concluded = offer.confirmed && s.rules.mustAccept.every((p) => accepted.includes(p))
          expect(concluded, `offer ${offer.offerId} concluded but still pending`).toBe(false)
        }
        if (isTerminal(s.status)) expect(s.pending).toEqual([])
      }
    },
    { fastCheck: fastCheck(RUNS) },
  )

  it.prop(
    "a party the rules require walking out collapses the talks; anyone else walking out does not",
    [modelArb()],
    ([model]) => {
      for (const turn of run(model).turns) {
        const walked = turn.envelopes.find((e) => e.event.type === "PartyWalkedOut")
        if (walked === undefined || walked.event.type !== "PartyWalkedOut") continue
        const { rules } = turn.before
        const required =
          rules.mustAccept.includes(walked.event.by) || rules.mustRatify.includes(walked.event.by)
        expect(turn.after.status).toBe(required ? "collapsed" : turn.before.status)
      }
    },
    { fastCheck: fastCheck(RUNS) },
  )

  it.prop(
    "an impossible history fails replay with a CorruptEvent naming the version where it breaks (an event dropped, repeated, or from another negotiation)",
    [modelArb(), fc.nat(), fc.constantFrom("drop", "repeat", "stranger")],
    ([model, pick, damage]) => {
      const { log } = run(model)
      if (log.length < 2) return
      const k = 1 + (pick % (log.length - 1)) // a 0-based index past the opening event
      const at = log[k]!
      const broken =
        damage === "drop"
          ? [...log.slice(0, k), ...log.slice(k + 1)]
          : damage === "repeat"
            ? [...log.slice(0, k + 1), at, ...log.slice(k + 1)]
            : [
                ...log.slice(0, k),
                { ...at, negotiationId: "elsewhere" as typeof at.negotiationId },
                ...log.slice(k + 1),
              ]
      if (damage === "drop" && k === log.length - 1) {
        // Dropping the last event leaves a valid, shorter history.
        expect(Either.isRight(foldState(broken))).toBe(true)
        return
      }
      const result = foldState(broken)
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left._tag).toBe("CorruptEvent")
        expect(result.left.problem).toMatch(/^impossible history in negotiation /)
        expect(result.left.version).toBe(damage === "drop" ? k + 2 : k + 1)
        expect(result.left.message).toContain(`at version ${result.left.version} `)
      }
    },
    { fastCheck: fastCheck(150) },
  )

  it("the command model reaches every outcome (so the properties above are not vacuous)", () => {
    const models = fc.sample(modelArb(), { numRuns: 400, seed })
    const seen = new Map<string, number>()
    const count = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1)
    for (const model of models as ReadonlyArray<Model>) {
      const { turns, state } = run(model)
      count(`status:${state.status}`)
      if (state.agreement !== undefined && state.rules.mustRatify.length > 0) count("ratified")
      if (Object.keys(state.partialAgreements).length > 0) count("partial")
      for (const t of turns)
        count(
          Either.isLeft(t.decided)
            ? `rejected:${t.decided.left._tag}`
            : `event:${t.decided.right[0]!.type}`,
        )
    }
    const expected = [
      "status:open",
      "status:agreed",
      "status:collapsed",
      "status:expired",
      "status:suspended",
      "status:unopened",
      "ratified",
      "partial",
      "rejected:OutOfOrder",
      "rejected:UnconfirmedOffer",
      "rejected:DuplicateOffer",
      "rejected:InvalidTerms",
      "rejected:NegotiationClosed",
      "rejected:AwaitingRatification",
      "rejected:DeadlineReached",
      "rejected:UnknownParty",
      "rejected:InvalidSetup",
      "event:OfferConfirmed",
      "event:OfferDenied",
      "event:OfferWithdrawn",
      "event:OfferRejected",
      "event:AgreementRatified",
      "event:DeadlinePassed",
      "event:TalksResumed",
    ]
    const missing = expected.filter((k) => !seen.has(k))
    expect(missing, JSON.stringify(Object.fromEntries(seen))).toEqual([])
  })
})
