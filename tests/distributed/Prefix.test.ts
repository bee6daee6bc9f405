/**
 * `PARLEY_NATS_PREFIX` moves the work queue and the remote agents as it
 * moves the event log: a worker and a coordinator under the prefix `acme`
 * play a batch on `ACME_WORK` / `ACME_BATCHES` (subjects `acme.work.>`,
 * `acme.batches.>`, consumer `acme-workers`) and create none of the default
 * streams, and `parley agent serve` answers on `acme.agents.<name>`.
 */
import { spawn } from "node:child_process"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { afterAll, beforeAll, expect, it } from "vitest"
import { listAgents } from "../../src/remote/Serve.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import {
  inProcess,
  parleyBin,
  startWorker,
  stopWorker,
  subjects,
  until,
  type WorkerProcess,
} from "./support.ts"

const prefix = { PARLEY_NATS_PREFIX: "acme" }

describeWithNats("a non-default prefix (PARLEY_NATS_PREFIX)", () => {
  let server: NatsServer.NatsServer
  let worker: WorkerProcess | undefined
  beforeAll(async () => {
    server = await NatsServer.start()
    worker = await startWorker(server.url, "acme-worker", 1, [], prefix)
  }, 150_000)
  afterAll(async () => {
    if (worker !== undefined) await stopWorker(worker)
    await server?.stop()
  })

  it("the work queue: a batch is queued, played and recorded under the prefix, nothing under parley", async () => {
    const before = process.env.PARLEY_NATS_PREFIX
    process.env.PARLEY_NATS_PREFIX = prefix.PARLEY_NATS_PREFIX
    const run = await inProcess([
      "simulate",
      "scenarios/anac-laptop.json",
      "--runs",
      "40",
      "--seed",
      "3",
      "--json",
      "--distributed",
      "--nats",
      server.url,
      "--chunk",
      "20",
    ]).finally(() => {
      if (before === undefined) delete process.env.PARLEY_NATS_PREFIX
      else process.env.PARLEY_NATS_PREFIX = before
    })
    expect(run.failed).toBe(false)
    expect(JSON.parse(run.stdout).runs).toBe(40)

    const results = await subjects(server.url, "acme.batches.*.result.>", "ACME_BATCHES")
    expect(Object.keys(results)).toHaveLength(2)
    const nc = await connect({ servers: server.url })
    try {
      const jsm = await jetstreamManager(nc)
      const streams = (await jsm.streams.names().next()).sort()
      expect(streams).toEqual(["ACME_BATCHES", "ACME_WORK"])
      const work = await jsm.streams.info("ACME_WORK")
      expect(work.config.subjects).toEqual(["acme.work.>"])
      expect((await jsm.streams.info("ACME_BATCHES")).config.subjects).toEqual(["acme.batches.>"])
      const consumer = await jsm.consumers.info("ACME_WORK", "acme-workers")
      expect(consumer.config.filter_subject).toBe("acme.work.>")
    } finally {
      await nc.close()
    }
  }, 170_000)

  it("parley agent serve answers on <prefix>.agents.<name>", async () => {
    const child = spawn(
      process.execPath,
      [parleyBin, "agent", "serve", "boulware", "--nats", server.url, "--name", "bot"],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...prefix } },
    )
    let stderr = ""
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c
    })
    const exited = new Promise((resolve) => child.once("exit", resolve))
    try {
      await until(() => stderr.includes("answers turns on"), 120_000)
      expect(stderr).toContain("answers turns on acme.agents.bot")
      const nc = await connect({ servers: server.url })
      try {
        const agents = await listAgents(nc)
        expect(agents.map((a) => [a.name, a.subject])).toEqual([["bot", "acme.agents.bot"]])
      } finally {
        await nc.close()
      }
    } finally {
      child.kill("SIGTERM")
      await exited
    }
  }, 150_000)
})
