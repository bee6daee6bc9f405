/**
 * Every name parley uses on NATS, derived from one subject prefix (default
 * `parley`, changed by `PARLEY_NATS_PREFIX`): the event log, the state feed,
 * remote agents and the work queue of distributed batches. The stores, the
 * projector and the feed, the agents, the coordinator and the workers, and
 * the AsyncAPI document all read their subjects, streams and buckets here,
 * so that none can drift from the others.
 *
 * With the default prefix:
 *
 * - the event log: stream `PARLEY` capturing `parley.events.>`, one subject
 *   per negotiation, `parley.events.<negotiationId>`;
 * - the state feed: `parley.state.<negotiationId>`, `parley.state-summary`,
 *   `parley.state-problems`, KV buckets `parley-state` and
 *   `parley-projection` (keys `summary` and `checkpoint`);
 * - remote agents: `parley.agents.<name>` (the subject `parley agent serve`
 *   answers on unless told otherwise);
 * - the work queue: stream `PARLEY_WORK` capturing `parley.work.>`
 *   (`parley.work.<batch>.<item>`), its consumer `parley-workers`, and stream
 *   `PARLEY_BATCHES` capturing `parley.batches.>` (`<batch>.def`,
 *   `<batch>.result.<item>`, `<batch>.failed.<item>`,
 *   `<batch>.claim.<item>`, `malformed`).
 *
 * @since 0.4.0
 */

/** The subject prefix when none is configured. */
export const DEFAULT_PREFIX = "parley"

/** The stream name derived from a prefix: `parley` → `PARLEY`. */
export const streamName = (prefix: string): string => prefix.toUpperCase().replace(/-/g, "_")

/** The names under one prefix. */
export interface NatsLayout {
  readonly prefix: string
  /** The event log's stream (unless a store is told another). */
  readonly eventStream: string
  /** KV bucket holding the latest state per negotiation id. */
  readonly stateBucket: string
  /** KV bucket holding the projector's `summary` and `checkpoint`. */
  readonly projectionBucket: string
  /** The work-queue stream of distributed batches. */
  readonly workStream: string
  /** The stream of what batches are and what became of their items. */
  readonly batchStream: string
  /** The durable pull consumer every worker shares. */
  readonly workersConsumer: string
}

/** The layout of `prefix` (default `parley`). */
export const layoutFor = (prefix: string = DEFAULT_PREFIX): NatsLayout => ({
  prefix,
  eventStream: streamName(prefix),
  stateBucket: `${prefix}-state`,
  projectionBucket: `${prefix}-projection`,
  workStream: `${streamName(prefix)}_WORK`,
  batchStream: `${streamName(prefix)}_BATCHES`,
  workersConsumer: `${prefix}-workers`,
})

// The event log.

/** The subjects of every negotiation's commits. */
export const eventSubjects = (layout: NatsLayout): string => `${layout.prefix}.events.>`

/** The subject of one negotiation's commits. */
export const eventSubject = (layout: NatsLayout, negotiationId: string): string =>
  `${layout.prefix}.events.${negotiationId}`

/** The negotiation id of a commit subject. */
export const negotiationOfEventSubject = (layout: NatsLayout, subject: string): string =>
  subject.slice(layout.prefix.length + ".events.".length)

// The state feed.

/** The subject of one negotiation's states. */
export const stateSubject = (layout: NatsLayout, negotiationId: string): string =>
  `${layout.prefix}.state.${negotiationId}`

/** The subject of every negotiation's states (a wildcard). */
export const allStatesSubject = (layout: NatsLayout): string => `${layout.prefix}.state.*`

/** The subject of the summary. */
export const summarySubject = (layout: NatsLayout): string => `${layout.prefix}.state-summary`

/** The subject of the projector's problem reports. */
export const problemsSubject = (layout: NatsLayout): string => `${layout.prefix}.state-problems`

/** KV key of the summary in the projection bucket. */
export const SUMMARY_KEY = "summary"

/** KV key of the checkpoint in the projection bucket. */
export const CHECKPOINT_KEY = "checkpoint"

// Remote agents.

/** The subject an agent named `name` is served on unless told otherwise. */
export const agentSubject = (layout: NatsLayout, name: string): string =>
  `${layout.prefix}.agents.${name}`

// The work queue of distributed batches.

/** The subjects of every work item. */
export const workSubjects = (layout: NatsLayout): string => `${layout.prefix}.work.>`

/** The subjects of one batch's work items. */
export const batchWorkSubjects = (layout: NatsLayout, batch: string): string =>
  `${layout.prefix}.work.${batch}.>`

/** The item a work subject of `batch` names; `undefined` for a subject of another batch. */
export const itemOfWorkSubject = (
  layout: NatsLayout,
  batch: string,
  subject: string,
): number | undefined => {
  const start = `${layout.prefix}.work.${batch}.`
  return subject.startsWith(start) ? Number(subject.slice(start.length)) : undefined
}

/** The subject of one work item. */
export const workSubject = (layout: NatsLayout, batch: string, item: number | string): string =>
  `${layout.prefix}.work.${batch}.${item}`

/** The subjects of every batch record. */
export const batchSubjects = (layout: NatsLayout): string => `${layout.prefix}.batches.>`

/** What a batch record says: the batch's definition, or an item's result, failure or claim. */
export type BatchRecord = "def" | "result" | "failed" | "claim"

/** The subject of a batch record (`def` names no item). */
export const batchSubject = (
  layout: NatsLayout,
  batch: string,
  what: BatchRecord,
  item?: number | string,
): string =>
  item === undefined
    ? `${layout.prefix}.batches.${batch}.${what}`
    : `${layout.prefix}.batches.${batch}.${what}.${item}`

/** The subjects of one batch's records of one kind (`*` for a batch: every batch's). */
export const batchRecordSubjects = (
  layout: NatsLayout,
  batch: string,
  what?: Exclude<BatchRecord, "def">,
): string =>
  what === undefined
    ? `${layout.prefix}.batches.${batch}.>`
    : `${layout.prefix}.batches.${batch}.${what}.>`

/** The subject of the messages set aside as malformed. */
export const malformedSubject = (layout: NatsLayout): string => `${layout.prefix}.batches.malformed`

/** The subject of the advisory the server sends when a work item ran out of deliveries. */
export const maxDeliveriesAdvisory = (layout: NatsLayout): string =>
  `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${layout.workStream}.${layout.workersConsumer}`
