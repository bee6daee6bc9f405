/**
 * The command lines in `src/cli/commands/` are loaded by the help without the
 * engines they drive, so the two values they must not import are written
 * there again: these tests keep each equal to the engine's own.
 */
import { ConfigProvider, Effect, Either } from "effect"
import { assert, describe, it } from "vitest"
import { natsUrlConfig, remoteConcurrency as shownInHelp } from "../../src/cli/commands/Shared.ts"
import { urlConfig } from "../../src/nats/Connection.ts"
import { remoteConcurrency } from "../../src/simulation/MonteCarlo.ts"

const read = <A>(config: Effect.Effect<A, unknown>, env: Record<string, string>) =>
  Effect.runSync(
    Effect.either(
      Effect.withConfigProvider(config, ConfigProvider.fromMap(new Map(Object.entries(env)))),
    ),
  )

describe("the command lines' copies of engine values", () => {
  it("--nats falls back to the variable the connection reads, PARLEY_NATS_URL", () => {
    const env = { PARLEY_NATS_URL: "nats://example:4222", NATS_URL: "nats://other:4222" }
    assert.deepStrictEqual(read(natsUrlConfig, env), read(urlConfig, env))
    assert.deepStrictEqual(read(natsUrlConfig, env), Either.right("nats://example:4222"))
    const missing = read(natsUrlConfig, {})
    assert.isTrue(Either.isLeft(missing))
    assert.include(String(Either.isLeft(missing) ? missing.left : ""), "PARLEY_NATS_URL")
    assert.isTrue(Either.isLeft(read(urlConfig, {})))
  })

  it("the --help of simulate, sweep and tournament shows the default concurrency of remote batches", () => {
    assert.strictEqual(shownInHelp, remoteConcurrency)
  })
})
