/**
 * Fault 1, crash: writers append continuously across many negotiations while
 * the nats-server is killed with SIGKILL and restarted several times.
 * Afterwards every acknowledged append is present exactly once, every failed
 * append was retried to success (same event ids, so the server deduplicates)
 * or reported, and every replayed state equals the writer's own view.
 */
import { Duration, Effect, Either } from "effect"
import { assert, it } from "vitest"
import { decideLocally, toPending } from "../../src/app/CommandHandler.ts"
import { foldStateStream as foldStream } from "../../src/app/Projection.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { initialState, type State } from "../../src/domain/Negotiation.ts"
import { ExpectedVersion } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { eventIdCounts, offer, opening, rawMessages } from "./support/Moves.ts"
import {
  type ConfiguredServer,
  describeWithNats,
  removeDir,
  sleep,
  startSingle,
  tempDir,
} from "./support/Servers.ts"

const NEGOTIATIONS = 12
const KILLS = 4
/** A failed append is retried for this long before it is reported as failed. */
const GIVE_UP_AFTER = Duration.seconds(30)

describeWithNats("fault: crash (kill -9 of nats-server during appends)", () => {
  it("every acknowledged append survives exactly once; failed ones were retried or reported; replay equals the writers' views", async () => {
    const dir = tempDir("crash")
    let server: ConfiguredServer | undefined
    try {
      server = await startSingle(dir, "crash")
      const s = server
      const counts = {
        appended: 0,
        acknowledged: 0,
        failedAttempts: 0,
        retried: 0,
        deduplicated: 0,
        reported: 0,
      }
      const acknowledgedIds: Array<string> = []
      const reportedIds: Array<string> = []
      const views = new Map<NegotiationId, State>()
      let stop = false

      const writers = Effect.scoped(
        Effect.gen(function* () {
          const store = yield* Nats.make({ servers: s.url, prefix: "crash", timeout: "1 second" })
          const writer = (id: NegotiationId) =>
            Effect.gen(function* () {
              let state = initialState
              for (let k = 0; k === 0 || !stop; k++) {
                const command = k === 0 ? opening(id) : offer(id, k)
                const decided = decideLocally(id, state, command)
                if (Either.isLeft(decided)) return yield* Effect.die(decided.left)
                const events = toPending(decided.right.envelopes)
                counts.appended++
                const started = Date.now()
                let failures = 0
                for (;;) {
                  const r = yield* Effect.either(
                    store.append(id, events, ExpectedVersion.Exact(state.version)),
                  )
                  if (Either.isRight(r)) {
                    counts.acknowledged++
                    if (failures > 0) counts.retried++
                    if (r.right.duplicate) counts.deduplicated++
                    for (const e of events) acknowledgedIds.push(e.eventId)
                    state = decided.right.state
                    views.set(id, state)
                    break
                  }
                  failures++
                  counts.failedAttempts++
                  if (Date.now() - started > Duration.toMillis(GIVE_UP_AFTER)) {
                    counts.reported++
                    for (const e of events) reportedIds.push(e.eventId)
                    console.log(
                      `FAULT crash: reported ${id} v${state.version + 1}: ${r.left.message}`,
                    )
                    return
                  }
                  yield* Effect.sleep("100 millis")
                }
              }
            })
          const ids = Array.from({ length: NEGOTIATIONS }, (_, i) => `crash-${i}` as NegotiationId)
          yield* Effect.forEach(ids, writer, { concurrency: "unbounded", discard: true })
        }),
      )

      const running = Effect.runPromise(writers)
      const killedAt: Array<number> = []
      for (let i = 0; i < KILLS; i++) {
        await sleep(1_500)
        killedAt.push(counts.acknowledged)
        await s.kill()
        await sleep(600)
        await s.restart()
      }
      await sleep(1_500)
      stop = true
      await running

      // What the server holds, read raw: every acknowledged event id exactly once.
      const messages = await rawMessages(s.url, "CRASH")
      const seen = eventIdCounts(messages)
      const presentOnce = acknowledgedIds.filter((id) => seen.get(id) === 1).length
      const missing = acknowledgedIds.filter((id) => !seen.has(id)).length
      const doubled = [...seen.values()].filter((n) => n > 1).length
      const reportedTwice = reportedIds.filter((id) => (seen.get(id) ?? 0) > 1).length

      // Replay through the adapter on a fresh connection equals each writer's own view.
      const replayed = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const store = yield* Nats.make({ servers: s.url, prefix: "crash" })
            let equal = 0
            for (const [id, view] of views) {
              const state = yield* foldStream(store.read(id))
              assert.deepStrictEqual(state, view, `replayed state of ${id}`)
              equal++
            }
            return equal
          }),
        ),
      )

      console.log(
        `FAULT crash: kills=${KILLS} negotiations=${NEGOTIATIONS} appended=${counts.appended} acknowledged=${counts.acknowledged} present-once=${presentOnce} missing=${missing} doubled=${doubled} failed-attempts=${counts.failedAttempts} retried=${counts.retried} deduplicated=${counts.deduplicated} reported=${counts.reported} events=${acknowledgedIds.length} messages=${messages.length} replay-equal=${replayed}/${views.size} acked-at-kills=${killedAt.join(",")}`,
      )
      assert.strictEqual(missing, 0, "acknowledged appends missing")
      assert.strictEqual(doubled, 0, "event ids stored more than once")
      assert.strictEqual(presentOnce, acknowledgedIds.length)
      assert.strictEqual(reportedTwice, 0)
      assert.strictEqual(counts.acknowledged + counts.reported, counts.appended)
      assert.strictEqual(replayed, NEGOTIATIONS)
      assert.isAbove(counts.failedAttempts, 0, "the kills must have failed some appends")
      assert.isAbove(counts.retried, 0, "some appends must have been retried to success")
    } finally {
      await server?.stop()
      removeDir(dir)
    }
  }, 120_000)
})
