/**
 * The state feed against raw NATS on the same server, in the same run:
 *
 * - `feed-latency`: from an append's acknowledgement to a subscriber in
 *   another process receiving the new state (p50, p99), next to a raw core
 *   NATS publish to the same subscriber process (ratio = raw / feed).
 * - `feed-catchup`: projector rebuild throughput over 20,000 events (1,000
 *   negotiations of 20), in states published per second, next to raw
 *   consumption of the same commits with JSON.parse and no projecting.
 *
 * Both processes read `process.hrtime` (CLOCK_MONOTONIC, shared by every
 * process on the machine), so one-way latencies are comparable. Starts its
 * own `nats-server -js` unless `PARLEY_NATS_URL` is set.
 *
 *     node --import tsx scripts/bench.ts feed
 */
import { spawn } from "node:child_process"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import * as Projector from "../../src/feed/Projector.ts"
import { EventStore, ExpectedVersion } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { withServer } from "../lib/natsServer.ts"
import { type Benchmark, type Result, round } from "./Bench.ts"
import { history } from "./nats.ts"

const run = Date.now().toString(36)
const CATCHUP_NEGOTIATIONS = 1_000
const CATCHUP_EVENTS = 20
const LATENCY_NEGOTIATIONS = 10
const LATENCY_EVENTS = 40

const percentile = (xs: ReadonlyArray<number>, p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** A subscriber process: prints `<subject> <hrtime ns> <version|index>` per message. */
const SUBSCRIBER = `
import { connect } from "@nats-io/transport-node"
const [url, ...subjects] = process.argv.slice(1)
const nc = await connect({ servers: url, noAsyncTraces: true })
for (const s of subjects)
  nc.subscribe(s, { callback: (_, m) => {
    const t = process.hrtime.bigint()
    const body = m.string()
    const key = body.startsWith("{") ? JSON.parse(body).negotiationId + "@" + JSON.parse(body).version : body
    process.stdout.write(t + " " + key + "\\n")
  } })
await nc.flush()
process.stdout.write("ready\\n")
process.stdin.on("end", () => nc.drain().then(() => process.exit(0)))
process.stdin.resume()
`

const subscriber = async (url: string, subjects: ReadonlyArray<string>) => {
  const child = spawn("node", ["--input-type=module", "-e", SUBSCRIBER, url, ...subjects], {
    stdio: ["pipe", "pipe", "inherit"],
  })
  const received = new Map<string, bigint>()
  let buffer = ""
  let ready: () => void = () => {}
  const isReady = new Promise<void>((resolve) => {
    ready = resolve
  })
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    buffer += d
    const lines = buffer.split("\n")
    buffer = lines.pop() ?? ""
    for (const line of lines) {
      if (line === "ready") ready()
      const [t, key] = line.split(" ")
      if (t !== undefined && key !== undefined) received.set(key, BigInt(t))
    }
  })
  await isReady
  return {
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve())
        child.stdin.end()
      }),
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const latency = (url: string): Promise<Result> =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const prefix = `fl${run}`
        const nats = { servers: url, prefix }
        const ids = Array.from(
          { length: LATENCY_NEGOTIATIONS },
          (_, i) => `lat${i}` as NegotiationId,
        )
        const logs = ids.map((id) => history(id, LATENCY_EVENTS))
        const sub = yield* Effect.promise(() => subscriber(url, [`${prefix}.state.*`, `raw${run}`]))
        return yield* Effect.gen(function* () {
          yield* Projector.make({ prefix: nats.prefix })
          const store = yield* EventStore
          const acked = new Map<string, bigint>()
          const raw = new Map<string, bigint>()
          const nc = yield* Effect.promise(() => connect({ servers: url, noAsyncTraces: true }))
          for (let v = 1; v <= LATENCY_EVENTS; v++)
            for (const log of logs) {
              const e = log[v - 1]!
              const { eventId, occurredAt, event } = e
              yield* store.append(
                e.negotiationId,
                [{ eventId, occurredAt, event }],
                ExpectedVersion.Exact(v - 1),
              )
              acked.set(`${e.negotiationId}@${v}`, process.hrtime.bigint())
              yield* Effect.promise(() => sleep(1))
              const key = `r${v}-${e.negotiationId}`
              raw.set(key, process.hrtime.bigint())
              nc.publish(`raw${run}`, key)
              yield* Effect.promise(() => sleep(1))
            }
          yield* Effect.promise(() => sleep(200))
          yield* Effect.promise(() => nc.drain())
          const ms = (from: Map<string, bigint>) =>
            [...from].flatMap(([k, t]) => {
              const r = sub.received.get(k)
              return r === undefined ? [] : [Number(r - t) / 1e6]
            })
          const feed = ms(acked)
          const reference = ms(raw)
          yield* Effect.promise(() => sub.stop())
          return { feed, reference, expected: acked.size }
        }).pipe(
          Effect.provide(Nats.layer(nats)),
          Effect.map(({ feed, reference, expected }): Result => {
            const p50 = percentile(feed, 50)
            const p99 = percentile(feed, 99)
            const r50 = percentile(reference, 50)
            const r99 = percentile(reference, 99)
            return {
              name: "feed-latency",
              value: round(p99, 3),
              unit: "ms p99 (append ack -> state in another process)",
              ref: round(r99, 3),
              ratio: round(r99 / p99, 3),
              goal: "p99 <= 1.5x raw p99 (ratio >= 0.67)",
              extra: {
                p50: round(p50, 3),
                refP50: round(r50, 3),
                received: `${feed.length}/${expected}`,
              },
            }
          }),
        )
      }),
    ),
  )

const catchup = async (url: string): Promise<Result> => {
  const prefix = `fc${run}`
  const stream = Nats.streamName(prefix)
  // The log: one commit per event, written raw (the store's format), pipelined.
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(
    Layer.buildWithScope(Nats.layer({ servers: url, prefix }), scope),
  )
  void Context.get(context, EventStore)
  const nc = await connect({ servers: url, noAsyncTraces: true })
  const js = jetstream(nc)
  const pending: Array<Promise<unknown>> = []
  for (let i = 0; i < CATCHUP_NEGOTIATIONS; i++)
    for (const e of history(`c${i}` as NegotiationId, CATCHUP_EVENTS)) {
      pending.push(js.publish(`${prefix}.events.${e.negotiationId}`, JSON.stringify([e])))
      if (pending.length >= 512) await Promise.all(pending.splice(0))
    }
  await Promise.all(pending)
  const jsm = await jetstreamManager(nc)
  const last = (await jsm.streams.info(stream)).state.last_seq
  const events = CATCHUP_NEGOTIATIONS * CATCHUP_EVENTS

  // Reference: consume the same commits and parse them, nothing else.
  let start = process.hrtime.bigint()
  const consumer = await js.consumers.get(stream, { filter_subjects: `${prefix}.events.>` })
  const messages = await consumer.consume({ max_messages: 1000 })
  let parsed = 0
  for await (const m of messages) {
    parsed += (JSON.parse(m.string()) as Array<unknown>).length
    if (m.seq >= last) break
  }
  const rawSeconds = Number(process.hrtime.bigint() - start) / 1e9
  await nc.drain()

  start = process.hrtime.bigint()
  const report = await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const projector = yield* Projector.make({ prefix, rebuild: true })
        yield* projector.awaitCheckpoint(last)
        return yield* projector.report
      }).pipe(Effect.provide(Nats.layer({ servers: url, prefix }))),
    ),
  )
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  await Effect.runPromise(Scope.close(scope, Exit.void))
  const rate = report.published / seconds
  const rawRate = parsed / rawSeconds
  return {
    name: "feed-catchup",
    value: Math.round(rate),
    unit: "states/s (rebuild: fold, publish subject, coalesced KV, checkpoint)",
    ref: Math.round(rawRate),
    ratio: round(rate / rawRate, 3),
    goal: "value >= 20000 and ratio >= 0.5",
    extra: { events, published: report.published, seconds: round(seconds, 2) },
  }
}

/** The feed benchmarks. */
export const benchmarks: ReadonlyArray<Benchmark> = [
  { name: "feed-latency", run: async () => [await withServer(latency)] },
  { name: "feed-catchup", run: async () => [await withServer(catchup)] },
]
