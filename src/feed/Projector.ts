/**
 * The projector: follows the event log (catch-up, then live) and publishes
 * every negotiation's derived state for other services on plain NATS.
 *
 * After each event it publishes the new state — `toView(state)` as JSON,
 * its offers cut to the latest ones for a long negotiation — on
 * `<prefix>.state.<negotiationId>`, and keeps the latest state of
 * each negotiation in the KV bucket `<prefix>-state` (key: the negotiation
 * id). A summary of every negotiation (status and version) goes to
 * `<prefix>.state-summary` and to key `summary` of the bucket
 * `<prefix>-projection`, at most every `summaryInterval`.
 *
 * Guarantees:
 * - Nothing skipped: each commit's states go out in version order; the
 *   checkpoint (key `checkpoint` of `<prefix>-projection`: the last log
 *   position whose states were published) is written only after they were
 *   sent, so a restart resumes at or before the first unpublished state.
 * - Duplicates recognisable: a state carries its version; one published
 *   twice (after a restart) is the same JSON with the same version.
 * - The KV is written before the subject, per commit batch and only with the
 *   latest state of each negotiation (coalesced: one put per negotiation per
 *   batch, not per event). A watcher that subscribes to the subject and then
 *   reads the KV therefore misses no version.
 * - Invalid input never stops it: a corrupt commit or an impossible event is
 *   set aside as a {@link FeedProblem} (logged, published on
 *   `<prefix>.state-problems`, kept in {@link ProjectionReport}) and its
 *   negotiation stays at its last good state. So is a message that makes
 *   reading or folding throw (nested too deep, a value the fold cannot
 *   handle): a commit the log's reader cannot decode is found by reading the
 *   messages after the last one projected one by one, reported, and the log
 *   followed again after it; a commit whose fold throws sets its negotiation
 *   aside ({@link FoldFailed}). Every other negotiation goes on.
 * - States of any length: a long negotiation's state lists its latest
 *   offers only, with the counts of all of them (`./Window.ts`), cut further
 *   when it would not fit in one message of the server (its `max_payload`);
 *   one that never fits is reported ({@link StateTooLarge}), not published.
 *   A batch is published in parts of at most {@link PART_BYTES}, so what is
 *   held to publish it is bounded too.
 * - The checkpoint names the stream it is a position of (`./Checkpoint.ts`):
 *   one past the end of the stream, from another incarnation of it, or
 *   unreadable, is reported ({@link CheckpointRejected}) and the projector
 *   rebuilds from the start, clearing the states stored from before.
 *
 * A restart replays the log up to the checkpoint without publishing (the
 * states are rebuilt in memory, deterministically), then publishes from
 * there; `rebuild` publishes everything again from the start.
 *
 * One projector per prefix at a time: two would interleave their KV writes.
 *
 * @since 0.1.0
 */

import { jetstreamManager } from "@nats-io/jetstream"
import {
  Chunk,
  Deferred,
  Duration,
  Effect,
  Either,
  Fiber,
  Schedule,
  Schema,
  type Scope,
  Stream,
} from "effect"
import { AfterInvalid, makeProjection, type Stopped } from "../app/Projection.ts"
import { messageOf } from "../domain/Errors.ts"
import type { EventEnvelope } from "../domain/Event.ts"
import type { State } from "../domain/Negotiation.ts"
import { Connection } from "../nats/Connection.ts"
import {
  CHECKPOINT_KEY,
  eventSubjects,
  layoutFor,
  problemsSubject,
  SUMMARY_KEY,
  stateSubject,
  summarySubject,
} from "../nats/Layout.ts"
import { CorruptEvent, EventStore, type LogEntry, type StoreError } from "../store/EventStore.ts"
import * as CommitCodec from "../store/nats/CommitCodec.ts"
import { clearStates, openBuckets, ProjectorError } from "./Buckets.ts"
import * as Checkpoint from "./Checkpoint.ts"
import { CheckpointRejected, FeedProblem, FoldFailed, StateTooLarge, thrown } from "./Problems.ts"
import type { SummaryEntry } from "./StateSchema.ts"
import { fitView, Tallies } from "./Window.ts"

export { openBuckets, ProjectorError }

/** Room left in a message for what is not the state (headers of a KV put). */
const HEADROOM = 4_096

/** The most state JSON held at once to publish a batch; a larger batch goes out in parts. */
export const PART_BYTES = 2_000_000

/** How many messages after the last one projected are read one by one to find one that cannot be read. */
const SCAN = 2_000

/** How to run the projector. */
export interface ProjectorOptions {
  /** The event log's subject prefix, which the feed's subjects and buckets share. Default `parley`. */
  readonly prefix?: string | undefined
  /** The event log's stream, when the store was told one. Default: the prefix's (`PARLEY`). */
  readonly stream?: string | undefined
  /** Ignore the checkpoint and publish every state again from the start of the log. */
  readonly rebuild?: boolean | undefined
  /** Longest time between a change and the summary that shows it. Default 250 ms. */
  readonly summaryInterval?: Duration.DurationInput | undefined
  /** How many recent problems the report keeps (all are counted). Default 1,000. */
  readonly keepProblems?: number | undefined
}

/** What the projector has done so far. */
export interface ProjectionReport {
  /** The last log position projected (replayed or published). */
  readonly position: number
  /** The last log position recorded in the checkpoint. */
  readonly checkpoint: number
  /** Where this run started publishing: states at positions after it are published. */
  readonly resumedAfter: number
  /** States published by this run. */
  readonly published: number
  /** The most recent problems, oldest first. */
  readonly problems: ReadonlyArray<FeedProblem>
  /** Every problem met, including those no longer kept. */
  readonly problemCount: number
  /** Negotiations stopped at their last good state by an invalid event, or set aside by one whose fold failed. */
  readonly stopped: ReadonlyArray<Stopped>
  /** The largest state published by this run, in bytes. */
  readonly largestState: number
}

/** A running projector. */
export interface Projector {
  /** A snapshot of what it has done. */
  readonly report: Effect.Effect<ProjectionReport>
  /** Waits until the log up to `position` is projected and checkpointed. */
  readonly awaitCheckpoint: (position: number) => Effect.Effect<void>
  /** Waits for it to fail (it never ends otherwise). */
  readonly join: Effect.Effect<never, ProjectorError | StoreError | CorruptEvent>
}

const encodeProblem = Schema.encodeSync(FeedProblem)

const describe = (e: unknown): string => messageOf(e)

const summaryEntry = (state: State): SummaryEntry | undefined =>
  state.negotiationId === undefined
    ? undefined
    : {
        negotiationId: state.negotiationId,
        title: state.title,
        status: state.status,
        version: state.version,
        updatedAt: state.updatedAt ?? null,
      }

/**
 * Starts the projector in the current scope: opens the buckets on the
 * {@link Connection} in context (shared with the event log when it is on
 * NATS), reads and checks the checkpoint and follows the log of the
 * {@link EventStore} in context.
 */
export const make = (
  options: ProjectorOptions = {},
): Effect.Effect<Projector, ProjectorError | StoreError, EventStore | Connection | Scope.Scope> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const { nc } = yield* Connection
    const layout = layoutFor(options.prefix)
    const streamName = options.stream ?? layout.eventStream
    const keep = options.keepProblems ?? 1_000
    const interval = Duration.decode(options.summaryInterval ?? "250 millis")
    /** The most bytes a published state may have: the server's max_payload, less headers. */
    const limit = (nc.info?.max_payload ?? 1_048_576) - HEADROOM

    let position = 0
    let checkpointed = 0
    let published = 0
    let problemCount = 0
    let largestState = 0
    const problems: Array<FeedProblem> = []
    // Runs last: after the final summary went out (finalizers run in reverse order).
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() =>
        Effect.logInfo(
          `projector stopped at log position ${position} (checkpoint ${checkpointed})`,
        ),
      ),
    )
    const kv = yield* openBuckets(nc, layout)
    const tryFeed = <A>(operation: string, f: () => Promise<A>) =>
      Effect.tryPromise({
        try: f,
        catch: (e) => new ProjectorError({ operation, problem: describe(e) }),
      })
    const remember = (p: FeedProblem) => {
      problemCount++
      problems.push(p)
      if (problems.length > keep) problems.splice(0, problems.length - keep)
    }
    const publishProblem = (p: FeedProblem) =>
      nc.publish(problemsSubject(layout), JSON.stringify(encodeProblem(p)))

    const jsm = yield* tryFeed("open JetStream", () => jetstreamManager(nc))
    const info = yield* tryFeed(`read stream ${streamName}`, () => jsm.streams.info(streamName))
    const identity: Checkpoint.StreamIdentity = { name: streamName, created: info.created }
    const codec = CommitCodec.make(streamName, layout)

    const stored =
      options.rebuild === true
        ? undefined
        : yield* tryFeed("read the checkpoint", () => kv.projection.get(CHECKPOINT_KEY)).pipe(
            Effect.map((entry) =>
              entry === null || entry.operation !== "PUT" ? undefined : entry.string(),
            ),
          )
    const checked =
      stored === undefined
        ? Either.right(0)
        : Checkpoint.check(stored, { ...identity, lastSeq: info.state.last_seq })
    if (Either.isLeft(checked)) {
      const rejected = new CheckpointRejected(checked.left)
      remember(rejected)
      yield* Effect.logWarning(`projector: ${rejected.message}`)
      const cleared = yield* tryFeed("clear the stored states", () => clearStates(kv.states))
      yield* Effect.logWarning(`projector: cleared ${cleared} states stored from before`)
      publishProblem(rejected)
    }
    const resumedAfter = Either.getOrElse(checked, () => 0)
    checkpointed = resumedAfter
    yield* Effect.logInfo(
      options.rebuild === true
        ? "projector: rebuilding every state from the start of the log"
        : `projector: resuming after log position ${resumedAfter}`,
    )

    // Policy stop: no state derived from an invalid event is ever published.
    const projection = makeProjection({ policy: "stop" })
    /** Negotiations set aside because folding one of their commits threw. */
    const setAside = new Map<string, Stopped>()
    const tallies = new Tallies()
    /** The latest state of each negotiation, in the order they were first seen; summarised when flushed. */
    const summary = new Map<string, State>()
    let summaryDirty = false

    const flushSummary = Effect.suspend(() => {
      if (!summaryDirty) return Effect.void
      summaryDirty = false
      const negotiations: Array<SummaryEntry> = []
      for (const state of summary.values()) {
        const item = summaryEntry(state)
        if (item !== undefined) negotiations.push(item)
      }
      const json = JSON.stringify({ position, negotiations })
      return tryFeed("publish the summary", async () => {
        nc.publish(summarySubject(layout), json)
        await kv.projection.put(SUMMARY_KEY, json)
      })
    })
    const summaryLock = yield* Effect.makeSemaphore(1)
    const flushSummaryOnce = summaryLock.withPermits(1)(flushSummary)

    /** Checkpoint writes not yet acknowledged; a failed one stops the projector. */
    const checkpointing = new Set<Promise<void>>()
    const checkpointFailed = yield* Deferred.make<never, ProjectorError>()
    const writeCheckpoint = (at: number) => {
      const write: Promise<void> = kv.projection
        .put(CHECKPOINT_KEY, Checkpoint.encode(at, identity))
        .then(
          () => {
            // Writes on one connection are stored in order: the latest position wins.
            if (at > checkpointed) checkpointed = at
          },
          (e: unknown) => {
            Deferred.unsafeDone(
              checkpointFailed,
              Effect.fail(
                new ProjectorError({ operation: "write the checkpoint", problem: describe(e) }),
              ),
            )
          },
        )
        .finally(() => checkpointing.delete(write))
      checkpointing.add(write)
    }

    // What a batch has made and not yet published: sent in parts of at most PART_BYTES.
    let messages: Array<readonly [string, string]> = []
    let latest = new Map<string, string>()
    let live: Array<FeedProblem> = []
    let held = 0
    let isLive = false
    let at = 0
    const handlers = {
      state: (state: State, envelope: EventEnvelope) => {
        tallies.observe(state, envelope)
        const id = state.negotiationId ?? ""
        if (state.negotiationId !== undefined) summary.set(id, state)
        summaryDirty = true
        if (!isLive) return
        const fitted = fitView(tallies, state, limit)
        if (fitted === undefined) {
          const bytes = Buffer.byteLength(JSON.stringify(tallies.view(state, 0)))
          handlers.problem(
            new StateTooLarge({
              position: at,
              negotiationId: id,
              version: state.version,
              bytes,
              limit,
            }),
          )
          return
        }
        if (fitted.bytes > largestState) largestState = fitted.bytes
        messages.push([stateSubject(layout, id), fitted.json])
        latest.set(id, fitted.json)
        held += fitted.bytes
      },
      problem: (p: FeedProblem) => {
        remember(p)
        if (isLive) live.push(p)
      },
    }

    /** Sets a negotiation aside after folding one of its commits threw. */
    const setNegotiationAside = (id: string, entry: LogEntry, e: unknown) => {
      const lastGoodVersion = summary.get(id)?.version ?? 0
      setAside.set(id, { negotiationId: id, lastGoodVersion, position: entry.position })
      tallies.forget(id)
      handlers.problem(
        new FoldFailed({
          position: entry.position,
          location: `log position ${entry.position}`,
          negotiationId: id,
          problem: thrown(e),
          lastGoodVersion,
        }),
      )
    }

    /** Projects one entry: never throws; a negotiation set aside gets nothing more. */
    const projectEntry = (entry: LogEntry) => {
      at = entry.position
      isLive = entry.position > resumedAfter
      const id = entry._tag === "Commit" ? entry.envelopes[0]?.negotiationId : entry.negotiationId
      const aside = id === undefined ? undefined : setAside.get(id)
      if (aside !== undefined && entry._tag === "Commit") {
        for (const envelope of entry.envelopes)
          handlers.problem(
            new AfterInvalid({
              position: entry.position,
              location: `log position ${entry.position}`,
              negotiationId: aside.negotiationId,
              version: envelope.version,
              stoppedAt: aside.position,
              lastGoodVersion: aside.lastGoodVersion,
            }),
          )
        return
      }
      try {
        projection.apply(entry, handlers)
      } catch (e) {
        setNegotiationAside(id ?? "", entry, e)
      }
    }

    /** Publishes what the batch made so far, checkpointing the log up to `last`. */
    const publishPart = (last: number) =>
      Effect.suspend(() => {
        const out = messages
        const newest = latest
        const problemsOut = live
        messages = []
        latest = new Map()
        live = []
        held = 0
        if (last <= checkpointed) return Effect.void
        return Effect.zipRight(
          Effect.forEach(problemsOut, (p) => Effect.logWarning(p.message), { discard: true }),
          tryFeed("publish states", async () => {
            // Latest first into the KV, then every state on its subject: a watcher
            // that subscribed before reading the KV cannot miss a version.
            if (newest.size > 0)
              await Promise.all(Array.from(newest, ([id, json]) => kv.states.put(id, json)))
            for (const [subject, json] of out) nc.publish(subject, json)
            for (const p of problemsOut) publishProblem(p)
            published += out.length
            // After the states, on the same connection: the server has them before it
            // has the checkpoint. The next batch does not wait for its acknowledgement.
            writeCheckpoint(last)
          }),
        )
      })

    const publishChunk = (chunk: Chunk.Chunk<LogEntry>) =>
      Effect.gen(function* () {
        for (const entry of chunk) {
          projectEntry(entry)
          position = entry.position
          // A long batch of large states goes out in parts: what is held stays bounded.
          if (held >= PART_BYTES) yield* publishPart(position)
        }
        yield* publishPart(position)
      })

    /**
     * After reading the log threw (a message the reader cannot decode): reads
     * the messages after the last one projected one by one, projects them,
     * reports the one that throws as unreadable and follows the log again
     * after it. When none throws, the failure was not a message's: it stands.
     */
    const recover = (defect: unknown): Effect.Effect<void, StoreError | ProjectorError> =>
      Effect.gen(function* () {
        yield* Effect.logWarning(
          `projector: reading the log after position ${position} failed (${thrown(defect)}); reading on message by message`,
        )
        for (let i = 0; i < SCAN; i++) {
          const m = yield* tryFeed("read the log", () =>
            jsm.direct.getMessage(streamName, {
              next_by_subj: eventSubjects(layout),
              seq: position + 1,
            }),
          )
          if (m === null) break
          let entry: LogEntry
          let poison = false
          try {
            entry = codec.entryOf(m)
          } catch (e) {
            poison = true
            entry = {
              _tag: "Unreadable",
              position: m.seq,
              negotiationId: codec.idOfSubject(m.subject),
              error: new CorruptEvent({
                location: `stream ${streamName} sequence ${m.seq}`,
                problem: `cannot be decoded (${thrown(e)})`,
              }),
            }
          }
          yield* publishChunk(Chunk.of(entry))
          if (poison) return yield* follow(m.seq + 1)
        }
        return yield* Effect.die(defect)
      })

    // The log's reader hands over every commit already received as one chunk, so
    // commits that arrive while a batch is being published form the next batch:
    // one KV round trip per batch, and no waiting when the log is quiet. (An
    // aggregating stage here only added a fiber hand-off per batch.)
    const follow = (from: number): Effect.Effect<void, StoreError | ProjectorError> =>
      store
        .subscribeLog(from)
        .pipe(Stream.runForEachChunk(publishChunk), Effect.catchAllDefect(recover))
    const loop = follow(1)
    const summaries = flushSummaryOnce.pipe(
      Effect.repeat(Schedule.spaced(interval)),
      Effect.zipRight(Effect.never),
    )
    const fiber = yield* Effect.forkScoped(
      Effect.raceFirst(
        Effect.raceFirst(loop.pipe(Effect.zipRight(Effect.never)), summaries),
        Deferred.await(checkpointFailed),
      ),
    )
    // The last summary goes out before the connection drains.
    yield* Effect.addFinalizer(() => Effect.ignore(flushSummaryOnce))
    // Before it, the checkpoint writes in flight are acknowledged (finalizers run in reverse).
    yield* Effect.addFinalizer(() =>
      Effect.promise(() => Promise.allSettled([...checkpointing])).pipe(
        Effect.timeout("2 seconds"),
        Effect.ignore,
      ),
    )

    const report = Effect.sync(
      (): ProjectionReport => ({
        position,
        checkpoint: checkpointed,
        resumedAfter,
        published,
        problems: [...problems],
        problemCount,
        stopped: [...projection.stopped(), ...setAside.values()],
        largestState,
      }),
    )
    return {
      report,
      awaitCheckpoint: (target) =>
        Effect.repeat(
          Effect.sync(() => checkpointed >= target),
          { until: (done) => done, schedule: Schedule.spaced("5 millis") },
        ).pipe(Effect.asVoid),
      join: Fiber.join(fiber) as Effect.Effect<never, ProjectorError | StoreError | CorruptEvent>,
    }
  })

/** Runs the projector until it is interrupted (or fails). */
export const run = (
  options: ProjectorOptions = {},
): Effect.Effect<never, ProjectorError | StoreError | CorruptEvent, EventStore | Connection> =>
  Effect.scoped(Effect.flatMap(make(options), (projector) => projector.join))
