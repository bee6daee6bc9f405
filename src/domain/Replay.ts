/**
 * How far a replay goes: to the end, to a version, or to a moment. The fold
 * itself is the projection (`src/app/Projection.ts`).
 *
 * @since 0.1.0
 */
import type { EventEnvelope, Instant } from "./Event.ts"

/** How far to replay: everything, up to a version (inclusive), or up to a moment (inclusive). */
export type Until =
  | { readonly _tag: "End" }
  | { readonly _tag: "Version"; readonly version: number }
  | { readonly _tag: "Time"; readonly at: Instant }

/** Replay everything. */
export const toEnd: Until = { _tag: "End" }
/** Replay events up to and including `version`. */
export const untilVersion = (version: number): Until => ({ _tag: "Version", version })
/** Replay events that occurred at or before `at`. */
export const untilTime = (at: Instant): Until => ({ _tag: "Time", at })

/** Whether an event lies within `until`. Logs are ordered by version and by time, so the first event outside ends the replay. */
export const within = (until: Until) => {
  switch (until._tag) {
    case "End":
      return (_: EventEnvelope) => true
    case "Version":
      return (e: EventEnvelope) => e.version <= until.version
    case "Time":
      return (e: EventEnvelope) => e.occurredAt <= until.at
  }
}
