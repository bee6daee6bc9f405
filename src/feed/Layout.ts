/**
 * Where the state feed lives on NATS: subjects and KV buckets, all derived
 * from the event log's prefix (default `parley`).
 *
 * - `<prefix>.state.<negotiationId>`: every state of a negotiation, as JSON
 *   (`StateView`), one message per event, in version order;
 * - `<prefix>.state-summary`: every negotiation with its status and version;
 * - `<prefix>.state-problems`: what the projector set aside (corrupt or
 *   impossible events), one JSON object each;
 * - KV bucket `<prefix>-state`: the latest state per negotiation id;
 * - KV bucket `<prefix>-projection`: keys `summary` and `checkpoint`.
 *
 * @since 0.1.0
 */

/** The names the feed uses on NATS. */
export interface FeedLayout {
  readonly prefix: string
  /** KV bucket holding the latest state per negotiation id. */
  readonly stateBucket: string
  /** KV bucket holding the projector's `summary` and `checkpoint`. */
  readonly projectionBucket: string
}

/** The layout for a prefix: buckets `<prefix>-state` and `<prefix>-projection`. */
export const layoutFor = (prefix = "parley"): FeedLayout => ({
  prefix,
  stateBucket: `${prefix}-state`,
  projectionBucket: `${prefix}-projection`,
})

/** The subject of one negotiation's states. */
export const stateSubject = (layout: FeedLayout, negotiationId: string): string =>
  `${layout.prefix}.state.${negotiationId}`

/** The subject of every negotiation's states (a wildcard). */
export const allStatesSubject = (layout: FeedLayout): string => `${layout.prefix}.state.*`

/** The subject of the summary. */
export const summarySubject = (layout: FeedLayout): string => `${layout.prefix}.state-summary`

/** The subject of the projector's problem reports. */
export const problemsSubject = (layout: FeedLayout): string => `${layout.prefix}.state-problems`

/** KV key of the summary in the projection bucket. */
export const SUMMARY_KEY = "summary"

/** KV key of the checkpoint in the projection bucket. */
export const CHECKPOINT_KEY = "checkpoint"
