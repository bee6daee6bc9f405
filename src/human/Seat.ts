/**
 * (One file, over 500 lines, on purpose: the seat's whole protocol with the
 * page — what a person may do, its checks and the timeout — is one contract.)
 *
 * A seat at the table for a person: a strategy whose player, on its turn,
 * waits for the person's move from the live page (`parley serve <scenario>
 * --human <party>`), in the manner of the human–agent league of ANAC
 * (Mell, Gratch, Baarslag, Aydoğan & Jonker 2018, "Results of the First
 * Annual Human-Agent League of the Automated Negotiating Agents
 * Competition", IVA), where people bargain with agents through a web page.
 *
 * Nothing from the page is trusted. A move arrives as a request body; the
 * seat checks, in this order, that it carries the seat's secret token
 * (403), that it answers the turn the seat is waiting for — a per-turn
 * number, so a replayed or stale move is refused (409) —, that it is a move
 * at all (400, decoded with {@link SeatRequest}), and that the decider
 * accepts it against the very state the runner is waiting on (422: a dry run
 * of the commands the runner will issue). Only then does the player's
 * promise resolve, and the runner records the move like any other, marked
 * `actor: "human"` in its events' metadata. A refused move changes nothing.
 *
 * Any move but a ratification may carry a free-text `message` (at most
 * {@link MESSAGE_LIMIT} characters of plain text: no control characters but
 * line breaks and tabs, no bidirectional overrides), as the human–agent
 * league's people talk with their offers: the runner records it on the event
 * and passes it to the other parties' next turns; the seat's view lists what
 * the others said to the person and what the person said. The page shows it
 * with `textContent` only.
 *
 * If the person does not move within the seat's `timeout`, its policy moves
 * for them: `walk-out` (leave the talks) or `reject` (let the turn pass,
 * rejecting the offer on the table), recorded with `actor: "timeout"`.
 *
 * One file: the checks a move passes share the seat's state (its token, the
 * turn it waits on, the timer) in the one closure of `makeSeat`.
 *
 * @since 0.3.0
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import {
  Duration,
  Effect,
  Either,
  type ParseResult,
  Schema,
  type Stream,
  SubscriptionRef,
} from "effect"
import { decideLocally } from "../app/CommandHandler.ts"
import type { NegotiationCommand } from "../domain/Command.ts"
import { deepestIssue } from "../domain/Errors.ts"
import type { Instant, Metadata } from "../domain/Event.ts"
import type { NegotiationId, OfferId, PartyId } from "../domain/Ids.ts"
import { type Issue, Terms, valueProblem } from "../domain/Issue.ts"
import { type Offer, offersInOrder, type State } from "../domain/Negotiation.ts"
import { answerMoves } from "../simulation/Move.ts"
import type {
  AsyncPlayer,
  Move,
  PartyView,
  Ratification,
  Strategy,
  Turn,
  TurnMessage,
} from "../simulation/Strategy.ts"

/** The longest message a person may send with a move, in characters. */
export const MESSAGE_LIMIT = 500

/** Control characters (but tab and line feed) and bidirectional overrides: not plain text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it refuses
const NOT_PLAIN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/

/** Free text a person sends with a move: plain text, not blank, at most {@link MESSAGE_LIMIT} characters. */
export const SeatMessage = Schema.String.pipe(
  Schema.maxLength(MESSAGE_LIMIT, {
    message: () => `a message is at most ${MESSAGE_LIMIT} characters`,
  }),
  Schema.filter((text) =>
    text.trim() === ""
      ? "a message must not be blank (leave it out instead)"
      : NOT_PLAIN.test(text)
        ? "a message is plain text: no control characters (but line breaks and tabs) and no direction overrides"
        : true,
  ),
)

/** The moves a person may make, from the move vocabulary: free text is a {@link SeatMessage}. */
const moves = answerMoves(SeatMessage, Schema.String.pipe(Schema.maxLength(500)))

/** What the person may do on their turn (the body's `move`). */
export const SeatMove = Schema.Union(
  moves.accept,
  moves.reject,
  moves.offer,
  moves["walk-out"],
  /** The answer when the rules ask the party to ratify an accepted offer. */
  Schema.Struct({ type: Schema.Literal("ratify"), ratify: Schema.Boolean }),
)
export type SeatMove = typeof SeatMove.Type

/** A move as the page posts it: the seat's token, the turn it answers, the move. */
export const SeatRequest = Schema.Struct({
  token: Schema.String,
  turn: Schema.Int,
  move: SeatMove,
})
export type SeatRequest = typeof SeatRequest.Type

/** What the idle policy does when the person does not move in time. */
export type TimeoutPolicy = "walk-out" | "reject"

/** An offer as the seat shows it: its terms and what they are worth to the person. */
export interface SeatOffer {
  readonly offerId: string
  readonly by: string
  readonly terms: Terms
  readonly status: string
  /** The person's undiscounted utility of the terms. */
  readonly utility: number
}

/** Everything the person's page shows of the seat (sent as JSON, to that seat only). */
export interface SeatView {
  readonly party: string
  readonly negotiationId: string
  readonly issues: ReadonlyArray<Issue>
  /** The person's utility of no agreement, and their discount per unit of normalised time. */
  readonly reservation: number
  readonly discount: number
  /** Waiting for the others, the person's turn, or the talks are over. */
  readonly phase: "waiting" | "your-turn" | "ended"
  /** What the turn asks: a move, or whether to ratify the accepted offer (shown as `onTable`). */
  readonly ask: "move" | "ratify" | null
  /** The turn the seat waits for (or last waited for): a move must name it. */
  readonly turn: number
  readonly round: number | null
  readonly rounds: number | null
  /** Normalised time, 0 in the first round and 1 in the last. */
  readonly time: number | null
  /** Whether this is the person's last turn before the deadline. */
  readonly last: boolean
  /** The negotiation's own deadline (simulated time), when the rules set one. */
  readonly deadline: string | null
  /** When (wall clock) the idle policy moves for the person, and what it does. */
  readonly answerBy: string | null
  readonly onTimeout: TimeoutPolicy | null
  /** The offer the person must answer, with their utility of it now (discounted) and undiscounted. */
  readonly onTable: (SeatOffer & { readonly discounted: number }) | null
  /** Every offer so far, oldest first (the other side's moves as they happen). */
  readonly offers: ReadonlyArray<SeatOffer>
  /** What the others said to the person with their moves, and what the person said, oldest first. */
  readonly messages: ReadonlyArray<TurnMessage>
  /** How the talks ended, once they have. */
  readonly outcome: {
    readonly status: string
    readonly endedBecause: string | null
    readonly agreement: { readonly terms: Terms; readonly utility: number } | null
  } | null
}

/** A seat's answer to a request: an HTTP status and a JSON body. */
export interface SeatAnswer {
  readonly status: 200 | 400 | 403 | 409 | 422
  readonly body: Readonly<Record<string, unknown>>
}

/** Options of {@link makeSeat}. */
export interface SeatOptions {
  readonly party: PartyId
  readonly negotiationId: NegotiationId
  /** How long the person has for each turn (milliseconds); `undefined` waits for ever. */
  readonly timeoutMs?: number | undefined
  readonly onTimeout?: TimeoutPolicy | undefined
  /** The secret token (default: 32 random bytes, base64url). */
  readonly token?: string | undefined
  /** The wall clock (tests pass their own). */
  readonly now?: (() => number) | undefined
}

/** A person's seat: the strategy to give the runner and the door the page knocks on. */
export interface Seat {
  readonly party: PartyId
  /** The secret the seat's URL carries; only a request with it may move. */
  readonly token: string
  /** Play the party with this (`prepare(compiled, { [party]: seat.strategy })`). */
  readonly strategy: Strategy<AsyncPlayer>
  /** The seat's view: the current one first, then each change. */
  readonly views: Stream.Stream<SeatView>
  /** The view now. */
  readonly view: () => SeatView
  /** Whether `token` is the seat's (in constant time). */
  readonly admits: (token: unknown) => boolean
  /** Judges a posted move (the parsed JSON body); on 200 the runner has it. */
  readonly submit: (body: unknown) => SeatAnswer
  /** The person's utility of terms they are composing: `{ token, terms }` → `{ utility, discounted }`. */
  readonly value: (body: unknown) => SeatAnswer
  /** The talks are over: shows the outcome and refuses further moves. */
  readonly finish: (state: State) => void
}

const digest = (s: string) => createHash("sha256").update(s).digest()

const refuse = (status: SeatAnswer["status"], code: string, error: string): SeatAnswer => ({
  status,
  body: { error, code },
})

const badRequest = (error: ParseResult.ParseError): SeatAnswer => {
  const { path, problem } = deepestIssue(error)
  return refuse(400, "bad-request", path === "" ? problem : `${path}: ${problem}`)
}

const decodeRequest = Schema.decodeUnknownEither(SeatRequest)
const decodeValueRequest = Schema.decodeUnknownEither(
  Schema.Struct({ token: Schema.String, terms: Terms }),
)

/** Why terms are not a full package over the issues (each value checked), or `undefined`. */
export const packageProblem = (issues: ReadonlyArray<Issue>, terms: Terms): string | undefined => {
  for (const key of Object.keys(terms))
    if (!issues.some((i) => i.id === key)) return `unknown issue "${key}"`
  for (const issue of issues) {
    if (!(issue.id in terms)) return `choose a value for ${issue.id}`
    const problem = valueProblem(issue, terms[issue.id]!)
    if (problem !== undefined) return `${issue.id}: ${problem}`
  }
  return undefined
}

/**
 * Whether the decider accepts a move of `party` against `state` with
 * `onTable` to answer: the commands the runner will issue for it (a counter-
 * offer rejects the table first), decided in a dry run. The reason it is
 * illegal, or `undefined`.
 */
export const moveProblem = (
  negotiationId: NegotiationId,
  state: State,
  party: PartyId,
  move: Exclude<SeatMove, { readonly type: "ratify" }>,
  onTable: Offer | undefined,
): string | undefined => {
  const at = (state.updatedAt ?? new Date(0).toISOString()) as Instant
  const commands: Array<NegotiationCommand> = []
  switch (move.type) {
    case "accept":
      if (onTable === undefined) return "there is no offer on the table to accept"
      commands.push({ type: "AcceptOffer", at, offerId: onTable.offerId, by: party })
      break
    case "reject":
      if (onTable === undefined) return "there is no offer on the table to reject"
      commands.push({ type: "RejectOffer", at, offerId: onTable.offerId, by: party })
      break
    case "offer":
      if (onTable !== undefined)
        commands.push({ type: "RejectOffer", at, offerId: onTable.offerId, by: party })
      commands.push({
        type: "MakeOffer",
        at,
        // Any id not yet on the record: the runner numbers the real one.
        offerId: `${party}-seat-check-${state.version}` as OfferId,
        by: party,
        terms: move.terms,
        ...(onTable === undefined ? {} : { inReplyTo: onTable.offerId }),
      })
      break
    case "walk-out":
      commands.push({ type: "WalkOut", at, by: party })
      break
  }
  let current = state
  for (const command of commands) {
    const decided = decideLocally(negotiationId, current, command)
    if (Either.isLeft(decided)) return decided.left.message
    current = decided.right.state
  }
  return undefined
}

const HUMAN: Metadata = { actor: "human" }

/** Makes a seat for `party`; give its `strategy` to the runner and its door to the live server. */
export const makeSeat = (options: SeatOptions): Seat => {
  const token = options.token ?? randomBytes(32).toString("base64url")
  const tokenDigest = digest(token)
  const now = options.now ?? Date.now
  const onTimeout = options.onTimeout ?? "walk-out"
  const timeoutMs = options.timeoutMs
  let partyView: PartyView | undefined
  let turnNumber = 0
  /** The turn being waited for, with its resolver; `undefined` between turns. */
  let waiting:
    | {
        readonly turn: Turn
        readonly ask: "move" | "ratify"
        readonly resolve: (m: Move | Ratification) => void
        readonly timer?: NodeJS.Timeout | undefined
      }
    | undefined
  let ended = false

  const initial: SeatView = {
    party: options.party,
    negotiationId: options.negotiationId,
    issues: [],
    reservation: 0,
    discount: 1,
    phase: "waiting",
    ask: null,
    turn: 0,
    round: null,
    rounds: null,
    time: null,
    last: false,
    deadline: null,
    answerBy: null,
    onTimeout: timeoutMs === undefined ? null : onTimeout,
    onTable: null,
    offers: [],
    messages: [],
    outcome: null,
  }
  /** The conversation as the seat knows it: the others' messages heard on its turns, and the person's. */
  const conversation: Array<TurnMessage> = []
  const ref = Effect.runSync(SubscriptionRef.make(initial))
  const publish = (view: SeatView) => Effect.runSync(SubscriptionRef.set(ref, view))
  const current = () => Effect.runSync(SubscriptionRef.get(ref))

  const seatOffer = (o: Offer): SeatOffer => ({
    offerId: o.offerId,
    by: o.by,
    terms: o.terms,
    status: o.status,
    utility: partyView?.utility(o.terms) ?? 0,
  })

  const viewOf = (
    state: State,
    turn: Turn | undefined,
    answerBy: number | undefined,
    ask: "move" | "ratify" = "move",
    table: Offer | undefined = turn?.onTable,
  ): SeatView => {
    const v = partyView
    return {
      ...current(),
      issues: state.issues,
      reservation: v?.reservation ?? 0,
      discount: v?.discount ?? 1,
      phase: turn === undefined ? "waiting" : "your-turn",
      ask: turn === undefined ? null : ask,
      turn: turnNumber,
      round: turn?.round ?? null,
      rounds: turn?.rounds ?? null,
      time: turn?.time ?? null,
      last: turn?.last ?? false,
      deadline: state.rules.deadline ?? null,
      answerBy: answerBy === undefined ? null : new Date(answerBy).toISOString(),
      onTable:
        table === undefined || turn === undefined
          ? null
          : {
              ...seatOffer(table),
              discounted: (v?.utility(table.terms) ?? 0) * (v?.discountAt(turn) ?? 1),
            },
      offers: offersInOrder(state).map(seatOffer),
      messages: [...conversation],
    }
  }

  /** Hands the runner its answer and closes the turn (its number can never be answered again). */
  const play = (answer: Move | Ratification) => {
    const w = waiting
    if (w === undefined) return
    if (w.timer !== undefined) clearTimeout(w.timer)
    waiting = undefined
    if ("type" in answer && answer.message !== undefined)
      conversation.push({
        party: options.party,
        round: w.turn.round,
        move: answer.type,
        message: answer.message,
      })
    const after = current()
    publish({
      ...after,
      phase: "waiting",
      ask: null,
      answerBy: null,
      onTable: null,
      messages: [...conversation],
    })
    w.resolve(answer)
  }

  /** Opens a turn: the next number, the idle timer, the view; resolved by {@link play}. */
  const await_ = <A extends Move | Ratification>(
    turn: Turn,
    ask: "move" | "ratify",
    table: Offer | undefined,
    idle: () => A,
  ) =>
    new Promise<A>((resolve) => {
      turnNumber++
      conversation.push(...turn.messages)
      const due = timeoutMs === undefined ? undefined : now() + timeoutMs
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => play(idle()), timeoutMs)
      waiting = { turn, ask, resolve: resolve as (a: Move | Ratification) => void, timer }
      publish(viewOf(turn.state, turn, due, ask, table))
    })

  const idleMetadata = (): Metadata => ({ actor: "timeout", waitedMs: timeoutMs ?? 0 })
  const idleMove = (): Move => {
    const metadata = idleMetadata()
    const reason = `no move from the person at the seat within ${Duration.format(Duration.millis(timeoutMs ?? 0))}`
    // A reject with nothing on the table lets the turn pass.
    return onTimeout === "walk-out"
      ? { type: "walk-out", reason, metadata }
      : { type: "reject", reason, metadata }
  }

  const player: AsyncPlayer = {
    move: (turn) => await_(turn, "move", turn.onTable, idleMove),
    // An accepted offer the person does not ratify in time is refused (the runner records a walk-out).
    ratify: (turn, offer) =>
      await_<Ratification>(turn, "ratify", offer, () => ({
        ratify: false,
        metadata: idleMetadata(),
      })),
  }

  const strategy: Strategy<AsyncPlayer> = {
    name: "human",
    init: (view) => {
      partyView = view
      return player
    },
  }

  const admits = (candidate: unknown) =>
    typeof candidate === "string" && timingSafeEqual(digest(candidate), tokenDigest)

  const tokenOf = (body: unknown) =>
    typeof body === "object" && body !== null ? (body as { token?: unknown }).token : undefined

  const submit = (body: unknown): SeatAnswer => {
    if (!admits(tokenOf(body)))
      return refuse(403, "forbidden", "this seat's token is missing or wrong")
    const turnOf = typeof body === "object" && body !== null ? (body as { turn?: unknown }).turn : 0
    if (ended) return refuse(409, "ended", "the negotiation is over: no more moves")
    if (waiting === undefined || turnOf !== turnNumber)
      return refuse(
        409,
        "stale-turn",
        waiting === undefined
          ? `not your turn: turn ${String(turnOf)} is not awaited (the others are moving)`
          : `turn ${String(turnOf)} is not the turn awaited (${turnNumber}): a replayed or stale move`,
      )
    const decoded = decodeRequest(body)
    if (Either.isLeft(decoded)) return badRequest(decoded.left)
    const move = decoded.right.move
    if ((move.type === "ratify") !== (waiting.ask === "ratify"))
      return refuse(
        422,
        "illegal-move",
        waiting.ask === "ratify"
          ? "the accepted offer awaits your ratification: ratify it or refuse"
          : "there is no accepted offer to ratify",
      )
    if (move.type === "ratify") {
      const played = turnNumber
      play({ ratify: move.ratify, metadata: HUMAN })
      return { status: 200, body: { ok: true, turn: played } }
    }
    if (move.type === "offer") {
      const problem = packageProblem(waiting.turn.state.issues, move.terms)
      if (problem !== undefined) return refuse(422, "illegal-move", problem)
    }
    const problem = moveProblem(
      options.negotiationId,
      waiting.turn.state,
      options.party,
      move,
      waiting.turn.onTable,
    )
    if (problem !== undefined) return refuse(422, "illegal-move", problem)
    const played = turnNumber
    play({ ...move, metadata: HUMAN })
    return { status: 200, body: { ok: true, turn: played } }
  }

  const value = (body: unknown): SeatAnswer => {
    if (!admits(tokenOf(body)))
      return refuse(403, "forbidden", "this seat's token is missing or wrong")
    const decoded = decodeValueRequest(body)
    if (Either.isLeft(decoded)) return badRequest(decoded.left)
    const v = partyView
    if (v === undefined) return refuse(409, "not-started", "the negotiation has not started yet")
    const problem = packageProblem(v.issues, decoded.right.terms)
    if (problem !== undefined) return refuse(422, "illegal-terms", problem)
    const utility = v.utility(decoded.right.terms)
    const turn = waiting?.turn
    return {
      status: 200,
      body: { utility, discounted: turn === undefined ? utility : utility * v.discountAt(turn) },
    }
  }

  const finish = (state: State) => {
    ended = true
    if (waiting?.timer !== undefined) clearTimeout(waiting.timer)
    waiting = undefined
    const agreement = state.agreement
    publish({
      ...viewOf(state, undefined, undefined),
      phase: "ended",
      outcome: {
        status: state.status,
        endedBecause: state.endedBecause ?? null,
        agreement:
          agreement === undefined
            ? null
            : { terms: agreement.terms, utility: partyView?.utility(agreement.terms) ?? 0 },
      },
    })
  }

  return {
    party: options.party,
    token,
    strategy,
    views: ref.changes,
    view: current,
    admits,
    submit,
    value,
    finish,
  }
}
