/**
 * Replay benchmarks:
 * - `replay-fold`: 1,000,000 events of a realistic mix folded by parley's
 *   decider, next to a hand-written plain-JS reducer of the same events.
 * - `replay-jsonl`: decode + fold of the same events from a JSONL file, in a
 *   fresh process, next to a process that only reads and JSON.parses the
 *   lines; with the peak RSS of each, and of a log ten times smaller.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { foldState as fold } from "../../src/app/Projection.ts"
import { encode } from "../../src/store/Codec.ts"
import { refFold } from "../lib/referenceFold.ts"
import { workload } from "../lib/workload.ts"
import { type Benchmark, round, time } from "./Bench.ts"

const NEGOTIATIONS = 10_000
const LENGTH = 100

let cached: ReturnType<typeof workload> | undefined
const events = () => {
  cached ??= workload(NEGOTIATIONS, LENGTH)
  return cached
}

const child = (mode: "parley" | "one" | "raw", path: string) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      ["--import", "tsx", "scripts/lib/replayFileChild.ts", mode, path],
      {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      },
    ),
  ) as { events: number; seconds: number; cpuSeconds: number; peakRssMB: number }

export const benchmarks: ReadonlyArray<Benchmark> = [
  {
    name: "replay-fold",
    run: async () => {
      const logs = events()
      const count = logs.reduce((n, l) => n + l.length, 0)
      const parley = time(() => {
        for (const log of logs) fold(log)
      })
      const reference = time(() => {
        for (const log of logs) refFold(log)
      })
      const rate = count / parley
      const ref = count / reference
      return [
        {
          name: "replay-fold",
          value: Math.round(rate),
          unit: "events/s",
          ref: Math.round(ref),
          ratio: round(rate / ref),
          goal: "ratio >= 0.7",
          extra: { events: count },
        },
      ]
    },
  },
  {
    name: "replay-jsonl",
    run: async () => {
      const logs = events()
      const dir = mkdtempSync(join(tmpdir(), "parley-bench-"))
      try {
        const big = join(dir, "big.jsonl")
        const small = join(dir, "small.jsonl")
        // Interleave negotiations, as a shared log would.
        const write = (path: string, negotiations: number) => {
          const lines: Array<string> = []
          for (let v = 0; v < LENGTH + 10; v++)
            for (let n = 0; n < negotiations; n++) {
              const e = logs[n]![v]
              if (e !== undefined) lines.push(encode(e))
            }
          writeFileSync(path, `${lines.join("\n")}\n`)
          return lines.length
        }
        const count = write(big, NEGOTIATIONS)
        write(small, NEGOTIATIONS / 10)
        const raw = child("raw", big)
        const parley = child("parley", big)
        const parleySmall = child("parley", small)
        const oneBig = child("one", big)
        const oneSmall = child("one", small)
        if (parley.events !== count) throw new Error(`replayed ${parley.events} of ${count} events`)
        const rate = parley.events / parley.seconds
        const ref = raw.events / raw.seconds
        return [
          {
            name: "replay-jsonl",
            value: Math.round(rate),
            unit: "events/s",
            ref: Math.round(ref),
            ratio: round(rate / ref),
            goal: ">= 400000 events/s; peak RSS flat in log size",
            extra: {
              events: count,
              // Per CPU second (user + system), steadier than wall time while other jobs run:
              cpuEventsPerSecond: Math.round(parley.events / parley.cpuSeconds),
              refCpuEventsPerSecond: Math.round(raw.events / raw.cpuSeconds),
              cpuRatio: round(raw.cpuSeconds / parley.cpuSeconds),
              loadAverage: round(loadavg()[0]!, 1),
              // Folding every negotiation holds every state (each with its offers):
              peakRssMB: Math.round(parley.peakRssMB),
              peakRssMBTenthLog: Math.round(parleySmall.peakRssMB),
              // Folding one negotiation of the same file: the log itself is streamed.
              oneNegotiationEventsPerSecond: Math.round(oneBig.events / oneBig.seconds),
              oneNegotiationPeakRssMB: Math.round(oneBig.peakRssMB),
              oneNegotiationPeakRssMBTenthLog: Math.round(oneSmall.peakRssMB),
              refPeakRssMB: Math.round(raw.peakRssMB),
            },
          },
        ]
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  },
]
