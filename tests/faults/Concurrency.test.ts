/**
 * Fault 3, concurrency: eight separate processes drive commands on one
 * negotiation through `handle` with retries. Each command is applied once or
 * rejected with a VersionConflict and retried by its caller; the final log
 * replays (every domain invariant holds, versions are contiguous) and no
 * update is lost: every command that reported success is in the log exactly
 * once, and nothing else is.
 */
import { fileURLToPath } from "node:url"
import { Chunk, Effect, Stream } from "effect"
import { assert, it } from "vitest"
import { handle } from "../../src/app/CommandHandler.ts"
import { foldStateStream as foldStream } from "../../src/app/Projection.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { runNode } from "../support/Cli.ts"
import { opening } from "./support/Moves.ts"
import {
  type ConfiguredServer,
  describeWithNats,
  removeDir,
  startSingle,
  tempDir,
} from "./support/Servers.ts"

const PROCESSES = 8
const COMMANDS = 20
const driver = fileURLToPath(new URL("./support/driver.ts", import.meta.url))

interface DriverResult {
  readonly worker: number
  readonly succeeded?: ReadonlyArray<string>
  readonly errors?: ReadonlyArray<string>
  readonly conflicts?: number
  readonly callerRetries?: number
  readonly fatal?: string
}

const runDriver = async (args: ReadonlyArray<string>): Promise<DriverResult> => {
  const { code, stdout, stderr } = await runNode(["--import", "tsx", driver, ...args], {}, 90_000)
  const line = stdout.trim().split("\n").pop() ?? ""
  try {
    return JSON.parse(line) as DriverResult
  } catch {
    throw new Error(`driver ${args[3]} exited with ${code}: ${stdout}\n${stderr.slice(0, 20_000)}`)
  }
}

describeWithNats("fault: concurrency (eight writer processes on one negotiation)", () => {
  it(`${PROCESSES} processes x ${COMMANDS} commands: each applied once or retried after a VersionConflict; the log replays, versions contiguous, no update lost`, async () => {
    const dir = tempDir("concurrency")
    let server: ConfiguredServer | undefined
    try {
      server = await startSingle(dir, "concurrency")
      const url = server.url
      const id = "contested" as NegotiationId
      const layer = Nats.layer({ servers: url, prefix: "conc" })
      await Effect.runPromise(Effect.provide(handle(id, opening(id)), layer))

      const started = Date.now()
      const results = await Promise.all(
        Array.from({ length: PROCESSES }, (_, w) =>
          runDriver([url, "conc", id, String(w), String(COMMANDS)]),
        ),
      )
      const seconds = (Date.now() - started) / 1000

      const log = await Effect.runPromise(
        Effect.provide(
          Effect.gen(function* () {
            const store = yield* EventStore
            const events = Chunk.toReadonlyArray(yield* Stream.runCollect(store.read(id)))
            const state = yield* foldStream(Stream.fromIterable(events))
            return { events, state }
          }),
          layer,
        ),
      )
      const succeeded = results.flatMap((r) => r.succeeded ?? [])
      const errors = results.flatMap((r) => r.errors ?? (r.fatal === undefined ? [] : [r.fatal]))
      const conflicts = results.reduce((n, r) => n + (r.conflicts ?? 0), 0)
      const callerRetries = results.reduce((n, r) => n + (r.callerRetries ?? 0), 0)
      const offered = log.events.flatMap((e) =>
        e.event.type === "OfferMade" ? [e.event.offerId as string] : [],
      )
      const offeredOnce = new Map<string, number>()
      for (const o of offered) offeredOnce.set(o, (offeredOnce.get(o) ?? 0) + 1)
      const matched = succeeded.filter((o) => offeredOnce.get(o) === 1).length
      const unreported = offered.filter((o) => !succeeded.includes(o)).length
      const contiguous = log.events.every((e, i) => e.version === i + 1)

      console.log(
        `FAULT concurrency: processes=${PROCESSES} commands=${PROCESSES * COMMANDS} succeeded=${succeeded.length} in-log=${offered.length} matched-once=${matched} unreported-in-log=${unreported} version-conflicts=${conflicts} caller-retries=${callerRetries} errors=${errors.length} final-version=${log.state.version} contiguous=${contiguous} seconds=${seconds.toFixed(1)}`,
      )
      assert.deepStrictEqual(errors, [])
      assert.strictEqual(succeeded.length, PROCESSES * COMMANDS)
      assert.strictEqual(matched, succeeded.length, "every success is in the log exactly once")
      assert.strictEqual(unreported, 0, "nothing in the log that no caller reported")
      assert.strictEqual(offered.length, succeeded.length)
      assert.isTrue(contiguous)
      assert.strictEqual(log.state.version, 1 + succeeded.length)
      assert.isAbove(conflicts, 0, "the writers must have raced")
    } finally {
      await server?.stop()
      removeDir(dir)
    }
  }, 120_000)
})
