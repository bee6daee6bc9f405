/**
 * NATS fixtures for the feed tests: a private server per test file (fails
 * with CI=true when nats-server is missing, warns and skips otherwise), raw
 * clients, and child processes.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { afterAll, beforeAll } from "@effect/vitest"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { Effect, Layer } from "effect"
import * as Projector from "../../../src/feed/Projector.ts"
import * as Nats from "../../../src/store/Nats.ts"
import * as NatsServer from "../../support/NatsServer.ts"
import { describeWithNats } from "../../support/WithNats.ts"

/**
 * Declares `body` when a server can run; otherwise a failing test (CI=true)
 * or a skipped suite with the reason printed. Returns the server's URL getter.
 */
export const withServer = (title: string, body: (url: () => string) => void) =>
  describeWithNats(title, () => {
    let server: NatsServer.NatsServer | undefined
    beforeAll(async () => {
      server = await NatsServer.start()
    })
    afterAll(async () => {
      await server?.stop()
    })
    body(() => server?.url ?? "nats://127.0.0.1:1")
  })

/** A raw nats.js connection (closed with the scope), as another service would open it. */
export const rawClient = (url: string) =>
  Effect.acquireRelease(
    Effect.promise(() => connect({ servers: url })),
    (nc: NatsConnection) => Effect.promise(() => nc.close()),
  )

/** The NATS store on `prefix` with a projector running over it. */
export const storeWithProjector = (url: string, prefix: string) => {
  const nats = { servers: url, prefix }
  return Layer.provideMerge(
    Layer.scopedDiscard(Projector.make({ prefix, summaryInterval: "50 millis" })),
    Nats.layer(nats),
  )
}

/** A child process with its output collected, killed (SIGKILL) when the scope closes if still alive. */
export const child = (
  command: string,
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const proc = spawn(command, [...args], {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      })
      const out = { stdout: "", stderr: "" }
      proc.stdout?.setEncoding("utf8").on("data", (d: string) => {
        out.stdout += d
      })
      proc.stderr?.setEncoding("utf8").on("data", (d: string) => {
        out.stderr += d
      })
      const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        proc.once("exit", (code, signal) => resolve({ code, signal })),
      )
      return { proc, out, exit }
    }),
    ({ proc }) =>
      Effect.sync(() => {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL")
      }),
  )

/** Waits until `test` holds (polling every 10 ms), failing after `ms`. */
export const eventually = (
  what: string,
  test: () => boolean,
  ms = 20_000,
  detail: () => string = () => "",
) =>
  Effect.promise(
    () =>
      new Promise<boolean>((resolve) => {
        const start = Date.now()
        const tick = () => {
          if (test()) resolve(true)
          else if (Date.now() - start > ms) resolve(false)
          else setTimeout(tick, 10)
        }
        tick()
      }),
  ).pipe(
    Effect.flatMap((ok) =>
      ok ? Effect.void : Effect.die(new Error(`timed out waiting: ${what} ${detail()}`)),
    ),
  )

/** The feed CLI entry (the commands wired as main.ts wires them). */
export const cliArgs = (...args: ReadonlyArray<string>) => [
  "--import",
  "tsx",
  "tests/feed/support/cli.ts",
  ...args,
]

/** Whether a child process is still running. */
export const alive = (proc: ChildProcess) => proc.exitCode === null && proc.signalCode === null
