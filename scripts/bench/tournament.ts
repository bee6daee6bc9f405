/**
 * `tournament`: six competitors (the four ANAC champions, Boulware and
 * Conceder) on four bilateral ANAC domains, every competitor in every role,
 * no self-play, 10 repetitions (6·5·4·10 = 1,200 negotiations), in memory
 * and in this thread; next to the same 1,200 negotiations played as Monte
 * Carlo batches (`simulate`, one batch per domain and pairing with the
 * pairing given by `--agent`) in the same run. The ratio shows what the
 * tournament's planning, per-negotiation scoring (distances to the Pareto,
 * Nash and Kalai-Smorodinsky points) and ranking cost over plain runs.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { NodeFileSystem } from "@effect/platform-node"
import { Effect } from "effect"
import { importGeniusFolder } from "../../src/analysis/Genius.ts"
import { scenarioFromDomain } from "../../src/scenario/FromDomain.ts"
import { loadBatch } from "../../src/simulation/Batch.ts"
import { simulate } from "../../src/simulation/MonteCarlo.ts"
import { runTournament } from "../../src/tournament/Tournament.ts"
import type { Benchmark } from "./Bench.ts"

const fixtures = fileURLToPath(new URL("../../tests/fixtures/genius/", import.meta.url))
const DOMAINS = [
  "anac2011/Laptop",
  "anac2011/Camera",
  "anac2011/Amsterdam",
  "anac2010/EnglandZimbabwe",
]
const COMPETITORS = ["agentk", "hardheaded", "cuhkagent", "atlas3", "boulware", "conceder"]
const REPETITIONS = 10

export const benchmarks: ReadonlyArray<Benchmark> = [
  {
    name: "tournament",
    run: async () => {
      const dir = mkdtempSync(join(tmpdir(), "parley-bench-tournament-"))
      // Each domain as a scenario file, used by both the tournament and the reference.
      const scenarios: Array<{ file: string; parties: ReadonlyArray<string> }> = []
      for (const d of DOMAINS) {
        const imported = await Effect.runPromise(
          importGeniusFolder(join(fixtures, d)).pipe(Effect.provide(NodeFileSystem.layer)),
        )
        const file = join(dir, `${d.replace("/", "-")}.json`)
        writeFileSync(file, JSON.stringify(scenarioFromDomain(imported)))
        scenarios.push({ file, parties: imported.profiles.map((p) => p.party) })
      }
      const definition = join(dir, "bench.json")
      writeFileSync(
        definition,
        JSON.stringify({
          id: "bench",
          competitors: COMPETITORS.map((kind) => ({ name: kind, strategy: { kind } })),
          scenarios: scenarios.map((s) => s.file),
          repetitions: REPETITIONS,
          rotateRoles: true,
          selfPlay: false,
          rounds: 100,
          seed: 1,
        }),
      )
      const tournament = await Effect.runPromise(runTournament(definition, { workers: 0 }))
      const negotiations = tournament.result.negotiations.length

      // The reference: the same pairings, domains and repetitions as plain Monte Carlo runs.
      let runs = 0
      let seconds = 0
      for (const s of scenarios)
        for (const a of COMPETITORS)
          for (const b of COMPETITORS) {
            if (a === b) continue
            const batch = await Effect.runPromise(
              loadBatch(s.file, {}, { [s.parties[0]!]: { kind: a }, [s.parties[1]!]: { kind: b } }),
            )
            const { summary } = await Effect.runPromise(
              simulate(batch, { runs: REPETITIONS, seed: 1, workers: 0 }),
            )
            runs += summary.runs
            seconds += summary.seconds
          }
      const rate = negotiations / tournament.seconds
      const reference = runs / seconds
      return [
        {
          name: "tournament-1thread",
          value: Math.round(rate),
          unit: "negotiations/s",
          ref: Math.round(reference),
          ratio: Math.round((rate / reference) * 100) / 100,
          goal: "close to the simulate figure of the same workload (ratio near 1)",
          extra: { negotiations, referenceRuns: runs },
        },
      ]
    },
  },
]
