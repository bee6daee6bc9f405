/**
 * A remote agent that replies 900 KB, on a real nats-server: its reply is
 * refused by size before it is read (the fallback moves and the event says
 * why, quoting no more than a bounded excerpt), so a run on the NATS log
 * completes and a JSONL log stays small. With the limit raised above the
 * reply (`PARLEY_AGENT_REPLY_LIMIT`), the reply is read and refused by the
 * schema, and the reason still quotes only an excerpt of it.
 */
import { readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import type { Subscription } from "@nats-io/transport-node"
import { Effect, Either, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import { natsTransport } from "../../src/remote/Nats.ts"
import {
  type AgentTransport,
  bounded,
  REASON_LIMIT,
  REPLY_LIMIT,
  remote,
} from "../../src/remote/Player.ts"
import { run } from "../../src/simulation/Runner.ts"
import type { RemoteSpec } from "../../src/simulation/strategies/index.ts"
import { decodeStrategySpec } from "../../src/simulation/strategies/index.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as Memory from "../../src/store/Memory.ts"
import { importDomain, prepareDomain } from "../simulation/support/Play.ts"
import { cli } from "../support/Cli.ts"
import { boulware, busForSuite } from "../support/ServedAgent.ts"
import { describeWithNats } from "../support/WithNats.ts"

const buyer = "laptop_buyer_utility"
/** A well-formed offer whose message is 900 KB of text: far over any limit of a reply. */
const hugeReply = JSON.stringify({
  type: "offer",
  terms: { Laptop: "HP", Harddisk: "60 Gb", External_Monitor: "19'' LCD" },
  message: "x".repeat(900_000),
})

/** The fallback reasons on the buyer's events. */
const reasons = (events: ReadonlyArray<EventEnvelope>) =>
  events
    // A counter-offer is two events (rejecting the table, then the offer), both with the move's metadata.
    .filter((e) => "by" in e.event && e.event.by === buyer && e.event.type !== "OfferRejected")
    .map((e) => e.metadata?.fallback)
    .filter((r): r is string => typeof r === "string")

describeWithNats("a remote agent replying 900 KB", () => {
  const bus = busForSuite("remote-big-reply")
  let responder: Subscription | undefined
  afterEach(() => {
    responder?.unsubscribe()
    responder = undefined
  })
  /** An agent on `subject` that answers every turn with {@link hugeReply}, counting the turns. */
  const answerHuge = (subject: string) => {
    const counts = { turns: 0 }
    responder = bus.nc.subscribe(subject, {
      callback: (_, msg) => {
        counts.turns++
        msg.respond(hugeReply)
      },
    })
    return counts
  }

  it("is refused by size: the fallback moves, and its reason names the size in a few words", async () => {
    const subject = "parley.agents.big-inproc"
    const counts = answerHuge(subject)
    await bus.nc.flush()
    const spec = Either.getOrThrow(
      decodeStrategySpec({ kind: "remote", subject, timeoutMs: 5000 }),
    ) as RemoteSpec
    const laptop = await importDomain("anac2011/Laptop")
    const prepared = prepareDomain(laptop, [
      remote(spec, natsTransport(bus.nc), boulware()),
      boulware(),
    ])
    const events = await Effect.runPromise(
      Effect.gen(function* () {
        const result = yield* run(prepared, { seed: 1 })
        const store = yield* EventStore
        return [...(yield* Stream.runCollect(store.read(result.negotiationId)))]
      }).pipe(Effect.provide(Memory.layer)),
    )
    expect(counts.turns).toBeGreaterThan(0)
    const why = reasons(events)
    expect(why.length).toBe(counts.turns)
    for (const r of why) {
      expect(r).toBe(
        `the reply is ${Buffer.byteLength(hugeReply)} bytes, more than the ${REPLY_LIMIT} bytes a reply may hold`,
      )
    }
    // Every event of the run together is a few kilobytes a turn, not the reply.
    expect(JSON.stringify(events).length).toBeLessThan(2_000 * events.length)
  }, 120_000)

  it("`parley run --nats` completes on the NATS log; with the limit raised, the schema refuses it and the reason quotes an excerpt", async () => {
    const subject = "parley.agents.big-cli"
    const counts = answerHuge(subject)
    await bus.nc.flush()
    const agent = `${buyer}={"kind":"remote","subject":"${subject}","timeoutMs":5000}`
    const env = { PARLEY_NATS_URL: bus.server.url, PARLEY_NATS_PREFIX: "bigreply" }
    const onNats = await cli(
      ["run", "scenarios/anac-laptop.json", "--agent", agent, "--nats", bus.server.url],
      env,
    )
    expect(onNats.stderr).toBe("")
    expect(onNats.code).toBe(0)
    expect(counts.turns).toBeGreaterThan(0)

    const log = join(bus.dir, "big.jsonl")
    const raised = await cli(
      ["run", "scenarios/anac-laptop.json", "--agent", agent, "--out", log],
      { ...env, PARLEY_AGENT_REPLY_LIMIT: "1000000" },
    )
    expect(raised.stderr).toBe("")
    expect(raised.code).toBe(0)
    const replay = await cli(["validate", log])
    expect(replay.code).toBe(0)
    const events = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as EventEnvelope)
    const why = reasons(events)
    expect(why.length).toBeGreaterThan(0)
    for (const r of why) {
      expect(r.startsWith("the reply does not match the schema (at message: ")).toBe(true)
      expect(r.length).toBeLessThanOrEqual(REASON_LIMIT + 40)
      expect(r).toMatch(/… \(\d+ characters in all\)$/)
    }
    // The log grows by a few kilobytes a turn, not 900 KB.
    expect(statSync(log).size).toBeLessThan(200_000)
  }, 180_000)
})

describe("bounded replies and reasons, without a network", () => {
  it("any transport's reply over the limit is refused unread, and a long reason is cut to an excerpt", async () => {
    const laptop = await importDomain("anac2011/Laptop")
    const spec = Either.getOrThrow(
      decodeStrategySpec({ kind: "remote", subject: "agents.buyer", timeoutMs: 50 }),
    ) as RemoteSpec
    // 600 characters of three bytes each: 1,800 bytes, over a limit of 1,000 though 600 < 1,000.
    const reply = JSON.stringify({ type: "reject", message: "€".repeat(600) })
    const transport: AgentTransport = { request: async () => Either.right(reply) }
    const prepared = prepareDomain(laptop, [
      remote(spec, transport, boulware(), { replyLimit: 1000 }),
      boulware(),
    ])
    const events = await Effect.runPromise(
      Effect.gen(function* () {
        const result = yield* run(prepared, { seed: 1 })
        const store = yield* EventStore
        return [...(yield* Stream.runCollect(store.read(result.negotiationId)))]
      }).pipe(Effect.provide(Memory.layer)),
    )
    const why = reasons(events)
    expect(why.length).toBeGreaterThan(0)
    expect(new Set(why)).toEqual(
      new Set([
        `the reply is ${Buffer.byteLength(reply)} bytes, more than the 1000 bytes a reply may hold`,
      ]),
    )
  })

  it("an excerpt keeps its first characters, never half a surrogate pair, and says how long the text was", () => {
    expect(bounded("short")).toBe("short")
    expect(bounded("a".repeat(REASON_LIMIT))).toBe("a".repeat(REASON_LIMIT))
    expect(bounded("a".repeat(1000))).toBe(`${"a".repeat(REASON_LIMIT)}… (1000 characters in all)`)
    const pairs = `${"a".repeat(REASON_LIMIT - 1)}${"😀".repeat(10)}`
    const cut = bounded(pairs)
    expect(cut).toBe(`${"a".repeat(REASON_LIMIT - 1)}… (${pairs.length} characters in all)`)
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut)).toBe(false)
  })

  it("PARLEY_AGENT_REPLY_LIMIT that is not a positive integer is named before the run", async () => {
    const agent = `${buyer}={"kind":"remote","subject":"agents.x"}`
    for (const value of ["0", "lots"]) {
      const r = await cli(["run", "scenarios/anac-laptop.json", "--agent", agent], {
        PARLEY_NATS_URL: "nats://127.0.0.1:1",
        PARLEY_AGENT_REPLY_LIMIT: value,
      })
      expect(r.code).not.toBe(0)
      expect(r.stdout).toBe("")
      expect(r.stderr).toContain("PARLEY_AGENT_REPLY_LIMIT")
    }
  }, 60_000)
})
