/**
 * Declaring suites that need nats-server (kept apart from NatsServer.ts,
 * which the benchmarks import outside vitest).
 */
import { describe, it } from "vitest"
import * as NatsServer from "./NatsServer.ts"

/**
 * `describe` for suites that need nats-server: when it is missing, a failing
 * test under `CI=true` (never a silent skip), otherwise a skipped suite with
 * the reason printed.
 */
export const describeWithNats = (name: string, body: () => void) => {
  const found = NatsServer.availability()
  if (found.ok) describe(name, body)
  else if (NatsServer.required)
    describe(name, () => {
      it("needs nats-server when CI=true", () => {
        throw new Error(found.reason)
      })
    })
  else {
    console.warn(`SKIPPING ${name}: ${found.reason}`)
    describe.skip(`${name} (nats-server missing)`, () => {
      it("needs nats-server", () => {})
    })
  }
}
