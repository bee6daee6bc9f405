import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import * as Connection from "../../src/nats/Connection.ts"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("NATS connection settings", () => {
  it.effect(
    "every PARLEY_NATS_* setting is read by Connection.config; secrets come out Redacted",
    () =>
      Effect.gen(function* () {
        const settings = yield* Connection.config.pipe(
          withEnv({
            PARLEY_NATS_URL: "nats://a:4222,nats://b:4222",
            PARLEY_NATS_PREFIX: "talks",
            PARLEY_NATS_USER: "writer",
            PARLEY_NATS_PASSWORD: "pw-secret",
            PARLEY_NATS_TOKEN: "tok-secret",
            PARLEY_NATS_NKEY_SEED: "SUSEED",
            PARLEY_NATS_CREDS: "writer.creds",
            PARLEY_NATS_TLS_CA: "ca.pem",
            PARLEY_NATS_TLS_CERT: "client.pem",
            PARLEY_NATS_TLS_KEY: "client.key",
          }),
        )
        assert.deepStrictEqual(settings.servers, Option.some("nats://a:4222,nats://b:4222"))
        assert.strictEqual(settings.prefix, "talks")
        assert.strictEqual(settings.user, "writer")
        assert.strictEqual(settings.credsFile, "writer.creds")
        assert.deepStrictEqual(settings.tls, {
          caFile: "ca.pem",
          certFile: "client.pem",
          keyFile: "client.key",
        })
        for (const [secret, value] of [
          [settings.password, "pw-secret"],
          [settings.token, "tok-secret"],
          [settings.nkeySeed, "SUSEED"],
        ] as const) {
          assert.isTrue(secret !== undefined && Redacted.isRedacted(secret))
          if (secret !== undefined) assert.strictEqual(Redacted.value(secret), value)
        }
        // Nothing secret shows when the settings are printed or logged.
        const printed = `${JSON.stringify(settings)} ${String(settings.password)}`
        for (const value of ["pw-secret", "tok-secret", "SUSEED"]) assert.notInclude(printed, value)
      }),
  )

  it.effect("with nothing set, every setting is absent (no TLS block, no URL)", () =>
    Effect.gen(function* () {
      const settings = yield* Connection.config.pipe(withEnv({}))
      assert.isTrue(Option.isNone(settings.servers))
      assert.isUndefined(settings.tls)
      assert.isUndefined(settings.password)
      assert.isUndefined(settings.prefix)
    }),
  )

  it.effect(
    "optionsAt: an explicit URL wins over PARLEY_NATS_URL; without either it fails naming it",
    () =>
      Effect.gen(function* () {
        const env = withEnv({ PARLEY_NATS_URL: "nats://env:4222", PARLEY_NATS_PREFIX: "p" })
        const explicit = yield* Connection.optionsAt("nats://flag:4222").pipe(env)
        assert.strictEqual(explicit.servers, "nats://flag:4222")
        assert.strictEqual(explicit.prefix, "p")
        const fromEnv = yield* Connection.optionsAt().pipe(env)
        assert.strictEqual(fromEnv.servers, "nats://env:4222")
        const missing = yield* Effect.flip(Connection.optionsAt().pipe(withEnv({})))
        assert.include(String(missing), "PARLEY_NATS_URL")
      }),
  )

  it.effect("src reads no environment variable directly: configuration goes through Config", () =>
    Effect.promise(async () => {
      const { readdir, readFile } = await import("node:fs/promises")
      const { join } = await import("node:path")
      const offenders: Array<string> = []
      const walk = async (dir: string): Promise<void> => {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name)
          if (entry.isDirectory()) await walk(path)
          else if (
            /\.ts$/.test(entry.name) &&
            (await readFile(path, "utf8")).includes("process.env")
          )
            offenders.push(path)
        }
      }
      await walk("src")
      assert.deepStrictEqual(offenders, [])
    }),
  )
})
