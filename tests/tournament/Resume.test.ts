/**
 * A tournament killed with SIGKILL halfway and resumed gives the result of an
 * uninterrupted run, and no negotiation is logged twice: the real command, in
 * a child process, as a researcher would run it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { runTournament } from "../../src/tournament/Tournament.ts"
import { cli } from "../support/Cli.ts"
import { englandZimbabwe, four, killWhen, laptop, tempDir, write } from "./support.ts"

/** The event logs in `dir` (not the lock file a killed writer leaves beside one). */
const logsIn = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".jsonl")) : []

describe("parley tournament --resume", () => {
  it("killed with SIGKILL halfway, then resumed: the same tournament.json, every negotiation logged once", async () => {
    const dir = tempDir()
    const total = 4 * 3 * 2 * 10
    const file = write(dir, "t.json", {
      id: "killed",
      competitors: four,
      scenarios: [laptop, englandZimbabwe],
      repetitions: 10,
      rounds: 100,
      seed: 3,
    })
    const out = join(dir, "out")
    const logs = join(out, "logs")
    const signal = await killWhen(
      ["tournament", file, "--out", out, "--workers", "0"],
      () => logsIn(logs).length,
      20,
    )
    expect(signal).toBe("SIGKILL")
    const before = logsIn(logs).length
    expect(before).toBeGreaterThanOrEqual(20)
    expect(before).toBeLessThan(total)
    expect(existsSync(join(out, "tournament.json"))).toBe(false)

    const resumed = await cli(["tournament", file, "--out", out, "--resume", "--workers", "0"])
    expect(resumed.stderr).toBe("")
    expect(resumed.code).toBe(0)
    const counts = /(\d+) complete already, (\d+) restarted, (\d+) new/.exec(resumed.stdout)
    expect(counts).not.toBeNull()
    const [complete, restarted, fresh] = counts!.slice(1).map(Number) as [number, number, number]
    expect(complete + restarted + fresh).toBe(total)
    // What the killed run finished is kept; at most the one it was writing is played again.
    expect(complete).toBeGreaterThanOrEqual(before - 1)
    expect(restarted).toBeLessThanOrEqual(1)
    expect(fresh).toBe(total - before)

    const uninterrupted = join(dir, "uninterrupted")
    await Effect.runPromise(runTournament(file, { outDir: uninterrupted, workers: 0 }))
    expect(readFileSync(join(out, "tournament.json"), "utf8")).toBe(
      readFileSync(join(uninterrupted, "tournament.json"), "utf8"),
    )
    expect(readFileSync(join(out, "scores.csv"), "utf8")).toBe(
      readFileSync(join(uninterrupted, "scores.csv"), "utf8"),
    )
    const files = logsIn(logs)
    expect(files).toHaveLength(total)
    for (const name of files) {
      const lines = readFileSync(join(logs, name), "utf8").trim().split("\n")
      expect(lines.filter((l) => l.includes('"type":"NegotiationOpened"'))).toHaveLength(1)
      expect(lines).toEqual(
        readFileSync(join(uninterrupted, "logs", name), "utf8")
          .trim()
          .split("\n"),
      )
    }
  }, 180_000)

  it("prints the ranking as JSON with --json", async () => {
    const dir = tempDir()
    const file = write(dir, "t.json", {
      id: "json",
      competitors: four.slice(0, 2),
      scenarios: [laptop],
      rounds: 30,
    })
    const r = await cli(["tournament", file, "--json"])
    expect(r.code).toBe(0)
    const printed = JSON.parse(r.stdout) as {
      id: string
      negotiations: number
      ranking: Array<{ competitor: string; score: number; interval: [number, number] }>
    }
    expect(printed.id).toBe("json")
    expect(printed.negotiations).toBe(2)
    expect(printed.ranking.map((x) => x.competitor).sort()).toEqual(["agentk", "hardheaded"])
    expect(printed.ranking[0]!.score).toBeGreaterThanOrEqual(printed.ranking[1]!.score)
  })
})
