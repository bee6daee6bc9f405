/**
 * Replaying a log — a JSONL file or one negotiation of an event store —
 * through the {@link project projection}, with its policy for invalid input.
 * Problems name the file and line, or the log position (the NATS stream
 * sequence).
 *
 * @since 0.2.0
 */
import { Effect } from "effect"
import type { Until } from "../domain/Replay.ts"
import {
  type CorruptEvent,
  EventStore,
  type StoreError,
  validateNegotiationId,
} from "../store/EventStore.ts"
import * as Jsonl from "../store/Jsonl.ts"
import type { Limits } from "../store/Limits.ts"
import { type InvalidPolicy, type Projected, project } from "./Projection.ts"

/** Options of a replay. */
export interface ReplayOptions {
  /** Fold only this negotiation (lines of others are still read, and an unreadable line still counts). */
  readonly negotiation?: string | undefined
  readonly until?: Until | undefined
  /** What to do with an unreadable line or an impossible event. Default `fail`. */
  readonly policy?: InvalidPolicy | undefined
  /** How large and deep one line may be before it is parsed (a file's replay; default `defaultLimits`). */
  readonly limits?: Limits | undefined
}

/**
 * Replays a JSONL log file in one pass, in constant memory per negotiation;
 * positions are line numbers. Each event's id is checked against its content
 * and each line against the limits before it is parsed.
 */
export const replayFile = (
  path: string,
  options: ReplayOptions = {},
): Effect.Effect<Projected, CorruptEvent | StoreError> =>
  project(Jsonl.entries(path, {}, options.limits), {
    policy: options.policy,
    until: options.until,
    only: options.negotiation,
    locate: (line) => `${path}:${line}`,
  })

/** Replays one negotiation of the {@link EventStore} in context, through its `readLog`. */
export const replayNegotiation = (
  negotiationId: string,
  options: Omit<ReplayOptions, "negotiation"> = {},
): Effect.Effect<Projected, CorruptEvent | StoreError, EventStore> =>
  Effect.flatMap(EventStore, (store) =>
    Effect.flatMap(validateNegotiationId(negotiationId), (id) =>
      project(store.readLog(id), {
        policy: options.policy,
        until: options.until,
        only: id,
      }),
    ),
  )
