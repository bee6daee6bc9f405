/**
 * `--keep-logs` on a Monte Carlo item delivered again after the event
 * stream's duplicate window: the worker plays the item's runs again with the
 * same seeds, their appends conflict with the logs the first delivery left,
 * and the store recognises them as the same events (same ids at the same
 * versions) — the item succeeds with the same outcomes and nothing is
 * written twice. The same range, through `runRange` as a worker plays it,
 * against a stream whose duplicate window is 300 ms.
 */
import { NodeFileSystem } from "@effect/platform-node"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Effect, Layer } from "effect"
import { afterAll, beforeAll, expect, it } from "vitest"
import { loadBatch, runRange } from "../../src/simulation/Batch.ts"
import * as Nats from "../../src/store/Nats.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"

describeWithNats("--keep-logs beyond the duplicate window", () => {
  let server: NatsServer.NatsServer
  beforeAll(async () => {
    server = await NatsServer.start()
  })
  afterAll(async () => {
    await server?.stop()
  })

  /** How many commits the event stream holds. */
  const commits = async () => {
    const nc = await connect({ servers: server.url })
    try {
      return (await (await jetstreamManager(nc)).streams.info("PARLEY")).state.messages
    } finally {
      await nc.close()
    }
  }

  it("a range of runs played again after the window succeeds with the same outcomes and appends nothing", async () => {
    // The event stream, created first with a short window (an existing stream is used as it is).
    await Effect.runPromise(
      Effect.scoped(
        Layer.build(Nats.layer({ servers: server.url, duplicateWindow: "300 millis" })),
      ),
    )
    const batch = await Effect.runPromise(
      loadBatch("scenarios/anac-laptop.json", {}).pipe(Effect.provide(NodeFileSystem.layer)),
    )
    const play = () =>
      Effect.runPromise(
        runRange(batch, { seed: 7, from: 0, to: 3, nats: server.url }).pipe(
          Effect.scoped,
          Effect.provide(NodeFileSystem.layer),
        ),
      )
    const first = await play()
    const stored = await commits()
    expect(stored).toBeGreaterThan(3)
    await new Promise((r) => setTimeout(r, 1_000))
    const again = await play()
    expect(again).toEqual(first)
    expect(await commits()).toBe(stored)
  }, 120_000)
})
