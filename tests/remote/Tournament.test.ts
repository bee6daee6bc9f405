/**
 * Tournaments and sweeps with remote agents, on the Laptop domain (ANAC
 * 2011). With a transport whose replies come back after varying delays (so
 * negotiations end out of order), no more than `concurrency` turns are ever
 * waiting, and the results are the same, in plan order, whatever the
 * concurrency — and the same as with the agent's strategy in process. Against
 * a real nats-server, `parley tournament` and `parley sweep` with a competitor
 * served by `parley agent serve`'s service give, match by match and run by
 * run, what the same commands give with the strategy in process; and
 * `--distributed` with a remote agent is refused before anything plays.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { listAgents } from "../../src/remote/Serve.ts"
import type { RemoteAgents } from "../../src/simulation/RemoteAgents.ts"
import { sweep } from "../../src/simulation/Sweep.ts"
import { runTournament } from "../../src/tournament/Tournament.ts"
import { cli } from "../support/Cli.ts"
import { busForSuite, remoteSpec, scriptedAgent, servingBoulware } from "../support/ServedAgent.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { laptop, write } from "../tournament/support.ts"

/** A tournament on Laptop where the competitor "bot" plays `bot` (the others in process). */
const tournamentFile = (dir: string, name: string, bot: unknown) =>
  write(dir, name, {
    id: "remote",
    competitors: [
      { name: "bot", strategy: bot },
      { name: "hardheaded", strategy: { kind: "hardheaded" } },
      { name: "conceder", strategy: { kind: "conceder" } },
    ],
    scenarios: [laptop],
    repetitions: 2,
    rounds: 30,
    seed: 5,
  })

const play = (file: string, transport: RemoteAgents | undefined, concurrency?: number) =>
  Effect.runPromise(
    runTournament(file, {
      concurrency,
      connect: (needed) => Effect.succeed(needed ? transport : undefined),
    }),
  )

describe("tournaments and sweeps with remote agents (scripted transport)", () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "parley-remote-tournament-"))
  })
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it("a tournament never has more than --concurrency turns waiting, and equals the in-process tournament match by match, in plan order", async () => {
    const agent = scriptedAgent()
    const remoteFile = tournamentFile(dir, "remote.json", remoteSpec("agents.bot"))
    const concurrent = await play(remoteFile, agent.remoteAgents, 3)
    expect(agent.counts.most).toBe(3)
    expect(concurrent.remote).toBe(3)
    // Negotiations really overlapped: replies of different negotiations interleave.
    expect(agent.counts.switches).toBeGreaterThan(concurrent.plan.length)
    const calls = agent.counts.calls
    agent.reset()
    const oneByOne = await play(remoteFile, agent.remoteAgents, 1)
    expect(agent.counts.most).toBe(1)
    expect(agent.counts.calls).toBe(calls)
    // 3 competitors, every ordered pair, 2 repetitions: 12 negotiations, 8 with the bot.
    expect(concurrent.result.negotiations).toHaveLength(12)
    expect(concurrent.result.negotiations.map((n) => n.id)).toEqual(
      concurrent.plan.map((p) => p.id),
    )
    expect(concurrent.result.negotiations).toEqual(oneByOne.result.negotiations)
    expect(concurrent.result.ranking).toEqual(oneByOne.result.ranking)
    const local = await play(tournamentFile(dir, "local.json", { kind: "boulware" }), undefined)
    expect(local.remote).toBeUndefined()
    expect(concurrent.result.negotiations).toEqual(local.result.negotiations)
    expect(concurrent.result.ranking).toEqual(local.result.ranking)
    // The fallback plays otherwise: had the bot's turns fallen back, the results would differ.
    const fallback = await play(
      tournamentFile(dir, "fallback.json", { kind: "conceder" }),
      undefined,
    )
    expect(fallback.result.negotiations).not.toEqual(local.result.negotiations)
  }, 120_000)

  it("a sweep connects once, never has more than --concurrency turns waiting, and equals the in-process sweep run by run", async () => {
    const agent = scriptedAgent()
    let connections = 0
    const run = (bot: unknown, transport: RemoteAgents | undefined, concurrency?: number) =>
      Effect.runPromise(
        sweep(
          "scenarios/anac-laptop.json",
          {},
          { laptop_buyer_utility: bot },
          {
            varies: [{ name: "rounds", min: 20, max: 40, steps: 2 }],
            grid: false,
            runs: 6,
            seed: 3,
            concurrency,
            connect: (needed) => {
              if (needed) connections++
              return Effect.succeed(needed ? transport : undefined)
            },
          },
        ),
      )
    const concurrent = await run(remoteSpec("agents.bot"), agent.remoteAgents, 4)
    expect(connections).toBe(1)
    expect(agent.counts.most).toBe(4)
    agent.reset()
    const oneByOne = await run(remoteSpec("agents.bot"), agent.remoteAgents, 1)
    expect(agent.counts.most).toBe(1)
    const local = await run({ kind: "boulware" }, undefined)
    expect(connections).toBe(2)
    expect(concurrent.rows).toHaveLength(12)
    expect(concurrent.rows).toEqual(oneByOne.rows)
    expect(concurrent.rows).toEqual(local.rows)
    expect(concurrent.points).toEqual(local.points)
    expect(concurrent.sensitivity).toEqual(local.sensitivity)
  }, 120_000)
})

describeWithNats("parley tournament and parley sweep with a served agent on NATS", () => {
  const bus = busForSuite("remote-tournament-nats")

  it("a tournament with a served competitor equals the same tournament in process, match by match; a sweep run by run", async () => {
    const { dir, nc, server } = bus
    await servingBoulware(nc, "bot", async () => {
      const served = tournamentFile(dir, "served.json", remoteSpec("parley.agents.bot"))
      const remote = await cli(
        ["tournament", served, "--out", join(dir, "served"), "--concurrency", "4"],
        { PARLEY_NATS_URL: server.url },
      )
      expect(remote.stderr).toBe("")
      expect(remote.code).toBe(0)
      expect(remote.stdout).toContain("remote agents: played in this process")
      expect(remote.stdout).toContain("up to 4 negotiations at once")
      const local = await cli([
        "tournament",
        tournamentFile(dir, "local.json", { kind: "boulware" }),
        "--out",
        join(dir, "local"),
      ])
      expect(local.code).toBe(0)
      const read = (out: string) =>
        JSON.parse(readFileSync(join(dir, out, "tournament.json"), "utf8")) as {
          negotiations: ReadonlyArray<{ id: string; agreement: unknown }>
          ranking: unknown
        }
      const a = read("served")
      const b = read("local")
      expect(a.negotiations).toHaveLength(12)
      expect(a.negotiations.some((n) => n.agreement !== null)).toBe(true)
      expect(a.negotiations).toEqual(b.negotiations)
      expect(a.ranking).toEqual(b.ranking)
      expect(readFileSync(join(dir, "served", "negotiations.csv"), "utf8")).toBe(
        readFileSync(join(dir, "local", "negotiations.csv"), "utf8"),
      )

      const sweepOf = (agent: string, table: string, env: Record<string, string> = {}) =>
        cli(
          [
            "sweep",
            "scenarios/anac-laptop.json",
            "--vary",
            "rounds=20:40:2",
            "--runs",
            "5",
            "--seed",
            "3",
            "--agent",
            `laptop_buyer_utility=${agent}`,
            "--table",
            join(dir, table),
            "--json",
            "--concurrency",
            "3",
          ],
          env,
        )
      const servedSweep = await sweepOf(JSON.stringify(remoteSpec("parley.agents.bot")), "s.csv", {
        PARLEY_NATS_URL: server.url,
      })
      expect(servedSweep.stderr).toBe("")
      expect(servedSweep.code).toBe(0)
      const localSweep = await sweepOf("boulware", "l.csv")
      expect(localSweep.code).toBe(0)
      expect(JSON.parse(servedSweep.stdout)).toEqual(JSON.parse(localSweep.stdout))
      const rows = (file: string) => readFileSync(join(dir, file), "utf8").trim().split("\n")
      expect(rows("s.csv")).toHaveLength(11)
      expect(rows("s.csv")).toEqual(rows("l.csv"))
      // Every turn of the bot went to the served agent, and none failed.
      const [listed] = await listAgents(nc, 500)
      expect(listed!.requests).toBeGreaterThan(8 + 10)
      expect(listed!.errors).toBe(0)
    })
  }, 180_000)

  it("refuses --distributed with a remote agent in a tournament or a sweep, before anything plays", async () => {
    const { dir, server } = bus
    const file = tournamentFile(dir, "distributed.json", remoteSpec("parley.agents.bot"))
    const out = join(dir, "distributed")
    const tournament = await cli(["tournament", file, "--distributed", "--nats", server.url])
    expect(tournament.code).not.toBe(0)
    expect(tournament.stdout).toBe("")
    expect(tournament.stderr).toContain("remote agents play in this process: drop --distributed")
    const swept = await cli([
      "sweep",
      "scenarios/anac-laptop.json",
      "--vary",
      "rounds=20:40:2",
      "--runs",
      "2",
      "--distributed",
      "--nats",
      server.url,
      "--out",
      out,
      "--agent",
      `laptop_buyer_utility=${JSON.stringify(remoteSpec("parley.agents.bot"))}`,
    ])
    expect(swept.code).not.toBe(0)
    expect(swept.stdout).toBe("")
    expect(swept.stderr).toContain("remote agents play in this process: drop --distributed")
    expect(() => readFileSync(join(out, "sweep.json"))).toThrow()
  }, 60_000)
})
