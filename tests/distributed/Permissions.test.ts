import { randomBytes } from "node:crypto"
import { fileURLToPath } from "node:url"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { afterAll, beforeAll, expect, it } from "vitest"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { inProcess, startWorker, stopWorker, type WorkerProcess } from "./support.ts"

const configFile = fileURLToPath(new URL("../../deploy/nats-server.conf", import.meta.url))

const passwords = {
  coordinator: randomBytes(12).toString("hex"),
  worker: randomBytes(12).toString("hex"),
  observer: randomBytes(12).toString("hex"),
}
type User = keyof typeof passwords

/** The environment that logs a parley process in as `user`. */
const as = (user: User) => ({ PARLEY_NATS_USER: user, PARLEY_NATS_PASSWORD: passwords[user] })

/** Runs `parley <args>` in this process, logged in as `user`. */
const inProcessAs = async (user: User, args: ReadonlyArray<string>) => {
  const before = { ...process.env }
  Object.assign(process.env, as(user))
  try {
    return await inProcess(args)
  } finally {
    for (const k of ["PARLEY_NATS_USER", "PARLEY_NATS_PASSWORD"] as const)
      if (before[k] === undefined) delete process.env[k]
      else process.env[k] = before[k]
  }
}

describeWithNats("deploy/nats-server.conf: users and subject permissions", () => {
  let server: NatsServer.NatsServer | undefined
  let url = ""
  let worker: WorkerProcess | undefined
  beforeAll(async () => {
    server = await NatsServer.start({
      args: ["-c", configFile],
      env: {
        PARLEY_COORDINATOR_PASSWORD: passwords.coordinator,
        PARLEY_WORKER_PASSWORD: passwords.worker,
        PARLEY_OBSERVER_PASSWORD: passwords.observer,
      },
    })
    url = server.url
  }, 60_000)
  afterAll(async () => {
    if (worker !== undefined) await stopWorker(worker)
    await server?.stop()
  })

  it("each role does its part: the coordinator queues, the worker plays, the observer lists", async () => {
    // The coordinator first: it creates the streams and the workers' consumer.
    const coordinator = inProcessAs("coordinator", [
      "simulate",
      "scenarios/anac-laptop.json",
      "--runs",
      "20",
      "--seed",
      "4",
      "--json",
      "--distributed",
      "--nats",
      url,
    ])
    await new Promise((r) => setTimeout(r, 2_000))
    worker = await startWorker(url, "permitted", 1, [], as("worker"))
    const run = await coordinator
    expect(run.stderr).toBe("")
    expect(run.failed).toBe(false)
    expect(JSON.parse(run.stdout).runs).toBe(20)
    const listed = await inProcessAs("observer", ["batches", "--nats", url, "--json"])
    expect(listed.stderr).toBe("")
    expect(listed.failed).toBe(false)
    expect(JSON.parse(listed.stdout).batches).toHaveLength(1)
  }, 240_000)

  /** Publishes through JetStream as `user`; the error's message, or "stored". */
  const publishAs = async (user: User, subject: string): Promise<string> => {
    const nc = await connect({ servers: url, user, pass: passwords[user] })
    try {
      await jetstream(nc).publish(subject, JSON.stringify({ batch: "mc-x", item: 0 }), {
        timeout: 3_000,
      })
      return "stored"
    } catch (e) {
      return e instanceof Error ? e.message : String(e)
    } finally {
      await nc.close()
    }
  }

  /** How many messages a stream holds under `filter`, read as the coordinator. */
  const held = async (stream: string, filter: string) => {
    const nc = await connect({ servers: url, user: "coordinator", pass: passwords.coordinator })
    try {
      const info = await (await jetstreamManager(nc)).streams.info(stream, {
        subjects_filter: filter,
      })
      return Object.keys(info.state.subjects ?? {}).length
    } finally {
      await nc.close()
    }
  }

  it.each([
    ["worker", "parley.work.mc-x.0", "PARLEY_WORK"],
    ["observer", "parley.work.mc-x.0", "PARLEY_WORK"],
    ["observer", "parley.batches.mc-x.result.0", "PARLEY_BATCHES"],
    ["worker", "parley.batches.mc-x.def", "PARLEY_BATCHES"],
    ["coordinator", "parley.batches.mc-x.result.0", "PARLEY_BATCHES"],
  ] as const)(
    "the %s may not publish on %s: refused, nothing stored",
    async (user, subject, stream) => {
      const said = await publishAs(user, subject)
      expect(said).not.toBe("stored")
      expect(said.toLowerCase()).toMatch(/permission|timeout|no responders/)
      expect(await held(stream, subject)).toBe(0)
    },
    60_000,
  )

  it("a stranger cannot connect", async () => {
    await expect(connect({ servers: url, user: "mallory", pass: "guess" })).rejects.toThrow(
      /authorization/i,
    )
    await expect(connect({ servers: url })).rejects.toThrow(/authorization/i)
  }, 60_000)
})
