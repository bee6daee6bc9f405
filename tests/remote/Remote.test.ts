/**
 * Remote agents without a network: a transport that answers from a script,
 * so that every way a reply can fail is tried on the Laptop domain (ANAC
 * 2011) and the run still completes, each fallback named with its reason in
 * the timeline and the events; and a reply's message reaches the other
 * party's next turn. A ratification the agent does not answer validly is
 * the fallback's, and its event says why.
 */
import { Effect, Either, Option, Schema, Stream } from "effect"
import { describe, expect, it } from "vitest"
import type { PartyId } from "../../src/domain/Ids.ts"
import type { AgentTransport } from "../../src/remote/Player.ts"
import { remote } from "../../src/remote/Player.ts"
import { AgentTurn } from "../../src/remote/Protocol.ts"
import { scenarioFromDomain } from "../../src/scenario/FromDomain.ts"
import { instantiate } from "../../src/scenario/Load.ts"
import { type Prepared, prepare, run } from "../../src/simulation/Runner.ts"
import { decodeStrategySpec, make, type RemoteSpec } from "../../src/simulation/strategies/index.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as Memory from "../../src/store/Memory.ts"
import { importDomain, prepareDomain } from "../simulation/support/Play.ts"

const spec = (subject: string): RemoteSpec =>
  Either.getOrThrow(decodeStrategySpec({ kind: "remote", subject, timeoutMs: 50 })) as RemoteSpec

const best = `"Laptop":"HP","Harddisk":"60 Gb","External_Monitor":"19'' LCD"`

/** The buyer's replies, one per turn, then walking out. */
const buyerScript: ReadonlyArray<Either.Either<string, string>> = [
  Either.left("no agent answers on agents.buyer"),
  Either.right("this is {not json"),
  Either.right('{"type":"dance"}'),
  Either.right(`{"type":"offer","terms":{${best.replace('"HP"', '"Amiga"')}}}`),
  Either.right(`{"type":"offer","terms":{${best}},"message":"my best, honestly"}`),
  Either.right('{"type":"accept"}'),
  Either.right('{"type":"walk-out","reason":"no progress","message":"goodbye"}'),
]

const expectedReasons = [
  "no agent answers on agents.buyer",
  "the reply is not JSON",
  "the reply does not match the schema",
  'the rules refuse its offer: invalid terms for issue "Laptop": expected one of "Dell", "Macintosh", "HP", got "Amiga"',
  "it accepted with no offer on the table",
]

describe("remote agents (scripted transport)", () => {
  it("a remote agent never breaks a run: every failed reply lets the fallback move, and the timeline and events name why", async () => {
    const laptop = await importDomain("anac2011/Laptop")
    const sellerTurns: Array<unknown> = []
    let buyerCalls = 0
    const transport: AgentTransport = {
      request: async (subject, body) => {
        if (subject === "agents.seller") {
          sellerTurns.push(JSON.parse(body))
          return Either.right('{"type":"reject"}')
        }
        return buyerScript[Math.min(buyerCalls++, buyerScript.length - 1)]!
      },
    }
    const fallback = make(Either.getOrThrow(decodeStrategySpec({ kind: "boulware" })))
    const prepared = prepareDomain(laptop, [
      remote(spec("agents.buyer"), transport, fallback),
      remote(spec("agents.seller"), transport, fallback),
    ])
    const [result, events] = await Effect.runPromise(
      Effect.gen(function* () {
        const result = yield* run(prepared, { seed: 1, trace: true })
        const store = yield* EventStore
        const events = yield* Stream.runCollect(store.read(result.negotiationId))
        return [result, [...events]] as const
      }).pipe(Effect.provide(Memory.layer)),
    )
    // Completed as the replies say: the buyer walked out on its seventh turn.
    expect(result.state.status).toBe("collapsed")
    expect(buyerCalls).toBe(7)
    const buyer = "laptop_buyer_utility"
    const fallbacks = result.trace.filter((t) => t.fallback !== undefined)
    expect(fallbacks.map((t) => t.party)).toEqual(expectedReasons.map(() => buyer))
    for (const [i, reason] of expectedReasons.entries())
      expect(fallbacks[i]!.fallback).toContain(reason)

    // The events carry the same reasons in their metadata (and which strategy stood in).
    const noted = events.filter((e) => e.metadata?.fallback !== undefined)
    expect(noted.map((e) => e.event.type)).toEqual(expectedReasons.map(() => "OfferMade"))
    expect(noted.every((e) => e.metadata?.fallbackStrategy === fallback.name)).toBe(true)
    const said = events.flatMap((e) =>
      "message" in e.event && e.event.message !== undefined
        ? [[e.event.type, e.event.message]]
        : [],
    )
    expect(said).toEqual([
      ["OfferMade", "my best, honestly"],
      ["PartyWalkedOut", "goodbye"],
    ])
    const offered = result.trace.find((t) => t.message === "my best, honestly")
    expect(offered?.move).toBe("offered")
    expect(offered?.fallback).toBeUndefined()
    const walked = result.trace.at(-1)!
    expect(walked).toMatchObject({ move: "walked out", message: "goodbye", note: "no progress" })

    // Every turn sent is a valid AgentTurn; the seller heard the buyer's words on its next turn.
    for (const body of sellerTurns) expect(Schema.is(Schema.typeSchema(AgentTurn))(body)).toBe(true)
    const heard = sellerTurns.flatMap((t) => (t as { messages: Array<unknown> }).messages)
    expect(heard).toEqual([{ party: buyer, round: 4, move: "offer", message: "my best, honestly" }])
  })

  it("a remote agent without a connection is refused when the run is prepared, before anything is written", async () => {
    const laptop = await importDomain("anac2011/Laptop")
    const compiled = Either.getOrThrow(
      instantiate("laptop (test)", scenarioFromDomain(laptop), { rounds: "10" }),
    )
    const refused = prepare(compiled, {
      laptop_buyer_utility: { kind: "remote", subject: "agents.buyer" },
    })
    expect(Either.isLeft(refused)).toBe(true)
    const error = Either.getLeft(refused).pipe(Option.getOrThrow)
    expect(error.path).toBe("--agent laptop_buyer_utility")
    expect(error.problem).toMatch(
      /a remote agent \(subject agents.buyer\) needs a connection to its agent/,
    )
  })

  it("a ratification the agent does not answer validly is the fallback's, and its event names why", async () => {
    const laptop = await importDomain("anac2011/Laptop")
    const asked: Array<string> = []
    // The buyer offers its best, accepts the seller's counter, then answers the ratification with garbage.
    const transport: AgentTransport = {
      request: async (_subject, body) => {
        const turn = JSON.parse(body) as { ask: string; onTable: unknown }
        asked.push(turn.ask)
        if (turn.ask === "ratify") return Either.right("{ratify: yes")
        return Either.right(
          turn.onTable === null ? `{"type":"offer","terms":{${best}}}` : '{"type":"accept"}',
        )
      },
    }
    const fallback = make(Either.getOrThrow(decodeStrategySpec({ kind: "conceder" })))
    const plain = prepareDomain(laptop, [
      remote(spec("agents.buyer"), transport, fallback),
      { kind: "boulware" },
    ])
    const open = plain.compiled.open
    const buyer = "laptop_buyer_utility" as PartyId
    const seller = "laptop_seller_utility" as PartyId
    const prepared: Prepared = {
      ...plain,
      compiled: {
        ...plain.compiled,
        open: { ...open, rules: { ...open.rules, mustRatify: [buyer, seller] } },
      },
    }
    const [result, events] = await Effect.runPromise(
      Effect.gen(function* () {
        const result = yield* run(prepared, { seed: 1 })
        const store = yield* EventStore
        const events = yield* Stream.runCollect(store.read(result.negotiationId))
        return [result, [...events]] as const
      }).pipe(Effect.provide(Memory.layer)),
    )
    expect(asked).toEqual(["move", "move", "ratify"])
    expect(result.state.status).toBe("agreed")
    const ratified = events.find(
      (e) => e.event.type === "AgreementRatified" && e.event.by === buyer,
    )
    expect(ratified?.metadata).toMatchObject({
      source: "simulation",
      fallbackStrategy: fallback.name,
    })
    expect(String(ratified?.metadata?.fallback)).toContain("the reply is not JSON")
    const theirs = events.find((e) => e.event.type === "AgreementRatified" && e.event.by === seller)
    expect(theirs?.metadata?.fallback).toBeUndefined()
  })
})
