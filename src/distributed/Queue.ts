/**
 * The JetStream layout of distributed batches, and the settings it rests on.
 * Its names derive from the subject prefix (`src/nats/Layout.ts`); with the
 * default prefix `parley`:
 *
 * - `PARLEY_WORK` (subjects `parley.work.>`): a work-queue stream. One
 *   message per work item, on its own subject `parley.work.<batch>.<item>`,
 *   published with the message id `<batch>.<item>` (a re-submission inside
 *   the duplicate window is dropped by the server; outside it, the
 *   coordinator looks the subject up before publishing). Work-queue
 *   retention removes an item once a worker acks it.
 * - `parley-workers`: the one durable pull consumer every worker shares.
 *   Explicit acks, `ack_wait` 30 s (a worker marks a long item in progress
 *   every 10 s), `max_deliver` 5 (then the item is reported failed),
 *   `max_ack_pending` 1024 (items out at once, over all workers).
 * - `PARLEY_BATCHES` (subjects `parley.batches.>`, limits retention): what
 *   batches are and what became of their items — `<batch>.def`,
 *   `<batch>.result.<item>`, `<batch>.failed.<item>`, `<batch>.claim.<item>`
 *   (which worker holds an item), and `malformed` (messages set aside).
 *   Results and failures are published with the message id
 *   `<batch>.result.<item>.<work sequence>` (`recordMsgId`), and the
 *   coordinator counts one result per item: each run counts once.
 *
 * @since 0.3.0
 */

import { createHash } from "node:crypto"
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream"
import { nanos } from "@nats-io/transport-node"
import { ApiCodes, isApiError } from "../nats/Errors.ts"
import { batchSubjects, type NatsLayout, workSubjects } from "../nats/Layout.ts"
import { StreamMismatch } from "../store/nats/LogStream.ts"

/** How long a delivered item may go without an ack or an in-progress mark before it is delivered again. */
export const ACK_WAIT_MS = 30_000
/** How often a worker marks the items it holds as in progress (a third of the ack wait). */
export const WORKING_EVERY_MS = 10_000
/** Deliveries of one item before it is reported failed. */
export const MAX_DELIVER = 5
/**
 * How often one item's result (or failure record) may be set aside as
 * malformed before the item is recorded as failed. A record that is
 * malformed once may be a stray publish, or come from a worker stopped
 * mid-upgrade, and the item is queued again; one that comes back malformed
 * on every replay (a worker of another parley build, a number JSON cannot
 * carry written as null) would otherwise be queued again without end, the
 * batch never finishing. Three: two replays after the first, each a full
 * play of the item, is enough to tell "every time" from "once", and a
 * batch with such an item fails within a few plays instead of hanging.
 * (The count is the coordinator's own: a coordinator started again counts
 * from zero.)
 */
export const MAX_MALFORMED = 3

/** Items delivered and not yet acked, over all workers. */
export const MAX_ACK_PENDING = 1024
/** Largest work item or result, in bytes (the server's default max payload is 1 MB). */
export const MAX_MESSAGE_BYTES = 1_000_000

export const workMsgId = (batch: string, item: number) => `${batch}.${item}`
/**
 * The message id of an item's result or failure record: one per work
 * message (`workSeq`, its sequence in the work stream). A worker that
 * publishes again for the same delivery, or another worker handed the same
 * message after the ack wait, is deduplicated by the server; an item the
 * coordinator queued again (a new message, after a malformed record of it
 * was set aside) is not — with `<batch>.result.<item>` alone, its real
 * result would be dropped as a duplicate of the malformed one inside the
 * duplicate window, acked, and the item lost.
 */
export const recordMsgId = (
  batch: string,
  what: "result" | "failed",
  item: number,
  workSeq: number,
) => `${batch}.${what}.${item}.${workSeq}`

/**
 * A batch's id, derived from everything that decides its outcomes (its kind
 * and its canonical JSON definition): submitting the same batch again finds
 * the same id, so it resumes instead of queueing twice.
 */
export const batchIdOf = (kind: "mc" | "tn", definition: unknown): string =>
  `${kind}-${createHash("sha256").update(canonical(definition)).digest("hex").slice(0, 20)}`

/** JSON with object keys sorted, so that two equal definitions hash alike. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )

const ensureStream = async (
  jsm: JetStreamManager,
  config: Parameters<JetStreamManager["streams"]["add"]>[0] & { name: string },
) => {
  try {
    return await jsm.streams.info(config.name)
  } catch (e) {
    if (!isApiError(e, ApiCodes.StreamNotFound)) throw e
    try {
      return await jsm.streams.add(config)
    } catch (e) {
      if (isApiError(e, ApiCodes.StreamNameExist)) return await jsm.streams.info(config.name)
      throw e
    }
  }
}

/** What is wrong with a stream's settings for what it holds (empty: nothing). */
const streamProblems = (
  config: StreamConfig,
  subjects: string,
  retention: RetentionPolicy,
  why: string,
): Array<string> => {
  const problems: Array<string> = []
  if (!config.subjects?.includes(subjects))
    problems.push(`subjects ${JSON.stringify(config.subjects)} do not include ${subjects}`)
  if (config.retention !== retention)
    problems.push(`retention is ${JSON.stringify(config.retention)}, needs "${retention}" (${why})`)
  if (config.storage !== StorageType.File)
    problems.push(
      `storage is ${JSON.stringify(config.storage)}, needs "file" (it must survive a restart)`,
    )
  for (const limit of ["max_msgs", "max_bytes", "max_msgs_per_subject"] as const)
    if (config[limit] > 0)
      problems.push(
        `${limit} is ${config[limit]}, needs -1 (a full stream ${config.discard === "old" ? "drops its oldest messages (discard: old)" : "refuses new ones"}, and items or results are lost)`,
      )
  if (config.max_age > 0)
    problems.push(`max_age is ${config.max_age}, needs 0 (items and results must not expire)`)
  if (config.duplicate_window <= 0)
    problems.push("duplicate_window is 0 (a re-submission would queue an item twice)")
  return problems
}

/** What is wrong with the workers' consumer's settings (empty: nothing). */
const consumerProblems = (config: ConsumerConfig, layout: NatsLayout): Array<string> => {
  const problems: Array<string> = []
  if (config.ack_policy !== AckPolicy.Explicit)
    problems.push(
      `ack_policy is ${JSON.stringify(config.ack_policy)}, needs "explicit" (an item leaves the queue only once its result is stored)`,
    )
  if (config.max_deliver !== MAX_DELIVER)
    problems.push(`max_deliver is ${config.max_deliver}, needs ${MAX_DELIVER}`)
  const filters = config.filter_subjects ?? (config.filter_subject ? [config.filter_subject] : [])
  if (filters.length > 0 && !filters.includes(workSubjects(layout)))
    problems.push(`its filter ${JSON.stringify(filters)} does not take ${workSubjects(layout)}`)
  return problems
}

/**
 * Creates the work stream, the batch stream and the workers' consumer of
 * `layout` when missing; existing ones are verified, never changed, like the
 * event stream (`store/nats/LogStream.ts`): one created by someone else with
 * settings that lose items or results (a message limit that drops the
 * oldest, another retention, memory storage, expiry) is refused with a
 * {@link StreamMismatch} naming every setting at fault, never used.
 */
export const ensureQueue = async (jsm: JetStreamManager, layout: NatsLayout): Promise<void> => {
  const work = await ensureStream(jsm, {
    name: layout.workStream,
    subjects: [workSubjects(layout)],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    max_msg_size: MAX_MESSAGE_BYTES,
    duplicate_window: nanos(120_000),
  })
  const workWrong = streamProblems(
    work.config,
    workSubjects(layout),
    RetentionPolicy.Workqueue,
    "an item leaves the queue when a worker acks it, and only then",
  )
  if (workWrong.length > 0)
    throw new StreamMismatch({ stream: layout.workStream, problems: workWrong })
  const batches = await ensureStream(jsm, {
    name: layout.batchStream,
    subjects: [batchSubjects(layout)],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_msg_size: MAX_MESSAGE_BYTES,
    duplicate_window: nanos(120_000),
    allow_direct: true,
  })
  const batchesWrong = streamProblems(
    batches.config,
    batchSubjects(layout),
    RetentionPolicy.Limits,
    "results and claims are read again by every coordinator and parley batches",
  )
  if (batchesWrong.length > 0)
    throw new StreamMismatch({ stream: layout.batchStream, problems: batchesWrong })
  let consumer: ConsumerConfig
  try {
    consumer = (await jsm.consumers.info(layout.workStream, layout.workersConsumer)).config
  } catch (e) {
    if (!isApiError(e, ApiCodes.ConsumerNotFound)) throw e
    consumer = (
      await jsm.consumers.add(layout.workStream, {
        durable_name: layout.workersConsumer,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(ACK_WAIT_MS),
        max_deliver: MAX_DELIVER,
        max_ack_pending: MAX_ACK_PENDING,
        filter_subject: workSubjects(layout),
      })
    ).config
  }
  const consumerWrong = consumerProblems(consumer, layout)
  if (consumerWrong.length > 0)
    throw new StreamMismatch({
      stream: `${layout.workStream} (consumer ${layout.workersConsumer})`,
      problems: consumerWrong,
    })
}
