// A subscriber that is not parley: plain @nats-io/transport-node and JSON.
// Usage: node subscriber.mjs <url> <subject> <finalVersion>
// Prints "ready" once subscribed, then one line per state received:
// {"negotiationId":..,"version":..,"status":..}, and exits after the final version.
import { connect } from "@nats-io/transport-node"

const [url, subject, final] = process.argv.slice(2)
const nc = await connect({ servers: url })
const sub = nc.subscribe(subject)
await nc.flush()
console.log("ready")
let last = 0
for await (const m of sub) {
  const state = m.json()
  console.log(
    JSON.stringify({
      negotiationId: state.negotiationId,
      version: state.version,
      status: state.status,
    }),
  )
  if (state.version > last) last = state.version
  if (last >= Number(final)) break
}
await nc.drain()
