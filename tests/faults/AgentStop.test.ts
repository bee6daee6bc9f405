/**
 * `parley agent serve` stops on SIGTERM even when its NATS server is gone: a
 * connection that cannot reach its server is closed rather than drained
 * (draining waits for the server), and stopping the service is bounded. An
 * orchestrator that sends SIGTERM after the server went down must not have
 * to wait, or escalate to SIGKILL.
 */
import { spawn } from "node:child_process"
import { afterEach, expect, it } from "vitest"
import { parleyBin } from "../distributed/support.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"

/** Starts `parley agent serve` and waits until it answers turns. */
const serve = async (url: string) => {
  const child = spawn(
    process.execPath,
    [parleyBin, "agent", "serve", '{"kind":"boulware"}', "--nats", url, "--name", "stopper"],
    { stdio: ["ignore", "ignore", "pipe"] },
  )
  let stderr = ""
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once("exit", (code) => resolve({ code, at: Date.now() })),
  )
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the agent did not start: ${stderr}`)), 120_000)
    child.stderr!.setEncoding("utf8").on("data", (c: string) => {
      stderr += c
      if (stderr.includes("answers turns")) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then(() => reject(new Error(`the agent exited: ${stderr}`)))
  })
  return { child, exited, stderr: () => stderr }
}

describeWithNats("parley agent serve stopping", () => {
  const started: Array<{ kill: () => void }> = []
  afterEach(() => {
    for (const s of started.splice(0)) s.kill()
  })

  for (const gone of [true, false])
    it(`exits 0 within 4 s of SIGTERM ${gone ? "once its server is gone" : "with its server up"}`, async () => {
      const server = await NatsServer.start()
      try {
        const agent = await serve(server.url)
        started.push({
          kill: () => {
            if (agent.child.exitCode === null && agent.child.signalCode === null)
              agent.child.kill("SIGKILL")
          },
        })
        if (gone) {
          await server.kill()
          // Long enough for the client to notice and start reconnecting.
          await new Promise((r) => setTimeout(r, 1500))
        }
        const sent = Date.now()
        agent.child.kill("SIGTERM")
        const end = await Promise.race([
          agent.exited,
          new Promise<undefined>((r) => setTimeout(() => r(undefined), 8_000)),
        ])
        expect(end, `still running 8 s after SIGTERM: ${agent.stderr()}`).toBeDefined()
        expect(end!.code).toBe(0)
        expect(end!.at - sent).toBeLessThan(4_000)
      } finally {
        await server.stop()
      }
    }, 180_000)
})
