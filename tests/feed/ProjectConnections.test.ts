/**
 * `parley project` runs the event log and the projector on one shared NATS
 * connection: counted by the server itself, through its monitoring endpoint
 * (`/connz`), while the command runs.
 */
import { assert, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import {
  type ConfiguredServer,
  freePort,
  removeDir,
  startSingle,
  tempDir,
} from "../faults/support/Servers.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { child, cliArgs, eventually } from "./support/Nats.ts"

interface Connz {
  readonly num_connections: number
  readonly connections?: ReadonlyArray<{ readonly name?: string }>
}

describeWithNats("parley project and its NATS connections", () => {
  it.scopedLive(
    "parley project opens one NATS connection, shared by the event log and the projector",
    () =>
      Effect.gen(function* () {
        const dir = tempDir("connz")
        const monitor = yield* Effect.promise(freePort)
        const server: ConfiguredServer = yield* Effect.acquireRelease(
          Effect.promise(() => startSingle(dir, "connz", `http: "127.0.0.1:${monitor}"`)),
          (s) => Effect.promise(() => s.stop().then(() => removeDir(dir))),
        )
        const connz = Effect.promise(
          async (): Promise<Connz> =>
            (await fetch(`http://127.0.0.1:${monitor}/connz`)).json() as Promise<Connz>,
        )
        assert.strictEqual((yield* connz).num_connections, 0)
        const projector = yield* child("node", cliArgs("project", "--nats", server.url))
        yield* eventually(
          "the projector follows the log",
          () => projector.out.stderr.includes("resuming after"),
          30_000,
          () => projector.out.stderr,
        )
        // Give a second connection, if any, the time to show up.
        const seen = yield* connz.pipe(
          Effect.repeat({ schedule: Schedule.spaced("100 millis"), times: 10 }),
          Effect.zipRight(connz),
        )
        console.log(
          `parley project: ${seen.num_connections} connection(s): ${JSON.stringify(seen.connections?.map((c) => c.name))}`,
        )
        assert.strictEqual(seen.num_connections, 1)
        assert.deepStrictEqual(
          seen.connections?.map((c) => c.name),
          ["parley-projector"],
        )
        projector.proc.kill("SIGTERM")
        const exit = yield* Effect.promise(() => projector.exit)
        assert.strictEqual(exit.code, 0, projector.out.stderr)
        assert.include(projector.out.stderr, "connection drained")
      }),
    60_000,
  )
})
