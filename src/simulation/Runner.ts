/**
 * The runner: plays a compiled scenario through the event log. It opens the
 * negotiation, records the scripted timeline, then lets each party's strategy
 * move in turn under the scenario's protocol until agreement, collapse or the
 * deadline. Every step is a command that the decider judges and the
 * {@link EventStore} records, so a run is an ordinary event log that replays
 * like any other.
 *
 * Runs are deterministic: time is simulated (one step per turn from the
 * scenario's clock) and randomness comes from a seeded generator per party,
 * so the same scenario, seed and parameters give a byte-identical log.
 *
 * @since 0.1.0
 */
import { Effect, Either, Schema } from "effect"
import { type OutcomeSpace, outcomeSpace } from "../analysis/OutcomeSpace.ts"
import { acceptable, type Moment, type PartyPreferences, utility } from "../analysis/Preferences.ts"
import { decideLocally, eventIdFor, toPending } from "../app/CommandHandler.ts"
import { foldState } from "../app/Projection.ts"
import type { NegotiationCommand } from "../domain/Command.ts"
import { messageOf } from "../domain/Errors.ts"
import type { EventEnvelope, Instant, Metadata, PendingEvent } from "../domain/Event.ts"
import type { NegotiationId, OfferId, PartyId } from "../domain/Ids.ts"
import type { Terms } from "../domain/Issue.ts"
import {
  findOffer,
  initialState,
  isTerminal,
  type Offer,
  type State,
} from "../domain/Negotiation.ts"
import type { InvariantViolation, Rejection } from "../domain/Rejection.ts"
import { type AgentTransport, remote } from "../remote/Player.ts"
import type { CompiledScenario } from "../scenario/Load.ts"
import { ScenarioError } from "../scenario/Load.ts"
import { realSteps } from "../scenario/Scenario.ts"
import {
  type CorruptEvent,
  EventStore,
  ExpectedVersion,
  type StoreError,
  type VersionConflict,
} from "../store/EventStore.ts"
import { honestJudge, type Judgement } from "./mediation/Judgement.ts"
import { seeded } from "./Random.ts"
import { normalisedTime, type RunScores, scoreOutcome } from "./Scores.ts"
import {
  type AsyncPlayer,
  isPromiseLike,
  isStrategy,
  type Move,
  type PartyView,
  partyView,
  type Strategy,
  type Turn,
  type TurnMessage,
} from "./Strategy.ts"
import { decodeStrategySpec, make as makeStrategy, strategyProblem } from "./strategies/index.ts"

/** Whether a strategy value (a spec or a `Strategy`) names a remote agent, so that a run needs a connection. */
export const isRemoteSpec = (raw: unknown): boolean =>
  typeof raw === "object" && raw !== null && (raw as { kind?: unknown }).kind === "remote"

/** Whether any party of the scenario, or any of `agents`, is a remote agent. */
export const needsTransport = (compiled: CompiledScenario, agents: Agents = {}): boolean =>
  compiled.scenario.parties.some((p) =>
    isRemoteSpec(Object.hasOwn(agents, p.id) ? agents[p.id] : p.strategy),
  )

/**
 * A strategy's move that the rules refuse (a bug in the strategy), or a
 * strategy that could not start (`round` -1), reported with its context.
 */
export class StrategyError extends Schema.TaggedError<StrategyError>()("StrategyError", {
  party: Schema.String,
  strategy: Schema.String,
  round: Schema.Number,
  problem: Schema.String,
}) {
  override get message() {
    return this.round < 0
      ? `strategy ${this.strategy} of ${this.party} could not start: ${this.problem}`
      : `strategy ${this.strategy} of ${this.party} made an impossible move in round ${this.round}: ${this.problem}`
  }
}

/** How the timeline names each kind of move. */
const moveOfCommand: Record<NegotiationCommand["type"], string> = {
  OpenNegotiation: "opened",
  MakeOffer: "offered",
  ConfirmOffer: "confirmed",
  DenyOffer: "denied",
  AcceptOffer: "accepted",
  RejectOffer: "rejected",
  WithdrawOffer: "withdrew",
  RatifyAgreement: "ratified",
  StatePosition: "stated position",
  WalkOut: "walked out",
  SuspendTalks: "suspended talks",
  ResumeTalks: "resumed talks",
  DeclareDeadlinePassed: "deadline passed",
}

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

/** Everything about a scenario a run needs that does not change between runs. */
export interface Prepared {
  readonly compiled: CompiledScenario
  readonly space: OutcomeSpace
  readonly parties: ReadonlyArray<{
    readonly id: PartyId
    readonly strategy: Strategy<AsyncPlayer> | undefined
    readonly preferences: PartyPreferences | undefined
    readonly utility: (terms: Terms) => number
    readonly acceptable: (terms: Terms) => boolean
  }>
}

const resolveStrategy = (
  compiled: CompiledScenario,
  path: string,
  raw: unknown,
  transport: AgentTransport | undefined,
): Either.Either<Strategy<AsyncPlayer> | undefined, ScenarioError> => {
  if (raw === undefined) return Either.right(undefined)
  if (isStrategy(raw)) return Either.right(raw)
  return Either.match(decodeStrategySpec(raw), {
    onLeft: (e) =>
      Either.left(
        new ScenarioError({
          file: compiled.file,
          path,
          problem: strategyProblem(e),
        }),
      ),
    onRight: (spec) => {
      if (spec.kind !== "remote") return Either.right(makeStrategy(spec))
      if (transport === undefined)
        return Either.left(
          new ScenarioError({
            file: compiled.file,
            path,
            problem: `a remote agent (subject ${spec.subject}) needs a connection to its agent: parley run, simulate, sweep and tournament give it one (--nats URL or PARLEY_NATS_URL)`,
          }),
        )
      return Either.right(remote(spec, transport, makeStrategy(spec.fallback)))
    },
  })
}

/** What {@link prepare} may be given besides the scenario and its agents. */
export interface PrepareOptions {
  /** How to reach remote agents (`{ kind: "remote" }` strategies); without it, one is an error. */
  readonly transport?: AgentTransport | undefined
}

/**
 * Strategies that replace the scenario's, per party id (`parley run|simulate
 * --agent party=strategy`): a spec (JSON-shaped) or a `Strategy` object.
 */
export type Agents = Readonly<Record<string, unknown>>

/**
 * Prepares a compiled scenario for running: strategies (the scenario's, or
 * `agents`' for the parties it names), utilities, the outcome space.
 */
export const prepare = (
  compiled: CompiledScenario,
  agents: Agents = {},
  options: PrepareOptions = {},
): Either.Either<Prepared, ScenarioError> => {
  const { scenario } = compiled
  for (const id of Object.keys(agents))
    if (!scenario.parties.some((p) => p.id === id))
      return Either.left(
        new ScenarioError({
          file: compiled.file,
          path: `--agent ${id}`,
          problem: `unknown party (this scenario has ${scenario.parties.map((p) => p.id).join(", ")})`,
        }),
      )
  const space = outcomeSpace(scenario.issues, { realStep: realSteps(scenario) })
  if (Either.isLeft(space))
    return Either.left(
      new ScenarioError({ file: compiled.file, path: "issues", problem: space.left }),
    )
  const parties: Array<Prepared["parties"][number]> = []
  for (const [i, p] of scenario.parties.entries()) {
    const replaced = Object.hasOwn(agents, p.id)
    const strategy = resolveStrategy(
      compiled,
      replaced ? `--agent ${p.id}` : `parties[${i}].strategy`,
      replaced ? agents[p.id] : p.strategy,
      options.transport,
    )
    if (Either.isLeft(strategy)) return Either.left(strategy.left)
    const preferences = p.preferences as PartyPreferences | undefined
    parties.push({
      id: p.id,
      strategy: strategy.right,
      preferences,
      utility: preferences === undefined ? () => 0 : utility(preferences, scenario.issues),
      acceptable: preferences === undefined ? () => true : acceptable(preferences, scenario.issues),
    })
  }
  return Either.right({ compiled, space: space.right, parties })
}

type RunError =
  | Rejection
  | VersionConflict
  | StoreError
  | CorruptEvent
  | InvariantViolation
  | StrategyError

/** The move an honest judgement makes: accept or reject, with its verdict and criticism. */
const honestMove = (j: Judgement): Move =>
  j.accept
    ? { type: "accept", rule: "honest answer", verdict: j.verdict, criticism: j.criticism }
    : { type: "reject", verdict: j.verdict, criticism: j.criticism }

/**
 * The ISO text of simulated instants, shared by runs: every run of a scenario
 * steps through the same instants, and formatting one per turn was a visible
 * share of a Monte Carlo run. Emptied when it grows past a few scenarios' worth.
 */
const instants = new Map<number, Instant>()
const instantAt = (ms: number): Instant => {
  let text = instants.get(ms)
  if (text === undefined) {
    if (instants.size >= 16_384) instants.clear()
    text = new Date(ms).toISOString() as Instant
    instants.set(ms, text)
  }
  return text
}

/** Plays one run of a prepared scenario through the {@link EventStore} in context. */
export const run = (
  prepared: Prepared,
  options: RunOptions,
): Effect.Effect<RunResult, RunError, EventStore> =>
  Effect.gen(function* () {
    const { compiled } = prepared
    const { scenario } = compiled
    const id = options.negotiationId ?? scenario.id
    const tracing = options.trace ?? false
    const flushEvery = options.appendEvery ?? "turn"
    const trace: Array<TraceEntry> = []
    let state: State = initialState
    let events = 0
    const utilitiesOf = (terms: Terms) => {
      const out: Record<string, number> = {}
      for (const p of prepared.parties)
        if (p.preferences !== undefined) out[p.id] = p.utility(terms)
      return out
    }
    /**
     * Records a trace line (built only when tracing: batches skip the cost). The
     * per-move call sites also test `tracing` first, so that a batch does not even
     * allocate the closure that would build the line.
     */
    const note = (line: () => Omit<TraceEntry, "utilities">) => {
      if (!tracing) return
      const entry = line()
      trace.push(
        entry.terms === undefined ? entry : { ...entry, utilities: utilitiesOf(entry.terms) },
      )
    }
    const metadata = (m: Metadata): Metadata =>
      options.fork === undefined ? m : { ...m, forkedFrom: options.fork.from }

    // Decisions are made locally and buffered; the buffer is appended as one
    // commit per turn (or per run), expecting the version it was decided on.
    const store = yield* EventStore
    let buffer: Array<EventEnvelope> = []
    let flushed = 0
    const flush = Effect.suspend(() => {
      if (buffer.length === 0) return Effect.void
      const commit = buffer
      buffer = []
      const expected = ExpectedVersion.Exact(flushed)
      flushed = commit.at(-1)!.version
      return Effect.asVoid(store.append(id, toPending(commit), expected))
    })
    /** Decides a command locally; its events join the buffer. */
    const step = (
      command: NegotiationCommand,
      context: Metadata,
    ): Either.Either<ReadonlyArray<EventEnvelope>, Rejection | InvariantViolation> =>
      Either.map(decideLocally(id, state, command, { metadata: metadata(context) }), (handled) => {
        state = handled.state
        events += handled.envelopes.length
        for (const e of handled.envelopes) buffer.push(e)
        return handled.envelopes
      })

    const fork = options.fork
    if (fork !== undefined) {
      // Re-record the recorded prefix under the new id, then play on.
      const copied: Array<PendingEvent> = fork.events.map((e) => ({
        eventId: eventIdFor(id, e.version, e.occurredAt, e.event),
        occurredAt: e.occurredAt,
        ...(e.causationId === undefined ? {} : { causationId: e.causationId }),
        ...(e.correlationId === undefined ? {} : { correlationId: e.correlationId }),
        metadata: { ...e.metadata, forkedFrom: fork.from },
        event: e.event,
      }))
      const { envelopes } = yield* store.append(id, copied, ExpectedVersion.NoStream)
      state = yield* foldState(envelopes)
      events = envelopes.length
      flushed = state.version
      note(() => ({
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
      note(() => ({
        round: null,
        at: compiled.open.at,
        version: 1,
        party: null,
        move: "opened",
        status: "official",
      }))
      for (const [i, command] of compiled.timeline.entries()) {
        const envelopes = yield* step(command, { source: "timeline", move: i })
        const move = scenario.timeline[i]!
        note(() => ({
          round: null,
          at: command.at,
          version: envelopes.at(-1)?.version ?? state.version,
          party: "by" in command && command.by !== undefined ? command.by : null,
          move: moveOfCommand[command.type],
          offerId: "offerId" in command ? command.offerId : undefined,
          terms:
            command.type === "MakeOffer"
              ? command.terms
              : command.type === "StatePosition"
                ? command.demands
                : undefined,
          status: move.status,
          sources: move.sources,
          note: move.note,
        }))
      }
    }

    yield* flush

    // Players for this run.
    const players = new Map<
      PartyId,
      { player: AsyncPlayer; strategy: Strategy<AsyncPlayer>; view: PartyView }
    >()
    for (const [index, p] of prepared.parties.entries()) {
      if (p.strategy === undefined) continue
      const declared = scenario.parties[index]!
      const view: PartyView = partyView({
        party: p.id,
        role: declared.role,
        issues: scenario.issues,
        preferences: p.preferences,
        utility: p.utility,
        acceptable: p.acceptable,
        space: prepared.space,
        random: seeded(options.seed, index),
        others: scenario.parties
          .filter((o) => o.id !== p.id)
          .map((o) => ({ party: o.id, role: o.role })),
      })
      // A strategy that cannot start (say, a model refusing a domain too large for it) fails the run with its reason.
      let player: AsyncPlayer
      try {
        player = p.strategy.init(view)
      } catch (e) {
        return yield* new StrategyError({
          party: p.id,
          strategy: p.strategy.name,
          round: -1,
          problem: messageOf(e),
        })
      }
      players.set(p.id, { player, strategy: p.strategy, view })
    }

    const protocol = scenario.protocol
    const rounds = protocol.rounds
    const order = compiled.order
    const mediator = protocol.kind === "single-text" ? protocol.mediator : undefined
    let clock = Math.max(
      Date.parse(compiled.simulationStart),
      Date.parse(state.updatedAt ?? compiled.simulationStart),
    )
    let nowAt = -1
    let nowText = "" as Instant
    const now = () => {
      if (nowAt !== clock) {
        nowAt = clock
        nowText = instantAt(clock)
      }
      return nowText
    }
    const deadline = state.rules.deadline
    const pastDeadline = () => deadline !== undefined && now() > deadline

    // Mediated talks: how each party with preferences judges a text, honestly (mediation/Judgement.ts).
    const judges = new Map<PartyId, (text: Terms, current?: Terms) => Judgement>()
    if (mediator !== undefined)
      for (const p of prepared.parties)
        if (p.preferences !== undefined && p.id !== mediator)
          judges.set(
            p.id,
            honestJudge({
              preferences: p.preferences,
              utility: p.utility,
              issues: scenario.issues,
              space: prepared.space,
            }),
          )
    /** `party`'s honest judgement of a mediator's text, or `undefined` when it is no such text or the party has no preferences. */
    const judgementOf = (party: PartyId, text: Offer | undefined): Judgement | undefined => {
      if (text === undefined || text.by !== mediator) return undefined
      const judge = judges.get(party)
      if (judge === undefined) return undefined
      const current =
        text.currentText === undefined ? undefined : findOffer(state, text.currentText)?.terms
      return judge(text.terms, current)
    }
    /** What an answer records besides yes or no: the move's own verdict and criticism, else the honest ones. */
    const judged = (party: PartyId, move: Move, table: Offer | undefined) => {
      if (mediator === undefined || (move.type !== "accept" && move.type !== "reject"))
        return undefined
      const given = move as { verdict?: Judgement["verdict"]; criticism?: Judgement["criticism"] }
      const honest =
        given.verdict !== undefined && given.criticism !== undefined
          ? undefined
          : judgementOf(party, table)
      const verdict = given.verdict ?? honest?.verdict
      const criticism = given.criticism ?? honest?.criticism
      return {
        ...(verdict === undefined ? {} : { verdict }),
        ...(criticism === undefined ? {} : { criticism }),
      }
    }
    const describeJudgement = (
      j: ReturnType<typeof judged>,
      text: Offer | undefined,
    ): string | undefined => {
      if (j === undefined || j.verdict === undefined) return undefined
      const against = text?.currentText === undefined ? "no agreement" : text.currentText
      const wants = (j.criticism ?? [])
        .map((c) => `${c.issue} → ${c.toward}${c.redLine === true ? " (red line)" : ""}`)
        .join(", ")
      return `${j.verdict} than ${against}${wants === "" ? "" : `; wants ${wants}`}`
    }

    /** Whether `party` has an offer of its own that was only reported and is still pending. */
    const hasOwnReportedOffer = (party: PartyId): boolean => {
      for (const offerId of state.pending) {
        const offer = findOffer(state, offerId)
        if (offer !== undefined && offer.by === party && !offer.confirmed) return true
      }
      return false
    }

    /** The latest pending, answerable offer addressed to `party` by someone else. */
    const onTableFor = (party: PartyId): Offer | undefined => {
      for (let i = state.pending.length - 1; i >= 0; i--) {
        const offer = findOffer(state, state.pending[i]!)
        if (
          offer !== undefined &&
          offer.by !== party &&
          offer.to.includes(party) &&
          offer.confirmed
        ) {
          const answered = offer.responses.some(
            (r) => r.by === party && r.provenance.status === "official",
          )
          if (!answered) return offer
        }
      }
      return undefined
    }

    let played = 0
    let deadlinePassed = false
    let offers = 0
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

    /** A trace line's common part, with what `move` said and its fallback, if any. */
    const traceLine = (party: PartyId, round: number, at: Instant, move: Move | undefined) => {
      const plain = { round, at, party, status: "simulated" as const }
      const message = move?.message
      const fallback = move?.metadata?.fallback
      return message === undefined && fallback === undefined
        ? plain
        : { ...plain, message, ...(typeof fallback === "string" ? { fallback } : {}) }
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
     * Carries out a move (synchronously, into the buffer). In single-text only
     * the mediator proposes; the others accept or reject its text.
     */
    const act = (
      party: PartyId,
      round: number,
      move: Move,
      table: Offer | undefined,
    ): StrategyError | undefined => {
      const at = now()
      const strategy = players.get(party)!.strategy.name
      // The player's metadata (who answered, a fallback's reason) is kept; the runner's keys win.
      const meta: Metadata =
        move.metadata === undefined
          ? { source: "simulation", strategy, round }
          : { ...move.metadata, source: "simulation", strategy, round }
      const message = move.message
      if (message !== undefined) said.push({ party, round, move: move.type, message })
      switch (move.type) {
        case "accept": {
          if (table === undefined)
            return strategyError(party, round, "accepted with no offer on the table")
          const judgement = judged(party, move, table)
          const done = step(
            { type: "AcceptOffer", at, offerId: table.offerId, by: party, ...judgement, message },
            move.rule === undefined ? meta : { ...meta, acceptance: move.rule },
          )
          if (Either.isLeft(done)) return strategyError(party, round, done.left.message)
          if (tracing)
            note(() => {
              const notes = [
                move.rule === undefined ? undefined : `by ${move.rule}`,
                describeJudgement(judgement, table),
              ].filter((x) => x !== undefined)
              return {
                ...traceLine(party, round, at, move),
                version: state.version,
                move: "accepted",
                offerId: table.offerId,
                terms: table.terms,
                ...(notes.length === 0 ? {} : { note: notes.join("; ") }),
              }
            })
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
          if (tracing)
            note(() => ({
              ...traceLine(party, round, at, move),
              version: state.version,
              move: move.type === "confirm" ? "confirmed" : "denied",
              offerId: move.offerId,
              note: move.type === "deny" ? move.statement : undefined,
            }))
          return undefined
        }
        case "reject":
        case "offer": {
          if (table !== undefined) {
            const judgement =
              move.type === "reject"
                ? judged(party, move, table)
                : judged(party, { type: "reject" }, table)
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
            if (tracing)
              note(() => {
                const described = describeJudgement(judgement, table)
                return {
                  ...traceLine(party, round, at, move.type === "reject" ? move : undefined),
                  version: state.version,
                  move: "rejected",
                  offerId: table.offerId,
                  ...(described === undefined ? {} : { note: described }),
                }
              })
          }
          if (move.type === "offer" && (party === mediator || mediator === undefined)) {
            // Numbered past any offer already on the record (a branch replays earlier runs' offers).
            let offerId = `${party}-${++offers}` as OfferId
            while (offersOnRecord && findOffer(state, offerId) !== undefined)
              offerId = `${party}-${++offers}` as OfferId
            const failed = stepFor(party, round, meta, {
              type: "MakeOffer",
              at,
              offerId,
              by: party,
              ...(party === mediator ? { to: order } : {}),
              terms: move.terms,
              ...(move.currentText === undefined ? {} : { currentText: move.currentText }),
              ...(table === undefined ? {} : { inReplyTo: table.offerId }),
              message,
            })
            if (failed !== undefined) return failed
            if (tracing)
              note(() => ({
                ...traceLine(party, round, at, move),
                version: state.version,
                move: "offered",
                offerId,
                terms: move.terms,
              }))
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
          if (tracing)
            note(() => ({
              ...traceLine(party, round, at, move),
              version: state.version,
              move: "walked out",
              note: move.reason,
            }))
          return undefined
        }
      }
    }

    const turnOf = (party: PartyId, round: number, last = round >= rounds - 1): Turn => ({
      state,
      round,
      rounds,
      time: normalisedTime(round, rounds),
      last,
      onTable: onTableFor(party),
      messages: messagesFor(party),
    })

    const awaitingRatification = () =>
      state.acceptedOffer !== undefined &&
      state.agreement === undefined &&
      !isTerminal(state.status)

    /** Asks each party that must ratify an accepted offer; a refusal is a walk-out. */
    const ratifyIfNeeded = (
      round: number,
    ): Effect.Effect<Rejection | InvariantViolation | undefined> =>
      Effect.gen(function* () {
        if (!awaitingRatification()) return undefined
        const offer = findOffer(state, state.acceptedOffer!)!
        for (const party of state.rules.mustRatify) {
          if (isTerminal(state.status)) return undefined
          const entry = players.get(party)
          const asked = entry?.player.ratify?.(turnOf(party, round), offer)
          const answer = isPromiseLike(asked) ? yield* Effect.promise(() => asked) : asked
          const yes =
            (typeof answer === "object" ? answer.ratify : answer) ??
            prepared.parties.find((p) => p.id === party)!.acceptable(offer.terms)
          const at = now()
          const base = { source: "simulation", strategy: entry?.strategy.name ?? "none", round }
          // As with a move, the player's metadata (who answered) is kept; the runner's keys win.
          const meta =
            typeof answer === "object" && answer.metadata !== undefined
              ? { ...answer.metadata, ...base }
              : base
          const done = yes
            ? step({ type: "RatifyAgreement", at, offerId: offer.offerId, by: party }, meta)
            : step({ type: "WalkOut", at, by: party, reason: "refused to ratify" }, meta)
          if (Either.isLeft(done)) return done.left
          note(() => ({
            round,
            at,
            party,
            status: "simulated",
            version: state.version,
            move: yes ? "ratified" : "refused to ratify",
            ...(yes ? { offerId: offer.offerId } : {}),
          }))
        }
        return undefined
      })

    const turnOrder: ReadonlyArray<PartyId> = mediator === undefined ? order : [mediator, ...order]
    // In alternating protocols the party after the last offerer moves first.
    const lastOffer = state.pending.length > 0 ? findOffer(state, state.pending.at(-1)!) : undefined
    const first =
      lastOffer === undefined || mediator !== undefined
        ? 0
        : (turnOrder.indexOf(lastOffer.by) + 1) % turnOrder.length

    // Turns cycle through the order without restarting each round, so alternation holds across rounds.
    const turns = rounds * turnOrder.length
    for (let t = 0; t < turns; t++) {
      const round = Math.floor(t / turnOrder.length)
      const party = turnOrder[(first + t) % turnOrder.length]!
      if (isTerminal(state.status) || pastDeadline()) break
      played = round + 1
      const entry = players.get(party)
      const self = state.parties.find((p) => p.id === party)
      if (entry !== undefined && self?.present === true) {
        const turn = turnOf(party, round, t + turnOrder.length >= turns)
        // A local strategy answers at once; a remote agent or a person may take time (a promise).
        // A mediator's text is answered by the player's own `answer`, else honestly, else by its move.
        const text = mediator === undefined ? undefined : turn.onTable
        const honest =
          text === undefined || text.by !== mediator || entry.player.answer !== undefined
            ? undefined
            : judgementOf(party, text)
        // Before answering texts, a principal may confirm or deny its own offer that was only
        // reported (the scenario's credibility assumption): its player is asked to move, and a
        // confirm or deny is the turn's move; any other answer gives way to the text's answer.
        const settling = honest !== undefined && hasOwnReportedOffer(party)
        const settled = settling ? entry.player.move(turn) : undefined
        const settledMove =
          settled === undefined || !isPromiseLike(settled)
            ? settled
            : yield* Effect.promise(() => settled)
        const chosen =
          settledMove !== undefined &&
          (settledMove.type === "confirm" || settledMove.type === "deny")
            ? settledMove
            : text !== undefined && text.by === mediator && entry.player.answer !== undefined
              ? entry.player.answer(turn, text)
              : honest !== undefined
                ? honestMove(honest)
                : entry.player.move(turn)
        const move = isPromiseLike(chosen) ? yield* Effect.promise(() => chosen) : chosen
        const failed =
          act(party, round, move, turn.onTable) ??
          (awaitingRatification() ? yield* ratifyIfNeeded(round) : undefined)
        if (failed !== undefined) return yield* failed
        if (flushEvery === "turn") yield* flush
      }
      clock += compiled.turnMs
    }
    if (!isTerminal(state.status) && deadline !== undefined) {
      clock = Math.max(clock, Date.parse(deadline))
      yield* step({ type: "DeclareDeadlinePassed", at: now() }, { source: "simulation" })
      deadlinePassed = true
      note(() => ({
        round: played,
        at: now(),
        party: null,
        status: "simulated",
        version: state.version,
        move: "deadline passed",
      }))
    }
    yield* flush
    const lastRound = Math.max(0, played - 1)
    const end: Moment = {
      time: deadlinePassed ? 1 : played === 0 ? 0 : normalisedTime(lastRound, rounds),
      round: lastRound,
    }
    const scores = scoreOutcome(prepared.parties, state.agreement?.terms, end)
    return { negotiationId: id, state, rounds: played, events, trace, end, scores }
  })
