/**
 * parley's own strategies as remote agents, and finding agents on the bus,
 * with the NATS services framework (`@nats-io/services`, the "micro"
 * protocol every NATS client speaks): `parley agent serve <strategy>` adds a
 * service whose one endpoint answers turns (`Protocol.ts`) with the
 * strategy's moves; `parley agents` asks every service on the bus for its
 * info and stats (`$SRV.INFO`, `$SRV.STATS`).
 *
 * A served strategy keeps one player per negotiation and party, started from
 * the first turn it sees (the party's view rebuilt from the turn: issues,
 * preferences, reservation, discount), so an agent serves many negotiations
 * at once; a player is dropped when its negotiation ends.
 *
 * @since 0.3.0
 */
import { createHash } from "node:crypto"
import { type Service, type ServiceMsg, Svcm } from "@nats-io/services"
import type { NatsConnection } from "@nats-io/transport-node"
import { Either, HashMap, Schema } from "effect"
import { outcomeSpace } from "../analysis/OutcomeSpace.ts"
import { acceptable, type PartyPreferences, utility } from "../analysis/Preferences.ts"
import { messageOf } from "../domain/Errors.ts"
import type { OfferId, PartyId } from "../domain/Ids.ts"
import { isTerminal, type Offer, type State } from "../domain/Negotiation.ts"
import type { StateView } from "../domain/View.ts"
import { agentSubject, layoutFor } from "../nats/Layout.ts"
import { seeded } from "../simulation/Random.ts"
import { type AsyncPlayer, partyView, type Strategy, type Turn } from "../simulation/Strategy.ts"
import { AgentTurn, decodeReply, wireMove } from "./Protocol.ts"

/**
 * The services framework over our connection. `@nats-io/services` (still a
 * 3.0 pre-release) pins an older `@nats-io/nats-core` whose types differ in
 * detail from the 3.4 client's; it uses only the core publish/subscribe API,
 * which is the same.
 */
const services = (nc: NatsConnection) =>
  new Svcm(nc as unknown as ConstructorParameters<typeof Svcm>[0])

/** The domain state a published view describes (the inverse of `toView`). */
export const stateOfView = (view: StateView): State => ({
  negotiationId: view.negotiationId ?? undefined,
  status: view.status,
  title: view.title,
  description: view.description,
  parties: view.parties.map((p) => ({ ...p, position: p.position })) as State["parties"],
  issues: view.issues,
  rules: view.rules as State["rules"],
  offers: HashMap.fromIterable(view.offers.map((o) => [o.offerId, o as unknown as Offer] as const)),
  pending: view.pendingOffers,
  acceptedOffer: view.acceptedOffer ?? undefined,
  agreement: view.agreement ?? undefined,
  partialAgreements: view.partialAgreements,
  round: view.round,
  version: view.version,
  openedAt: view.openedAt ?? undefined,
  updatedAt: view.updatedAt ?? undefined,
  endedBecause: view.endedBecause,
})

/** A stable stream number for a negotiation, so a served agent's randomness is reproducible per negotiation. */
const seedOf = (text: string): number => createHash("sha256").update(text).digest().readInt32LE(0)

/**
 * The answer of `strategy` to one turn body: a reply body (JSON), or the
 * problem with the turn. `players` holds the players of the negotiations in
 * progress.
 */
export const answer = async (
  strategy: Strategy<AsyncPlayer>,
  players: Map<string, AsyncPlayer>,
  body: string,
): Promise<Either.Either<string, string>> => {
  const decoded = decodeReply(AgentTurn, body)
  if (Either.isLeft(decoded)) return Either.left(decoded.left.replace("the reply", "the turn"))
  const t = decoded.right
  const state = stateOfView(t.state)
  const key = `${t.negotiationId}\u0000${t.party}`
  let player = players.get(key)
  if (player === undefined) {
    const preferences = (t.preferences ?? undefined) as PartyPreferences | undefined
    const space = outcomeSpace(state.issues)
    if (Either.isLeft(space)) return Either.left(`the turn's issues: ${space.left}`)
    const view = partyView({
      party: t.party,
      role: state.parties.find((p) => p.id === t.party)?.role ?? "principal",
      issues: state.issues,
      preferences,
      utility: preferences === undefined ? () => 0 : utility(preferences, state.issues),
      acceptable: preferences === undefined ? () => true : acceptable(preferences, state.issues),
      space: space.right,
      random: seeded(seedOf(t.negotiationId), seedOf(t.party)),
      others: state.parties
        .filter((p) => p.id !== t.party)
        .map((p) => ({ party: p.id, role: p.role })),
    })
    try {
      player = strategy.init(view)
    } catch (e) {
      return Either.left(`${strategy.name} cannot play this negotiation: ${messageOf(e)}`)
    }
    players.set(key, player)
  }
  const onTable =
    t.onTable === null
      ? undefined
      : (HashMap.get(state.offers, t.onTable.offerId as OfferId).pipe((o) =>
          o._tag === "Some" ? o.value : (t.onTable as unknown as Offer),
        ) as Offer)
  const turn: Turn = {
    state,
    round: t.round,
    rounds: t.rounds,
    time: t.time,
    last: t.last,
    onTable,
    messages: t.messages.map((m) => ({ ...m, party: m.party as PartyId })),
  }
  try {
    if (t.ask === "ratify") {
      const yes =
        onTable === undefined
          ? false
          : ((await player.ratify?.(turn, onTable)) ??
            (preferences(t) === undefined ? true : acceptableOf(t, state)(onTable.terms)))
      return Either.right(JSON.stringify({ ratify: yes }))
    }
    const move = await player.move(turn)
    return Either.right(JSON.stringify(wireMove(move)))
  } catch (e) {
    return Either.left(`${strategy.name} failed: ${messageOf(e)}`)
  } finally {
    if (isTerminal(state.status)) players.delete(key)
  }
}

const preferences = (t: typeof AgentTurn.Type) => t.preferences ?? undefined
const acceptableOf = (t: typeof AgentTurn.Type, state: State) =>
  acceptable(t.preferences as PartyPreferences, state.issues)

/** What `parley agent serve` is told. */
export interface ServeOptions {
  /** The service name (letters, digits, `-`, `_`). */
  readonly name: string
  /** What it plays, for the service's description and metadata (`boulware`, ...). */
  readonly strategyName: string
  /** The subject it answers turns on (default `<prefix>.agents.<name>`). */
  readonly subject?: string | undefined
  /** The subject prefix of the default subject (default `parley`). */
  readonly prefix?: string | undefined
  readonly version: string
}

/** Adds the service that answers turns with `strategy`'s moves; stop it (or drain the connection) to leave. */
export const serveAgent = async (
  nc: NatsConnection,
  strategy: Strategy<AsyncPlayer>,
  options: ServeOptions,
): Promise<Service> => {
  const subject = options.subject ?? agentSubject(layoutFor(options.prefix), options.name)
  const service = await services(nc).add({
    name: options.name,
    version: options.version,
    description: `parley agent: ${options.strategyName}`,
    metadata: { "parley-agent": options.strategyName },
  })
  const players = new Map<string, AsyncPlayer>()
  service.addEndpoint("turn", {
    subject,
    metadata: { schema: "parley schema turn / parley schema move" },
    handler: (error: Error | null, msg: ServiceMsg) => {
      if (error !== null) return
      void answer(strategy, players, msg.string()).then((reply) =>
        Either.isRight(reply) ? msg.respond(reply.right) : msg.respondError(400, reply.left),
      )
    },
  })
  return service
}

/** One agent on the bus, as `parley agents` lists it. */
export const AgentListing = Schema.Struct({
  name: Schema.String,
  id: Schema.String,
  version: Schema.String,
  description: Schema.String,
  subject: Schema.String,
  requests: Schema.Number,
  errors: Schema.Number,
  /** Mean time to answer a turn, in milliseconds. */
  meanLatencyMs: Schema.Number,
})
export type AgentListing = typeof AgentListing.Type

/** Every service endpoint on the bus (through the services discovery), each with its stats; waits up to `timeoutMs` for answers. */
export const listAgents = async (
  nc: NatsConnection,
  timeoutMs = 1000,
): Promise<ReadonlyArray<AgentListing>> => {
  const client = services(nc).client({ strategy: "timer", maxWait: timeoutMs })
  const infos = new Map<string, { description: string }>()
  for await (const info of await client.info()) infos.set(info.id, info)
  const out: Array<AgentListing> = []
  for await (const stats of await client.stats())
    for (const e of stats.endpoints ?? [])
      out.push({
        name: stats.name,
        id: stats.id,
        version: stats.version,
        description: infos.get(stats.id)?.description ?? "",
        subject: e.subject,
        requests: e.num_requests,
        errors: e.num_errors,
        meanLatencyMs: e.average_processing_time / 1e6,
      })
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}
