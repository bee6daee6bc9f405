/**
 * The reference of `BENCH simulate-1thread` and `BENCH laptop-boulware`: the
 * same strategies playing the same bilateral alternating-offers negotiations
 * as the runner (`src/simulation/Runner.ts`), in a plain loop with no decider,
 * no events, no ids and no log. Each party gets the same view (same seeded
 * random stream) and the same turns (round, normalised time, the other's
 * latest offer on the table), so the outcomes are the runner's; what the
 * runner spends beyond this loop is the cost of event sourcing.
 *
 * Only what the benchmark scenarios need: two parties, no mediator, no
 * scripted timeline, no ratification, no reported offers.
 */
import type { Instant } from "../../src/domain/Event.ts"
import type { OfferId, PartyId } from "../../src/domain/Ids.ts"
import type { Terms } from "../../src/domain/Issue.ts"
import { initialState, type Offer } from "../../src/domain/Negotiation.ts"
import { type Prepared, viewOf } from "../../src/simulation/Prepare.ts"
import { moveTime, type RunScores, scoreOutcome } from "../../src/simulation/Scores.ts"
import { type AsyncPlayer, isPromiseLike, type Turn } from "../../src/simulation/Strategy.ts"

/** What a plain run produced: the agreement (if any), rounds played, moves made, scores. */
export interface PlainOutcome {
  readonly agreement: Terms | undefined
  readonly rounds: number
  readonly moves: number
  readonly scores: RunScores
}

const official = { status: "official" } as const
const noMessages: Turn["messages"] = []

/** Plays one negotiation of a prepared bilateral scenario with `seed`, as the runner would, without the log. */
export const plainRun = (prepared: Prepared, seed: number): PlainOutcome => {
  const { scenario } = prepared.compiled
  const rounds = scenario.protocol.rounds
  const order = prepared.compiled.order
  if (order.length !== 2 || scenario.protocol.kind !== "alternating")
    throw new Error("the plain loop plays bilateral alternating-offers scenarios only")
  const players: Array<AsyncPlayer> = []
  for (const [index, p] of prepared.parties.entries()) {
    if (p.strategy === undefined) throw new Error(`party ${p.id} has no strategy`)
    players.push(p.strategy.init(viewOf(prepared, index, seed)))
  }
  const playerOf = new Map<PartyId, AsyncPlayer>()
  for (const [i, p] of prepared.parties.entries()) playerOf.set(p.id, players[i]!)

  let table: Offer | undefined
  let agreement: Terms | undefined
  let walkedOut = false
  let played = 0
  let moves = 0
  let offers = 0
  const turns = rounds * order.length
  let lastTime = 0
  for (let t = 0; t < turns && agreement === undefined && !walkedOut; t++) {
    const round = Math.floor(t / order.length)
    const party = order[t % order.length]!
    played = round + 1
    lastTime = moveTime(t, turns)
    const onTable = table !== undefined && table.by !== party ? table : undefined
    const turn: Turn = {
      state: initialState,
      round,
      rounds,
      time: lastTime,
      last: t + order.length >= turns,
      onTable,
      messages: noMessages,
    }
    const move = playerOf.get(party)!.move(turn)
    if (isPromiseLike(move)) throw new Error("the plain loop plays local strategies only")
    moves++
    if (move.type === "accept" && onTable !== undefined) agreement = onTable.terms
    else if (move.type === "walk-out") walkedOut = true
    else if (move.type === "reject") table = undefined
    else if (move.type === "offer") {
      offers++
      table = {
        offerId: `${party}-${offers}` as OfferId,
        by: party,
        to: [order[(t + 1) % order.length]!],
        terms: move.terms,
        inReplyTo: onTable?.offerId,
        provenance: official,
        confirmed: true,
        confirmation: undefined,
        status: "pending",
        responses: [],
        ratifiedBy: [],
        complete: true,
        madeAt: "" as Instant,
        version: 0,
        round: offers,
      }
    }
  }
  const lastRound = Math.max(0, played - 1)
  const expired =
    agreement === undefined && !walkedOut && prepared.compiled.open.rules.deadline !== undefined
  const end = { time: expired ? 1 : lastTime, round: lastRound }
  return {
    agreement,
    rounds: played,
    moves,
    scores: scoreOutcome(prepared.parties, agreement, end),
  }
}
