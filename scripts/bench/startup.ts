/**
 * Start-up of the `parley` command as a user runs it (a fresh process, wall
 * time, the median of several runs interleaved with the reference):
 * - `startup-help`: `parley --help` (every command's options);
 * - `startup-analyze`: `parley analyze` of ANAC Laptop (27 outcomes, 2 parties);
 * - `startup-analyze-travel`: `parley analyze` of ANAC 2010 Travel (188,160
 *   outcomes, 2 parties; the scenario imported from its GENIUS files first,
 *   untimed), the whole process as NegMAS's figure is (1.88 s here);
 * - `startup-run`: `parley run scenarios/rubinstein.ts` (a TypeScript scenario, read through tsx);
 * each next to `node -e 0` in the same run (ratio = node / parley, higher is
 * better; CPU seconds as extras, steadier on a loaded machine), and next to the same command from the TypeScript sources through
 * tsx (`fromSources`, how `bin/parley.js` ran before the bundle).
 * - `simulate-2workers-bundle`: `parley simulate --runs 2000` on two compiled
 *   worker threads next to one thread, whole commands (worker start-up included).
 * The bundle is rebuilt first, so the figures are those of this checkout.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Benchmark, round } from "./Bench.ts"

const REPEATS = 5

/** CPU seconds (user + system) of this process's finished children; Linux only (else NaN). */
const childrenCpu = (): number => {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ")
    return (Number(fields[13]) + Number(fields[14])) / 100 // cutime, cstime in clock ticks
  } catch {
    return Number.NaN
  }
}

/** Wall and CPU seconds of one `node <args>` process. */
const measure = (args: ReadonlyArray<string>) => {
  const cpu = childrenCpu()
  const started = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 64 << 20 })
  if (r.status !== 0) throw new Error(`node ${args.join(" ")}: ${r.stderr}`)
  return { wall: Number(process.hrtime.bigint() - started) / 1e9, cpu: childrenCpu() - cpu }
}

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

/** Median wall and CPU seconds of each command line, measured round-robin so that load drifts hit them alike. */
const medians = (lines: ReadonlyArray<ReadonlyArray<string>>) => {
  const times = lines.map(() => ({ wall: [] as Array<number>, cpu: [] as Array<number> }))
  for (let r = 0; r < REPEATS; r++)
    for (const [i, args] of lines.entries()) {
      const m = measure(args)
      times[i]!.wall.push(m.wall)
      times[i]!.cpu.push(m.cpu)
    }
  return times.map((t) => ({ wall: median(t.wall), cpu: median(t.cpu) }))
}

const travel = "tests/fixtures/genius/anac2010/Travel"

const commands = (
  travelScenario: string,
): ReadonlyArray<readonly [string, ReadonlyArray<string>, string]> => [
  ["startup-help", ["--help"], "<= 0.4 s (node -e 0: ~0.13 s)"],
  ["startup-analyze", ["analyze", "scenarios/anac-laptop.json"], "<= 0.4 s"],
  [
    "startup-analyze-travel",
    ["analyze", travelScenario],
    "faster than NegMAS's whole process (1.88 s)",
  ],
  ["startup-run", ["run", "scenarios/rubinstein.ts"], "<= 0.4 s plus the scenario's compilation"],
]

export const benchmarks: ReadonlyArray<Benchmark> = [
  {
    name: "startup",
    run: async () => {
      execFileSync(process.execPath, ["scripts/build.mjs"])
      const dir = mkdtempSync(join(tmpdir(), "parley-startup-"))
      const travelScenario = join(dir, "travel.json")
      execFileSync(process.execPath, [
        "bin/parley.js",
        "import",
        "genius",
        `${travel}/travel_domain.xml`,
        `${travel}/travel_chox.xml`,
        `${travel}/travel_fanny.xml`,
        "-o",
        travelScenario,
      ])
      const results = []
      for (const [name, args, goal] of commands(travelScenario)) {
        const [node, bundle, sources] = medians([
          ["-e", "0"],
          ["bin/parley.js", ...args],
          ["--import", "tsx", "src/cli/main.ts", ...args],
        ])
        results.push({
          name,
          value: round(bundle!.wall),
          unit: "s",
          ref: round(node!.wall),
          ratio: round(node!.wall / bundle!.wall),
          goal,
          extra: {
            cpuSeconds: round(bundle!.cpu, 2),
            refCpuSeconds: round(node!.cpu, 2),
            fromSources: round(sources!.wall),
            fromSourcesCpuSeconds: round(sources!.cpu, 2),
            speedUp: round(sources!.wall / bundle!.wall, 1),
          },
        })
      }
      rmSync(dir, { recursive: true, force: true })
      return results
    },
  },
  {
    name: "simulate-2workers-bundle",
    run: async () => {
      execFileSync(process.execPath, ["scripts/build.mjs"])
      const simulate = (workers: number) =>
        (
          JSON.parse(
            execFileSync(
              process.execPath,
              [
                "bin/parley.js",
                "simulate",
                "scenarios/anac-laptop.json",
                "--runs",
                "2000",
                "--workers",
                String(workers),
                "--json",
              ],
              { encoding: "utf8", maxBuffer: 64 << 20 },
            ),
          ) as { runs: number; seconds: number }
        ).seconds
      const one = simulate(1)
      const two = simulate(2)
      return [
        {
          name: "simulate-2workers-bundle",
          value: Math.round(2000 / two),
          unit: "negotiations/s",
          ref: Math.round(2000 / one),
          ratio: round(one / two),
          goal: "ratio >= 1.8 from 2,000 runs (worker start-up included)",
        },
      ]
    },
  },
]
