/**
 * Recording real developments into a negotiation's log, on the ceasefire
 * scenario and a real JSONL file: a fresh log is opened from the scenario
 * with its timeline and the move in one commit; a retried move is recognised
 * and not written twice; a move the decider refuses names its rule and writes
 * nothing (the file is byte-identical); a malformed move names its field; a
 * hypothetical development is marked so in the log.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Either } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { replayFile } from "../../src/app/Replay.ts"
import type { NegotiationId, OfferId } from "../../src/domain/Ids.ts"
import { findOffer } from "../../src/domain/Negotiation.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { parseMove, record } from "../../src/scenario/Record.ts"
import * as File from "../../src/store/File.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-record-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const scenario = "scenarios/ceasefire-freeze.ts"

const recordIn = (log: string, text: string, negotiationId?: string) =>
  Effect.runPromise(
    Effect.either(
      Effect.gen(function* () {
        const compiled = yield* loadScenario(scenario, {})
        const move = yield* parseMove(text, "--move")
        return yield* record(compiled, move, {
          origin: "--move",
          negotiationId: negotiationId as NegotiationId | undefined,
        })
      }).pipe(Effect.provide(File.layer(log))),
    ),
  )

const denial = `
at: 2025-04-25
type: DenyOffer
offerId: freeze-offer
by: russia
status: official
hypothetical: true
statement: "No such offer was made."
sources:
  - reportedBy: Kremlin spokesperson (supposed)
    quote: "No such offer was made."
note: a what-if, not a reported fact
`

describe("parley record", () => {
  it("opens a fresh log from the scenario and records the move in the same commit", async () => {
    const log = join(dir, "fresh.jsonl")
    const done = await recordIn(log, denial)
    if (Either.isLeft(done)) throw done.left
    const r = done.right
    // The opening and the scenario's two timeline moves, then the denial.
    expect(r.opened).toBe(3)
    expect(r.alreadyRecorded).toBe(false)
    expect(r.envelope.version).toBe(4)
    expect(r.envelope.event.type).toBe("OfferDenied")
    expect(r.envelope.event).toMatchObject({
      provenance: {
        status: "official",
        hypothetical: true,
        sources: [{ reportedBy: "Kremlin spokesperson (supposed)" }],
      },
    })
    expect(r.envelope.metadata).toEqual({ note: "a what-if, not a reported fact" })
    const lines = readFileSync(log, "utf8").trim().split("\n")
    expect(lines).toHaveLength(4)
    const replayed = await Effect.runPromise(replayFile(log))
    const state = replayed.states.get("ceasefire-freeze")!
    expect(state.version).toBe(4)
    expect(findOffer(state, "freeze-offer" as OfferId)?.status).toBe("denied")
  })

  it("recognises a retried move and writes nothing", async () => {
    const log = join(dir, "retry.jsonl")
    const first = await recordIn(log, denial)
    expect(Either.isRight(first)).toBe(true)
    const before = readFileSync(log)
    const again = await recordIn(log, denial)
    if (Either.isLeft(again)) throw again.left
    expect(again.right.alreadyRecorded).toBe(true)
    expect(again.right.envelope.version).toBe(4)
    expect(readFileSync(log)).toEqual(before)
  })

  it("keeps the hypothetical mark of an official move without sources when read back", async () => {
    const log = join(dir, "bare.jsonl")
    const bare = `{"at": "2025-04-25", "type": "DenyOffer", "offerId": "freeze-offer", "by": "russia", "hypothetical": true}`
    expect(Either.isRight(await recordIn(log, bare))).toBe(true)
    const replayed = await Effect.runPromise(replayFile(log))
    expect(replayed.states.get("ceasefire-freeze")!.version).toBe(4)
    const last = JSON.parse(readFileSync(log, "utf8").trim().split("\n").at(-1)!)
    expect(last.event.provenance).toEqual({ status: "official", hypothetical: true })
    // The retry compares with the event as read back: it must still carry the mark.
    const again = await recordIn(log, bare)
    expect(Either.isRight(again) && again.right.alreadyRecorded).toBe(true)
  })

  it("refuses a move the decider refuses, naming the rule, and writes nothing", async () => {
    const log = join(dir, "refused.jsonl")
    // The reported offer was made to the envoy: Ukraine is not its addressee.
    const accept = `{"at": "2025-04-26", "type": "AcceptOffer", "offerId": "freeze-offer", "by": "ukraine"}`
    const fresh = await recordIn(log, accept)
    expect(Either.isLeft(fresh)).toBe(true)
    if (Either.isRight(fresh)) return
    expect(fresh.left._tag).toBe("MoveRefused")
    expect(fresh.left.message).toMatch(
      /AcceptOffer at 2025-04-26.* refused \(\w+\):.*nothing was written/,
    )
    // Not even the opening: a fresh log stays absent.
    expect(existsSync(log)).toBe(false)
    // On an open log, the file is untouched.
    expect(Either.isRight(await recordIn(log, denial))).toBe(true)
    const before = readFileSync(log)
    const late = await recordIn(log, accept)
    expect(Either.isLeft(late) && late.left._tag).toBe("MoveRefused")
    expect(readFileSync(log)).toEqual(before)
  })

  it("names the field of a malformed move and where it came from", async () => {
    const log = join(dir, "malformed.jsonl")
    const noType = await recordIn(log, `{"at": "2025-04-26", "by": "ukraine"}`)
    expect(Either.isLeft(noType) && noType.left.message).toMatch(/^--move: type: /)
    const unknownSource = await recordIn(
      log,
      `{"at": "2025-04-26", "type": "WalkOut", "by": "ukraine", "sources": ["nowhere"]}`,
    )
    expect(Either.isLeft(unknownSource) && unknownSource.left.message).toBe(
      '--move: sources[0]: unknown source "nowhere"',
    )
    const notAnObject = await recordIn(log, "- a\n- list")
    expect(Either.isLeft(notAnObject) && notAnObject.left.message).toMatch(
      /^--move: a move is one object/,
    )
    expect(existsSync(log)).toBe(false)
  })

  it("records under another negotiation id, beside the scenario's own", async () => {
    const log = join(dir, "two.jsonl")
    expect(Either.isRight(await recordIn(log, denial))).toBe(true)
    const other = await recordIn(log, denial, "ceasefire-what-if")
    if (Either.isLeft(other)) throw other.left
    expect(other.right.negotiationId).toBe("ceasefire-what-if")
    expect(other.right.opened).toBe(3)
    const replayed = await Effect.runPromise(replayFile(log))
    expect([...replayed.states.keys()].sort()).toEqual(["ceasefire-freeze", "ceasefire-what-if"])
  })
})
