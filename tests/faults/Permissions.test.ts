/**
 * Fault 6, permissions: a server with users — a writer allowed to append
 * (publish on parley.events.> and the JetStream API) and a reader allowed
 * only to subscribe to state subjects. The reader cannot append (a typed
 * PermissionDenied, nothing written); the writer can. Connecting with user
 * and password, with a token, and over TLS with certificates made here with
 * openssl (a CA, a server certificate for 127.0.0.1, a client certificate).
 */
import { execFileSync } from "node:child_process"
import { join } from "node:path"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { Cause, Effect, Exit, Option, Redacted, Stream } from "effect"
import { assert, it } from "vitest"
import { handle } from "../../src/app/CommandHandler.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { EventStore, StoreError } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { opening } from "./support/Moves.ts"
import {
  type ConfiguredServer,
  describeWithNats,
  removeDir,
  startSingle,
  tempDir,
} from "./support/Servers.ts"

const id = "guarded" as NegotiationId

/** Opens a store with `options` and appends an opening; the outcome's tag. */
const tryAppend = (options: Nats.NatsOptions) =>
  Effect.runPromise(
    Effect.exit(
      Effect.provide(
        handle(id, opening(id)),
        Nats.layer({ timeout: "2 seconds", ...options }),
      ).pipe(Effect.timeout("15 seconds")),
    ).pipe(
      Effect.map((exit) => {
        if (Exit.isSuccess(exit)) return { tag: "ok", message: "" }
        const e = Option.getOrUndefined(Cause.failureOption(exit.cause)) as
          | { _tag: string; reason?: string; message: string }
          | undefined
        // A store failure by its reason (`PermissionDenied`), anything else by its tag.
        return e === undefined
          ? { tag: "defect", message: Cause.pretty(exit.cause) }
          : { tag: e._tag === "StoreError" ? (e.reason ?? e._tag) : e._tag, message: e.message }
      }),
    ),
  )

const messagesIn = async (url: string, auth: Record<string, string>) => {
  const nc = await connect({ servers: url, ...auth })
  try {
    const jsm = await jetstreamManager(nc)
    return (await jsm.streams.info("PARLEY")).state.messages
  } catch {
    return 0
  } finally {
    await nc.close()
  }
}

describeWithNats("fault: permissions, tokens and TLS", () => {
  it("users: the reader gets PermissionDenied and writes nothing; the writer appends", async () => {
    const dir = tempDir("perm")
    let server: ConfiguredServer | undefined
    try {
      server = await startSingle(
        dir,
        "perm",
        `authorization {
  users = [
    { user: writer, password: "w-pass", permissions: {
        publish: { allow: ["parley.events.>", "$JS.API.>"] },
        subscribe: { allow: ["_INBOX.>"] } } },
    { user: reader, password: "r-pass", permissions: {
        publish: { deny: [">"] },
        subscribe: { allow: ["parley.state.>"] } } }
  ]
}`,
      )
      const url = server.url
      const reader = await tryAppend({
        servers: url,
        user: "reader",
        password: Redacted.make("r-pass"),
      })
      const afterReader = await messagesIn(url, { user: "writer", pass: "w-pass" })
      // The reader publishing raw onto an event subject: refused by the server, nothing stored.
      const raw = await connect({ servers: url, user: "reader", pass: "r-pass" })
      raw.publish(`parley.events.${id}`, "[]")
      await raw.flush().catch(() => undefined)
      await raw.close().catch(() => undefined)
      const wrongPassword = await tryAppend({
        servers: url,
        user: "writer",
        password: Redacted.make("nope"),
      })
      const writer = await tryAppend({
        servers: url,
        user: "writer",
        password: Redacted.make("w-pass"),
      })
      const afterWriter = await messagesIn(url, { user: "writer", pass: "w-pass" })
      console.log(
        `FAULT permissions: reader=${reader.tag} ("${reader.message.slice(0, 120)}") messages-after-reader=${afterReader} wrong-password=${wrongPassword.tag} writer=${writer.tag} messages-after-writer=${afterWriter}`,
      )
      assert.strictEqual(reader.tag, "PermissionDenied")
      assert.strictEqual(afterReader, 0)
      assert.strictEqual(wrongPassword.tag, "PermissionDenied")
      assert.strictEqual(writer.tag, "ok", writer.message)
      assert.strictEqual(afterWriter, 1)
    } finally {
      await server?.stop()
      removeDir(dir)
    }
  }, 60_000)

  it("a subscription refused by the server's permissions ends with PermissionDenied (code and cause kept) instead of retrying forever", async () => {
    const dir = tempDir("perm-follow")
    let server: ConfiguredServer | undefined
    try {
      server = await startSingle(
        dir,
        "permfollow",
        `authorization {
  users = [
    { user: writer, password: "w-pass" },
    { user: peeker, password: "p-pass", permissions: {
        publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.>", "$JS.API.DIRECT.GET.>"] },
        subscribe: { allow: ["_INBOX.>"] } } }
  ]
}`,
      )
      const url = server.url
      const writer = await tryAppend({
        servers: url,
        user: "writer",
        password: Redacted.make("w-pass"),
      })
      assert.strictEqual(writer.tag, "ok", writer.message)
      const started = Date.now()
      const outcome = await Effect.runPromise(
        Effect.gen(function* () {
          const store = yield* EventStore
          const version = yield* store.version(id)
          const subscribeLog = store.subscribeLog
          if (subscribeLog === undefined) return yield* Effect.die("the NATS store follows its log")
          const follow = yield* Effect.either(
            Stream.runDrain(subscribeLog(1)).pipe(Effect.timeout("20 seconds")),
          )
          return { version, follow }
        }).pipe(
          Effect.provide(
            Nats.layer({
              servers: url,
              user: "peeker",
              password: Redacted.make("p-pass"),
              timeout: "2 seconds",
            }),
          ),
        ),
      )
      const elapsed = Date.now() - started
      const error = outcome.follow._tag === "Left" ? outcome.follow.left : undefined
      console.log(
        `FAULT permissions, following the log without the right to create a consumer: version=${outcome.version} ended-with=${error?._tag}${error instanceof StoreError ? `(${error.reason})` : ""} after ${elapsed} ms (${error?.message.slice(0, 160)})`,
      )
      assert.strictEqual(outcome.version, 1)
      assert.instanceOf(error, StoreError)
      assert.strictEqual((error as StoreError).reason, "PermissionDenied")
      assert.isDefined((error as StoreError).cause)
      assert.isBelow(elapsed, 15_000)
    } finally {
      await server?.stop()
      removeDir(dir)
    }
  }, 60_000)

  it("a token: the right one appends, a wrong one is PermissionDenied", async () => {
    const dir = tempDir("token")
    let server: ConfiguredServer | undefined
    try {
      server = await startSingle(dir, "token", `authorization { token: "t0k3n-s3cret" }`)
      const wrong = await tryAppend({ servers: server.url, token: Redacted.make("guess") })
      const none = await tryAppend({ servers: server.url })
      const right = await tryAppend({ servers: server.url, token: Redacted.make("t0k3n-s3cret") })
      console.log(`FAULT token: wrong=${wrong.tag} none=${none.tag} right=${right.tag}`)
      assert.strictEqual(wrong.tag, "PermissionDenied")
      assert.strictEqual(none.tag, "PermissionDenied")
      assert.strictEqual(right.tag, "ok", right.message)
    } finally {
      await server?.stop()
      removeDir(dir)
    }
  }, 60_000)

  it("TLS with a CA, a server certificate for 127.0.0.1 and a client certificate", async () => {
    const dir = tempDir("tls")
    let server: ConfiguredServer | undefined
    try {
      const f = (name: string) => join(dir, name)
      const ssl = (...args: Array<string>) =>
        execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] })
      ssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=parley-test-ca",
        "-keyout",
        f("ca.key"),
        "-out",
        f("ca.pem"),
      )
      const leaf = (name: string, ext: string) => {
        ssl(
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-subj",
          `/CN=${name}`,
          "-keyout",
          f(`${name}.key`),
          "-out",
          f(`${name}.csr`),
        )
        ssl(
          "x509",
          "-req",
          "-in",
          f(`${name}.csr`),
          "-CA",
          f("ca.pem"),
          "-CAkey",
          f("ca.key"),
          "-CAcreateserial",
          "-days",
          "2",
          "-extfile",
          f(`${name}.ext`),
          "-out",
          f(`${name}.pem`),
        )
        return ext
      }
      const { writeFileSync } = await import("node:fs")
      writeFileSync(
        f("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
      )
      writeFileSync(f("client.ext"), "extendedKeyUsage=clientAuth\n")
      leaf("server", "server.ext")
      leaf("client", "client.ext")
      server = await startSingle(
        dir,
        "tls",
        `tls {
  cert_file: "${f("server.pem")}"
  key_file: "${f("server.key")}"
  ca_file: "${f("ca.pem")}"
  verify: true
  timeout: 2
}`,
      )
      const url = server.url
      const plain = await tryAppend({ servers: url })
      const noClientCert = await tryAppend({ servers: url, tls: { caFile: f("ca.pem") } })
      const full = await tryAppend({
        servers: url,
        tls: { caFile: f("ca.pem"), certFile: f("client.pem"), keyFile: f("client.key") },
      })
      // And read it back over TLS.
      const version = await Effect.runPromise(
        Effect.provide(
          Effect.flatMap(EventStore, (s) => s.version(id)),
          Nats.layer({
            servers: url,
            tls: { caFile: f("ca.pem"), certFile: f("client.pem"), keyFile: f("client.key") },
          }),
        ),
      )
      console.log(
        `FAULT tls: plaintext=${plain.tag} tls-without-client-cert=${noClientCert.tag} mutual-tls=${full.tag} version-read-back=${version}`,
      )
      assert.notStrictEqual(plain.tag, "ok")
      assert.notStrictEqual(plain.tag, "defect")
      assert.notStrictEqual(noClientCert.tag, "ok")
      assert.notStrictEqual(noClientCert.tag, "defect")
      assert.strictEqual(full.tag, "ok", full.message)
      assert.strictEqual(version, 1)
    } finally {
      await server?.stop()
      removeDir(dir)
    }
  }, 60_000)
})
