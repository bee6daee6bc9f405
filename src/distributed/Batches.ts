/**
 * What `parley batches` shows: every distributed batch on the server, with
 * its progress (items done, failed, queued), the failed items and their
 * errors, the workers holding items right now (the last claim of every item
 * that has no result yet), and the messages set aside as malformed.
 *
 * @since 0.3.0
 */
import {
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream"
import { Effect } from "effect"
import { messageOf } from "../domain/Errors.ts"
import * as Connection from "../store/nats/Connection.ts"
import type { BatchHeader } from "./Coordinator.ts"
import type { ItemFailure } from "./Item.ts"
import {
  ACK_WAIT_MS,
  BATCH_STREAM,
  ensureQueue,
  MALFORMED_SUBJECT,
  MAX_DELIVER,
  WORK_STREAM,
} from "./Queue.ts"

/** The last claim of an item: which worker took it, on which delivery, when. */
export interface Claim {
  readonly item: number
  readonly worker: string
  readonly delivery: number
  readonly at: string
}

/**
 * An item taken on its last delivery more than an ack wait ago, with no
 * result and no failure record, will never be delivered again: its worker
 * died (a live worker marks it in progress, so this misjudges only an item
 * whose worker is cut off from the server). The server says so in its
 * max-deliveries advisory, but only to whoever listens at that moment; this
 * reads the same from what the streams keep, for `parley batches` and for a
 * coordinator that starts after the advisory went out.
 */
export const exhausted = (claim: Claim, now: number): boolean =>
  claim.delivery >= MAX_DELIVER && now - Date.parse(claim.at) > ACK_WAIT_MS

/** What a failure record says of an exhausted item. */
export const exhaustedError = (deliveries: number) =>
  `delivered ${deliveries} times and never acked: the workers holding it died or stalled`

/** One batch's state. */
export interface BatchState extends BatchHeader {
  readonly done: number
  readonly failed: ReadonlyArray<{
    readonly item: number
    readonly worker: string
    readonly error: string
  }>
  readonly queued: number
  /** Items being played: which worker holds each (from its last claim). */
  readonly held: ReadonlyArray<Omit<Claim, "at">>
}

/** A message set aside. */
export interface Malformed {
  readonly subject: string
  readonly worker: string
  readonly problem: string
}

const subjectsOf = async (jsm: JetStreamManager, stream: string, filter: string) =>
  Object.keys((await jsm.streams.info(stream, { subjects_filter: filter })).state.subjects ?? {})

/** The last message of every subject under `filter` (or all of them). */
const readAll = async <A>(
  js: JetStreamClient,
  stream: string,
  filter: string,
  count: number,
  policy: DeliverPolicy,
): Promise<Array<{ subject: string; value: A }>> => {
  const out: Array<{ subject: string; value: A }> = []
  if (count === 0) return out
  const consumer = await js.consumers.get(stream, {
    filter_subjects: filter,
    deliver_policy: policy,
  })
  const messages = await consumer.consume()
  for await (const m of messages) {
    out.push({ subject: m.subject, value: m.json<A>() })
    if (m.info.pending === 0) break
  }
  messages.stop()
  return out
}

const itemOf = (subject: string) => Number(subject.slice(subject.lastIndexOf(".") + 1))

/** The last claim of every item of `batch` not in `finished`. */
export const lastClaims = async (
  js: JetStreamClient,
  jsm: JetStreamManager,
  batch: string,
  finished: ReadonlySet<number>,
): Promise<Array<Claim>> => {
  const filter = `parley.batches.${batch}.claim.>`
  const open = (await subjectsOf(jsm, BATCH_STREAM, filter)).filter((s) => !finished.has(itemOf(s)))
  if (open.length === 0) return []
  return (
    await readAll<Omit<Claim, "item">>(
      js,
      BATCH_STREAM,
      filter,
      open.length,
      DeliverPolicy.LastPerSubject,
    )
  )
    .filter(({ subject }) => !finished.has(itemOf(subject)))
    .map(({ subject, value }) => ({
      item: itemOf(subject),
      worker: value.worker,
      delivery: value.delivery,
      at: value.at,
    }))
}

/** Every batch on the server and the messages set aside. */
export const listBatches = (nats: string) =>
  Effect.gen(function* () {
    const settings = yield* Connection.optionsAt(nats)
    const { nc } = yield* Connection.connect({ ...settings, name: "parley batches" })
    return yield* Effect.tryPromise({
      try: async () => {
        const jsm = await jetstreamManager(nc)
        const js = jetstream(nc)
        await ensureQueue(jsm)
        const defs = await subjectsOf(jsm, BATCH_STREAM, "parley.batches.*.def")
        const headers = await readAll<BatchHeader>(
          js,
          BATCH_STREAM,
          "parley.batches.*.def",
          defs.length,
          DeliverPolicy.LastPerSubject,
        )
        const batches: Array<BatchState> = []
        for (const { value: h } of headers) {
          const b = h.batch
          const results = new Set(
            (await subjectsOf(jsm, BATCH_STREAM, `parley.batches.${b}.result.>`)).map(itemOf),
          )
          const failedSubjects = await subjectsOf(jsm, BATCH_STREAM, `parley.batches.${b}.failed.>`)
          const failed = (
            await readAll<ItemFailure>(
              js,
              BATCH_STREAM,
              `parley.batches.${b}.failed.>`,
              failedSubjects.length,
              DeliverPolicy.LastPerSubject,
            )
          ).map(({ value: f }) => ({ item: f.item, worker: f.worker, error: f.error }))
          const recorded = new Set([...results, ...failed.map((f) => f.item)])
          const now = Date.now()
          const claims = recorded.size === h.items ? [] : await lastClaims(js, jsm, b, recorded)
          for (const c of claims.filter((c) => exhausted(c, now)))
            failed.push({ item: c.item, worker: c.worker, error: exhaustedError(c.delivery) })
          const finished = new Set([...results, ...failed.map((f) => f.item)])
          const held = claims
            .filter((c) => !finished.has(c.item))
            .map(({ item, worker, delivery }) => ({ item, worker, delivery }))
          const queued = (await subjectsOf(jsm, WORK_STREAM, `parley.work.${b}.>`)).filter(
            (s) => !finished.has(itemOf(s)),
          ).length
          batches.push({ ...h, done: results.size, failed, queued, held })
        }
        const malformedCount = (await subjectsOf(jsm, BATCH_STREAM, MALFORMED_SUBJECT)).length
        const malformed = (
          await readAll<Malformed>(
            js,
            BATCH_STREAM,
            MALFORMED_SUBJECT,
            malformedCount,
            DeliverPolicy.All,
          )
        ).map(({ value }) => ({
          subject: value.subject,
          worker: value.worker,
          problem: value.problem,
        }))
        return { batches, malformed }
      },
      catch: (e) => new Error(`listing batches on ${nats}: ${messageOf(e)}`),
    })
  }).pipe(Effect.scoped)
