/**
 * Monte Carlo batches with remote agents, on the Laptop scenario (ANAC 2011):
 * with a transport whose replies come back after varying delays (so runs end
 * out of order), no more than `concurrency` turns are ever waiting, and the
 * outcomes are the same, in run order, whatever the concurrency; against a
 * real nats-server, `parley simulate` with the buyer served by `parley agent
 * serve`'s service gives the same summary and per-run outcomes as the same
 * batch with the buyer's strategy in process.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { answer, listAgents, serveAgent } from "../../src/remote/Serve.ts"
import { loadBatch, simulate } from "../../src/simulation/MonteCarlo.ts"
import type { AgentTransport } from "../../src/simulation/remote/Player.ts"
import type { AsyncPlayer } from "../../src/simulation/Strategy.ts"
import { decodeStrategySpec, make } from "../../src/simulation/strategies/index.ts"
import { cli } from "../support/Cli.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"

const scenario = "scenarios/anac-laptop.json"
const buyer = "laptop_buyer_utility"
const boulware = () => make(Either.getOrThrow(decodeStrategySpec({ kind: "boulware" })))
// A fallback unlike the served strategy, so that a turn the agent missed would show in the outcomes.
const remoteBuyer = (subject: string) => ({
  [buyer]: { kind: "remote", subject, timeoutMs: 5000, fallback: { kind: "conceder" } },
})

/** A batch's outcomes without what only the clock decides. */
const outcomesOf = (
  agents: Record<string, unknown>,
  transport: AgentTransport | undefined,
  concurrency?: number,
) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const batch = yield* loadBatch(scenario, {}, agents, (needed) =>
        Effect.succeed(needed ? transport : undefined),
      )
      expect(batch.transport).toBe(transport)
      return yield* simulate(batch, { runs: 20, seed: 7, concurrency })
    }),
  )

describe("Monte Carlo with remote agents (scripted transport)", () => {
  it("never has more than --concurrency turns waiting, and gives the outcomes of one-at-a-time play in run order", async () => {
    const players = new Map<string, AsyncPlayer>()
    const strategy = boulware()
    let inFlight = 0
    let mostInFlight = 0
    let calls = 0
    const ended: Array<string> = []
    // The served strategy's own answers (`answer`, as `parley agent serve` gives them), late by 0..4 ms.
    const transport: AgentTransport = {
      request: async (_subject, body) => {
        inFlight++
        mostInFlight = Math.max(mostInFlight, inFlight)
        await new Promise((resolve) => setTimeout(resolve, (calls++ * 7) % 5))
        const reply = await answer(strategy, players, body)
        inFlight--
        const { negotiationId } = JSON.parse(body) as { negotiationId: string }
        ended.push(negotiationId)
        return reply
      },
    }
    const concurrent = await outcomesOf(remoteBuyer("agents.buyer"), transport, 3)
    expect(mostInFlight).toBe(3)
    const sequentialCalls = calls
    mostInFlight = 0
    const oneByOne = await outcomesOf(remoteBuyer("agents.buyer"), transport, 1)
    expect(mostInFlight).toBe(1)
    expect(calls).toBe(2 * sequentialCalls)
    // Runs really overlapped: the first batch's replies interleave negotiations.
    const firstBatch = ended.slice(0, sequentialCalls)
    const switches = firstBatch.filter((id, k) => k > 0 && firstBatch[k - 1] !== id).length
    expect(switches).toBeGreaterThan(19)
    expect(concurrent.outcomes.map((o) => o.run)).toEqual([...Array(20).keys()])
    expect(concurrent.outcomes).toEqual(oneByOne.outcomes)
    const { seconds: _a, ...a } = concurrent.summary
    const { seconds: _b, ...b } = oneByOne.summary
    expect(a).toEqual(b)
    // And both are the buyer's strategy played in process.
    const local = await outcomesOf({ [buyer]: { kind: "boulware" } }, undefined)
    expect(concurrent.outcomes).toEqual(local.outcomes)
  }, 60_000)
})

describeWithNats("parley simulate with a served agent on NATS", () => {
  let server: NatsServer.NatsServer
  let nc: NatsConnection
  let dir: string
  beforeAll(async () => {
    server = await NatsServer.start()
    nc = await connect({ servers: server.url, noAsyncTraces: true })
    dir = mkdtempSync(join(tmpdir(), "parley-remote-batch-"))
  }, 30_000)
  afterAll(async () => {
    await nc?.drain()
    await server?.stop()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it("20 runs with the buyer served equal the same batch with boulware in process, run by run", async () => {
    const service = await serveAgent(nc, boulware(), {
      name: "buyer-bot",
      strategyName: "boulware",
      version: "0.1.0",
    })
    try {
      const batch = (agent: string, table: string, env: Record<string, string> = {}) =>
        cli(
          [
            "simulate",
            scenario,
            "--runs",
            "20",
            "--seed",
            "3",
            "--agent",
            `${buyer}=${agent}`,
            "--table",
            join(dir, table),
            "--json",
            "--concurrency",
            "4",
          ],
          env,
        )
      const served = await batch(
        JSON.stringify(remoteBuyer("parley.agents.buyer-bot")[buyer]),
        "served.csv",
        { PARLEY_NATS_URL: server.url },
      )
      expect(served.stderr).toBe("")
      expect(served.code).toBe(0)
      const local = await batch("boulware", "local.csv")
      expect(local.code).toBe(0)
      const { seconds: _s, ...servedSummary } = JSON.parse(served.stdout)
      const { seconds: _l, ...localSummary } = JSON.parse(local.stdout)
      expect(servedSummary.runs).toBe(20)
      expect(servedSummary.agreementRate).toBeGreaterThan(0)
      expect(servedSummary).toEqual(localSummary)
      const rows = (file: string) => readFileSync(join(dir, file), "utf8").trim().split("\n")
      expect(rows("served.csv")).toHaveLength(21)
      expect(rows("served.csv")).toEqual(rows("local.csv"))
      // The fallback plays otherwise: the buyer's moves were the served agent's.
      const fallback = await batch("conceder", "fallback.csv")
      expect(rows("fallback.csv")).not.toEqual(rows("local.csv"))
      const [listed] = await listAgents(nc, 500)
      expect(listed!.requests).toBeGreaterThan(20)
      expect(listed!.errors).toBe(0)
      expect(fallback.code).toBe(0)
    } finally {
      await service.stop()
    }
  }, 120_000)

  it("refuses --distributed with a remote agent, before anything runs", async () => {
    const refused = await cli(
      [
        "simulate",
        scenario,
        "--runs",
        "2",
        "--distributed",
        "--nats",
        server.url,
        "--agent",
        `${buyer}=${JSON.stringify(remoteBuyer("parley.agents.buyer-bot")[buyer])}`,
      ],
      {},
    )
    expect(refused.code).not.toBe(0)
    expect(refused.stdout).toBe("")
    expect(refused.stderr).toContain("drop --distributed")
  }, 60_000)
})
