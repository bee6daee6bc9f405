/**
 * Fault 2, failover: a three-node JetStream cluster on loopback ports, the
 * stream with three replicas, its leader killed (SIGKILL) mid-run. Appends
 * resume after the election, nothing acknowledged is lost, and optimistic
 * concurrency still rejects stale writers.
 *
 * nats-server 2.9.x had clustered expected-sequence bugs (fixed by 2.9.21);
 * if Debian's 2.9.10 shows one here, the check that exposes it says so.
 */

import { execFileSync } from "node:child_process"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Context, Effect, Either, Layer } from "effect"
import { afterAll, assert, beforeAll, it } from "vitest"
import { decideLocally, toPending } from "../../src/app/CommandHandler.ts"
import { foldStateStream as foldStream } from "../../src/app/Projection.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { initialState, type State } from "../../src/domain/Negotiation.ts"
import { EventStore, ExpectedVersion } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { eventIdCounts, offer, opening, rawMessages } from "./support/Moves.ts"
import {
  type ConfiguredServer,
  describeWithNats,
  eventually,
  removeDir,
  sleep,
  startCluster,
  stopAll,
  tempDir,
} from "./support/Servers.ts"

const NEGOTIATIONS = 6

describeWithNats("fault: failover of a three-node JetStream cluster", () => {
  const dir = tempDir("cluster")
  let nodes: Array<ConfiguredServer> = []
  const urls = () => nodes.map((n) => n.url)
  const options = (): Nats.NatsOptions => ({
    servers: urls(),
    prefix: "fo",
    replicas: 3,
    timeout: "2 seconds",
  })
  const leaderOf = async () => {
    const up = nodes.filter((n) => n.running())
    const nc = await connect({ servers: up.map((n) => n.url) })
    try {
      const info = await (await jetstreamManager(nc)).streams.info("FO")
      return { leader: info.cluster?.leader, replicas: info.cluster?.replicas?.length ?? 0 }
    } finally {
      await nc.close()
    }
  }

  beforeAll(async () => {
    nodes = await startCluster(dir)
    // The cluster elects its meta leader before the stream can be created.
    await eventually(
      () => Effect.runPromise(Effect.scoped(Effect.asVoid(Nats.make(options())))),
      30_000,
      500,
    )
  }, 60_000)
  afterAll(async () => {
    await stopAll(nodes)
    removeDir(dir)
  })

  it("the stream leader killed mid-run: appends resume after the election, nothing acknowledged is lost", async () => {
    const counts = { appended: 0, acknowledged: 0, failedAttempts: 0, retried: 0, reported: 0 }
    const acked: Array<string> = []
    const views = new Map<NegotiationId, State>()
    let stop = false
    let worstPause = 0
    const writers = Effect.scoped(
      Effect.gen(function* () {
        const store = yield* Nats.make(options())
        const writer = (id: NegotiationId) =>
          Effect.gen(function* () {
            let state = initialState
            for (let k = 0; k === 0 || !stop; k++) {
              const decided = decideLocally(id, state, k === 0 ? opening(id) : offer(id, k))
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
                  worstPause = Math.max(worstPause, Date.now() - started)
                  for (const e of events) acked.push(e.eventId)
                  state = decided.right.state
                  views.set(id, state)
                  break
                }
                failures++
                counts.failedAttempts++
                if (Date.now() - started > 45_000) {
                  counts.reported++
                  console.log(`FAULT failover: reported ${id}: ${r.left.message}`)
                  return
                }
                yield* Effect.sleep("200 millis")
              }
            }
          })
        yield* Effect.forEach(
          Array.from({ length: NEGOTIATIONS }, (_, i) => `fo-${i}` as NegotiationId),
          writer,
          { concurrency: "unbounded", discard: true },
        )
      }),
    )
    const running = Effect.runPromise(writers)
    await sleep(2_000)
    const before = await leaderOf()
    const victim = nodes.find((n) => n.name === before.leader)
    assert.isDefined(victim, `leader ${before.leader} among ${nodes.map((n) => n.name)}`)
    const ackedAtKill = counts.acknowledged
    await victim?.kill()
    const killedAt = Date.now()
    await sleep(6_000)
    const after = await eventually(leaderOf, 20_000)
    const ackedAfterKill = counts.acknowledged - ackedAtKill
    await victim?.restart()
    await sleep(2_000)
    stop = true
    await running
    const elapsed = (Date.now() - killedAt) / 1000

    const messages = await rawMessages(urls()[0] ?? "", "FO", {
      nc: await connect({ servers: urls() }),
    }).catch(async () => rawMessages(urls()[1] ?? "", "FO"))
    const seen = eventIdCounts(messages)
    const missing = acked.filter((e) => !seen.has(e)).length
    const doubled = [...seen.values()].filter((n) => n > 1).length
    const replayEqual = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* Nats.make(options())
          let equal = 0
          for (const [id, view] of views) {
            const state = yield* foldStream(store.read(id))
            if (JSON.stringify(state) === JSON.stringify(view)) equal++
          }
          return equal
        }),
      ),
    )
    console.log(
      `FAULT failover: nodes=3 replicas=${before.replicas + 1} leader-before=${before.leader} leader-after=${after.leader} appended=${counts.appended} acknowledged=${counts.acknowledged} acked-after-kill=${ackedAfterKill} failed-attempts=${counts.failedAttempts} retried=${counts.retried} reported=${counts.reported} missing=${missing} doubled=${doubled} replay-equal=${replayEqual}/${views.size} longest-append-ms=${worstPause} window-s=${elapsed.toFixed(1)}`,
    )
    assert.notStrictEqual(after.leader, before.leader)
    assert.isAbove(ackedAfterKill, 0, "appends resumed after the election")
    assert.strictEqual(missing, 0, "acknowledged appends lost")
    assert.strictEqual(doubled, 0)
    assert.strictEqual(counts.reported, 0)
    assert.strictEqual(replayEqual, views.size)
  }, 150_000)

  let occ:
    | {
        rounds: number
        wins: number
        conflicts: number
        stale: number
        version: number
        commits: number
        replay: string
      }
    | undefined

  it("after the failover, optimistic concurrency still rejects a writer a version behind (50 rounds of two racing writers)", async () => {
    const result = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const a = Context.get(yield* Layer.build(Nats.layer(options())), EventStore)
          const b = Context.get(yield* Layer.build(Nats.layer(options())), EventStore)
          const id = "occ" as NegotiationId
          const opened = decideLocally(id, initialState, opening(id))
          if (Either.isLeft(opened)) return yield* Effect.die(opened.left)
          yield* a.append(id, toPending(opened.right.envelopes), ExpectedVersion.NoStream)
          let state = opened.right.state
          let wins = 0
          let conflicts = 0
          let stale = 0
          const rounds = 50
          for (let round = 0; round < rounds; round++) {
            const x = decideLocally(id, state, offer("a", round))
            const y = decideLocally(id, state, offer("b", round))
            if (Either.isLeft(x) || Either.isLeft(y)) return yield* Effect.die("undecidable")
            const [rx, ry] = yield* Effect.all(
              [
                Effect.either(
                  a.append(id, toPending(x.right.envelopes), ExpectedVersion.Exact(state.version)),
                ),
                Effect.either(
                  b.append(id, toPending(y.right.envelopes), ExpectedVersion.Exact(state.version)),
                ),
              ],
              { concurrency: 2 },
            )
            for (const r of [rx, ry]) {
              if (Either.isRight(r)) wins++
              else if (r.left._tag === "VersionConflict") conflicts++
            }
            state = Either.isRight(rx) ? x.right.state : y.right.state
            // A writer a version behind is always refused.
            const late = decideLocally(id, opened.right.state, offer("late", round))
            if (Either.isLeft(late)) return yield* Effect.die(late.left)
            const rl = yield* Effect.either(
              b.append(id, toPending(late.right.envelopes), ExpectedVersion.Exact(1)),
            )
            if (Either.isLeft(rl) && rl.left._tag === "VersionConflict") stale++
          }
          const version = yield* a.version(id)
          const raw = yield* Effect.promise(() => rawMessages(urls()[0] ?? "", "FO"))
          const commits = raw.filter((m) => m.subject === "fo.events.occ").length
          const replay = yield* Effect.either(foldStream(a.read(id)))
          return {
            rounds,
            wins,
            conflicts,
            stale,
            version,
            commits,
            replay: Either.isRight(replay) ? "ok" : replay.left.message.slice(0, 160),
          }
        }),
      ),
    )
    console.log(
      `FAULT failover-occ: rounds=${result.rounds} wins=${result.wins} conflicts=${result.conflicts} stale-rejected=${result.stale} final-version=${result.version} commits-stored=${result.commits} replay=${result.replay}`,
    )
    occ = result
    assert.strictEqual(result.stale, result.rounds)
  }, 60_000)

  /*
   * EXPOSED, not fixed here: on Debian's nats-server 2.9.10 a clustered (R3)
   * stream sometimes acknowledges BOTH of two publishes racing with the same
   * `expect.lastSubjectSequence` — the clustered expected-sequence race fixed
   * upstream in the 2.9.x line (by 2.9.21). Both commits are stored at the same
   * version and replay then fails with an impossible history. Observed here:
   * 8 and 10 of 50 rounds in two runs (see docs/RELIABILITY.md). Single-server streams are not
   * affected (tests/faults/Concurrency.test.ts). When this starts passing
   * (a fixed server), turn `it.fails` back into `it`: this is done from the
   * server's version, so a fixed server runs it as an ordinary test.
   */
  const affected = serverHasClusteredOccRace()
  ;(affected ? it.fails : it)(
    `${affected ? "EXPOSES" : "checks"} the clustered expected-last-subject-sequence race of nats-server < 2.9.21 (running ${serverVersion()}): exactly one of two racing writers wins on an R3 stream`,
    () => {
      assert.isDefined(occ, "the racing run above must have run")
      const result = occ ?? {
        rounds: 0,
        wins: -1,
        conflicts: 0,
        commits: 0,
        version: 0,
        replay: "",
      }
      console.log(
        `FAULT failover-occ: racing rounds=${result.rounds} both-acknowledged=${result.wins - result.rounds} commits-stored=${result.commits} (expected ${result.rounds + 1}) replay=${result.replay}`,
      )
      assert.strictEqual(result.wins, result.rounds)
      assert.strictEqual(result.conflicts, result.rounds)
      assert.strictEqual(result.commits, 1 + result.rounds)
      assert.strictEqual(result.replay, "ok")
    },
  )
})

/** The version of the nats-server binary the suite runs (`2.9.10`). */
function serverVersion(): string {
  const out = execFileSync(NatsServer.binary, ["--version"], { encoding: "utf8" })
  return /v?(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? "unknown"
}

/** Whether the server predates the fix of the clustered expected-sequence race (2.9.21). */
function serverHasClusteredOccRace(): boolean {
  const [major = 0, minor = 0, patch = 0] = serverVersion().split(".").map(Number)
  return major === 2 && (minor < 9 || (minor === 9 && patch < 21))
}
