/**
 * Remote agents against a real nats-server: a strategy served with `parley
 * agent serve`'s service plays the Laptop domain (ANAC 2011) exactly as the
 * same strategy in process, and `parley agents` discovery lists it with its
 * requests; the C and Go agents in `examples/agents/` are built and play one
 * party until the negotiation ends as their replies say; an unreachable
 * server is a one-line error before the run starts.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Effect, Either, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { natsTransport } from "../../src/remote/Nats.ts"
import { type AgentTransport, remote } from "../../src/remote/Player.ts"
import { listAgents } from "../../src/remote/Serve.ts"
import { run } from "../../src/simulation/Runner.ts"
import type { Strategy } from "../../src/simulation/Strategy.ts"
import { decodeStrategySpec, type RemoteSpec } from "../../src/simulation/strategies/index.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as Memory from "../../src/store/Memory.ts"
import { importDomain, prepareDomain } from "../simulation/support/Play.ts"
import { cli } from "../support/Cli.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { boulware, busForSuite, servingBoulware } from "../support/ServedAgent.ts"
import { describeWithNats } from "../support/WithNats.ts"

const spec = (raw: object) => Either.getOrThrow(decodeStrategySpec(raw))
const remoteAt = (subject: string, transport: AgentTransport) =>
  remote(spec({ kind: "remote", subject, timeoutMs: 5000 }) as RemoteSpec, transport, boulware())

const play = async (strategies: ReadonlyArray<Strategy | object>) => {
  const laptop = await importDomain("anac2011/Laptop")
  const prepared = prepareDomain(laptop, strategies)
  return Effect.runPromise(
    Effect.gen(function* () {
      const result = yield* run(prepared, { seed: 1, trace: true })
      const store = yield* EventStore
      const events = [...(yield* Stream.runCollect(store.read(result.negotiationId)))]
      return { result, events }
    }).pipe(Effect.provide(Memory.layer)),
  )
}

/** A built example agent's process, ready once it prints `ready`. */
const startAgent = (command: string, args: ReadonlyArray<string>) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    const timer = setTimeout(() => reject(new Error(`${command} not ready: ${out}`)), 15_000)
    child.stdout!.setEncoding("utf8").on("data", (c: string) => {
      out += c
      if (out.includes("ready")) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.stderr!.setEncoding("utf8").on("data", (c: string) => {
      out += c
    })
    child.once("exit", (code) => reject(new Error(`${command} exited with ${code}: ${out}`)))
  })

const examples = fileURLToPath(new URL("../../examples/agents/", import.meta.url))

/** Whether `tool` runs here, with the C headers `includes` (each `dir/name.h`) when given. */
const has = (tool: string, includes: ReadonlyArray<string>) =>
  spawnSync(tool, ["--version"]).error === undefined &&
  includes.every(
    (header) =>
      spawnSync(tool, ["-E", "-x", "c", "-", "-o", "/dev/null"], {
        input: `#include <${header}>\n`,
      }).status === 0,
  )
/** `it` when the tool (and headers) are here; under CI=true a missing one fails the test instead of skipping it. */
const needs = (tool: string, includes: ReadonlyArray<string> = []) => {
  const what = [tool, ...includes].join(", ")
  if (has(tool, includes)) return it
  if (NatsServer.required)
    return (name: string) =>
      it(name, () => {
        throw new Error(`${what} is needed to build the example agent (see .ci/run)`)
      })
  console.warn(`SKIPPING example agent needing ${what}: not installed`)
  return it.skip
}

describeWithNats("remote agents on NATS", () => {
  const bus = busForSuite("remote-nats")

  it("a served strategy plays as the same strategy in process, and discovery lists it with its requests", async () => {
    const { nc } = bus
    await servingBoulware(nc, "buyer-bot", async () => {
      const local = await play([boulware(), boulware()])
      const served = await play([
        remoteAt("parley.agents.buyer-bot", natsTransport(nc)),
        boulware(),
      ])
      expect(served.result.state.status).toBe("agreed")
      expect(served.result.state.agreement?.terms).toEqual(local.result.state.agreement?.terms)
      expect(served.result.rounds).toBe(local.result.rounds)
      expect(served.events.some((e) => e.metadata?.fallback !== undefined)).toBe(false)
      const buyerTurns = served.events.filter(
        (e) =>
          e.metadata?.source === "simulation" &&
          "by" in e.event &&
          e.event.by === "laptop_buyer_utility" &&
          e.event.type !== "OfferRejected",
      ).length
      const listed = await listAgents(nc, 500)
      expect(listed).toHaveLength(1)
      expect(listed[0]).toMatchObject({
        name: "buyer-bot",
        version: "0.1.0",
        subject: "parley.agents.buyer-bot",
        errors: 0,
        description: "parley agent: boulware",
      })
      expect(listed[0]!.requests).toBe(buyerTurns)
      expect(listed[0]!.meanLatencyMs).toBeGreaterThan(0)
    })
  }, 60_000)

  const example = (
    language: string,
    tool: string,
    build: string[],
    binary: string,
    includes: ReadonlyArray<string> = [],
  ) =>
    needs(tool, includes)(
      `the ${language} agent in examples/agents/${language} plays a whole negotiation, which ends as its replies say`,
      async () => {
        const made = spawnSync("make", ["-C", `${examples}${language}`, ...build], {
          encoding: "utf8",
        })
        expect(made.status, made.stderr).toBe(0)
        const subject = `parley.agents.${language}`
        const { nc, server } = bus
        const agent = await startAgent(`${examples}${language}/${binary}`, [server.url, subject])
        try {
          const { result, events } = await play([remoteAt(subject, natsTransport(nc)), boulware()])
          const mine = events.filter(
            (e) =>
              "by" in e.event &&
              e.event.by === "laptop_buyer_utility" &&
              e.metadata?.round !== undefined,
          )
          // Every move of its party was its own (no fallback), with its words on the event.
          expect(mine.length).toBeGreaterThan(0)
          expect(mine.some((e) => e.metadata?.fallback !== undefined)).toBe(false)
          const offers = mine.filter((e) => e.event.type === "OfferMade")
          expect(offers.length).toBeGreaterThan(0)
          for (const o of offers)
            expect("message" in o.event && o.event.message).toMatch(/^I can do this \(worth /)
          // It concedes over time (a time-dependent tactic), and the talks end as it said.
          expect(result.state.status).toBe("agreed")
          const accepted = events.find((e) => e.event.type === "OfferAccepted")!
          if ("by" in accepted.event && accepted.event.by === "laptop_buyer_utility")
            expect("message" in accepted.event && accepted.event.message).toMatch(/: agreed$/)
          const utilities = result.trace
            .filter((t) => t.party === "laptop_buyer_utility" && t.move === "offered")
            .map((t) => t.utilities?.laptop_buyer_utility ?? 0)
          expect(utilities[0]).toBe(1)
          expect(utilities.at(-1)!).toBeLessThan(1)
        } finally {
          agent.kill("SIGTERM")
        }
      },
      120_000,
    )
  example("c", "cc", [], "agent", ["nats/nats.h", "cjson/cJSON.h"])
  example("go", "go", [], "agent")

  it("an unreachable server is a one-line error before the run starts; no server at all names the flag", async () => {
    const agent = `laptop_buyer_utility={"kind":"remote","subject":"parley.agents.x"}`
    const port = await NatsServer.freePort()
    const down = await cli(["run", "scenarios/anac-laptop.json", "--agent", agent], {
      PARLEY_NATS_URL: `nats://127.0.0.1:${port}`,
    })
    expect(down.code).not.toBe(0)
    expect(down.stdout).toBe("")
    expect(down.stderr.trim().split("\n")).toHaveLength(1)
    expect(down.stderr).toContain(`127.0.0.1:${port}`)
    const none = await cli(["run", "scenarios/anac-laptop.json", "--agent", agent], {
      PARLEY_NATS_URL: "",
    })
    expect(none.code).not.toBe(0)
    expect(none.stderr).toContain("PARLEY_NATS_URL")
  }, 120_000)
})

describe("remote agent spec", () => {
  it("names a bad subject and fills the defaults", () => {
    const bad = decodeStrategySpec({ kind: "remote", subject: "parley.agents.*" })
    expect(Either.isLeft(bad)).toBe(true)
    expect(spec({ kind: "remote", subject: "a.b" })).toMatchObject({
      kind: "remote",
      subject: "a.b",
      timeoutMs: 5000,
      fallback: { kind: "boulware" },
    })
  })
})
