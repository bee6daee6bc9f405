/**
 * The projector: follows the event log (catch-up, then live) and publishes
 * every negotiation's derived state for other services on plain NATS.
 *
 * After each event it publishes the new state — exactly `toView(state)` as
 * JSON — on `<prefix>.state.<negotiationId>`, and keeps the latest state of
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
 *   set aside as a {@link ProjectionProblem} (logged, published on
 *   `<prefix>.state-problems`, kept in {@link ProjectionReport}) and its
 *   negotiation stays at its last good state.
 *
 * A restart replays the log up to the checkpoint without publishing (the
 * states are rebuilt in memory, deterministically), then publishes from
 * there; `rebuild` publishes everything again from the start.
 *
 * One projector per prefix at a time: two would interleave their KV writes.
 *
 * @since 0.1.0
 */

import { type KV, Kvm } from "@nats-io/kv"
import {
  type Chunk,
  Deferred,
  Duration,
  Effect,
  Fiber,
  Option,
  Schedule,
  Schema,
  type Scope,
  Stream,
} from "effect"
import { makeProjection, ProjectionProblem, type Stopped } from "../app/Projection.ts"
import { messageOf } from "../domain/Errors.ts"
import type { State } from "../domain/Negotiation.ts"
import { toView } from "../domain/View.ts"
import { Connection } from "../nats/Connection.ts"
import {
  CHECKPOINT_KEY,
  layoutFor,
  type NatsLayout,
  problemsSubject,
  SUMMARY_KEY,
  stateSubject,
  summarySubject,
} from "../nats/Layout.ts"
import {
  type CorruptEvent,
  EventStore,
  type LogEntry,
  type StoreError,
} from "../store/EventStore.ts"
import type { SummaryEntry } from "./StateSchema.ts"

/** How to run the projector. */
export interface ProjectorOptions {
  /** The event log's subject prefix, which the feed's subjects and buckets share. Default `parley`. */
  readonly prefix?: string | undefined
  /** Ignore the checkpoint and publish every state again from the start of the log. */
  readonly rebuild?: boolean | undefined
  /** Longest time between a change and the summary that shows it. Default 250 ms. */
  readonly summaryInterval?: Duration.DurationInput | undefined
  /** How many recent problems the report keeps (all are counted). Default 1,000. */
  readonly keepProblems?: number | undefined
}

/** The projector could not publish, or could not set up its buckets. */
export class ProjectorError extends Schema.TaggedError<ProjectorError>()("ProjectorError", {
  operation: Schema.String,
  problem: Schema.String,
}) {
  override get message() {
    return `projector: ${this.operation} failed: ${this.problem}`
  }
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
  readonly problems: ReadonlyArray<ProjectionProblem>
  /** Every problem met, including those no longer kept. */
  readonly problemCount: number
  /** Negotiations stopped at their last good state by an invalid event. */
  readonly stopped: ReadonlyArray<Stopped>
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

const Checkpoint = Schema.parseJson(Schema.Struct({ position: Schema.Number }))
const decodeCheckpoint = Schema.decodeUnknownOption(Checkpoint)
const encodeProblem = Schema.encodeSync(ProjectionProblem)

const describe = (e: unknown): string => messageOf(e)

/** Opens (creating when missing) the feed's two KV buckets. */
export const openBuckets = (
  nc: Connection["Type"]["nc"],
  layout: NatsLayout,
): Effect.Effect<{ readonly states: KV; readonly projection: KV }, ProjectorError> =>
  Effect.tryPromise({
    try: async () => {
      const kvm = new Kvm(nc)
      const open = async (name: string) => {
        try {
          return await kvm.create(name, { history: 1 })
        } catch {
          return await kvm.open(name)
        }
      }
      return {
        states: await open(layout.stateBucket),
        projection: await open(layout.projectionBucket),
      }
    },
    catch: (e) => new ProjectorError({ operation: "open the KV buckets", problem: describe(e) }),
  })

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
 * NATS), reads the checkpoint and follows the log of the {@link EventStore}
 * in context.
 */
export const make = (
  options: ProjectorOptions = {},
): Effect.Effect<Projector, ProjectorError | StoreError, EventStore | Connection | Scope.Scope> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const { nc } = yield* Connection
    const layout = layoutFor(options.prefix)
    const keep = options.keepProblems ?? 1_000
    const interval = Duration.decode(options.summaryInterval ?? "250 millis")

    let position = 0
    let checkpointed = 0
    let published = 0
    let problemCount = 0
    const problems: Array<ProjectionProblem> = []
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

    const stored =
      options.rebuild === true
        ? Option.none()
        : yield* tryFeed("read the checkpoint", () => kv.projection.get(CHECKPOINT_KEY)).pipe(
            Effect.map((entry) =>
              entry === null || entry.operation !== "PUT"
                ? Option.none()
                : decodeCheckpoint(entry.string()),
            ),
          )
    const resumedAfter = Option.match(stored, { onNone: () => 0, onSome: (c) => c.position })
    checkpointed = resumedAfter
    yield* Effect.logInfo(
      options.rebuild === true
        ? "projector: rebuilding every state from the start of the log"
        : `projector: resuming after log position ${resumedAfter}`,
    )

    // Policy stop: no state derived from an invalid event is ever published.
    const projection = makeProjection({ policy: "stop" })
    /** The latest state of each negotiation, in the order they were first seen; summarised when flushed. */
    const summary = new Map<string, State>()
    let summaryDirty = false
    const remember = (p: ProjectionProblem) => {
      problemCount++
      problems.push(p)
      if (problems.length > keep) problems.splice(0, problems.length - keep)
    }

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
        .put(CHECKPOINT_KEY, JSON.stringify({ position: at }))
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

    const publishChunk = (chunk: Chunk.Chunk<LogEntry>) =>
      Effect.suspend(() => {
        const messages: Array<readonly [string, string]> = []
        const latest = new Map<string, string>()
        const live: Array<ProjectionProblem> = []
        let last = position
        let isLive = false
        // One pair of callbacks per batch, not per commit.
        const handlers = {
          state: (state: State) => {
            const id = state.negotiationId ?? ""
            if (state.negotiationId !== undefined) summary.set(id, state)
            summaryDirty = true
            if (!isLive) return
            const json = JSON.stringify(toView(state))
            messages.push([stateSubject(layout, id), json])
            latest.set(id, json)
          },
          problem: (p: ProjectionProblem) => {
            remember(p)
            if (isLive) live.push(p)
          },
        }
        for (const entry of chunk) {
          isLive = entry.position > resumedAfter
          projection.apply(entry, handlers)
          last = entry.position
        }
        position = last
        if (last <= checkpointed) return Effect.void
        return Effect.zipRight(
          Effect.forEach(live, (p) => Effect.logWarning(p.message), { discard: true }),
          tryFeed("publish states", async () => {
            // Latest first into the KV, then every state on its subject: a watcher
            // that subscribed before reading the KV cannot miss a version.
            if (latest.size > 0)
              await Promise.all(Array.from(latest, ([id, json]) => kv.states.put(id, json)))
            for (const [subject, json] of messages) nc.publish(subject, json)
            for (const p of live)
              nc.publish(problemsSubject(layout), JSON.stringify(encodeProblem(p)))
            published += messages.length
            // After the states, on the same connection: the server has them before it
            // has the checkpoint. The next batch does not wait for its acknowledgement.
            writeCheckpoint(last)
          }),
        )
      })

    // The log's reader hands over every commit already received as one chunk, so
    // commits that arrive while a batch is being published form the next batch:
    // one KV round trip per batch, and no waiting when the log is quiet. (An
    // aggregating stage here only added a fiber hand-off per batch.)
    const loop = store.subscribeLog(1).pipe(Stream.runForEachChunk(publishChunk))
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
        stopped: projection.stopped(),
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
