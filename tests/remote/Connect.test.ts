/**
 * The connection to remote agents fails with the remote agents' own error,
 * never a store failure: without a server (`NoServer`), or with one that
 * cannot be reached (`Unreachable`), each saying what was being done.
 */
import { Effect, Option } from "effect"
import { describe, expect, it } from "vitest"
import { agentTransport } from "../../src/remote/Connect.ts"
import { AgentTransportError } from "../../src/remote/TransportError.ts"

const failureOf = (servers: string) =>
  Effect.runPromise(Effect.flip(Effect.scoped(agentTransport(true, Option.some(servers)))))

describe("the connection to remote agents", () => {
  it("is not opened when no party needs it", async () => {
    const none = await Effect.runPromise(Effect.scoped(agentTransport(false, Option.none())))
    expect(none).toBeUndefined()
  })

  it("without a server: NoServer, saying how to give one", async () => {
    const e = await failureOf("  ")
    expect(e).toBeInstanceOf(AgentTransportError)
    expect(e).toMatchObject({ _tag: "AgentTransportError", reason: "NoServer" })
    expect(e.message).toBe(
      "connect to remote agents failed: a remote agent needs a NATS server: give --nats URL or set PARLEY_NATS_URL",
    )
  })

  it("with a server nobody listens on: Unreachable, naming the server", async () => {
    const e = await failureOf("nats://127.0.0.1:1")
    expect(e).toMatchObject({ _tag: "AgentTransportError", reason: "Unreachable" })
    expect(e.message).toMatch(
      /^connect to remote agents failed: cannot reach nats:\/\/127\.0\.0\.1:1 \(/,
    )
  }, 20_000)
})
