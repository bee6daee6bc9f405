/**
 * Fault 7, load: a bounded sustained run of concurrent appends, the projector
 * and ten state subscribers. Prints events/s, p99 append latency and memory at
 * start and end; memory stays within a stated bound; zero errors.
 *
 * PARLEY_LOAD_SECONDS sets the duration (default 60, 20 under CI=true).
 */
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Effect, Either } from "effect"
import { assert, it } from "vitest"
import { decideLocally, toPending } from "../../src/app/CommandHandler.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { initialState } from "../../src/domain/Negotiation.ts"
import * as Projector from "../../src/feed/Projector.ts"
import { EventStore, ExpectedVersion } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { offer, opening } from "./support/Moves.ts"
import {
  type ConfiguredServer,
  describeWithNats,
  removeDir,
  startSingle,
  tempDir,
} from "./support/Servers.ts"

const SECONDS = Number(process.env.PARLEY_LOAD_SECONDS ?? (process.env.CI === "true" ? 20 : 60))
const WRITERS = 16
const SUBSCRIBERS = 10
/** Each writer starts a new negotiation after this many offers (bounded states). */
const OFFERS_PER_NEGOTIATION = 200
/** Heap growth allowed over the run (the projector keeps every negotiation's state). */
const HEAP_BOUND_MB = 400

const mb = (n: number) => Math.round(n / 1024 / 1024)

describeWithNats("fault: sustained load", () => {
  it(`${SECONDS}s of ${WRITERS} concurrent writers, the projector and ${SUBSCRIBERS} subscribers: throughput, p99, bounded memory, zero errors`, async () => {
    const dir = tempDir("load")
    let server: ConfiguredServer | undefined
    const subscribers: Array<NatsConnection> = []
    try {
      server = await startSingle(dir, "load")
      const url = server.url
      const prefix = "load"
      let received = 0
      for (let i = 0; i < SUBSCRIBERS; i++) {
        const nc = await connect({ servers: url, name: `subscriber-${i}` })
        nc.subscribe(`${prefix}.state.>`, {
          callback: () => {
            received++
          },
        })
        subscribers.push(nc)
      }
      global.gc?.()
      const start = process.memoryUsage()
      const latencies: Array<number> = []
      let errors = 0
      let events = 0
      let negotiations = 0
      const result = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const store = yield* EventStore
            const projector = yield* Projector.make({ prefix })
            const end = Date.now() + SECONDS * 1000
            const writer = (w: number) =>
              Effect.gen(function* () {
                for (let round = 0; Date.now() < end; round++) {
                  const id = `load-${w}-${round}` as NegotiationId
                  negotiations++
                  let state = initialState
                  for (let k = 0; k <= OFFERS_PER_NEGOTIATION && Date.now() < end; k++) {
                    const d = decideLocally(id, state, k === 0 ? opening(id) : offer(id, k))
                    if (Either.isLeft(d)) return yield* Effect.die(d.left)
                    const t0 = performance.now()
                    const r = yield* Effect.either(
                      store.append(
                        id,
                        toPending(d.right.envelopes),
                        ExpectedVersion.Exact(state.version),
                      ),
                    )
                    latencies.push(performance.now() - t0)
                    if (Either.isLeft(r)) {
                      errors++
                      return
                    }
                    events += d.right.envelopes.length
                    state = d.right.state
                  }
                }
              })
            const started = performance.now()
            yield* Effect.forEach(
              Array.from({ length: WRITERS }, (_, w) => w),
              writer,
              {
                concurrency: "unbounded",
                discard: true,
              },
            )
            const seconds = (performance.now() - started) / 1000
            const lagStart = performance.now()
            const before = yield* projector.report
            // The projector catches up with everything appended.
            const nc = yield* Effect.promise(() => connect({ servers: url }))
            const { jetstreamManager } = yield* Effect.promise(() => import("@nats-io/jetstream"))
            const info = yield* Effect.promise(async () =>
              (await jetstreamManager(nc)).streams.info("LOAD"),
            )
            yield* Effect.promise(() => nc.close())
            yield* projector.awaitCheckpoint(info.state.last_seq).pipe(Effect.timeout("60 seconds"))
            const report = yield* projector.report
            return {
              seconds,
              catchUp: (performance.now() - lagStart) / 1000,
              behind: info.state.last_seq - before.checkpoint,
              report,
            }
          }),
        ).pipe(Effect.provide(Nats.layer({ servers: url, prefix }))),
      )
      for (const nc of subscribers) await nc.flush()
      global.gc?.()
      const endMem = process.memoryUsage()
      latencies.sort((a, b) => a - b)
      const pct = (p: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
      const growth = mb(endMem.heapUsed - start.heapUsed)
      console.log(
        `FAULT load: seconds=${result.seconds.toFixed(1)} (configured ${SECONDS}) writers=${WRITERS} subscribers=${SUBSCRIBERS} projector=on negotiations=${negotiations} appends=${latencies.length} events=${events} events/s=${Math.round(events / result.seconds)} p50-ms=${pct(0.5).toFixed(2)} p99-ms=${pct(0.99).toFixed(2)} max-ms=${(latencies[latencies.length - 1] ?? 0).toFixed(1)} errors=${errors} projector: published=${result.report.published} problems=${result.report.problemCount} behind-at-end=${result.behind} catch-up-s=${result.catchUp.toFixed(1)} subscriber-messages=${received} memory: rss ${mb(start.rss)}->${mb(endMem.rss)} MB, heap ${mb(start.heapUsed)}->${mb(endMem.heapUsed)} MB (growth ${growth} MB, bound ${HEAP_BOUND_MB} MB)`,
      )
      assert.strictEqual(errors, 0)
      assert.strictEqual(result.report.problemCount, 0)
      assert.isAbove(events, 0)
      assert.isAbove(received, 0)
      assert.isBelow(growth, HEAP_BOUND_MB)
    } finally {
      for (const nc of subscribers) await nc.close().catch(() => undefined)
      await server?.stop()
      removeDir(dir)
    }
  }, 300_000)
})
