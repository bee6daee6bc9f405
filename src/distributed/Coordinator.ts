/**
 * The coordinator of a distributed batch: it splits the batch into work
 * items (contiguous ranges of runs, or of a tournament's plan), queues the
 * items no earlier submission has finished or still holds, and follows the
 * results until every item is accounted for — one result per item, however
 * often it was delivered, so each run counts exactly once.
 *
 * The batch id derives from the batch's definition (`batchIdOf`): the same
 * command run again, after the coordinator was killed, finds the results
 * already published, queues only what is missing and neither reruns nor
 * loses a run. An item that ran out of deliveries is reported with its
 * error (by the worker that saw it fail last, or, when workers died on it,
 * from the server's max-deliveries advisory — or, when that went out while
 * no coordinator listened, from the item's last claim: see `exhausted`), and
 * the batch fails naming it.
 *
 * One file: the coordination loop keeps the batch's state (the items queued,
 * the results seen, the watch for exhausted items) in the one closure of
 * `coordinate`, and the entry points below only define a batch for it.
 *
 * @since 0.3.0
 */

import { randomUUID } from "node:crypto"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { type ConfigError, Effect, Either, Schema } from "effect"
import { messageOf } from "../domain/Errors.ts"
import * as Connection from "../nats/Connection.ts"
import {
  batchRecordSubjects,
  batchSubject,
  batchWorkSubjects,
  itemOfWorkSubject,
  layoutFor,
  malformedSubject,
  maxDeliveriesAdvisory,
  workSubject,
} from "../nats/Layout.ts"
import type { ScenarioError } from "../scenario/Load.ts"
import type { Batch, RunOutcome } from "../simulation/Batch.ts"
import type { StoreError } from "../store/EventStore.ts"
import { StreamMismatch } from "../store/nats/LogStream.ts"
import type { Tournament } from "../tournament/Definition.ts"
import type { PlannedNegotiation } from "../tournament/Plan.ts"
import type { NegotiationResult } from "../tournament/Result.ts"
import { exhausted, exhaustedError, lastClaims, type Stored } from "./Batches.ts"
import type { ItemFailure, ItemResult, WorkItem } from "./Item.ts"
import {
  ItemFailure as ItemFailureSchema,
  ItemResult as ItemResultSchema,
  type MalformedMessage,
  MaxDeliveriesAdvisory,
  messageDecoder,
  signedDecoder,
} from "./Messages.ts"
import {
  batchIdOf,
  ensureQueue,
  MAX_MALFORMED,
  MAX_MESSAGE_BYTES,
  recordMsgId,
  workMsgId,
} from "./Queue.ts"
import {
  coversItem,
  decoder,
  itemsOn,
  json,
  rangeOf,
  type Spec,
  sameItem,
  signedPublisher,
} from "./Records.ts"
import { monteCarloCheck, ResultDiffers, tournamentCheck } from "./Sample.ts"
import { signedHeaders, type WorkKeyInvalid, workKey } from "./Sign.ts"
import { travellingBatch, travellingTournament } from "./Travel.ts"

/** Some items of a batch failed on every delivery. */
export class BatchFailed extends Schema.TaggedError<BatchFailed>()("BatchFailed", {
  batch: Schema.String,
  failures: Schema.Array(Schema.Struct({ item: Schema.Number, error: Schema.String })),
}) {
  override get message() {
    const shown = this.failures.slice(0, 5).map((f) => `item ${f.item}: ${f.error}`)
    return `batch ${this.batch}: ${this.failures.length} item(s) failed on every delivery (${shown.join("; ")}${this.failures.length > 5 ? "; ..." : ""}); see parley batches`
  }
}

/** The coordinator's watch over the batch's streams failed (a request to the server, a subscription). */
export class CoordinationFailed extends Schema.TaggedError<CoordinationFailed>()(
  "CoordinationFailed",
  { batch: Schema.String, problem: Schema.String, cause: Schema.optional(Schema.Defect) },
) {
  override get message() {
    return `distributed batch ${this.batch}: ${this.problem}`
  }
}

/**
 * What a distributed batch can fail with: the connection's settings and the
 * NATS server, the batch's scenario as it travels, items that failed on
 * every delivery ({@link BatchFailed}), the coordinator's own watch over
 * the streams ({@link CoordinationFailed}), the work key (missing or too
 * short), streams set up by someone else with settings that lose work
 * ({@link StreamMismatch}), or a worker's result that differs from the
 * coordinator's own play of a sampled run ({@link ResultDiffers}).
 */
export type DistributedError =
  | ConfigError.ConfigError
  | StoreError
  | ScenarioError
  | BatchFailed
  | CoordinationFailed
  | WorkKeyInvalid
  | StreamMismatch
  | ResultDiffers

/** How a batch is spread over workers. */
export interface DistributedOptions {
  readonly nats: string
  /** Runs (or negotiations) per work item. */
  readonly chunk?: number | undefined
  /** Keep each run's event log on the event stream (the workers' server). */
  readonly keepLogs?: boolean | undefined
  /** Called once with the batch id, and whether results were already published. */
  readonly onBatch?: ((batch: string, resumed: number) => void) | undefined
  /** Called for each message of the batch that is not what its subject promises (it is set aside). */
  readonly onMalformed?: ((problem: MalformedMessage) => void) | undefined
  /** Runs (or negotiations) of each item the coordinator plays again itself (`Sample.ts`; default 1, 0: none). */
  readonly sample?: number | undefined
}

/** What the batch definition message says, for `parley batches`. */
export interface BatchHeader {
  readonly batch: string
  readonly kind: WorkItem["kind"]
  readonly title: string
  readonly total: number
  readonly items: number
  readonly created: string
}

const decodeAdvisory = messageDecoder(MaxDeliveriesAdvisory)

/** How often the coordinator looks again at items whose malformed record was set aside while a worker held them. */
const WATCH_EVERY_MS = 2_000

/** Queues what is missing of `spec` and calls `onResult` once per item until all are in. */
const coordinate = (
  spec: Spec,
  options: DistributedOptions,
  onResult: (result: ItemResult) => void,
) =>
  Effect.gen(function* () {
    const settings = yield* Connection.optionsAt(options.nats)
    const { nc } = yield* Connection.connect({
      ...settings,
      name: `parley coordinator ${spec.batch}`,
    })
    const layout = layoutFor(settings.prefix)
    const { workStream, batchStream } = layout
    const items = Math.ceil(spec.total / spec.chunk)
    const key = yield* workKey
    const decodeResult = signedDecoder(
      key,
      messageDecoder(ItemResultSchema, (r, subject) => sameItem(r, subject) ?? coversItem(spec, r)),
      (r) => `worker ${r.worker}`,
    )
    const decodeFailure = signedDecoder(
      key,
      messageDecoder(ItemFailureSchema, sameItem),
      (f) => `worker ${f.worker}`,
    )
    const failures = yield* Effect.tryPromise({
      try: async () => {
        const jsm = await jetstreamManager(nc)
        const js = jetstream(nc)
        await ensureQueue(jsm, layout)
        const b = spec.batch
        const publish = signedPublisher(js, key)
        const failed = new Map<number, string>()
        const done = new Set<number>()
        // Workers died on an item as often as it may be delivered: report it failed.
        const advisories = nc.subscribe(maxDeliveriesAdvisory(layout), {
          callback: (_e, m) => {
            void (async () => {
              const advisory = decodeAdvisory(m.subject, 0, m.data)
              if (Either.isLeft(advisory)) return options.onMalformed?.(advisory.left)
              const { stream_seq: seq, deliveries } = advisory.right
              const stored = await jsm.streams.getMessage(workStream, { seq })
              const item =
                stored === null ? undefined : itemOfWorkSubject(layout, b, stored.subject)
              if (item === undefined) return
              await publish(
                batchSubject(layout, b, "failed", item),
                {
                  batch: b,
                  item,
                  worker: "(none: every delivery ended without an ack)",
                  deliveries,
                  error: exhaustedError(deliveries),
                } satisfies ItemFailure,
                recordMsgId(b, "failed", item, seq),
              )
              await jsm.streams.deleteMessage(workStream, seq).catch(() => false)
            })().catch(() => undefined)
          },
        })
        const header: BatchHeader = {
          batch: b,
          kind: spec.kind,
          title: spec.title,
          total: spec.total,
          items,
          created: new Date().toISOString(),
        }
        await publish(batchSubject(layout, b, "def"), header, `${b}.def`)
        /**
         * A message of the batch that is not what its subject promises is
         * reported, recorded on the malformed subject with its first bytes
         * (`parley batches` lists it, as it lists garbage a worker set aside
         * from the work subject) and removed from the batch stream, so that
         * no later reader takes its subject for a finished item.
         */
        const setAside = async (problem: MalformedMessage, message: Stored) => {
          options.onMalformed?.(problem)
          await publish(
            malformedSubject(layout),
            {
              subject: message.subject,
              seq: message.seq,
              worker: `coordinator of ${b}`,
              problem: problem.message,
              data: decoder.decode(message.data.slice(0, 500)),
            },
            `malformed.${batchStream}.${message.seq}`,
          )
          await jsm.streams.deleteMessage(batchStream, message.seq, false).catch(() => false)
        }
        const queue = async (item: number, msgID = workMsgId(b, item)) => {
          const work: WorkItem = {
            batch: b,
            item,
            kind: spec.kind,
            seed: spec.seed,
            ...rangeOf(spec, item),
            keepLogs: spec.keepLogs,
            payload: spec.payload,
          }
          const subject = workSubject(layout, b, item)
          const data = json(work)
          if (data.length > MAX_MESSAGE_BYTES)
            throw new Error(
              `a work item of batch ${b} is ${data.length} bytes, more than ${MAX_MESSAGE_BYTES}: the scenario is too large to travel`,
            )
          const ack = await js.publish(subject, data, {
            msgID,
            headers: signedHeaders(key, subject, data),
          })
          if (!ack.duplicate) return
          // Deduplicated: queued already by an earlier submission, unless another party
          // published first under the id this one uses (ids are predictable). Then the stored
          // message is not ours, and ours goes out under an id nobody can know beforehand.
          const stored = await jsm.streams
            .getMessage(workStream, { seq: ack.seq })
            .catch(() => null)
          if (stored !== null && decoder.decode(stored.data) === decoder.decode(data)) return
          await js.publish(subject, data, {
            msgID: `${msgID}.${randomUUID()}`,
            headers: signedHeaders(key, subject, data),
          })
        }
        /** Items whose malformed record (at the sequence held) was set aside while they were on the work stream. */
        const watched = new Map<number, number>()
        /** How often each item's record was set aside as malformed (see `MAX_MALFORMED`). */
        const malformed = new Map<number, number>()
        let checks: Promise<unknown> = Promise.resolve()
        const serially = (check: () => Promise<unknown>) => {
          const next = checks.then(check)
          checks = next.catch(() => undefined)
          return next
        }
        const watch = () =>
          serially(async () => {
            for (const [item, seq] of [...watched]) await requeueIfLost(item, seq)
          }).catch(() => undefined)
        /**
         * After a malformed record of `item` (at `seq`) was set aside: the
         * item is queued again unless something else will still account for
         * it — the item is on the work stream (queued, or held by a worker,
         * which publishes its result before it acks), or a record of it
         * came after the malformed one. A worker acks only after its result
         * is stored, so looking at the work stream first leaves no gap.
         * Counting stays exactly once: a second result of an item is ignored.
         *
         * An item still on the work stream is watched: the worker holding it
         * may have published the malformed record itself and ack it next,
         * and then nothing else would queue it. Every `WATCH_EVERY_MS`
         * (`watch`) it is looked at again, until it has left the work stream
         * (then queued, unless a later record accounts for it) or a record
         * of it was counted. Checks run one at a time (`serially`), so the
         * timer and the consume loop never queue the same item twice.
         */
        const requeueIfLost = async (item: number, seq: number) => {
          if (done.has(item)) {
            watched.delete(item)
            return
          }
          if ((await itemsOn(jsm, workStream, workSubject(layout, b, item))).size > 0) {
            watched.set(item, seq)
            return
          }
          for (const what of ["result", "failed"] as const) {
            const last = await jsm.streams.getMessage(batchStream, {
              last_by_subj: batchSubject(layout, b, what, item),
            })
            if (last !== null && last.seq > seq) {
              watched.delete(item)
              return
            }
          }
          await queue(item, `${workMsgId(b, item)}.after.${seq}`)
          watched.delete(item)
        }
        /**
         * An item whose record came back malformed `MAX_MALFORMED` times is
         * recorded as failed, naming the last problem (subject, field and
         * what is wrong), the way an item that ran out of deliveries is: the
         * batch then ends with `BatchFailed` naming it.
         */
        const giveUp = async (item: number, problem: MalformedMessage, times: number) => {
          watched.delete(item)
          await publish(
            batchSubject(layout, b, "failed", item),
            {
              batch: b,
              item,
              worker: `coordinator of ${b}`,
              deliveries: times,
              error: `its record was malformed ${times} times; the last: ${problem.message}`,
            } satisfies ItemFailure,
            `${b}.failed.${item}.malformed`,
          )
        }
        const finished = new Set([
          ...(await itemsOn(jsm, batchStream, batchRecordSubjects(layout, b, "result"))),
          ...(await itemsOn(jsm, batchStream, batchRecordSubjects(layout, b, "failed"))),
        ])
        // Items whose last delivery's worker died while no coordinator heard the advisory.
        for (const c of await lastClaims(js, jsm, layout, b, finished, setAside, key)) {
          if (!exhausted(c, Date.now())) continue
          await publish(
            batchSubject(layout, b, "failed", c.item),
            {
              batch: b,
              item: c.item,
              worker: c.worker,
              deliveries: c.delivery,
              error: exhaustedError(c.delivery),
            } satisfies ItemFailure,
            `${b}.failed.${c.item}`,
          )
        }
        options.onBatch?.(b, finished.size)
        const queued = await itemsOn(jsm, workStream, batchWorkSubjects(layout, b))
        for (let item = 0; item < items; item++) {
          if (finished.has(item) || queued.has(item)) continue
          await queue(item)
        }
        const consumer = await js.consumers.get(batchStream, {
          filter_subjects: batchRecordSubjects(layout, b),
        })
        const messages = await consumer.consume()
        const watching = setInterval(watch, WATCH_EVERY_MS)
        try {
          for await (const m of messages) {
            const parts = m.subject.split(".")
            if (parts[3] !== "result" && parts[3] !== "failed") continue
            const item = Number(parts[4])
            if (done.has(item) || !(item >= 0 && item < items)) continue
            const record: Either.Either<
              { failure: ItemFailure } | { result: ItemResult },
              MalformedMessage
            > =
              parts[3] === "failed"
                ? Either.map(decodeFailure(m.subject, m.seq, m.data, m.headers), (f) => ({
                    failure: f,
                  }))
                : Either.map(decodeResult(m.subject, m.seq, m.data, m.headers), (r) => ({
                    result: r,
                  }))
            if (Either.isLeft(record)) {
              await setAside(record.left, m)
              // A refused (forged) record is not the workers' doing: it never counts towards giving up.
              const times = (malformed.get(item) ?? 0) + (record.left.forged === true ? 0 : 1)
              malformed.set(item, times)
              const problem = record.left
              await serially(() =>
                times >= MAX_MALFORMED ? giveUp(item, problem, times) : requeueIfLost(item, m.seq),
              )
              continue
            }
            if ("result" in record.right && spec.check !== undefined) {
              const differs = await spec.check(record.right.result, rangeOf(spec, item))
              if (differs !== undefined) throw differs
            }
            done.add(item)
            watched.delete(item)
            if ("failure" in record.right) failed.set(item, record.right.failure.error)
            else onResult(record.right.result)
            if (done.size === items) break
          }
        } finally {
          clearInterval(watching)
          await checks
          messages.stop()
          advisories.unsubscribe()
        }
        return [...failed].map(([item, error]) => ({ item, error }))
      },
      catch: (cause) =>
        cause instanceof ResultDiffers || cause instanceof StreamMismatch
          ? cause
          : new CoordinationFailed({ batch: spec.batch, problem: messageOf(cause), cause }),
    })
    if (failures.length > 0) return yield* new BatchFailed({ batch: spec.batch, failures })
  }).pipe(Effect.scoped)

/** What identifies a distributed Monte Carlo batch: its travelling form, chunking and id. */
export const monteCarloDefinition = (
  batch: Batch,
  options: {
    readonly seed: number
    readonly runs: number
    readonly chunk?: number | undefined
    readonly keepLogs?: boolean | undefined
  },
) =>
  Effect.map(travellingBatch(batch), (payload) => {
    const chunk = options.chunk ?? 100
    const keepLogs = options.keepLogs ?? false
    const definition = { payload, seed: options.seed, runs: options.runs, chunk, keepLogs }
    return { payload, chunk, keepLogs, batch: batchIdOf("mc", definition) }
  })

/** Where a Monte Carlo batch's outcomes come from when it runs on workers. */
export const distributedRuns = (
  batch: Batch,
  options: DistributedOptions & {
    readonly seed: number
    readonly runs: number
    readonly onOutcomes: (outcomes: ReadonlyArray<RunOutcome>) => void
  },
): Effect.Effect<void, DistributedError> =>
  Effect.gen(function* () {
    const { payload, chunk, keepLogs, batch: id } = yield* monteCarloDefinition(batch, options)
    yield* coordinate(
      {
        batch: id,
        kind: "montecarlo",
        title: batch.base.compiled.scenario.title,
        total: options.runs,
        chunk,
        seed: options.seed,
        keepLogs,
        payload,
        check: monteCarloCheck(batch, options.seed, options.sample),
      },
      options,
      (r) => options.onOutcomes(r.outcomes ?? []),
    )
  })

/** Where a tournament's results come from when it runs on workers. */
export const distributedTournament = (
  tournament: Tournament,
  plan: ReadonlyArray<PlannedNegotiation>,
  options: DistributedOptions & {
    readonly onResult: (index: number, result: NegotiationResult) => void
  },
): Effect.Effect<void, DistributedError> =>
  Effect.gen(function* () {
    const payload = yield* travellingTournament(tournament)
    const chunk = options.chunk ?? 10
    const keepLogs = options.keepLogs ?? false
    const definition = { payload, chunk, keepLogs }
    yield* coordinate(
      {
        batch: batchIdOf("tn", definition),
        kind: "tournament",
        title: tournament.definition.id,
        total: plan.length,
        chunk,
        seed: tournament.definition.seed,
        keepLogs,
        payload,
        check: tournamentCheck(tournament, plan, options.sample),
      },
      options,
      (r) => {
        for (const { index, result } of r.results ?? []) options.onResult(index, result)
      },
    )
  })
