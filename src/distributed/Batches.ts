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
import type { MsgHdrs } from "@nats-io/transport-node"
import { Effect, Either, Option, type Redacted } from "effect"
import { messageOf } from "../domain/Errors.ts"
import * as Connection from "../nats/Connection.ts"
import {
  batchRecordSubjects,
  batchSubject,
  batchWorkSubjects,
  layoutFor,
  malformedSubject,
  type NatsLayout,
  workSubjects,
} from "../nats/Layout.ts"
import type { BatchHeader } from "./Coordinator.ts"
import { decodeItem } from "./Item.ts"
import {
  BatchHeader as BatchHeaderSchema,
  ItemClaim,
  ItemFailure,
  MalformedItem,
  type MalformedMessage,
  messageDecoder,
  signedDecoder,
} from "./Messages.ts"
import { ACK_WAIT_MS, ensureQueue, MAX_DELIVER } from "./Queue.ts"
import { workKey } from "./Sign.ts"

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

/** The subjects under `filter` that hold messages, each with how many. */
const subjectCounts = async (jsm: JetStreamManager, stream: string, filter: string) =>
  (await jsm.streams.info(stream, { subjects_filter: filter })).state.subjects ?? {}

const subjectsOf = async (jsm: JetStreamManager, stream: string, filter: string) =>
  Object.keys(await subjectCounts(jsm, stream, filter))

/** A message read from a stream, as stored. */
export interface Stored {
  readonly subject: string
  readonly seq: number
  readonly data: Uint8Array
}

/** How long {@link readAll} waits for messages it was told of that never come. */
export const READ_WAIT_MS = 2_000

/**
 * The last message of every subject under `filter` (or all of them), each
 * decoded by `decode`; a message that does not decode goes to `onMalformed`
 * and is left out (whatever is on the bus, it never stops the reader).
 *
 * `count` is how many messages the stream held under `filter` for `policy`
 * when its caller looked (one per subject for the last per subject); at most
 * that many are read. A message deleted since (a coordinator sets malformed
 * records aside) is never delivered, so the read ends at the stream's last
 * pending message, at `count` messages, or after {@link READ_WAIT_MS}
 * without one — never waits for good.
 */
export const readAll = async <A>(
  js: JetStreamClient,
  stream: string,
  filter: string,
  count: number,
  policy: DeliverPolicy,
  decode: (
    subject: string,
    seq: number,
    data: Uint8Array,
    headers: MsgHdrs | undefined,
  ) => Either.Either<A, MalformedMessage>,
  onMalformed: (problem: MalformedMessage, message: Stored) => unknown,
): Promise<Array<{ subject: string; value: A }>> => {
  const out: Array<{ subject: string; value: A }> = []
  if (count === 0) return out
  const consumer = await js.consumers.get(stream, {
    filter_subjects: filter,
    deliver_policy: policy,
  })
  const messages = await consumer.fetch({ max_messages: count, expires: READ_WAIT_MS })
  try {
    for await (const m of messages) {
      const decoded = decode(m.subject, m.seq, m.data, m.headers)
      if (Either.isRight(decoded)) out.push({ subject: m.subject, value: decoded.right })
      else await onMalformed(decoded.left, { subject: m.subject, seq: m.seq, data: m.data })
      if (m.info.pending === 0) break
    }
  } finally {
    messages.stop()
  }
  return out
}

/**
 * The decoders of batch records: with the work key, each record's signature
 * is checked too (an unsigned or forged one is set aside like a malformed
 * one); without it (`parley batches` run by an observer who holds no key),
 * records are read as they are.
 */
const decoders = (key: Redacted.Redacted<string> | undefined) => {
  const signed = <A>(
    decode: (s: string, q: number, d: Uint8Array) => Either.Either<A, MalformedMessage>,
    sender: (value: A) => string,
  ) => (key === undefined ? decode : signedDecoder(key, decode, sender))
  return {
    header: signed(messageDecoder(BatchHeaderSchema), (h) => `the coordinator of ${h.batch}`),
    failure: signed(messageDecoder(ItemFailure), (f) => f.worker),
    claim: signed(messageDecoder(ItemClaim), (c) => c.worker),
    malformed: signed(messageDecoder(MalformedItem), (m) => m.worker),
  }
}

const itemOf = (subject: string) => Number(subject.slice(subject.lastIndexOf(".") + 1))

/** The last claim of every item of `batch` not in `finished` (a malformed claim goes to `onMalformed`). */
export const lastClaims = async (
  js: JetStreamClient,
  jsm: JetStreamManager,
  layout: NatsLayout,
  batch: string,
  finished: ReadonlySet<number>,
  onMalformed: (problem: MalformedMessage, message: Stored) => unknown,
  key: Redacted.Redacted<string> | undefined,
): Promise<Array<Claim>> => {
  const filter = batchRecordSubjects(layout, batch, "claim")
  const open = (await subjectsOf(jsm, layout.batchStream, filter)).filter(
    (s) => !finished.has(itemOf(s)),
  )
  if (open.length === 0) return []
  return (
    await readAll(
      js,
      layout.batchStream,
      filter,
      open.length,
      DeliverPolicy.LastPerSubject,
      decoders(key).claim,
      onMalformed,
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

/**
 * The batches that items or claims on the server name but no definition
 * does: items queued by someone other than a coordinator (an edited or
 * forged item, which workers refuse and set aside unless signed), or a
 * batch whose definition was lost. Listed all the same, with what their
 * items say, so that whatever a worker holds is in `parley batches`.
 */
const undefinedBatches = async (
  jsm: JetStreamManager,
  layout: NatsLayout,
  defined: ReadonlySet<string>,
): Promise<Array<BatchHeader>> => {
  const seen = new Map<string, Set<string>>()
  const note = (subject: string, at: number) => {
    const batch = subject.split(".")[at]
    if (batch === undefined || defined.has(batch)) return
    const items = seen.get(batch) ?? new Set<string>()
    items.add(subject.slice(subject.lastIndexOf(".") + 1))
    seen.set(batch, items)
  }
  const prefixLength = layout.prefix.split(".").length
  for (const subject of await subjectsOf(jsm, layout.workStream, workSubjects(layout)))
    note(subject, prefixLength + 1)
  for (const subject of await subjectsOf(
    jsm,
    layout.batchStream,
    batchSubject(layout, "*", "claim", "*"),
  ))
    note(subject, prefixLength + 1)
  const out: Array<BatchHeader> = []
  for (const [batch, items] of seen) {
    const any = [...(await subjectsOf(jsm, layout.workStream, batchWorkSubjects(layout, batch)))]
    const stored =
      any[0] === undefined
        ? null
        : await jsm.streams.getMessage(layout.workStream, { last_by_subj: any[0] })
    const item = stored === null ? undefined : decodeItem(stored.data)
    out.push({
      batch,
      kind: item !== undefined && Either.isRight(item) ? item.right.kind : "montecarlo",
      title: "(no definition published: not queued by a coordinator)",
      total: 0,
      items: items.size,
      created: "",
    })
  }
  return out
}

/**
 * Every batch on the server and the messages set aside. With
 * `PARLEY_WORK_KEY` set, records are verified (`verified: true`), and an
 * unsigned or forged one is listed with the messages set aside.
 */
export const listBatches = (nats: string) =>
  Effect.gen(function* () {
    const key = yield* Effect.option(workKey)
    const decode = decoders(Option.getOrUndefined(key))
    const settings = yield* Connection.optionsAt(nats)
    const { nc } = yield* Connection.connect({ ...settings, name: "parley batches" })
    const layout = layoutFor(settings.prefix)
    const { workStream, batchStream } = layout
    return yield* Effect.tryPromise({
      try: async () => {
        const jsm = await jetstreamManager(nc)
        const js = jetstream(nc)
        await ensureQueue(jsm, layout)
        // A record that does not decode is listed with the messages set aside (this command only reads).
        const unreadable: Array<Malformed> = []
        const onMalformed = (problem: MalformedMessage) =>
          void unreadable.push({
            subject: problem.subject,
            worker: "(unreadable record, seen by parley batches)",
            problem: problem.message,
          })
        const definitions = batchSubject(layout, "*", "def")
        const defs = await subjectsOf(jsm, batchStream, definitions)
        const headers = await readAll(
          js,
          batchStream,
          definitions,
          defs.length,
          DeliverPolicy.LastPerSubject,
          decode.header,
          onMalformed,
        )
        const batches: Array<BatchState> = []
        for (const h of [
          ...headers.map(({ value }) => value),
          ...(await undefinedBatches(jsm, layout, new Set(headers.map((h) => h.value.batch)))),
        ]) {
          const b = h.batch
          const results = new Set(
            (await subjectsOf(jsm, batchStream, batchRecordSubjects(layout, b, "result"))).map(
              itemOf,
            ),
          )
          const failedSubjects = await subjectsOf(
            jsm,
            batchStream,
            batchRecordSubjects(layout, b, "failed"),
          )
          const failed = (
            await readAll(
              js,
              batchStream,
              batchRecordSubjects(layout, b, "failed"),
              failedSubjects.length,
              DeliverPolicy.LastPerSubject,
              decode.failure,
              onMalformed,
            )
          ).map(({ value: f }) => ({ item: f.item, worker: f.worker, error: f.error }))
          const recorded = new Set([...results, ...failed.map((f) => f.item)])
          const now = Date.now()
          const claims =
            recorded.size === h.items
              ? []
              : await lastClaims(
                  js,
                  jsm,
                  layout,
                  b,
                  recorded,
                  onMalformed,
                  Option.getOrUndefined(key),
                )
          for (const c of claims.filter((c) => exhausted(c, now)))
            failed.push({ item: c.item, worker: c.worker, error: exhaustedError(c.delivery) })
          const finished = new Set([...results, ...failed.map((f) => f.item)])
          const held = claims
            .filter((c) => !finished.has(c.item))
            .map(({ item, worker, delivery }) => ({ item, worker, delivery }))
          const queued = (await subjectsOf(jsm, workStream, batchWorkSubjects(layout, b))).filter(
            (s) => !finished.has(itemOf(s)),
          ).length
          batches.push({ ...h, done: results.size, failed, queued, held })
        }
        // Every message of the one subject (readAll reads at most as many as it is told of).
        const malformedCount = Object.values(
          await subjectCounts(jsm, batchStream, malformedSubject(layout)),
        ).reduce((a, n) => a + n, 0)
        const malformed = (
          await readAll(
            js,
            batchStream,
            malformedSubject(layout),
            malformedCount,
            DeliverPolicy.All,
            decode.malformed,
            onMalformed,
          )
        ).map(({ value }) => ({
          subject: value.subject,
          worker: value.worker,
          problem: value.problem,
        }))
        return { batches, malformed: [...malformed, ...unreadable], verified: Option.isSome(key) }
      },
      catch: (e) => new Error(`listing batches on ${nats}: ${messageOf(e)}`),
    })
  }).pipe(Effect.scoped)
