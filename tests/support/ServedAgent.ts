/**
 * A served agent for the remote-agent tests: boulware answering turns as
 * `parley agent serve` does, either through a scripted transport (in process,
 * replies late by varying delays) or as a service on a private nats-server.
 * The Monte Carlo, tournament and sweep suites compare what they give with a
 * served agent against the same strategy in process, so they share one agent.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Either } from "effect"
import { afterAll, beforeAll } from "vitest"
import { type AgentTransport, remoteAgents } from "../../src/remote/Player.ts"
import { answer, serveAgent } from "../../src/remote/Serve.ts"
import type { AsyncPlayer } from "../../src/simulation/Strategy.ts"
import { decodeStrategySpec, make } from "../../src/simulation/strategies/index.ts"
import * as NatsServer from "./NatsServer.ts"

/** The strategy the agent serves. */
export const boulware = () => make(Either.getOrThrow(decodeStrategySpec({ kind: "boulware" })))

/**
 * A remote agent on `subject`, with a fallback unlike the served strategy, so
 * that a turn the agent missed would show in the results.
 */
export const remoteSpec = (subject: string) => ({
  kind: "remote",
  subject,
  timeoutMs: 5000,
  fallback: { kind: "conceder" },
})

/**
 * A transport answering with boulware as `parley agent serve` does (`answer`),
 * each reply late by 0..4 ms, counting the turns waiting at once (`most`), the
 * turns asked (`calls`) and how often consecutive replies belong to different
 * negotiations (`switches`: that negotiations really overlapped), with the
 * remote agents reached through it as a run is given them (`remoteAgents`).
 * `reset` starts the counts again; the players of unfinished negotiations are
 * kept.
 */
export const scriptedAgent = () => {
  const players = new Map<string, AsyncPlayer>()
  const strategy = boulware()
  const counts = { inFlight: 0, most: 0, calls: 0, switches: 0 }
  let lastEnded = ""
  const transport: AgentTransport = {
    request: async (_subject, body) => {
      counts.inFlight++
      counts.most = Math.max(counts.most, counts.inFlight)
      await new Promise((resolve) => setTimeout(resolve, (counts.calls++ * 7) % 5))
      const reply = await answer(strategy, players, body)
      counts.inFlight--
      const { negotiationId } = JSON.parse(body) as { negotiationId: string }
      if (lastEnded !== "" && lastEnded !== negotiationId) counts.switches++
      lastEnded = negotiationId
      return reply
    },
  }
  const reset = () => {
    counts.most = 0
    counts.calls = 0
    counts.switches = 0
    lastEnded = ""
  }
  return { transport, remoteAgents: remoteAgents(transport), counts, reset }
}

/** What a suite on a private nats-server has, once its `beforeAll` ran. */
export interface Bus {
  readonly server: NatsServer.NatsServer
  readonly nc: NatsConnection
  /** A temporary directory for the suite's files. */
  readonly dir: string
}

/**
 * Declares, in the calling suite, a nats-server started before its tests, a
 * connection to it and a temporary directory named after `name`, all gone
 * after them. Read the fields inside tests (they are set by `beforeAll`).
 */
export const busForSuite = (name: string): Bus => {
  const bus = {} as { server: NatsServer.NatsServer; nc: NatsConnection; dir: string }
  beforeAll(async () => {
    bus.server = await NatsServer.start()
    bus.nc = await connect({ servers: bus.server.url, noAsyncTraces: true })
    bus.dir = mkdtempSync(join(tmpdir(), `parley-${name}-`))
  }, 30_000)
  afterAll(async () => {
    await bus.nc?.drain()
    await bus.server?.stop()
    if (bus.dir !== undefined) rmSync(bus.dir, { recursive: true, force: true })
  })
  return bus
}

/** Runs `body` while boulware is served on `nc` as the agent `name` (subject `parley.agents.<name>`). */
export const servingBoulware = async <A>(
  nc: NatsConnection,
  name: string,
  body: () => Promise<A>,
): Promise<A> => {
  const service = await serveAgent(nc, boulware(), {
    name,
    strategyName: "boulware",
    version: "0.1.0",
  })
  try {
    return await body()
  } finally {
    await service.stop()
  }
}
