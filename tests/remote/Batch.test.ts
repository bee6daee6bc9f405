/**
 * Monte Carlo batches with remote agents, on the Laptop scenario (ANAC 2011):
 * with a transport whose replies come back after varying delays (so runs end
 * out of order), no more than `concurrency` turns are ever waiting, and the
 * outcomes are the same, in run order, whatever the concurrency; against a
 * real nats-server, `parley simulate` with the buyer served by `parley agent
 * serve`'s service gives the same summary and per-run outcomes as the same
 * batch with the buyer's strategy in process.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { listAgents } from "../../src/remote/Serve.ts"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import type { RemoteAgents } from "../../src/simulation/RemoteAgents.ts"
import { cli } from "../support/Cli.ts"
import { busForSuite, remoteSpec, scriptedAgent, servingBoulware } from "../support/ServedAgent.ts"
import { describeWithNats } from "../support/WithNats.ts"

const scenario = "scenarios/anac-laptop.json"
const buyer = "laptop_buyer_utility"
const remoteBuyer = (subject: string) => ({ [buyer]: remoteSpec(subject) })

/** A batch's outcomes without what only the clock decides. */
const outcomesOf = (
  agents: Record<string, unknown>,
  transport: RemoteAgents | undefined,
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
    // The served strategy's own answers (`answer`, as `parley agent serve` gives them), late by 0..4 ms.
    const agent = scriptedAgent()
    const transport = agent.remoteAgents
    const concurrent = await outcomesOf(remoteBuyer("agents.buyer"), transport, 3)
    expect(agent.counts.most).toBe(3)
    // Runs really overlapped: the first batch's replies interleave negotiations.
    expect(agent.counts.switches).toBeGreaterThan(19)
    const concurrentCalls = agent.counts.calls
    agent.reset()
    const oneByOne = await outcomesOf(remoteBuyer("agents.buyer"), transport, 1)
    expect(agent.counts.most).toBe(1)
    expect(agent.counts.calls).toBe(concurrentCalls)
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
  const bus = busForSuite("remote-batch")

  it("20 runs with the buyer served equal the same batch with boulware in process, run by run", async () => {
    const { dir, nc, server } = bus
    await servingBoulware(nc, "buyer-bot", async () => {
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
    })
  }, 120_000)

  it("refuses --distributed with a remote agent, before anything runs", async () => {
    const { server } = bus
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
