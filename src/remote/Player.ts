/**
 * A remote agent as a player: on each turn it sends the turn (see
 * `Protocol.ts`) through an {@link AgentTransport} and plays the move the
 * reply names. A remote agent never breaks a run: when there is no
 * responder, no reply in time, a reply that is not JSON, does not match the
 * schema, or names a move the rules refuse (accepting with nothing on the
 * table, terms outside the issues), its fallback strategy moves for that
 * turn, and the move's metadata says why (`fallback`) — the timeline and the
 * reports show it.
 *
 * This module knows no NATS: the transport is a port (`Nats.ts` is its NATS
 * adapter; tests may give any other), so the simulation stays free of I/O.
 * {@link remoteAgents} makes of a transport what the simulation asks for
 * (`simulation/RemoteAgents.ts`): the strategy of each remote agent.
 *
 * A reply is bounded: one of more than {@link REPLY_LIMIT} bytes (or the
 * limit given; `PARLEY_AGENT_REPLY_LIMIT` for `--nats` runs, see
 * `Connect.ts`) is refused unread, and a fallback's reason quotes at most
 * {@link REASON_LIMIT} characters of whatever it is about ({@link bounded}):
 * the reason rides on an event, so an agent's reply never grows the log by
 * more than that (a 900 KB reply once made a 1.8 MB commit, past the NATS
 * server's `max_payload`).
 *
 * The fallback player is started with the party's view when the run starts
 * and is asked only for the turns it plays; a fallback that learns from the
 * turns it sees (an opponent model) learns from those turns only.
 *
 * @since 0.3.0
 */
import { Either } from "effect"
import { encodeUnknownSync } from "effect/Schema"
import { Preferences } from "../analysis/Preferences.ts"
import type { NegotiationCommand } from "../domain/Command.ts"
import type { Instant } from "../domain/Event.ts"
import type { OfferId } from "../domain/Ids.ts"
import { decide, type Offer } from "../domain/Negotiation.ts"
import { toView } from "../domain/View.ts"
import type { RemoteAgents } from "../simulation/RemoteAgents.ts"
import type { AsyncPlayer, Move, PartyView, Strategy, Turn } from "../simulation/Strategy.ts"
import { make } from "../simulation/strategies/index.ts"
import type { RemoteSpec } from "../simulation/strategies/Spec.ts"
import { AgentMove, AgentRatification, type AgentTurn, decodeReply, wireMove } from "./Protocol.ts"

/** The largest reply a remote agent may give by default, in bytes (a move is a few hundred). */
export const REPLY_LIMIT = 64 * 1024

/** The most characters of a problem a fallback's reason quotes. */
export const REASON_LIMIT = 240

/**
 * `text` cut to {@link REASON_LIMIT} characters (never inside a surrogate
 * pair), saying how long it was when it was cut.
 */
export const bounded = (text: string, limit = REASON_LIMIT): string => {
  if (text.length <= limit) return text
  const code = text.charCodeAt(limit - 1)
  const end = code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit
  return `${text.slice(0, end)}… (${text.length} characters in all)`
}

/** Why a reply of `bytes` bytes is refused unread, or `undefined` when it is within `limit`. */
export const oversized = (bytes: number, limit: number): string | undefined =>
  bytes > limit
    ? `the reply is ${bytes} bytes, more than the ${limit} bytes a reply may hold`
    : undefined

/** Options of {@link remote} and {@link remoteAgents}. */
export interface RemoteOptions {
  /** The largest reply read, in bytes (default {@link REPLY_LIMIT}). */
  readonly replyLimit?: number | undefined
}

/**
 * How the runner reaches remote agents: one request, one reply. Resolves to
 * the reply's text, or (left) to why there is none — it never rejects.
 */
export interface AgentTransport {
  readonly request: (
    subject: string,
    body: string,
    timeoutMs: number,
  ) => Promise<Either.Either<string, string>>
}

const encodePreferences = encodeUnknownSync(Preferences)

/** The turn as the agent receives it. */
export const turnBody = (
  ask: AgentTurn["ask"],
  view: PartyView,
  turn: Turn,
  onTable: Offer | undefined,
): AgentTurn => {
  const p = view.preferences
  return {
    ask,
    negotiationId: turn.state.negotiationId ?? "",
    party: view.party,
    round: turn.round,
    ...(turn.rounds === undefined ? {} : { rounds: turn.rounds }),
    time: turn.time,
    ...(turn.last === undefined ? {} : { last: turn.last }),
    onTable: (onTable ?? null) as AgentTurn["onTable"],
    state: toView(turn.state) as unknown as AgentTurn["state"],
    preferences:
      p === undefined || p.kind === "custom"
        ? null
        : (encodePreferences(p) as AgentTurn["preferences"]),
    reservation: view.reservation,
    discount: view.discount,
    messages: turn.messages as AgentTurn["messages"],
  }
}

/** A moment at which the state's last move could have been followed (to judge a probe command). */
const probeAt = (turn: Turn): Instant =>
  (turn.state.updatedAt ?? turn.state.openedAt ?? "1970-01-01T00:00:00.000Z") as Instant

/** Why the rules would refuse the move on this turn, if they would. */
export const illegality = (view: PartyView, turn: Turn, move: AgentMove): string | undefined => {
  const at = probeAt(turn)
  const by = view.party
  let probe: NegotiationCommand
  switch (move.type) {
    case "accept":
      if (turn.onTable === undefined) return "it accepted with no offer on the table"
      probe = { type: "AcceptOffer", at, offerId: turn.onTable.offerId, by }
      break
    case "offer":
      probe = { type: "MakeOffer", at, offerId: "remote-probe" as OfferId, by, terms: move.terms }
      break
    default:
      return undefined
  }
  const decided = decide(probe, turn.state)
  return Either.isLeft(decided)
    ? `the rules refuse its ${move.type}: ${decided.left.message}`
    : undefined
}

/**
 * The strategy of a remote agent: `spec.subject` through `transport`, with
 * `fallback` (made from `spec.fallback`) for the turns it does not answer
 * validly.
 */
export const remote = (
  spec: RemoteSpec,
  transport: AgentTransport,
  fallback: Strategy<AsyncPlayer>,
  options: RemoteOptions = {},
): Strategy<AsyncPlayer> => ({
  name: `remote ${spec.subject}`,
  init: (view) => {
    const backup = fallback.init(view)
    const limit = options.replyLimit ?? REPLY_LIMIT
    // Whatever the transport (NATS refuses a long reply before decoding it), a reply over the limit is not read.
    const ask = (body: AgentTurn) =>
      transport.request(spec.subject, JSON.stringify(body), spec.timeoutMs).then((reply) =>
        Either.flatMap(reply, (text) => {
          // A character is at most 3 bytes in UTF-8 (4 for a pair of 2): counted only when it might matter.
          const tooLong =
            text.length * 3 > limit ? oversized(Buffer.byteLength(text), limit) : undefined
          return tooLong === undefined ? Either.right(text) : Either.left(tooLong)
        }),
      )
    const instead = async (turn: Turn, why: string): Promise<Move> => {
      const move = await backup.move(turn)
      return {
        ...move,
        metadata: { ...move.metadata, fallback: bounded(why), fallbackStrategy: fallback.name },
      }
    }
    return {
      move: async (turn) => {
        const reply = await ask(turnBody("move", view, turn, turn.onTable))
        if (Either.isLeft(reply)) return instead(turn, reply.left)
        const decoded = decodeReply(AgentMove, reply.right)
        if (Either.isLeft(decoded)) return instead(turn, decoded.left)
        const illegal = illegality(view, turn, decoded.right)
        if (illegal !== undefined) return instead(turn, illegal)
        return wireMove(decoded.right)
      },
      ratify: async (turn, offer) => {
        const reply = await ask(turnBody("ratify", view, turn, offer))
        const decoded = Either.flatMap(reply, (text) => decodeReply(AgentRatification, text))
        if (Either.isRight(decoded)) return decoded.right.ratify
        const answer = await backup.ratify?.(turn, offer)
        const metadata = { fallback: bounded(decoded.left), fallbackStrategy: fallback.name }
        return typeof answer === "object"
          ? { ratify: answer.ratify, metadata: { ...answer.metadata, ...metadata } }
          : { ratify: answer ?? view.acceptable(offer.terms), metadata }
      },
    }
  },
})

/**
 * The remote agents reached through `transport`, as the simulation asks for
 * them: each one's strategy, with the fallback its spec names.
 */
export const remoteAgents = (
  transport: AgentTransport,
  options: RemoteOptions = {},
): RemoteAgents => ({
  strategy: (spec) => remote(spec, transport, make(spec.fallback), options),
})
