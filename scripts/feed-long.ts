/**
 * The largest negotiation the state feed serves, measured: writes one
 * negotiation of N versions (two parties making offers, every 7th version a
 * rejection; no simulator) to a private nats-server, starts the built
 * `parley project` on it and reports how long it took to publish every
 * state, the largest state published against the server's max_payload, the
 * size the whole state would have had, and the projector's peak resident
 * memory (Linux `VmHWM`). Needs `npm run build` first.
 *
 *     node --import tsx scripts/feed-long.ts [versions=6000]
 */
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { connect } from "@nats-io/transport-node"
import { Effect, Either } from "effect"
import { foldState } from "../src/app/Projection.ts"
import { toView } from "../src/domain/View.ts"
import { EventStore, ExpectedVersion } from "../src/store/EventStore.ts"
import * as Nats from "../src/store/Nats.ts"
import { longNegotiation } from "../tests/feed/support/Long.ts"
import { pendingOf } from "../tests/feed/support/Scripted.ts"
import { withServer } from "./lib/natsServer.ts"

const versions = Number(process.argv[2] ?? 6000)
const peakOf = (pid: number | undefined): number => {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]
    return kb === undefined ? 0 : Math.round(Number(kb) / 1024)
  } catch {
    return 0
  }
}

await withServer(async (url) => {
  const prefix = "feedlong"
  const big = longNegotiation("big", versions)
  const fullState = JSON.stringify(toView(Either.getOrThrow(foldState(big)))).length
  const commits = Array.from({ length: Math.ceil(big.length / 250) }, (_, i) =>
    big.slice(i * 250, (i + 1) * 250),
  )
  await Effect.runPromise(
    Effect.flatMap(EventStore, (store) =>
      Effect.forEach(
        commits,
        (part) =>
          store.append(
            part[0]!.negotiationId,
            part.map(pendingOf),
            ExpectedVersion.Exact(part[0]!.version - 1),
          ),
        { discard: true },
      ),
    ).pipe(Effect.scoped, Effect.provide(Nats.layer({ servers: url, prefix }))),
  )
  const nc = await connect({ servers: url })
  let received = 0
  let largest = 0
  nc.subscribe(`${prefix}.state.big`, {
    callback: (_, m) => {
      received++
      largest = Math.max(largest, m.data.length)
    },
  })
  await nc.flush()
  const start = Date.now()
  const projector = spawn("node", ["bin/parley.js", "project", "--nats", url], {
    env: { ...process.env, PARLEY_NATS_PREFIX: prefix },
    stdio: ["ignore", "ignore", "inherit"],
  })
  let peak = 0
  while (received < versions && Date.now() - start < 600_000 && projector.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    peak = Math.max(peak, peakOf(projector.pid))
  }
  const seconds = (Date.now() - start) / 1000
  peak = Math.max(peak, peakOf(projector.pid))
  projector.kill("SIGTERM")
  console.log(
    JSON.stringify({
      versions,
      statesPublished: received,
      seconds,
      largestStateBytes: largest,
      maxPayload: nc.info?.max_payload,
      wholeStateBytes: fullState,
      projectorPeakRssMB: peak,
    }),
  )
  await nc.close()
  if (received < versions) process.exitCode = 1
})
