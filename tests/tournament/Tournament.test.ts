import { readdirSync, readFileSync, rmSync, truncateSync } from "node:fs"
import { join } from "node:path"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { stateIn } from "../../src/app/Projection.ts"
import { replayFile } from "../../src/app/Replay.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import * as Memory from "../../src/store/Memory.ts"
import { meanInterval, tQuantile } from "../../src/tournament/Aggregate.ts"
import { loadTournament } from "../../src/tournament/Definition.ts"
import { planOf } from "../../src/tournament/Plan.ts"
import { arenaOf, logPath, resultPath } from "../../src/tournament/Play.ts"
import type { TournamentResult } from "../../src/tournament/Result.ts"
import { runTournament, type TournamentOptions } from "../../src/tournament/Tournament.ts"
import { fixture } from "../analysis/helpers.ts"
import { dinner, four, laptop, tempDir, write } from "./support.ts"

const play = (file: string, options: TournamentOptions = {}) =>
  Effect.runPromise(runTournament(file, options))

const small = {
  id: "small",
  competitors: four.slice(0, 3),
  scenarios: [laptop],
  repetitions: 2,
  rounds: 30,
  seed: 7,
}

describe("running a tournament", () => {
  it("gives the same tournament.json from the same file and seed, in one thread or several", async () => {
    const dir = tempDir()
    const file = write(dir, "t.json", small)
    await play(file, { outDir: join(dir, "a"), workers: 0 })
    await play(file, { outDir: join(dir, "b"), workers: 0 })
    await play(file, { outDir: join(dir, "c"), workers: 2 })
    const json = (d: string) => readFileSync(join(dir, d, "tournament.json"), "utf8")
    expect(json("b")).toBe(json("a"))
    expect(json("c")).toBe(json("a"))
    const result = JSON.parse(json("a")) as TournamentResult
    expect(result.negotiations).toHaveLength(3 * 2 * 2)
    expect(readdirSync(join(dir, "a", "logs"))).toHaveLength(12)
    expect(
      readFileSync(join(dir, "a", "negotiations.csv"), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(1 + 12 * 2)
    expect(
      readFileSync(join(dir, "a", "scores.csv"), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(1 + 3)
    // Another seed, other negotiations.
    const other = await play(file, { seed: 8 })
    expect(other.result.seed).toBe(8)
    expect(other.result.negotiations.map((n) => n.seed)).not.toEqual(
      result.negotiations.map((n) => n.seed),
    )
  }, 120_000)

  it("scores each negotiation as the runner does: advantage = discounted utility − discounted reservation", async () => {
    // The ANAC laptop scenario with a reservation value, so advantage and discounted utility differ.
    const dir = tempDir()
    const scenario = JSON.parse(readFileSync(fixture("../../scenarios/anac-laptop.json"), "utf8"))
    for (const p of scenario.parties) p.preferences.reservation = 0.3
    write(dir, "laptop-rv.json", scenario)
    const file = write(dir, "t.json", {
      ...small,
      competitors: [...four, { name: "random", strategy: { kind: "random" } }],
      scenarios: ["laptop-rv.json"],
      repetitions: 1,
    })
    const { result } = await play(file, { outDir: join(dir, "out") })
    const tournament = await Effect.runPromise(
      loadTournament(file).pipe(Effect.provide(NodeFileSystem.layer)),
    )
    const plan = planOf(tournament)
    const d = 0.42441038
    let agreed = 0
    let failed = 0
    for (const [i, n] of result.negotiations.entries()) {
      // The runner itself, with the same agents and seed, scores it the same.
      const agents = Object.fromEntries(
        plan[i]!.assignment.map(([seat, c]) => [
          seat,
          tournament.definition.competitors[c]!.strategy,
        ]),
      )
      const direct = await Effect.runPromise(
        run(Either.getOrThrow(prepare(tournament.scenarios[0]!.compiled, agents)), {
          seed: n.seed,
          negotiationId: plan[i]!.id,
        }).pipe(Effect.provide(Memory.layer)),
      )
      expect(n.status).toBe(direct.state.status)
      expect(n.agreementTime).toBe(direct.scores.agreementTime)
      for (const [seat, p] of Object.entries(n.parties)) {
        const s = direct.scores.parties[seat]!
        expect(p).toEqual({ competitor: n.assignment[seat], ...s })
        expect(p.reservation).toBe(0.3)
        if (n.agreementTime !== null) {
          const factor = d ** n.agreementTime
          expect(p.discounted).toBeCloseTo(p.utility! * factor, 12)
          expect(p.advantage).toBeCloseTo(p.discounted - 0.3 * factor, 12)
        } else {
          expect(p.utility).toBeNull()
          expect(p.advantage).toBe(0)
        }
      }
      if (n.agreementTime === null) failed++
      else agreed++
      expect(n.socialWelfare).toBeCloseTo(
        Object.values(n.parties).reduce((s, p) => s + p.discounted, 0),
        12,
      )
      // The log says the same.
      const logged = stateIn(
        await Effect.runPromise(replayFile(logPath(join(dir, "out"), n.id))),
        n.id,
      )
      expect(logged.status).toBe(n.status)
      expect(logged.agreement?.terms ?? null).toEqual(n.agreement)
      if (n.paretoOptimal === true) expect(n.distanceToPareto).toBeLessThan(1e-9)
    }
    expect(agreed).toBeGreaterThan(0)
    expect(agreed + failed).toBe(20)
  })

  it("ranks best first by the mean score over every seat, with a t-interval around it", async () => {
    const dir = tempDir()
    const file = write(dir, "t.json", { ...small, competitors: four, repetitions: 1 })
    const { result } = await play(file)
    const scores = result.ranking.map((r) => r.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    expect(result.ranking.map((r) => r.competitor).sort()).toEqual(four.map((c) => c.name).sort())
    for (const r of result.ranking) {
      const seats = result.negotiations.flatMap((n) =>
        Object.values(n.parties).filter((p) => p.competitor === r.competitor),
      )
      expect(r.negotiations).toBe(seats.length)
      expect(r.negotiations).toBe(6)
      expect(r.score).toBeCloseTo(seats.reduce((s, p) => s + p.advantage, 0) / seats.length, 12)
      expect(r.interval[0]).toBeLessThanOrEqual(r.score)
      expect(r.interval[1]).toBeGreaterThanOrEqual(r.score)
      expect(Object.values(r.byOpponent).reduce((s, o) => s + o.negotiations, 0)).toBe(6)
      expect(Object.keys(r.byOpponent).sort()).toEqual(
        four
          .map((c) => c.name)
          .filter((c) => c !== r.competitor)
          .sort(),
      )
      expect(r.byScenario.laptop).toEqual({ score: r.score, negotiations: 6 })
    }
  })

  it("a 3-party ANAC 2015 domain: every assignment, each competitor in each seat", async () => {
    const dir = tempDir()
    const file = write(dir, "t.json", {
      id: "dinner",
      competitors: four.slice(0, 3),
      scenarios: [dinner],
      rounds: 30,
    })
    const { result } = await play(file)
    expect(result.scenarios[0]!.parties).toHaveLength(3)
    expect(result.negotiations).toHaveLength(6)
    for (const seat of result.scenarios[0]!.parties)
      expect(new Set(result.negotiations.map((n) => n.assignment[seat])).size).toBe(3)
    for (const n of result.negotiations) {
      expect(Object.keys(n.parties)).toHaveLength(3)
      expect(new Set(Object.values(n.assignment)).size).toBe(3)
    }
    for (const r of result.ranking) {
      expect(r.negotiations).toBe(6)
      // Each negotiation meets both other competitors.
      expect(Object.values(r.byOpponent).map((o) => o.negotiations)).toEqual([6, 6])
    }
  })

  it("resumes: keeps complete logs (scoring again one whose scores are missing), plays again a torn one and a missing one, and gives the same result", async () => {
    const dir = tempDir()
    const file = write(dir, "t.json", small)
    const out = join(dir, "out")
    const first = await play(file, { outDir: out })
    const json = readFileSync(join(out, "tournament.json"), "utf8")
    const [a, b, c] = first.result.negotiations
    const torn = logPath(out, a!.id)
    truncateSync(torn, Math.floor(readFileSync(torn).length / 2))
    rmSync(logPath(out, b!.id))
    // Killed after a log but before its scores were kept: scored again from the same seed.
    rmSync(resultPath(out, c!.id))
    rmSync(join(out, "tournament.json"))
    const again = await play(file, { outDir: out, resume: true })
    expect(again.counts).toEqual({ complete: 10, restarted: 1, new: 1 })
    expect(readFileSync(join(out, "tournament.json"), "utf8")).toBe(json)
    for (const n of first.result.negotiations) {
      const lines = readFileSync(logPath(out, n.id), "utf8").trim().split("\n")
      expect(lines.filter((l) => l.includes('"NegotiationOpened"'))).toHaveLength(1)
    }
  })

  it("prepares each scenario once, with its analysis", async () => {
    const dir = tempDir()
    const file = write(dir, "t.json", small)
    const tournament = await Effect.runPromise(
      loadTournament(file).pipe(Effect.provide(NodeFileSystem.layer)),
    )
    const arena = Either.getOrThrow(arenaOf(tournament))
    expect(arena.scenarios).toHaveLength(1)
    expect(arena.scenarios[0]!.analysis?.outcomes).toBe(27)
    expect(arena.scenarios[0]!.analysis?.kalaiSmorodinsky).toBeDefined()
  })
})

describe("95% intervals", () => {
  it("use Student's t quantiles", () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706, 3)
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.303, 3)
    expect(tQuantile(0.975, 3)).toBeCloseTo(3.182, 2)
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228, 3)
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 3)
    const { mean, interval } = meanInterval([1, 2, 3, 4])
    expect(mean).toBe(2.5)
    // s = sqrt(5/3), half-width t(3) * s / 2
    expect(interval[1] - mean).toBeCloseTo((3.182 * Math.sqrt(5 / 3)) / 2, 2)
    expect(meanInterval([0.4]).interval).toEqual([0.4, 0.4])
  })
})
