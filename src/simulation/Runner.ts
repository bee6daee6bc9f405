/**
 * The runner: plays a compiled scenario through the event log. It opens the
 * negotiation, records the scripted timeline, then lets each party's strategy
 * move in turn under the scenario's protocol until agreement, collapse or the
 * deadline. Every step is a command that the decider judges and the
 * {@link EventStore} records, so a run is an ordinary event log that replays
 * like any other. The runner writes through the command handler's
 * `BufferedWriter` (a turn's or a run's commands in, one commit out) and
 * copies a fork's recorded prefix with `forkEnvelopes` (`app/Fork.ts`).
 *
 * The turn loop lives here; who moves when and how a move is gathered is the
 * protocol's (`protocols/`), the timeline lines are the trace's (`Trace.ts`),
 * simulated time is the clock's (`Clock.ts`) and the strategies are prepared
 * in `Prepare.ts`.
 *
 * Runs are deterministic: time is simulated (one step per turn from the
 * scenario's clock) and randomness comes from a seeded generator per party,
 * so the same scenario, seed and parameters give a byte-identical log.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import type { Moment } from "../analysis/Preferences.ts"
import { BufferedWriter } from "../app/CommandHandler.ts"
import { forkEnvelopes, resumeTurn } from "../app/Fork.ts"
import { foldState } from "../app/Projection.ts"
import type { NegotiationCommand } from "../domain/Command.ts"
import type { EventEnvelope, Metadata } from "../domain/Event.ts"
import type { NegotiationId, OfferId, PartyId } from "../domain/Ids.ts"
import {
  findOffer,
  initialState,
  isTerminal,
  type Offer,
  type State,
} from "../domain/Negotiation.ts"
import type { InvariantViolation, Rejection } from "../domain/Rejection.ts"
import {
  type CorruptEvent,
  EventStore,
  ExpectedVersion,
  type StoreError,
  type VersionConflict,
} from "../store/EventStore.ts"
import { SimulatedClock } from "./Clock.ts"
import { type Prepared, StrategyError, startPlayers } from "./Prepare.ts"
import { talksOf } from "./protocols/index.ts"
import { moveTime, type RunScores, scoreOutcome } from "./Scores.ts"
import { isPromiseLike, type Move, type Turn, type TurnMessage } from "./Strategy.ts"
import {
  acceptedLine,
  deadlineLine,
  offeredLine,
  ratifiedLine,
  rejectedLine,
  settledLine,
  type TraceEntry,
  Tracer,
  timelineLine,
  walkedOutLine,
} from "./Trace.ts"

export {
  type Agents,
  isRemoteSpec,
  needsTransport,
  type Prepared,
  type PrepareOptions,
  prepare,
  StrategyError,
} from "./Prepare.ts"
export type { TraceEntry } from "./Trace.ts"

/** What a run produced. */
export interface RunResult {
  readonly negotiationId: NegotiationId
  readonly state: State
  /** Simulated rounds played (0 when the timeline already ended the talks). */
  readonly rounds: number
  readonly events: number
  readonly trace: ReadonlyArray<TraceEntry>
  /** When the talks ended (agreement, walk-out or deadline): normalised time and round. */
  readonly end: Moment
  /** What the outcome is worth to each party (see `Scores.ts`). */
  readonly scores: RunScores
}

/** Options of a run. */
export interface RunOptions {
  readonly seed: number
  /** The negotiation id to record under (default: the scenario's id). */
  readonly negotiationId?: NegotiationId | undefined
  /** Play on from a recorded negotiation's first events instead of the scenario's timeline. */
  readonly fork?:
    | { readonly events: ReadonlyArray<EventEnvelope>; readonly from: string }
    | undefined
  /**
   * When the run's buffered events are appended: after every turn (default:
   * a subscriber sees each move as it is made, one commit per turn), or once
   * at the end (Monte Carlo in memory: the same log, far fewer appends).
   */
  readonly appendEvery?: "turn" | "run" | undefined
  /** Record a trace (timeline lines); off for Monte Carlo. */
  readonly trace?: boolean | undefined
  /** Extra metadata recorded on the opening event (Monte Carlo notes the scenario file and seed). */
  readonly openingMetadata?: Metadata | undefined
}

type RunError =
  | Rejection
  | VersionConflict
  | StoreError
  | CorruptEvent
  | InvariantViolation
  | StrategyError

/** Plays one run of a prepared scenario through the {@link EventStore} in context. */
export const run = (
  prepared: Prepared,
  options: RunOptions,
): Effect.Effect<RunResult, RunError, EventStore> =>
  Effect.gen(function* () {
    const { compiled } = prepared
    const { scenario } = compiled
    const id = options.negotiationId ?? scenario.id
    const flushEvery = options.appendEvery ?? "turn"
    // The per-move call sites test `tracer.on` first, so that a batch does not even build a line.
    const tracer = new Tracer(options.trace ?? false, prepared.parties)
    let state: State = initialState
    let events = 0
    const metadata = (m: Metadata): Metadata =>
      options.fork === undefined ? m : { ...m, forkedFrom: options.fork.from }

    // The command handler's writer decides synchronously and buffers; `flush` appends the
    // buffer as one commit per turn (or per run), expecting the version it was decided on.
    const store = yield* EventStore
    const writer = new BufferedWriter(id)
    const flush = writer.append(store)
    /** Decides a command through the writer; its events join the buffer. */
    const step = (
      command: NegotiationCommand,
      context: Metadata,
    ): Either.Either<ReadonlyArray<EventEnvelope>, Rejection | InvariantViolation> => {
      const decided = writer.decide(command, { metadata: metadata(context) })
      if (Either.isRight(decided)) {
        state = writer.state
        events += decided.right.length
      }
      return decided
    }

    const fork = options.fork
    if (fork !== undefined) {
      // Re-record the recorded prefix under the new id, then play on.
      const { envelopes } = yield* store.append(
        id,
        forkEnvelopes(fork, id),
        ExpectedVersion.NoStream,
      )
      state = yield* foldState(envelopes)
      events = envelopes.length
      writer.reset(state)
      tracer.note(() => ({
        round: null,
        at: state.updatedAt ?? compiled.simulationStart,
        version: state.version,
        party: null,
        move: `replayed ${envelopes.length} events of ${fork.from}`,
        status: "official",
      }))
    } else {
      yield* step(
        { ...compiled.open, negotiationId: id },
        { ...options.openingMetadata, source: "scenario" },
      )
      tracer.note(() => ({
        round: null,
        at: compiled.open.at,
        version: 1,
        party: null,
        move: "opened",
        status: "official",
      }))
      for (const [i, command] of compiled.timeline.entries()) {
        const envelopes = yield* step(command, { source: "timeline", move: i })
        tracer.note(() =>
          timelineLine(command, scenario.timeline[i]!, envelopes.at(-1)?.version ?? state.version),
        )
      }
    }

    yield* flush

    const players = yield* startPlayers(prepared, options.seed)
    const protocol = scenario.protocol
    const rounds = protocol.rounds
    const clock = new SimulatedClock(
      Math.max(
        Date.parse(compiled.simulationStart),
        Date.parse(state.updatedAt ?? compiled.simulationStart),
      ),
      state.rules.deadline,
    )
    // Who moves when, what a turn shows and how a move is gathered: the protocol's.
    const talks = talksOf({
      protocol,
      order: compiled.order,
      state,
      issues: scenario.issues,
      space: prepared.space,
      parties: prepared.parties,
    })

    let played = 0
    let deadlinePassed = false
    let offers = 0
    let replyTo: OfferId | undefined
    // Offers already on the record (a timeline's or a replayed branch's) may hold the ids the
    // simulation would give; without any, its counter alone keeps ids unique (no lookup per offer).
    const offersOnRecord = state.round > 0
    const strategyError = (party: PartyId, round: number, problem: string) =>
      new StrategyError({
        party,
        strategy: players.get(party)?.strategy.name ?? "none",
        round,
        problem,
      })

    // What parties said with their moves, and how much of it each party has been shown.
    const said: Array<TurnMessage> = []
    const heard = new Map<PartyId, number>()
    const noMessages: ReadonlyArray<TurnMessage> = []
    const messagesFor = (party: PartyId): ReadonlyArray<TurnMessage> => {
      if (said.length === 0) return noMessages
      const from = heard.get(party) ?? 0
      heard.set(party, said.length)
      return from === said.length ? noMessages : said.slice(from).filter((m) => m.party !== party)
    }

    /** {@link step} for a party's move: a refusal is the strategy's error. */
    const stepFor = (
      party: PartyId,
      round: number,
      meta: Metadata,
      command: NegotiationCommand,
    ): StrategyError | undefined => {
      const done = step(command, meta)
      return Either.isLeft(done) ? strategyError(party, round, done.left.message) : undefined
    }

    /**
     * Carries out a move (synchronously, into the buffer). Whether an offer
     * proposes, and to whom, is the protocol's (in single-text only the
     * mediator proposes; the others accept or reject its text).
     */
    const act = (
      party: PartyId,
      round: number,
      time: number,
      move: Move,
      table: Offer | undefined,
    ): StrategyError | undefined => {
      const at = clock.now()
      const strategy = players.get(party)!.strategy.name
      // The player's metadata (who answered, a fallback's reason) is kept; the runner's keys win.
      // `time` is the mover's own time (`Scores.moveTime`), recorded on every event it causes.
      const meta: Metadata =
        move.metadata === undefined
          ? { source: "simulation", strategy, round, time }
          : { ...move.metadata, source: "simulation", strategy, round, time }
      const message = move.message
      if (message !== undefined) said.push({ party, round, move: move.type, message })
      switch (move.type) {
        case "accept": {
          if (table === undefined)
            return strategyError(party, round, "accepted with no offer on the table")
          const judgement = talks.judged(state, party, move, table)
          const failed = stepFor(
            party,
            round,
            move.rule === undefined ? meta : { ...meta, acceptance: move.rule },
            { type: "AcceptOffer", at, offerId: table.offerId, by: party, ...judgement, message },
          )
          if (failed !== undefined) return failed
          if (tracer.on)
            tracer.push(acceptedLine(party, round, at, move, state.version, table, judgement))
          return undefined
        }
        case "confirm":
        case "deny": {
          const failed = stepFor(
            party,
            round,
            meta,
            move.type === "confirm"
              ? { type: "ConfirmOffer", at, offerId: move.offerId, by: party }
              : {
                  type: "DenyOffer",
                  at,
                  offerId: move.offerId,
                  by: party,
                  ...(move.statement === undefined ? {} : { statement: move.statement }),
                },
          )
          if (failed !== undefined) return failed
          if (tracer.on) tracer.push(settledLine(party, round, at, move, state.version))
          return undefined
        }
        case "reject":
        case "offer": {
          if (table !== undefined) {
            const judgement = talks.judged(
              state,
              party,
              move.type === "reject" ? move : { type: "reject" },
              table,
            )
            const failed = stepFor(party, round, meta, {
              type: "RejectOffer",
              at,
              offerId: table.offerId,
              by: party,
              ...(move.type === "reject" && move.reason !== undefined
                ? { reason: move.reason }
                : {}),
              ...judgement,
              message: move.type === "reject" ? message : undefined,
            })
            if (failed !== undefined) return failed
            if (tracer.on)
              tracer.push(
                rejectedLine(
                  party,
                  round,
                  at,
                  move.type === "reject" ? move : undefined,
                  state.version,
                  table,
                  judgement,
                ),
              )
          }
          if (move.type === "offer" && talks.proposes(party)) {
            // Numbered past any offer already on the record (a branch replays earlier runs' offers).
            let offerId = `${party}-${++offers}` as OfferId
            while (offersOnRecord && findOffer(state, offerId) !== undefined)
              offerId = `${party}-${++offers}` as OfferId
            const to = talks.addressees(party)
            const failed = stepFor(party, round, meta, {
              type: "MakeOffer",
              at,
              offerId,
              by: party,
              ...(to === undefined ? {} : { to }),
              terms: move.terms,
              ...(move.currentText === undefined ? {} : { currentText: move.currentText }),
              ...(table === undefined && replyTo === undefined
                ? {}
                : { inReplyTo: table?.offerId ?? replyTo }),
              message,
            })
            if (failed !== undefined) return failed
            if (tracer.on) tracer.push(offeredLine(party, round, at, move, state.version, offerId))
          }
          return undefined
        }
        case "walk-out": {
          const failed = stepFor(party, round, meta, {
            type: "WalkOut",
            at,
            by: party,
            ...(move.reason === undefined ? {} : { reason: move.reason }),
            message,
          })
          if (failed !== undefined) return failed
          if (tracer.on) tracer.push(walkedOutLine(party, round, at, move, state.version))
          return undefined
        }
      }
    }

    // Whether the agents see the deadline (the rounds it allows, their last turn) or only their time.
    const shown = protocol.deadlineShown !== false
    const turnOf = (party: PartyId, round: number, time: number, last: boolean): Turn =>
      shown
        ? {
            state,
            round,
            rounds,
            time,
            last,
            onTable: talks.onTable(state, party),
            messages: messagesFor(party),
          }
        : {
            state,
            round,
            time,
            onTable: talks.onTable(state, party),
            messages: messagesFor(party),
          }

    const awaitingRatification = () =>
      state.acceptedOffer !== undefined &&
      state.agreement === undefined &&
      !isTerminal(state.status)

    /** Asks each party that must ratify an accepted offer; a refusal is a walk-out. */
    const ratifyIfNeeded = (
      round: number,
      time: number,
      last: boolean,
    ): Effect.Effect<Rejection | InvariantViolation | undefined> =>
      Effect.gen(function* () {
        if (!awaitingRatification()) return undefined
        const offer = findOffer(state, state.acceptedOffer!)!
        for (const party of state.rules.mustRatify) {
          if (isTerminal(state.status)) return undefined
          const entry = players.get(party)
          const asked = entry?.player.ratify?.(turnOf(party, round, time, last), offer)
          const answer = isPromiseLike(asked) ? yield* Effect.promise(() => asked) : asked
          const yes =
            (typeof answer === "object" ? answer.ratify : answer) ??
            prepared.parties.find((p) => p.id === party)!.acceptable(offer.terms)
          const at = clock.now()
          const base = {
            source: "simulation",
            strategy: entry?.strategy.name ?? "none",
            round,
            time,
          }
          // As with a move, the player's metadata (who answered) is kept; the runner's keys win.
          const meta =
            typeof answer === "object" && answer.metadata !== undefined
              ? { ...answer.metadata, ...base }
              : base
          const done = yes
            ? step({ type: "RatifyAgreement", at, offerId: offer.offerId, by: party }, meta)
            : step({ type: "WalkOut", at, by: party, reason: "refused to ratify" }, meta)
          if (Either.isLeft(done)) return done.left
          tracer.note(() => ratifiedLine(party, round, at, yes, state.version, offer))
        }
        return undefined
      })

    // Turns cycle through the order without restarting each round, so alternation holds across rounds.
    const { turnOrder } = talks
    const turns = rounds * turnOrder.length
    // A branch carries the recorded talks on: the turn after the last simulated move on record,
    // in the same round, with each party's own time going on (what is pending is answered first).
    const { first, from, offersMade, within } = resumeTurn(talks, fork?.events)
    offers = offersMade
    // A branch cut inside a move: its counter-offer answers the offer rejected just before the cut.
    replyTo = within
    if (from > 0) {
      if (within === undefined) clock.advance(compiled.turnMs)
      played = Math.floor((from - 1) / turnOrder.length) + 1
    }
    // The time of the last move made (the moment an agreement is reached at).
    let lastTime = 0
    for (let t = from; t < turns; t++) {
      const round = Math.floor(t / turnOrder.length)
      const party = turnOrder[(first + t) % turnOrder.length]!
      if (isTerminal(state.status) || clock.pastDeadline()) break
      played = round + 1
      const entry = players.get(party)
      const self = state.parties.find((p) => p.id === party)
      if (entry !== undefined && self?.present === true) {
        // Each move has its own time: the second mover of a round moves later than the first.
        const time = moveTime(t, turns)
        const last = t + turnOrder.length >= turns
        const turn = turnOf(party, round, time, last)
        lastTime = time
        // A local strategy answers at once; a remote agent or a person may take time (a promise).
        const chosen = talks.moveOf(party, entry.player, turn)
        const move = isPromiseLike(chosen) ? yield* Effect.promise(() => chosen) : chosen
        const failed =
          act(party, round, time, move, turn.onTable) ??
          (awaitingRatification() ? yield* ratifyIfNeeded(round, time, last) : undefined)
        if (failed !== undefined) return yield* failed
        replyTo = undefined
        if (flushEvery === "turn") yield* flush
      }
      clock.advance(compiled.turnMs)
    }
    if (!isTerminal(state.status) && clock.deadline !== undefined) {
      clock.toDeadline()
      yield* step({ type: "DeclareDeadlinePassed", at: clock.now() }, { source: "simulation" })
      deadlinePassed = true
      tracer.note(() => deadlineLine(played, clock.now(), state.version))
    }
    yield* flush
    const lastRound = Math.max(0, played - 1)
    const end: Moment = {
      time: deadlinePassed ? 1 : lastTime,
      round: lastRound,
    }
    const scores = scoreOutcome(prepared.parties, state.agreement?.terms, end)
    return { negotiationId: id, state, rounds: played, events, trace: tracer.entries, end, scores }
  })
