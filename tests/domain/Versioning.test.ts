/**
 * Event versioning: logs written by an older parley still read, as current
 * events, and replay to the state they recorded; a version from the future is
 * a typed error, not a guess; a history is judged by its structure, not by
 * rules tightened after it was recorded.
 */
import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { foldState } from "../../src/app/Projection.ts"
import type { NegotiationCommand } from "../../src/domain/Command.ts"
import { EventEnvelope, type NegotiationEvent, schemaVersions } from "../../src/domain/Event.ts"
import { decide, evolve, initialState } from "../../src/domain/Negotiation.ts"
import { NegotiationOpenedV1 } from "../../src/domain/Upcast.ts"
import { toView } from "../../src/domain/View.ts"
import { eventJsonSchema } from "../../src/feed/StateSchema.ts"
import * as Codec from "../../src/store/Codec.ts"
import { CorruptEvent } from "../../src/store/EventStore.ts"
import { fromSchema } from "../support/Arbitraries.ts"
import { fastCheck } from "../support/ArbitrariesConfig.ts"
import {
  A,
  B,
  cast,
  envelopes,
  full,
  GHOST,
  issues,
  O,
  offered,
  opened,
  t,
} from "../support/DomainGiven.ts"

const lines = (path: string) =>
  readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")
    .trimEnd()
    .split("\n")

/** Every line decoded by the codec, as a log reader sees it. */
const read = (path: string): Array<EventEnvelope> =>
  lines(path).map((line, i) => {
    const decoded = Codec.decode(line, `${path}:${i + 1}`)
    if (Either.isLeft(decoded)) throw new Error(decoded.left.message)
    return decoded.right
  })

const fold = (log: ReadonlyArray<EventEnvelope>) => Either.getOrThrow(foldState(log))

const V1_DEADLINE = "tests/fixtures/events/supply-contract-deadline.v1.jsonl"
const V1_SHIPPED = "tests/fixtures/events/supply-contract.v1.jsonl"
const CURRENT = "examples/supply-contract.jsonl"

describe("a version-1 log still replays", () => {
  it("the v1 fixtures hold version-1 openings (they are old logs, not regenerated ones)", () => {
    for (const path of [V1_DEADLINE, V1_SHIPPED]) {
      const first = JSON.parse(lines(path)[0]!)
      assert.strictEqual(first.event.type, "NegotiationOpened")
      assert.strictEqual(first.event.schemaVersion, 1)
    }
    const current = JSON.parse(lines(CURRENT)[0]!)
    assert.strictEqual(current.event.schemaVersion, schemaVersions.NegotiationOpened)
    assert.strictEqual(schemaVersions.NegotiationOpened, 2)
  })

  it("every event reads as its current version, and the v1 log replays to the same state as the same talks written today", () => {
    const old = read(V1_DEADLINE)
    const now = read(CURRENT)
    for (const e of old) assert.strictEqual(e.event.schemaVersion, schemaVersions[e.event.type])
    assert.deepStrictEqual(toView(fold(old)), toView(fold(now)))
    const state = fold(old)
    assert.strictEqual(state.status, "agreed")
    assert.strictEqual(state.version, 12)
    assert.strictEqual(state.rules.deadline, "2025-03-31T00:00:00.000Z")
    assert.strictEqual(state.rules.maxRounds, 10)
    assert.strictEqual(state.agreement?.offerId, "chamber-1")
  })

  it("the upcast opening is exactly what today's writer writes, and keeps the event id it was stored with", () => {
    const stored = JSON.parse(lines(V1_DEADLINE)[0]!)
    const [opening] = read(V1_DEADLINE)
    const [written] = read(CURRENT)
    assert.deepStrictEqual(opening!.event, written!.event)
    assert.deepStrictEqual(JSON.parse(JSON.stringify(opening!.event)).rules, {
      mustAccept: ["acme", "globex"],
      mustRatify: ["acme", "globex"],
      partialAgreements: false,
      deadline: { at: "2025-03-31T00:00:00.000Z", afterRounds: 10 },
    })
    // Ids derive from content once, when written: the stored id names what was stored.
    assert.strictEqual(opening!.eventId, stored.eventId)
    assert.notStrictEqual(opening!.eventId, written!.eventId)
    const { event: _old, ...envelope } = stored
    const { event: _new, ...upcast } = JSON.parse(Codec.encode(opening!))
    assert.deepStrictEqual(upcast, envelope)
    // Events whose type never changed are the same bytes, ids included.
    assert.deepStrictEqual(lines(V1_DEADLINE).slice(1), lines(CURRENT).slice(1))
  })

  it("the example log shipped before version 2 (no deadline) still replays to its agreement", () => {
    const shipped = fold(read(V1_SHIPPED))
    const withDeadline = fold(read(V1_DEADLINE))
    assert.strictEqual(shipped.status, "agreed")
    assert.isUndefined(shipped.rules.deadline)
    assert.isUndefined(shipped.rules.maxRounds)
    assert.deepStrictEqual(
      { ...toView(shipped), rules: null },
      { ...toView(withDeadline), rules: null },
    )
  })

  it.prop(
    "any valid version-1 opening reads as version 2, keeping everything else as stored, and opens talks under the rules version 1 recorded",
    [fromSchema(Schema.Struct({ ...EventEnvelope.fields, event: NegotiationOpenedV1 }))],
    ([generated]) => {
      // Any deadline and round limit, on a cast and issues that make a valid opening.
      const { deadline, maxRounds } = generated.event.rules
      const rules = {
        mustAccept: [A, B],
        mustRatify: [],
        ...(deadline === undefined ? {} : { deadline }),
        ...(maxRounds === undefined ? {} : { maxRounds }),
        partialAgreements: false,
      }
      const v1 = {
        ...generated,
        version: 1,
        event: { ...generated.event, parties: cast, issues, rules },
      }
      const json = JSON.parse(JSON.stringify(v1))
      const decoded = Codec.fromJson(json, "generated")
      if (Either.isLeft(decoded)) throw new Error(decoded.left.message)
      const upcast = decoded.right
      assert.isTrue(Schema.is(EventEnvelope, { onExcessProperty: "error" })(upcast))
      assert.strictEqual(upcast.event.schemaVersion, 2)
      const { event: _a, ...rest } = upcast
      const { event: _b, ...stored } = json
      assert.deepStrictEqual(rest, stored)
      const state = Either.getOrThrow(evolve(initialState, upcast))
      assert.deepStrictEqual(state.rules, json.event.rules)
    },
    { fastCheck: fastCheck(100) },
  )
})

describe("versions the reader does not know are typed errors", () => {
  const line = (event: object, version = 3) =>
    JSON.stringify({
      eventId: "e1",
      negotiationId: "talks",
      version,
      occurredAt: "2025-01-01T00:00:00.000Z",
      event,
    })
  const corrupt = (text: string, location = "log.jsonl:7"): CorruptEvent => {
    const decoded = Codec.decode(text, location)
    if (Either.isRight(decoded)) throw new Error("expected a CorruptEvent")
    assert.instanceOf(decoded.left, CorruptEvent)
    return decoded.left
  }

  it("a future schemaVersion (99) names its position, its version and what this parley reads", () => {
    const e = corrupt(
      line({ type: "TalksSuspended", schemaVersion: 99, provenance: { status: "official" } }, 7),
    )
    assert.strictEqual(e.location, "log.jsonl:7")
    assert.strictEqual(e.version, 7)
    assert.match(
      e.problem,
      /unknown schemaVersion 99 of TalksSuspended \(this parley reads version 1\)/,
    )
    const opening = JSON.parse(lines(CURRENT)[0]!)
    const future = corrupt(line({ ...opening.event, schemaVersion: 3 }, 1), "sequence 42")
    assert.strictEqual(future.location, "sequence 42")
    assert.strictEqual(future.version, 1)
    assert.match(
      future.problem,
      /unknown schemaVersion 3 of NegotiationOpened \(this parley reads versions 1 to 2\)/,
    )
  })

  it("version 0, a fraction or a string is not a version", () => {
    for (const schemaVersion of [0, -1, 1.5, "2"]) {
      const e = corrupt(line({ type: "DeadlinePassed", schemaVersion }))
      assert.match(e.problem, /schemaVersion/, String(schemaVersion))
    }
  })

  it("an old event is checked against the shape its own version wrote", () => {
    const v1 = JSON.parse(lines(V1_DEADLINE)[0]!)
    // The version-2 shape under version 1: not what version 1 wrote.
    const mislabelled = {
      ...v1.event,
      rules: { ...v1.event.rules, deadline: { at: v1.event.rules.deadline } },
    }
    const e = corrupt(line(mislabelled, 1))
    assert.match(e.problem, /rules\.deadline/)
    assert.match(e.problem, /as schemaVersion 1 of NegotiationOpened/)
    assert.strictEqual(e.version, 1)
    // A version-1 shape labelled 2 is refused by the current Schema.
    const e2 = corrupt(line({ ...v1.event, schemaVersion: 2 }, 1))
    assert.match(e2.problem, /rules\.(deadline|maxRounds)/)
  })

  it("`parley schema events` describes the current version and says how older ones are read", () => {
    const schema = eventJsonSchema() as {
      $defs: Record<string, { description?: string; properties?: Record<string, unknown> }>
    }
    assert.deepInclude(schema.$defs.NegotiationOpened!.properties!.schemaVersion as object, {
      enum: [2],
    })
    const description = schema.$defs.EventEnvelope!.description ?? ""
    assert.include(description, "NegotiationOpened 2")
    assert.include(description, "upcasts")
    assert.include(description, "eventId")
  })
})

describe("a stored history is judged by its structure, not by rules tightened since", () => {
  it("moves today's rules refuse still replay once recorded; decide refuses them as new commands", () => {
    // As if recorded before the rules said so: an observer offering, an offer addressed
    // to its own party, an offer past the round limit.
    const moves = [
      offered("o1", O, full(), { to: [A] }),
      offered("a2", A, full(), { to: [A, B] }),
      offered("a1", A),
    ]
    const log = envelopes([opened({ maxRounds: 2 }), ...moves])
    const state = fold(log)
    assert.strictEqual(state.version, 4)
    assert.strictEqual(state.round, 3)
    const commands = [
      { type: "MakeOffer", at: t(9), offerId: "o1", by: O, to: [A], terms: full() },
      { type: "MakeOffer", at: t(9), offerId: "a2", by: A, to: [A, B], terms: full() },
      { type: "MakeOffer", at: t(9), offerId: "a1", by: A, terms: full() },
    ] as const
    const expected = ["NotAllowed", "NotAllowed", "DeadlineReached"]
    for (const [k, command] of commands.entries()) {
      const before = fold(log.slice(0, k + 1))
      const decided = decide(command as unknown as NegotiationCommand, before)
      assert.isTrue(Either.isLeft(decided), command.offerId)
      if (Either.isLeft(decided)) assert.strictEqual(decided.left._tag, expected[k])
    }
  })

  it("what cannot stand in any history still fails, naming the version", () => {
    const cases: ReadonlyArray<[ReadonlyArray<NegotiationEvent>, RegExp]> = [
      [[opened(), offered("a1", A), offered("a1", B)], /already exists/],
      [[opened(), offered("a1", A), offered("g1", GHOST)], /unknown party "ghost"/],
      [[opened(), offered("a1", A), offered("a2", A, full({ troops: 99_999 }))], /troops/],
      [
        [opened(), offered("a1", A), offered("a2", A, full(), { inReplyTo: "zz" })],
        /unknown offer "zz"/,
      ],
    ]
    for (const [events, problem] of cases) {
      const result = foldState(envelopes(events))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left.version, 3)
        assert.match(result.left.problem, problem)
      }
    }
  })
})
