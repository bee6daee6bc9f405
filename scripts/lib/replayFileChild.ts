/**
 * Run in a fresh process by the `replay-jsonl` benchmark, so that its peak RSS
 * is the replay's alone: `node --import tsx scripts/lib/replayFileChild.ts
 * <parley|one|raw> <log.jsonl>`: fold every negotiation, fold one (`n0`;
 * every line is still read and validated), or only JSON.parse. Prints one
 * JSON line: events, seconds (wall), CPU seconds (user + system: on a shared
 * machine the steadier figure), peak RSS.
 */
import { Effect } from "effect"
import { replayFile } from "../../src/app/Replay.ts"
import { lines } from "../../src/store/Jsonl.ts"

const [mode, path] = process.argv.slice(2)
if (path === undefined) {
  console.error("usage: replayFileChild.ts <parley|one|raw> <log.jsonl>")
  process.exit(2)
}
const start = process.hrtime.bigint()
const cpuStart = process.cpuUsage()
let events = 0
if (mode === "raw") {
  // The reference: read the same lines and JSON.parse them, nothing else.
  for await (const batch of lines(path))
    for (const line of batch) if (JSON.parse(line.text)) events++
} else {
  const negotiation = mode === "one" ? "n0" : undefined
  const result = await Effect.runPromise(replayFile(path, { negotiation }))
  events = result.events
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9
const cpu = process.cpuUsage(cpuStart)
const cpuSeconds = (cpu.user + cpu.system) / 1e6
console.log(
  JSON.stringify({ events, seconds, cpuSeconds, peakRssMB: process.resourceUsage().maxRSS / 1024 }),
)
