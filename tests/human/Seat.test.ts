/**
 * A person's seat, judged without a browser: the real runner plays ANAC 2011
 * Laptop (tests/fixtures/genius) with a seat for the buyer against a
 * Boulware seller, on an in-memory log, while the test posts what a page
 * (or an intruder) would. A move without the token, with a wrong one, for a
 * turn not awaited, malformed, or refused by the decider changes nothing in
 * the log; a legal move is recorded as the person's (`actor: "human"`, a
 * ratification too) and the report labels it so (status "human", not
 * "simulated"); a move may carry a checked plain-text message, recorded on
 * the event and listed on the seat; the idle policy moves when the person
 * does not (`actor: "timeout"`).
 */
import { Effect, Either, Fiber, FastCheck as fc, Stream } from "effect"
import { describe, expect, it } from "vitest"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import type { NegotiationId, PartyId } from "../../src/domain/Ids.ts"
import { MESSAGE_LIMIT, makeSeat, type Seat } from "../../src/human/Seat.ts"
import { movesOf } from "../../src/report/Model.ts"
import { runPage } from "../../src/report/Page.ts"
import { runData } from "../../src/report/Report.ts"
import type { Prepared, RunResult } from "../../src/simulation/Runner.ts"
import { run } from "../../src/simulation/Runner.ts"
import type { Strategy, TurnMessage } from "../../src/simulation/Strategy.ts"
import { decodeStrategySpec, make } from "../../src/simulation/strategies/index.ts"
import { EventStore, type EventStoreService } from "../../src/store/EventStore.ts"
import * as Memory from "../../src/store/Memory.ts"
import { importDomain, prepareDomain } from "../simulation/support/Play.ts"

const buyer = "laptop_buyer_utility" as PartyId
const seller = "laptop_seller_utility" as PartyId
const laptop = await importDomain("anac2011/Laptop")

const BEST_FOR_BUYER = { Laptop: "HP", Harddisk: "60 Gb", External_Monitor: "19'' LCD" }

/** A seat for the buyer, the run started (in the background), and a way to read its log. */
const seated = (
  options: {
    rounds?: number
    timeoutMs?: number
    onTimeout?: "walk-out" | "reject"
    /** Every principal must ratify an accepted offer (the protocol's `ratification: true`). */
    ratification?: boolean
    /** The seller's strategy (default boulware). */
    seller?: Strategy
  } = {},
) => {
  const probe = prepareDomain(laptop, [{ kind: "boulware" }, { kind: "boulware" }])
  const id = probe.compiled.scenario.id as NegotiationId
  const seat = makeSeat({
    party: buyer,
    negotiationId: id,
    timeoutMs: options.timeoutMs,
    onTimeout: options.onTimeout,
  })
  const plain: Prepared = prepareDomain(
    laptop,
    [seat.strategy, options.seller ?? { kind: "boulware" }],
    {
      rounds: options.rounds ?? 100,
    },
  )
  const open = plain.compiled.open
  const prepared: Prepared =
    options.ratification === true
      ? {
          ...plain,
          compiled: {
            ...plain.compiled,
            open: { ...open, rules: { ...open.rules, mustRatify: [buyer, seller] } },
          },
        }
      : plain
  const store: EventStoreService = Effect.runSync(Memory.make)
  const fiber = Effect.runFork(
    run(prepared, { seed: 1 }).pipe(
      Effect.tap((r) => Effect.sync(() => seat.finish(r.state))),
      Effect.provideService(EventStore, store),
    ),
  )
  const events = () =>
    Effect.runPromise(
      Stream.runCollect(store.read(id)).pipe(
        Effect.map((c) => Array.from(c) as Array<EventEnvelope>),
      ),
    )
  const result = (): Promise<RunResult> => Effect.runPromise(Fiber.join(fiber))
  return { seat, events, result, fiber, prepared }
}

/** Waits until the seat awaits turn `n`. */
const awaiting = async (seat: Seat, n: number) => {
  await expect
    .poll(() => seat.view().phase === "your-turn" && seat.view().turn === n, {
      timeout: 5_000,
      interval: 5,
    })
    .toBe(true)
}

describe("a person's seat", () => {
  it("a move without the token, with a wrong token, or for a turn not awaited changes nothing", async () => {
    const { seat, events, fiber } = seated()
    try {
      await awaiting(seat, 1)
      const before = await events()
      const accept = { type: "offer", terms: BEST_FOR_BUYER }
      expect(seat.submit({ turn: 1, move: accept })).toEqual({
        status: 403,
        body: { code: "forbidden", error: "this seat's token is missing or wrong" },
      })
      expect(seat.submit(undefined).status).toBe(403)
      expect(seat.submit({ token: `${seat.token}x`, turn: 1, move: accept }).status).toBe(403)
      expect(seat.submit({ token: seat.token.slice(1), turn: 1, move: accept }).status).toBe(403)
      expect(seat.submit({ token: 42, turn: 1, move: accept }).status).toBe(403)
      // A forged turn number: one ahead, one behind, not a number.
      for (const turn of [2, 0, "1"]) {
        const a = seat.submit({ token: seat.token, turn, move: accept })
        expect(a.status).toBe(409)
        expect(a.body.code).toBe("stale-turn")
      }
      expect(seat.value({ terms: BEST_FOR_BUYER }).status).toBe(403)
      expect(await events()).toEqual(before)
      expect(seat.view().phase).toBe("your-turn")
      expect(seat.view().turn).toBe(1)
    } finally {
      await Effect.runPromise(Fiber.interrupt(fiber))
    }
  })

  it("any body without the seat's token is refused with 403 (property)", async () => {
    const { seat, events, fiber } = seated()
    try {
      await awaiting(seat, 1)
      const before = await events()
      fc.assert(
        fc.property(fc.anything(), (body) => {
          const withForgedToken =
            typeof body === "object" && body !== null && !Array.isArray(body)
              ? { ...body, token: String((body as { token?: unknown }).token ?? "") }
              : body
          return (
            seat.submit(body).status === 403 &&
            seat.submit(withForgedToken).status === 403 &&
            seat.view().turn === 1
          )
        }),
        { numRuns: 300 },
      )
      expect(await events()).toEqual(before)
    } finally {
      await Effect.runPromise(Fiber.interrupt(fiber))
    }
  })

  it("malformed and illegal moves are refused with the reason, and change nothing", async () => {
    const { seat, events, fiber } = seated()
    try {
      await awaiting(seat, 1)
      const before = await events()
      const post = (move: unknown) => seat.submit({ token: seat.token, turn: 1, move })
      expect(post({ type: "dance" })).toMatchObject({ status: 400, body: { code: "bad-request" } })
      expect(post("accept")).toMatchObject({ status: 400 })
      expect(post({ type: "offer" })).toMatchObject({ status: 400 })
      expect(post({ type: "accept" })).toEqual({
        status: 422,
        body: { code: "illegal-move", error: "there is no offer on the table to accept" },
      })
      expect(post({ type: "reject" }).body.error).toBe("there is no offer on the table to reject")
      expect(post({ type: "ratify", ratify: true }).body.error).toBe(
        "there is no accepted offer to ratify",
      )
      expect(post({ type: "offer", terms: { ...BEST_FOR_BUYER, Laptop: "IBM" } }).body.error).toBe(
        'Laptop: expected one of "Dell", "Macintosh", "HP", got "IBM"',
      )
      expect(post({ type: "offer", terms: { Laptop: "HP" } }).body.error).toBe(
        "choose a value for Harddisk",
      )
      expect(post({ type: "offer", terms: { ...BEST_FOR_BUYER, Price: "1" } }).body.error).toBe(
        'unknown issue "Price"',
      )
      expect(post({ type: "offer", terms: { ...BEST_FOR_BUYER, Harddisk: 60 } }).status).toBe(422)
      expect(await events()).toEqual(before)
      expect(seat.view().turn).toBe(1)
    } finally {
      await Effect.runPromise(Fiber.interrupt(fiber))
    }
  })

  it("the person's moves are recorded as theirs; a replayed move is refused; the talks end in agreement", async () => {
    const { seat, events, result } = seated()
    await awaiting(seat, 1)
    const valued = seat.value({ token: seat.token, terms: BEST_FOR_BUYER })
    // Discounted to the person's own time: the first of 200 moves, at t = 1/201 (`Scores.moveTime`).
    expect(valued).toEqual({
      status: 200,
      body: { utility: 1, discounted: expect.closeTo(0.42441038 ** (1 / 201), 12) },
    })
    const offer = { token: seat.token, turn: 1, move: { type: "offer", terms: BEST_FOR_BUYER } }
    expect(seat.submit(offer)).toEqual({ status: 200, body: { ok: true, turn: 1 } })
    // The same request again, as a replay would send it.
    expect(seat.submit(offer)).toMatchObject({ status: 409, body: { code: "stale-turn" } })
    await awaiting(seat, 2)
    const table = seat.view().onTable
    expect(table?.by).toBe("laptop_seller_utility")
    expect(seat.submit(offer).status).toBe(409)
    expect(seat.submit({ token: seat.token, turn: 2, move: { type: "accept" } }).status).toBe(200)
    const r = await result()
    expect(r.state.status).toBe("agreed")
    expect(r.state.agreement?.terms).toEqual(table?.terms)
    const log = await events()
    const mine = log.filter((e) => e.metadata?.actor === "human")
    expect(mine.map((e) => e.event.type)).toEqual(["OfferMade", "OfferAccepted"])
    expect(mine.every((e) => e.metadata?.strategy === "human")).toBe(true)
    // The seller's moves are its own, unmarked.
    const theirs = log.filter(
      (e) => e.metadata?.source === "simulation" && e.metadata?.strategy !== "human",
    )
    expect(theirs.length).toBeGreaterThan(0)
    expect(theirs.some((e) => e.metadata !== undefined && "actor" in e.metadata)).toBe(false)
    // The report labels the person's moves as theirs, the seller's as simulated.
    const moves = movesOf(log)
    const statusOf = (version: number) => moves.find((m) => m.version === version)?.status
    expect(mine.map((e) => statusOf(e.version))).toEqual(["human", "human"])
    expect(theirs.map((e) => statusOf(e.version)).every((s) => s === "simulated")).toBe(true)
    const html = runPage(runData(log, undefined, []))
    expect(html.match(/data-testid="timeline-move" data-status="human"/g)).toHaveLength(2)
    expect(html).toContain("human (made by the person at the seat)")
    expect(html).toContain("2 moves by a person")
    expect(seat.view().phase).toBe("ended")
    expect(seat.view().outcome?.agreement?.utility).toBeCloseTo(table!.utility, 12)
    expect(seat.submit({ token: seat.token, turn: 3, move: { type: "accept" } }).status).toBe(409)
  })

  it("when the person does not move in time, the seat walks out, marked as the timeout's", async () => {
    const { seat, events, result } = seated({ timeoutMs: 40, onTimeout: "walk-out" })
    const r = await result()
    expect(r.state.status).toBe("collapsed")
    const log = await events()
    const walkOut = log.find((e) => e.event.type === "PartyWalkedOut")
    expect(walkOut?.metadata).toMatchObject({ actor: "timeout", waitedMs: 40, strategy: "human" })
    expect(walkOut?.event).toMatchObject({
      by: buyer,
      reason: "no move from the person at the seat within 40ms",
    })
    expect(log.some((e) => e.metadata?.actor === "human")).toBe(false)
    expect(seat.view().phase).toBe("ended")
  })

  it("with the reject policy, turns the person lets pass reject the table and the talks run to the deadline", async () => {
    const { events, result } = seated({ timeoutMs: 20, onTimeout: "reject", rounds: 4 })
    const r = await result()
    expect(r.state.status).toBe("expired")
    const log = await events()
    const rejected = log.filter((e) => e.event.type === "OfferRejected")
    expect(rejected.length).toBeGreaterThan(0)
    expect(rejected.every((e) => e.metadata?.actor === "timeout")).toBe(true)
  })

  it("where the rules ask for ratification, the person ratifies or refuses the accepted offer", async () => {
    for (const yes of [true, false]) {
      const { seat, events, result } = seated({ ratification: true })
      await awaiting(seat, 1)
      const offer = { type: "offer", terms: BEST_FOR_BUYER }
      expect(seat.submit({ token: seat.token, turn: 1, move: offer }).status).toBe(200)
      await awaiting(seat, 2)
      expect(seat.view().ask).toBe("move")
      const counter = seat.view().onTable!
      expect(seat.submit({ token: seat.token, turn: 2, move: { type: "accept" } }).status).toBe(200)
      await awaiting(seat, 3)
      expect(seat.view().ask).toBe("ratify")
      expect(seat.view().onTable?.terms).toEqual(counter.terms)
      expect(seat.submit({ token: seat.token, turn: 3, move: { type: "accept" } })).toEqual({
        status: 422,
        body: {
          code: "illegal-move",
          error: "the accepted offer awaits your ratification: ratify it or refuse",
        },
      })
      expect(
        seat.submit({ token: seat.token, turn: 3, move: { type: "ratify", ratify: yes } }),
      ).toEqual({
        status: 200,
        body: { ok: true, turn: 3 },
      })
      const r = await result()
      const log = await events()
      if (yes) {
        expect(r.state.status).toBe("agreed")
        expect(r.state.agreement?.ratifiedBy).toEqual([buyer, seller])
        const ratified = log.find(
          (e) => e.event.type === "AgreementRatified" && e.event.by === buyer,
        )
        expect(ratified?.metadata).toMatchObject({ strategy: "human", actor: "human" })
        expect(movesOf(log).find((m) => m.version === ratified?.version)?.status).toBe("human")
        // The seller's ratification is its strategy's.
        const theirs = log.find(
          (e) => e.event.type === "AgreementRatified" && e.event.by === seller,
        )
        expect(theirs?.metadata?.actor).toBeUndefined()
        expect(movesOf(log).find((m) => m.version === theirs?.version)?.status).toBe("simulated")
      } else {
        expect(r.state.status).toBe("collapsed")
        const walked = log.find((e) => e.event.type === "PartyWalkedOut")
        expect(walked?.event).toMatchObject({ by: buyer, reason: "refused to ratify" })
        expect(walked?.metadata).toMatchObject({ strategy: "human", actor: "human" })
        expect(movesOf(log).find((m) => m.version === walked?.version)?.status).toBe("human")
      }
    }
  })

  it("a move may carry a plain-text message: checked, recorded on the event, listed on the seat, passed to the other side", async () => {
    // A Boulware seller that notes what it hears on its turns.
    const heard: Array<TurnMessage> = []
    const boulware = make(Either.getOrThrow(decodeStrategySpec({ kind: "boulware" })))
    const listening: Strategy = {
      name: "boulware",
      init: (view) => {
        const player = boulware.init(view)
        return {
          ...player,
          move: (turn) => {
            heard.push(...turn.messages)
            return player.move(turn)
          },
        }
      },
    }
    const { seat, events, result } = seated({ seller: listening })
    await awaiting(seat, 1)
    const before = await events()
    const post = (message: unknown) =>
      seat.submit({
        token: seat.token,
        turn: 1,
        move: { type: "offer", terms: BEST_FOR_BUYER, message },
      })
    const refused = ["x".repeat(MESSAGE_LIMIT + 1), "   ", "ring\u0007bell", "\u202Eevil", 42]
    for (const message of refused) {
      const a = post(message)
      expect(a.status, JSON.stringify(message)).toBe(400)
      expect(String(a.body.error)).toMatch(/^move\.message: /)
    }
    expect(String(post("x".repeat(MESSAGE_LIMIT + 1)).body.error)).toContain(
      `at most ${MESSAGE_LIMIT} characters`,
    )
    expect(String(post("\u0000").body.error)).toContain("plain text")
    // A ratification carries none.
    expect(
      seat.submit({
        token: seat.token,
        turn: 1,
        move: { type: "ratify", ratify: true, message: "hi" },
      }).status,
    ).not.toBe(200)
    expect(await events()).toEqual(before)
    expect(seat.view().turn).toBe(1)
    // Markup is plain text here: kept as it was typed, never parsed.
    const said = "HP please.\nI can't go above this <b>now</b> & later"
    expect(post(said).status).toBe(200)
    await awaiting(seat, 2)
    expect(seat.view().messages).toEqual([{ party: buyer, round: 0, move: "offer", message: said }])
    expect(heard).toEqual([{ party: buyer, round: 0, move: "offer", message: said }])
    expect(
      seat.submit({ token: seat.token, turn: 2, move: { type: "accept", message: "Deal." } })
        .status,
    ).toBe(200)
    const r = await result()
    expect(r.state.status).toBe("agreed")
    const log = await events()
    const mine = log.filter((e) => e.metadata?.actor === "human")
    expect(
      mine.map((e) => [e.event.type, "message" in e.event ? e.event.message : undefined]),
    ).toEqual([
      ["OfferMade", said],
      ["OfferAccepted", "Deal."],
    ])
    // The timeline shows it with the move; the HTML escapes it.
    const made = movesOf(log).find((m) => m.version === mine[0]!.version)
    expect(made?.text).toBe(`says: "${said}"`)
    const html = runPage(runData(log, undefined, []))
    expect(html).toContain("&lt;b&gt;now&lt;/b&gt; &amp; later")
    expect(html).not.toContain("<b>now</b>")
    expect(seat.view().messages.map((m) => m.message)).toEqual([said, "Deal."])
  })
})
