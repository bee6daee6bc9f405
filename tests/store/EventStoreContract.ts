/**
 * The contract every EventStore adapter passes, run unchanged against the
 * memory, file and NATS adapters: `testEventStore(name, makeLayer)`.
 *
 * `makeLayer` must give a fresh, empty log each time it is called.
 */
import { assert, describe, it } from "@effect/vitest"
import {
  Chunk,
  Context,
  Effect,
  Either,
  Exit,
  Fiber,
  FastCheck as fc,
  Layer,
  Scope,
  Stream,
} from "effect"
import { eventIdFor } from "../../src/app/CommandHandler.ts"
import {
  type EventEnvelope,
  type Instant,
  type NegotiationEvent,
  official,
  type PendingEvent,
  SCHEMA_VERSION,
} from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import {
  All,
  type AppendResult,
  EventStore,
  type EventStoreService,
  ExpectedVersion,
  type LogEntry,
  type ReadRange,
  type Selector,
} from "../../src/store/EventStore.ts"

/** Options of the contract run. */
export interface ContractOptions {
  /** Runs of the model-based property (each on a fresh log). */
  readonly modelRuns?: number
}

const at = "2025-04-22T09:30:00.000Z" as Instant
const neg = (id: string) => id as NegotiationId

/** A valid event whose content (and so whose id) depends on `tag`. */
export const eventFor = (tag: string): NegotiationEvent => ({
  type: "TalksSuspended",
  schemaVersion: SCHEMA_VERSION,
  reason: tag,
  provenance: official,
})

/**
 * `count` events a writer that believes the log is at `base` would append:
 * ids are content-derived (as the command handler derives them), so the
 * same decision retried has the same ids and different decisions differ.
 */
export const pendingFor = (
  negotiationId: NegotiationId,
  base: number,
  tag: string,
  count = 1,
): ReadonlyArray<PendingEvent> =>
  Array.from({ length: count }, (_, i) => {
    const event = eventFor(`${tag}/${count}/${i}`)
    return {
      eventId: eventIdFor(negotiationId, base + i + 1, at, event),
      occurredAt: at,
      event,
    }
  })

const versions = (es: ReadonlyArray<EventEnvelope>) => es.map((e) => e.version)
const ids = (es: ReadonlyArray<EventEnvelope>) => es.map((e) => e.eventId)

const readAll = (store: EventStoreService, id: NegotiationId, range?: ReadRange) =>
  Stream.runCollect(store.read(id, range)).pipe(Effect.map(Chunk.toReadonlyArray))

/** Takes `n` envelopes of a subscription, failing after `seconds`. */
const take = (stream: Stream.Stream<EventEnvelope, unknown>, n: number, seconds = 10) =>
  stream.pipe(
    Stream.take(n),
    Stream.runCollect,
    Effect.map(Chunk.toReadonlyArray),
    Effect.timeoutFail({
      duration: `${seconds} seconds`,
      onTimeout: () => new Error(`subscription did not deliver ${n} events in ${seconds} s`),
    }),
  )

/** Runs the EventStore contract against the adapter `makeLayer` builds. */
export const testEventStore = <E>(
  name: string,
  makeLayer: () => Layer.Layer<EventStore, E>,
  options: ContractOptions = {},
) =>
  describe(`EventStore contract: ${name}`, () => {
    const withStore = <A, E2>(f: (store: EventStoreService) => Effect.Effect<A, E2>) =>
      Effect.flatMap(EventStore, f).pipe(Effect.provide(makeLayer()))

    it.scopedLive("appends, then reads, versions and lists what it wrote", () =>
      withStore((store) =>
        Effect.gen(function* () {
          const a = neg("alpha")
          const b = neg("beta")
          const first = yield* store.append(a, pendingFor(a, 0, "x", 2), ExpectedVersion.NoStream)
          assert.deepStrictEqual(versions(first.envelopes), [1, 2])
          assert.strictEqual(first.version, 2)
          assert.isFalse(first.duplicate)
          yield* store.append(b, pendingFor(b, 0, "y"), ExpectedVersion.NoStream)
          yield* store.append(a, pendingFor(a, 2, "z"), ExpectedVersion.Exact(2))
          const read = yield* readAll(store, a)
          assert.deepStrictEqual(versions(read), [1, 2, 3])
          assert.deepStrictEqual(ids(read), [
            ...pendingFor(a, 0, "x", 2).map((e) => e.eventId),
            ...pendingFor(a, 2, "z").map((e) => e.eventId),
          ])
          assert.deepStrictEqual(read.slice(0, 2), first.envelopes)
          assert.isTrue(read.every((e) => e.negotiationId === a))
          assert.strictEqual(yield* store.version(a), 3)
          assert.strictEqual(yield* store.version(b), 1)
          assert.strictEqual(yield* store.version(neg("nobody")), 0)
          assert.deepStrictEqual(yield* store.list, [a, b])
          assert.deepStrictEqual(yield* readAll(store, neg("nobody")), [])
        }),
      ),
    )

    it.scopedLive("honours Exact, NoStream and Any expected versions", () =>
      withStore((store) =>
        Effect.gen(function* () {
          const a = neg("expect")
          yield* store.append(a, pendingFor(a, 0, "a"), ExpectedVersion.NoStream)
          const again = yield* Effect.either(
            store.append(a, pendingFor(a, 0, "b"), ExpectedVersion.NoStream),
          )
          assert.isTrue(Either.isLeft(again))
          yield* store.append(a, pendingFor(a, 1, "c"), ExpectedVersion.Exact(1))
          const any = yield* store.append(a, pendingFor(a, 2, "d", 2), ExpectedVersion.Any)
          assert.deepStrictEqual(versions(any.envelopes), [3, 4])
          const first = yield* store.append(
            neg("fresh"),
            pendingFor(neg("fresh"), 0, "e"),
            ExpectedVersion.Any,
          )
          assert.deepStrictEqual(versions(first.envelopes), [1])
          const exactZero = yield* store.append(
            neg("zero"),
            pendingFor(neg("zero"), 0, "f"),
            ExpectedVersion.Exact(0),
          )
          assert.deepStrictEqual(versions(exactZero.envelopes), [1])
          assert.strictEqual(yield* store.version(a), 4)
        }),
      ),
    )

    it.scopedLive("a VersionConflict carries expected and actual and writes nothing", () =>
      withStore((store) =>
        Effect.gen(function* () {
          const a = neg("conflict")
          yield* store.append(a, pendingFor(a, 0, "a", 2), ExpectedVersion.NoStream)
          const stale = yield* Effect.flip(
            store.append(a, pendingFor(a, 1, "b", 3), ExpectedVersion.Exact(1)),
          )
          assert.strictEqual(stale._tag, "VersionConflict")
          if (stale._tag !== "VersionConflict") return
          assert.strictEqual(stale.expected, "version 1")
          assert.strictEqual(stale.actual, 2)
          assert.strictEqual(stale.negotiationId, a)
          const ahead = yield* Effect.flip(
            store.append(a, pendingFor(a, 5, "c"), ExpectedVersion.Exact(5)),
          )
          assert.deepInclude(ahead, { _tag: "VersionConflict", expected: "version 5", actual: 2 })
          const none = yield* Effect.flip(
            store.append(a, pendingFor(a, 0, "d"), ExpectedVersion.NoStream),
          )
          assert.deepInclude(none, { _tag: "VersionConflict", expected: "no stream", actual: 2 })
          assert.deepStrictEqual(versions(yield* readAll(store, a)), [1, 2])
          assert.strictEqual(yield* store.version(a), 2)
        }),
      ),
    )

    it.scopedLive("a multi-event append is all-or-nothing", () =>
      withStore((store) =>
        Effect.gen(function* () {
          const a = neg("batch")
          const batch = pendingFor(a, 0, "a", 5)
          const done = yield* store.append(a, batch, ExpectedVersion.NoStream)
          assert.deepStrictEqual(
            ids(done.envelopes),
            batch.map((e) => e.eventId),
          )
          // Two writers, one decision of 4 events each: the loser leaves no trace.
          const [x, y] = yield* Effect.all(
            [
              Effect.either(store.append(a, pendingFor(a, 5, "x", 4), ExpectedVersion.Exact(5))),
              Effect.either(store.append(a, pendingFor(a, 5, "y", 4), ExpectedVersion.Exact(5))),
            ],
            { concurrency: 2 },
          )
          assert.strictEqual([x, y].filter(Either.isRight).length, 1)
          const winner = Either.isRight(x) ? "x" : "y"
          const read = yield* readAll(store, a)
          assert.deepStrictEqual(versions(read), [1, 2, 3, 4, 5, 6, 7, 8, 9])
          assert.deepStrictEqual(
            ids(read.slice(5)),
            pendingFor(a, 5, winner, 4).map((e) => e.eventId),
          )
        }),
      ),
    )

    it.scopedLive("retrying the same append is idempotent and leaves one copy", () =>
      withStore((store) =>
        Effect.gen(function* () {
          const a = neg("retry")
          const events = pendingFor(a, 0, "a", 2)
          const first = yield* store.append(a, events, ExpectedVersion.Exact(0))
          const retry = yield* store.append(a, events, ExpectedVersion.Exact(0))
          assert.isTrue(retry.duplicate)
          assert.deepStrictEqual(retry.envelopes, first.envelopes)
          assert.strictEqual(retry.version, 2)
          // Still recognised once someone else has appended after it.
          yield* store.append(a, pendingFor(a, 2, "b"), ExpectedVersion.Exact(2))
          const late = yield* store.append(a, events, ExpectedVersion.Exact(0))
          assert.isTrue(late.duplicate)
          assert.deepStrictEqual(late.envelopes, first.envelopes)
          const anyRetry = pendingFor(a, 3, "c")
          yield* store.append(a, anyRetry, ExpectedVersion.Any)
          const anyAgain = yield* store.append(a, anyRetry, ExpectedVersion.Any)
          assert.isTrue(anyAgain.duplicate)
          assert.deepStrictEqual(versions(anyAgain.envelopes), [4])
          const read = yield* readAll(store, a)
          assert.deepStrictEqual(versions(read), [1, 2, 3, 4])
          assert.strictEqual(new Set(ids(read)).size, 4)
        }),
      ),
    )

    it.scopedLive("reads any range of versions", () =>
      withStore((store) =>
        Effect.gen(function* () {
          const a = neg("range")
          for (let v = 0; v < 10; v += 2)
            yield* store.append(a, pendingFor(a, v, `r${v}`, 2), ExpectedVersion.Exact(v))
          assert.deepStrictEqual(
            versions(yield* readAll(store, a, { from: 3, to: 7 })),
            [3, 4, 5, 6, 7],
          )
          assert.deepStrictEqual(versions(yield* readAll(store, a, { from: 8 })), [8, 9, 10])
          assert.deepStrictEqual(versions(yield* readAll(store, a, { to: 2 })), [1, 2])
          assert.deepStrictEqual(versions(yield* readAll(store, a, { from: 5, to: 5 })), [5])
          assert.deepStrictEqual(yield* readAll(store, a, { from: 11 }), [])
          assert.deepStrictEqual(yield* readAll(store, a, { from: 7, to: 6 }), [])
        }),
      ),
    )

    it.scopedLive(
      "a subscription catches up, then follows live, with no gap and no duplicate",
      () =>
        withStore((store) =>
          Effect.gen(function* () {
            const a = neg("live")
            const b = neg("other")
            yield* store.append(a, pendingFor(a, 0, "a", 3), ExpectedVersion.NoStream)
            yield* store.append(b, pendingFor(b, 0, "b"), ExpectedVersion.NoStream)
            const one = yield* Effect.fork(take(store.subscribe(a, 2), 6))
            const all = yield* Effect.fork(take(store.subscribe(All), 9))
            const late = yield* Effect.fork(take(store.subscribe(a, 6), 2))
            yield* Effect.sleep("50 millis")
            yield* store.append(a, pendingFor(a, 3, "c", 2), ExpectedVersion.Exact(3))
            yield* store.append(b, pendingFor(b, 1, "d"), ExpectedVersion.Exact(1))
            for (let v = 5; v < 7; v++)
              yield* store.append(a, pendingFor(a, v, `e${v}`), ExpectedVersion.Exact(v))
            const seen = yield* Fiber.join(one)
            assert.deepStrictEqual(versions(seen), [2, 3, 4, 5, 6, 7])
            assert.deepStrictEqual(seen, (yield* readAll(store, a)).slice(1))
            const everything = yield* Fiber.join(all)
            assert.deepStrictEqual(
              everything.map((e) => `${e.negotiationId}@${e.version}`),
              [
                "live@1",
                "live@2",
                "live@3",
                "other@1",
                "live@4",
                "live@5",
                "other@2",
                "live@6",
                "live@7",
              ],
            )
            assert.deepStrictEqual(versions(yield* Fiber.join(late)), [6, 7])
          }),
        ),
    )

    it.scopedLive(
      "readLog gives one negotiation's commits with increasing positions, the same envelopes as read",
      () =>
        withStore((store) =>
          Effect.gen(function* () {
            const a = neg("logged")
            const b = neg("interleaved")
            yield* store.append(a, pendingFor(a, 0, "a", 2), ExpectedVersion.NoStream)
            yield* store.append(b, pendingFor(b, 0, "b"), ExpectedVersion.NoStream)
            yield* store.append(a, pendingFor(a, 2, "c", 3), ExpectedVersion.Exact(2))
            const entries = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readLog(a)))
            assert.isTrue(entries.every((e) => e._tag === "Commit"))
            const commits = entries.flatMap((e) => (e._tag === "Commit" ? [e] : []))
            const positions = commits.map((c) => c.position)
            assert.isTrue(
              positions.every(
                (p, i) => Number.isInteger(p) && p >= 1 && (i === 0 || p > positions[i - 1]!),
              ),
              `positions increase: ${positions.join(",")}`,
            )
            assert.deepStrictEqual(
              commits.flatMap((c) => c.envelopes),
              yield* readAll(store, a),
            )
            // An append is never split across commits (an adapter may store it as one).
            assert.isAtMost(commits.length, 5)
            assert.isAtLeast(commits.length, 2)
            assert.deepStrictEqual(
              Chunk.toReadonlyArray(yield* Stream.runCollect(store.readLog(neg("nobody")))),
              [],
            )
            const bad = yield* Effect.flip(Stream.runCollect(store.readLog(neg("a.b"))))
            assert.deepInclude(bad, { _tag: "StoreError", reason: "InvalidId" })
          }),
        ),
    )

    it.scopedLive(
      "subscribeLog gives every commit in commit order with increasing positions, resumes from a position, then follows live",
      () =>
        withStore((store) =>
          Effect.gen(function* () {
            const a = neg("whole")
            const b = neg("log")
            yield* store.append(a, pendingFor(a, 0, "a", 2), ExpectedVersion.NoStream)
            yield* store.append(b, pendingFor(b, 0, "b"), ExpectedVersion.NoStream)
            yield* store.append(a, pendingFor(a, 2, "c"), ExpectedVersion.Exact(2))
            const flat = (entries: ReadonlyArray<LogEntry>) =>
              entries.flatMap((e) =>
                e._tag === "Commit"
                  ? e.envelopes.map((x) => `${x.negotiationId}@${x.version}`)
                  : ["?"],
              )
            const takeEntries = (stream: Stream.Stream<LogEntry, unknown>, until: number) =>
              stream.pipe(
                Stream.takeUntil(
                  (e) =>
                    e._tag === "Commit" &&
                    e.envelopes.some((x) => x.negotiationId === a && x.version === until),
                ),
                Stream.runCollect,
                Effect.map(Chunk.toReadonlyArray),
                Effect.timeoutFail({
                  duration: "10 seconds",
                  onTimeout: () => new Error(`subscribeLog did not reach whole@${until}`),
                }),
              )
            const stored = yield* takeEntries(store.subscribeLog(), 3)
            assert.deepStrictEqual(flat(stored), ["whole@1", "whole@2", "log@1", "whole@3"])
            const positions = stored.map((e) => e.position)
            assert.isTrue(positions.every((p, i) => i === 0 || p > positions[i - 1]!))
            // From the position of b's commit on: exactly the entries from there, then live ones.
            const from = stored.find((e) => flat([e]).includes("log@1"))!.position
            const live = yield* Effect.fork(takeEntries(store.subscribeLog(from), 4))
            yield* Effect.sleep("50 millis")
            yield* store.append(a, pendingFor(a, 3, "d"), ExpectedVersion.Exact(3))
            const resumed = yield* Fiber.join(live)
            assert.deepStrictEqual(flat(resumed), ["log@1", "whole@3", "whole@4"])
            assert.strictEqual(resumed[0]!.position, from)
          }),
        ),
    )

    it.scopedLive(
      "ids that are not subject-safe tokens are refused before they reach the store",
      () =>
        withStore((store) =>
          Effect.gen(function* () {
            for (const bad of ["a.b", "*", ">", "a b", "", "x".repeat(65), "ns.>"]) {
              const id = neg(bad)
              const append = yield* Effect.flip(
                store.append(id, pendingFor(id, 0, "a"), ExpectedVersion.Any),
              )
              assert.deepInclude(append, { _tag: "StoreError", reason: "InvalidId" })
              const read = yield* Effect.flip(Stream.runCollect(store.read(id)))
              assert.deepInclude(read, { _tag: "StoreError", reason: "InvalidId" })
              const version = yield* Effect.flip(store.version(id))
              assert.deepInclude(version, { _tag: "StoreError", reason: "InvalidId" })
              if (bad !== "*") {
                const sub = yield* Effect.flip(Stream.runCollect(store.subscribe(id as Selector)))
                assert.deepInclude(sub, { _tag: "StoreError", reason: "InvalidId" })
              }
            }
            assert.deepStrictEqual(yield* store.list, [])
          }),
        ),
    )

    it.live(
      "model: appends, retries, races, reads and subscriptions agree with a list-per-negotiation model",
      () =>
        Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(fc.commands(commandArbs, { size: "+1", maxCommands: 40 }), (cmds) =>
              runModel(makeLayer, cmds),
            ),
            { numRuns: options.modelRuns ?? 50, endOnFailure: true },
          ),
        ),
      120_000,
    )
  })

// ---------------------------------------------------------------------------
// The model: each negotiation is a list of event ids; the global commit order
// is a list of (negotiation, version). Everything the store does must agree.

interface Model {
  readonly logs: Map<string, Array<string>>
  readonly order: Array<string>
  readonly commits: Array<string>
  last: AppendCmd | undefined
}

interface Real {
  readonly store: EventStoreService
  readonly subscriptions: Array<{
    readonly selector: Selector
    readonly from: number
    readonly seen: Array<EventEnvelope>
    readonly fiber: Fiber.RuntimeFiber<void, unknown>
  }>
}

type Outcome =
  | { readonly _tag: "Write"; readonly from: number }
  | { readonly _tag: "Duplicate"; readonly from: number }
  | { readonly _tag: "Conflict"; readonly actual: number }

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(effect))

const logOf = (m: Model, id: string) => m.logs.get(id) ?? []

/** What the model says an append must do. */
const expectOutcome = (
  m: Model,
  id: string,
  events: ReadonlyArray<PendingEvent>,
  expected: ExpectedVersion,
): Outcome => {
  const log = logOf(m, id)
  const actual = log.length
  const same = (start: number) =>
    start >= 0 &&
    events.every((e, i) => log[start + i] === e.eventId) &&
    start + events.length <= actual
  if (!ExpectedVersion.matches(expected, actual)) {
    const start = expected._tag === "Exact" ? expected.version : 0
    return same(start) ? { _tag: "Duplicate", from: start + 1 } : { _tag: "Conflict", actual }
  }
  // An Any retry may find its events anywhere, since others may have appended after it.
  const anywhere = log.lastIndexOf(events[0]?.eventId ?? "")
  if (expected._tag === "Any" && anywhere !== -1 && same(anywhere))
    return { _tag: "Duplicate", from: anywhere + 1 }
  return { _tag: "Write", from: actual + 1 }
}

const write = (m: Model, id: string, events: ReadonlyArray<PendingEvent>) => {
  const log = m.logs.get(id) ?? []
  if (!m.logs.has(id)) {
    m.logs.set(id, log)
    m.order.push(id)
  }
  for (const e of events) {
    log.push(e.eventId)
    m.commits.push(`${id}@${log.length}`)
  }
}

const checkResult = (
  m: Model,
  id: string,
  events: ReadonlyArray<PendingEvent>,
  expected: ExpectedVersion,
  outcome: Outcome,
  result: Either.Either<AppendResult, object>,
) => {
  switch (outcome._tag) {
    case "Conflict":
      assert.isTrue(Either.isLeft(result), `expected a conflict, got ${JSON.stringify(result)}`)
      if (Either.isLeft(result))
        assert.deepInclude(result.left, {
          _tag: "VersionConflict",
          expected: ExpectedVersion.show(expected),
          actual: outcome.actual,
        })
      return
    case "Duplicate":
    case "Write": {
      assert.isTrue(
        Either.isRight(result),
        `expected ${outcome._tag}, got ${JSON.stringify(result)}`,
      )
      if (Either.isLeft(result)) return
      assert.strictEqual(result.right.duplicate, outcome._tag === "Duplicate")
      assert.deepStrictEqual(
        result.right.envelopes.map((e) => [e.version, e.eventId, e.negotiationId]),
        events.map((e, i) => [outcome.from + i, e.eventId, id]),
      )
      if (outcome._tag === "Write") write(m, id, events)
      assert.strictEqual(result.right.version, logOf(m, id).length)
    }
  }
}

const NEGOTIATIONS = ["n1", "n2", "n3"] as const

type Kind = "right" | "stale" | "ahead" | "noStream" | "any"

class AppendCmd implements fc.AsyncCommand<Model, Real> {
  events: ReadonlyArray<PendingEvent> = []
  expected: ExpectedVersion = ExpectedVersion.Any
  constructor(
    readonly id: string,
    readonly kind: Kind,
    readonly count: number,
    readonly tag: number,
  ) {}
  check = () => true
  /** Fixes what the writer believes, from the model, the first time it runs. */
  prepare(m: Model) {
    const v = logOf(m, this.id).length
    const believed =
      this.kind === "right" || this.kind === "any"
        ? v
        : this.kind === "stale"
          ? Math.max(0, v - 1 - (this.tag % 3))
          : this.kind === "ahead"
            ? v + 1
            : 0
    this.expected =
      this.kind === "any"
        ? ExpectedVersion.Any
        : this.kind === "noStream"
          ? ExpectedVersion.NoStream
          : ExpectedVersion.Exact(believed)
    this.events = pendingFor(neg(this.id), believed, `t${this.tag}`, this.count)
  }
  async run(m: Model, r: Real) {
    this.prepare(m)
    await this.apply(m, r)
    m.last = this
  }
  async apply(m: Model, r: Real) {
    const outcome = expectOutcome(m, this.id, this.events, this.expected)
    const result = await run(r.store.append(neg(this.id), this.events, this.expected))
    checkResult(m, this.id, this.events, this.expected, outcome, result)
  }
  toString = () => `append(${this.id}, ${this.kind}, ${this.count}, t${this.tag})`
}

class RetryCmd implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.last !== undefined
  async run(m: Model, r: Real) {
    await m.last?.apply(m, r)
  }
  toString = () => "retry(last append)"
}

class RaceCmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly id: string,
    readonly tags: readonly [number, number],
    readonly count: number,
  ) {}
  check = () => true
  async run(m: Model, r: Real) {
    const v = logOf(m, this.id).length
    const writers = this.tags.map((t) => pendingFor(neg(this.id), v, `t${t}`, this.count))
    const results = await Effect.runPromise(
      Effect.all(
        writers.map((events) =>
          Effect.either(r.store.append(neg(this.id), events, ExpectedVersion.Exact(v))),
        ),
        { concurrency: "unbounded" },
      ),
    )
    const wrote = results.flatMap((res, i) =>
      Either.isRight(res) && !res.right.duplicate ? [i] : [],
    )
    assert.strictEqual(wrote.length, 1, `exactly one racer writes: ${JSON.stringify(results)}`)
    const winner = wrote[0] ?? 0
    write(m, this.id, writers[winner] ?? [])
    results.forEach((res, i) => {
      if (i === winner) return
      if (this.tags[0] === this.tags[1]) {
        // The same decision twice is one decision: the second is a duplicate.
        assert.isTrue(Either.isRight(res) && res.right.duplicate, JSON.stringify(res))
      } else {
        assert.isTrue(Either.isLeft(res), JSON.stringify(res))
        if (Either.isLeft(res))
          assert.deepInclude(res.left, { _tag: "VersionConflict", actual: v + this.count })
      }
    })
  }
  toString = () => `race(${this.id}, t${this.tags[0]} vs t${this.tags[1]}, ${this.count})`
}

class ReadCmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly id: string,
    readonly from: number | undefined,
    readonly to: number | undefined,
  ) {}
  check = () => true
  async run(m: Model, r: Real) {
    const read = await run(readAll(r.store, neg(this.id), { from: this.from, to: this.to }))
    assert.isTrue(Either.isRight(read))
    if (Either.isLeft(read)) return
    const log = logOf(m, this.id)
    const from = Math.max(1, this.from ?? 1)
    const to = Math.min(log.length, this.to ?? log.length)
    const want = log
      .slice(from - 1, Math.max(from - 1, to))
      .map((eventId, i) => [from + i, eventId])
    assert.deepStrictEqual(
      read.right.map((e) => [e.version, e.eventId]),
      want,
    )
    assert.strictEqual(Either.getOrThrow(await run(r.store.version(neg(this.id)))), log.length)
    assert.deepStrictEqual(Either.getOrThrow(await run(r.store.list)), m.order.map(neg))
  }
  toString = () => `read(${this.id}, ${this.from}..${this.to})`
}

class SubscribeCmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly selector: Selector,
    readonly from: number,
  ) {}
  check = (_: Readonly<Model>) => true
  async run(_: Model, r: Real) {
    const seen: Array<EventEnvelope> = []
    const fiber = Effect.runFork(
      Stream.runForEach(r.store.subscribe(this.selector, this.from), (e) =>
        Effect.sync(() => {
          seen.push(e)
        }),
      ),
    )
    r.subscriptions.push({ selector: this.selector, from: this.from, seen, fiber })
  }
  toString = () => `subscribe(${this.selector}, from ${this.from})`
}

/** What each subscription must have delivered by now, exactly. */
const checkSubscriptions = async (m: Model, r: Real) => {
  const wanted = r.subscriptions.map((sub) =>
    sub.selector === All
      ? m.commits.filter((c) => Number(c.split("@")[1]) >= sub.from)
      : logOf(m, sub.selector)
          .map((_, i) => `${sub.selector}@${i + 1}`)
          .slice(Math.max(0, sub.from - 1)),
  )
  const deadline = Date.now() + 10_000
  while (
    r.subscriptions.some((sub, i) => sub.seen.length < (wanted[i]?.length ?? 0)) &&
    Date.now() < deadline
  )
    await new Promise((resolve) => setTimeout(resolve, 2))
  // A moment more, so that a duplicate delivered late would show.
  if (r.subscriptions.length > 0) await new Promise((resolve) => setTimeout(resolve, 10))
  const byId = new Map(
    [...m.logs].flatMap(([id, log]) => log.map((eventId, i) => [`${id}@${i + 1}`, eventId])),
  )
  r.subscriptions.forEach((sub, i) => {
    assert.deepStrictEqual(
      sub.seen.map((e) => `${e.negotiationId}@${e.version}`),
      wanted[i],
      `subscription ${sub.selector} from ${sub.from}`,
    )
    assert.isTrue(sub.seen.every((e) => byId.get(`${e.negotiationId}@${e.version}`) === e.eventId))
  })
}

class CheckSubscriptionsCmd implements fc.AsyncCommand<Model, Real> {
  check = () => true
  run = checkSubscriptions
  toString = () => "check subscriptions"
}

const idArb = fc.constantFrom(...NEGOTIATIONS)
const commandArbs = [
  fc
    .tuple(
      idArb,
      fc.constantFrom<Kind>("right", "right", "right", "stale", "ahead", "noStream", "any"),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 0, max: 5 }),
    )
    .map(([id, kind, count, tag]) => new AppendCmd(id, kind, count, tag)),
  fc.constant(new RetryCmd()),
  fc
    .tuple(
      idArb,
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
    )
    .map(([id, a, b, count]) => new RaceCmd(id, [a, b], count)),
  fc
    .tuple(
      idArb,
      fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
      fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
    )
    .map(([id, from, to]) => new ReadCmd(id, from, to)),
  fc
    .tuple(fc.constantFrom<Selector>(All, ...NEGOTIATIONS.map(neg)), fc.integer({ min: 1, max: 4 }))
    .map(([selector, from]) => new SubscribeCmd(selector, from)),
  fc.constant(new CheckSubscriptionsCmd()),
]

const runModel = async <E>(
  makeLayer: () => Layer.Layer<EventStore, E>,
  cmds: Iterable<fc.AsyncCommand<Model, Real>>,
) => {
  const scope = Effect.runSync(Scope.make())
  try {
    const context = await Effect.runPromise(Layer.buildWithScope(makeLayer(), scope))
    const real: Real = { store: Context.get(context, EventStore), subscriptions: [] }
    const model: Model = { logs: new Map(), order: [], commits: [], last: undefined }
    await fc.asyncModelRun(() => ({ model, real }), cmds)
    await checkSubscriptions(model, real)
    for (const sub of real.subscriptions) await Effect.runPromise(Fiber.interrupt(sub.fiber))
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}
