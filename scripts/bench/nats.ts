/**
 * The NATS event store against raw nats.js on the same server, in the same
 * run: pipelined appends, sequential appends with optimistic concurrency, and
 * the replay of a 100,000-event negotiation. Starts its own `nats-server -js`
 * on a free port unless `PARLEY_NATS_URL` is set.
 *
 *     node --import tsx scripts/bench.ts nats
 */
import { type JetStreamClient, jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Context, Effect, Either, Exit, Layer, Scope } from "effect"
import { pendingEvents } from "../../src/app/CommandHandler.ts"
import { foldStateStream as foldStream } from "../../src/app/Projection.ts"
import type { NegotiationCommand } from "../../src/domain/Command.ts"
import type { EventEnvelope, Instant } from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { decide, evolve, initialState, type State } from "../../src/domain/Negotiation.ts"
import { EventStore, type EventStoreService, ExpectedVersion } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { withServer } from "../lib/natsServer.ts"
import { type Benchmark, type Result, round } from "./Bench.ts"

const NEGOTIATIONS = 1_000
const ROUNDS = 10
const WINDOW = 256
const OCC_APPENDS = 2_000
const REPLAY_EVENTS = 100_000

/** A suffix that keeps streams of different runs apart on a shared server. */
const run = Date.now().toString(36)

const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString() as Instant

/** A valid history: an opening, then offers and rejections, alternating. */
export const history = (id: NegotiationId, n: number): Array<EventEnvelope> => {
  const envelopes: Array<EventEnvelope> = []
  let state: State = initialState
  const run = (command: NegotiationCommand) => {
    const decided = decide(command, state)
    if (Either.isLeft(decided)) throw new Error(decided.left.message)
    for (const pending of pendingEvents(id, state, decided.right, command.at)) {
      const envelope = { ...pending, negotiationId: id, version: state.version + 1 }
      const next = evolve(state, envelope)
      if (Either.isLeft(next)) throw new Error(next.left.message)
      state = next.right
      envelopes.push(envelope)
    }
  }
  run({
    type: "OpenNegotiation",
    at: at(0),
    negotiationId: id,
    title: "benchmark",
    parties: [
      { id: "acme", name: "Acme", role: "principal" },
      { id: "globex", name: "Globex", role: "principal" },
    ],
    issues: [{ kind: "integer", id: "price", min: 0, max: 1_000_000 }],
    rules: { mustAccept: ["acme", "globex"], mustRatify: [], partialAgreements: false },
  } as unknown as NegotiationCommand)
  for (let i = 1; envelopes.length < n; i++) {
    const by = i % 2 === 0 ? "acme" : "globex"
    const other = i % 2 === 0 ? "globex" : "acme"
    const offerId = `o${i}`
    run({
      type: "MakeOffer",
      at: at(2 * i - 1),
      offerId,
      by,
      terms: { price: i },
    } as unknown as NegotiationCommand)
    if (envelopes.length < n)
      run({
        type: "RejectOffer",
        at: at(2 * i),
        offerId,
        by: other,
      } as unknown as NegotiationCommand)
  }
  return envelopes
}

/** A store on its own stream, and a raw client on its own connection. */
const open = async (url: string, prefix: string) => {
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(
    Layer.buildWithScope(Nats.layer({ servers: url, prefix }), scope),
  )
  const nc = await connect({ servers: url, noAsyncTraces: true })
  const js = jetstream(nc)
  return {
    store: Context.get(context, EventStore),
    nc,
    js,
    close: async () => {
      await nc.drain()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    },
  }
}

/** A raw stream configured like the store's, for the reference. */
const rawStream = async (nc: NatsConnection, prefix: string) => {
  const jsm = await jetstreamManager(nc)
  await jsm.streams.add({
    name: Nats.streamName(prefix),
    subjects: [`${prefix}.events.>`],
    storage: "file",
    discard: "new",
    deny_delete: true,
    deny_purge: true,
    allow_direct: true,
    max_msg_size: 1_000_000,
  })
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9

/** Runs `f` over `items` with at most `window` in flight. */
const windowed = async <A>(
  items: ReadonlyArray<A>,
  window: number,
  f: (a: A) => Promise<unknown>,
) => {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as A
      await f(item)
    }
  }
  await Promise.all(Array.from({ length: window }, worker))
}

const envelopeFor = (id: NegotiationId, version: number, tag: string): EventEnvelope => {
  const [pending] = pendingEvents(
    id,
    { ...initialState, version: version - 1 },
    [{ type: "TalksSuspended", schemaVersion: 1, reason: tag, provenance: { status: "official" } }],
    at(version),
  )
  return { ...pending!, negotiationId: id, version }
}

const pipelined = async (url: string): Promise<Result> => {
  const ids = Array.from({ length: NEGOTIATIONS }, (_, i) => `n${i}` as NegotiationId)
  const ours = await open(url, `benchp${run}`)
  const raw = await open(url, `benchpr${run}`)
  const rawPrefix = `benchpraw${run}`
  await rawStream(raw.nc, rawPrefix)
  const rawJs: JetStreamClient = raw.js
  const total = NEGOTIATIONS * ROUNDS
  // Store: every append expects the exact version it saw.
  let start = process.hrtime.bigint()
  for (let r = 0; r < ROUNDS; r++) {
    await windowed(ids, WINDOW, (id) => {
      const e = envelopeFor(id, r + 1, "p")
      return Effect.runPromise(
        ours.store.append(
          id,
          [{ eventId: e.eventId, occurredAt: e.occurredAt, event: e.event }],
          ExpectedVersion.Exact(r),
        ),
      )
    })
  }
  const ourTime = seconds(start)
  // Raw: the same commits, with a message id and the expected last subject sequence.
  const lastSeq = new Map<string, number>()
  start = process.hrtime.bigint()
  for (let r = 0; r < ROUNDS; r++) {
    await windowed(ids, WINDOW, async (id) => {
      const e = envelopeFor(id, r + 1, "p")
      const ack = await rawJs.publish(`${rawPrefix}.events.${id}`, JSON.stringify([e]), {
        msgID: e.eventId,
        expect: { lastSubjectSequence: lastSeq.get(id) ?? 0 },
      })
      lastSeq.set(id, ack.seq)
    })
  }
  const rawTime = seconds(start)
  await ours.close()
  await raw.close()
  return {
    name: "nats-append-pipelined",
    value: round(total / ourTime, 0),
    unit: "appends/s",
    ref: round(total / rawTime, 0),
    ratio: round(rawTime / ourTime),
    goal: "ratio >= 0.8",
    extra: { negotiations: NEGOTIATIONS, window: WINDOW, appends: total },
  }
}

const occ = async (url: string): Promise<Result> => {
  const id = "occ" as NegotiationId
  const ours = await open(url, `bencho${run}`)
  const raw = await open(url, `benchor${run}`)
  const rawPrefix = `benchoraw${run}`
  await rawStream(raw.nc, rawPrefix)
  let start = process.hrtime.bigint()
  await Effect.runPromise(
    Effect.gen(function* () {
      for (let v = 0; v < OCC_APPENDS; v++) {
        const e = envelopeFor(id, v + 1, "o")
        yield* ours.store.append(
          id,
          [{ eventId: e.eventId, occurredAt: e.occurredAt, event: e.event }],
          ExpectedVersion.Exact(v),
        )
      }
    }),
  )
  const ourTime = seconds(start)
  start = process.hrtime.bigint()
  let last = 0
  for (let v = 0; v < OCC_APPENDS; v++) {
    const e = envelopeFor(id, v + 1, "o")
    const ack = await raw.js.publish(`${rawPrefix}.events.${id}`, JSON.stringify([e]), {
      msgID: e.eventId,
      expect: { lastSubjectSequence: last },
    })
    last = ack.seq
  }
  const rawTime = seconds(start)
  await ours.close()
  await raw.close()
  return {
    name: "nats-append-occ",
    value: round(OCC_APPENDS / ourTime, 0),
    unit: "appends/s",
    ref: round(OCC_APPENDS / rawTime, 0),
    ratio: round(rawTime / ourTime),
    goal: "ratio >= 0.8",
    extra: { appends: OCC_APPENDS },
  }
}

const replay = async (url: string): Promise<Result> => {
  const id = "replay" as NegotiationId
  const prefix = `benchr${run}`
  const ours = await open(url, prefix)
  const envelopes = history(id, REPLAY_EVENTS)
  const subject = `${prefix}.events.${id}`
  await windowed(envelopes, 1_000, (e) =>
    ours.js.publish(subject, JSON.stringify([e]), { msgID: e.eventId }),
  )
  const store: EventStoreService = ours.store
  const replayOnce = async () => {
    const start = process.hrtime.bigint()
    const state = await Effect.runPromise(foldStream(store.read(id)))
    if (state.version !== REPLAY_EVENTS) throw new Error(`replayed to ${state.version}`)
    return seconds(start)
  }
  const rawOnce = async () => {
    const start = process.hrtime.bigint()
    const consumer = await ours.js.consumers.get(Nats.streamName(prefix), {
      filter_subjects: subject,
    })
    const messages = await consumer.consume({ max_messages: 1000 })
    let n = 0
    for await (const m of messages) {
      const parsed = JSON.parse(m.string()) as ReadonlyArray<unknown>
      n += parsed.length
      if (m.info.pending === 0) break
    }
    await consumer.delete()
    if (n !== REPLAY_EVENTS) throw new Error(`raw read ${n}`)
    return seconds(start)
  }
  // Warm up both, then take the best of three, interleaved.
  await replayOnce()
  await rawOnce()
  let ourTime = Number.POSITIVE_INFINITY
  let rawTime = Number.POSITIVE_INFINITY
  for (let i = 0; i < 3; i++) {
    ourTime = Math.min(ourTime, await replayOnce())
    rawTime = Math.min(rawTime, await rawOnce())
  }
  await ours.close()
  return {
    name: "nats-replay",
    value: round(REPLAY_EVENTS / ourTime, 0),
    unit: "events/s",
    ref: round(REPLAY_EVENTS / rawTime, 0),
    ratio: round(rawTime / ourTime),
    goal: "ratio >= 0.7",
    extra: { events: REPLAY_EVENTS, seconds: round(ourTime), refSeconds: round(rawTime) },
  }
}

/** The NATS benchmarks. */
export const benchmarks: ReadonlyArray<Benchmark> = [
  { name: "nats-append-pipelined", run: async () => [await withServer(pipelined)] },
  { name: "nats-append-occ", run: async () => [await withServer(occ)] },
  { name: "nats-replay", run: async () => [await withServer(replay)] },
]
