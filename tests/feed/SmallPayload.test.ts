/**
 * The projector on a server whose max_payload is 16 KB: a long
 * negotiation's states are cut below the 100-offer window until each fits
 * (every state still published, in order), and a state that fits in no
 * message even listing no offer (a 14 KB description) is reported as
 * StateTooLarge and not published, while the other negotiation goes on.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, beforeAll, it } from "@effect/vitest"
import { Kvm } from "@nats-io/kv"
import { Effect } from "effect"
import { decidedEnvelope } from "../../src/domain/Envelope.ts"
import type { EventEnvelope, Instant, NegotiationEvent } from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import * as Projector from "../../src/feed/Projector.ts"
import { decodeState } from "../../src/feed/StateSchema.ts"
import { OFFERS_SHOWN } from "../../src/feed/Window.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { longNegotiation } from "./support/Long.ts"
import { eventually, rawClient } from "./support/Nats.ts"
import { appendEach, ceasefire } from "./support/Scripted.ts"

const MAX_PAYLOAD = 16_384

/** The long negotiation's opening with a description of `chars` characters. */
const wordy = (id: string, chars: number): EventEnvelope => {
  const opened = longNegotiation(id, 1)[0]!
  const event = { ...opened.event, description: "x".repeat(chars) } as NegotiationEvent
  return decidedEnvelope(id as NegotiationId, 1, opened.occurredAt as Instant, event, {})
}

describeWithNats("projector under a small max_payload", () => {
  let server: ChildProcess | undefined
  let dir = ""
  let url = ""
  beforeAll(async () => {
    const port = await NatsServer.freePort()
    dir = mkdtempSync(join(tmpdir(), "parley-nats-small-"))
    const config = join(dir, "server.conf")
    writeFileSync(
      config,
      `listen: 127.0.0.1:${port}\nmax_payload: ${MAX_PAYLOAD}\njetstream { store_dir: ${JSON.stringify(join(dir, "js"))} }\n`,
    )
    server = spawn(NatsServer.binary, ["-c", config], { stdio: ["ignore", "ignore", "pipe"] })
    await new Promise<void>((resolve, reject) => {
      let log = ""
      const timer = setTimeout(() => reject(new Error(`nats-server not ready: ${log}`)), 15_000)
      server?.stderr?.setEncoding("utf8").on("data", (d: string) => {
        log += d
        if (log.includes("Server is ready")) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    url = `nats://127.0.0.1:${port}`
  })
  afterAll(() => {
    server?.kill("SIGKILL")
    rmSync(dir, { recursive: true, force: true })
  })

  it.scopedLive(
    "every state of a 400-version negotiation is published under 16 KB with a smaller window; a state too large even without offers is reported, not published; the other negotiation goes on",
    () =>
      Effect.gen(function* () {
        const prefix = "small"
        const long = longNegotiation("long", 400)
        const other = yield* ceasefire("other", 3)
        const nc = yield* rawClient(url)
        assert.strictEqual(nc.info?.max_payload, MAX_PAYLOAD)
        const versions = new Map<string, Array<number>>()
        let largest = 0
        const problems: Array<{ _tag: string; negotiationId: string; limit: number }> = []
        nc.subscribe(`${prefix}.state.*`, {
          callback: (_, m) => {
            const s = m.json<{ negotiationId: string; version: number }>()
            versions.set(s.negotiationId, [...(versions.get(s.negotiationId) ?? []), s.version])
            largest = Math.max(largest, m.data.length)
          },
        })
        nc.subscribe(`${prefix}.state-problems`, {
          callback: (_, m) => {
            problems.push(m.json())
          },
        })
        yield* Effect.promise(() => nc.flush())
        const of = (id: string) => versions.get(id) ?? []
        yield* Effect.gen(function* () {
          const store = yield* EventStore
          yield* Projector.make({ prefix })
          yield* appendEach(store, long)
          yield* appendEach(store, [wordy("wordy", 14_000)])
          yield* appendEach(store, other)
          yield* eventually("every state", () => of("other").includes(other.length), 60_000)
        }).pipe(Effect.provide(Nats.layer({ servers: url, prefix })))
        assert.deepStrictEqual(
          of("long"),
          Array.from({ length: long.length }, (_, i) => i + 1),
        )
        assert.deepStrictEqual(of("wordy"), [])
        assert.isAtMost(largest, MAX_PAYLOAD)
        assert.deepStrictEqual(
          problems.map((p) => [p._tag, p.negotiationId, p.limit]),
          [["StateTooLarge", "wordy", MAX_PAYLOAD - 4_096]],
        )
        const kv = yield* Effect.promise(() => new Kvm(nc).open(`${prefix}-state`))
        const last = decodeState((yield* Effect.promise(() => kv.get("long")))?.string() ?? "")
        assert.strictEqual(last._tag, "Right")
        if (last._tag === "Right") {
          assert.strictEqual(last.right.version, long.length)
          assert.isBelow(last.right.window?.offersShown ?? OFFERS_SHOWN, OFFERS_SHOWN)
          assert.strictEqual(
            last.right.window?.offersOmitted,
            (last.right.window?.offersMade ?? 0) - last.right.offers.length,
          )
        }
      }),
    { timeout: 90_000 },
  )
})
