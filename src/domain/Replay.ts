/**
 * Replay: fold a negotiation's events into its state, from an array or an
 * Effect Stream, up to the end, a version, or a moment.
 *
 * @since 0.1.0
 */
import { Effect, Either, Stream } from "effect"
import type { EventEnvelope, Instant } from "./Event.ts"
import { evolve, initialState, type State } from "./Negotiation.ts"
import type { InvariantViolation } from "./Rejection.ts"

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

/**
 * Folds events into a state, stopping at the first one that breaks an
 * invariant (whose version the error names).
 */
export const fold = (
  events: Iterable<EventEnvelope>,
  until: Until = toEnd,
  from: State = initialState,
): Either.Either<State, InvariantViolation> => {
  const inside = within(until)
  let state = from
  for (const envelope of events) {
    if (!inside(envelope)) break
    const next = evolve(state, envelope)
    if (Either.isLeft(next)) return next
    state = next.right
  }
  return Either.right(state)
}

/**
 * Folds a stream of events into a state. The stream is read chunk by chunk in
 * constant memory and stops being pulled as soon as an event lies past `until`.
 */
export const foldStream = <E, R>(
  events: Stream.Stream<EventEnvelope, E, R>,
  until: Until = toEnd,
  from: State = initialState,
): Effect.Effect<State, E | InvariantViolation, R> =>
  Effect.suspend(() => {
    let state = from
    const bounded = until._tag === "End" ? events : Stream.takeWhile(events, within(until))
    return Stream.runForEachChunk(bounded, (chunk) =>
      Effect.suspend(() => {
        for (const envelope of chunk) {
          const next = evolve(state, envelope)
          if (Either.isLeft(next)) return Effect.fail(next.left)
          state = next.right
        }
        return Effect.void
      }),
    ).pipe(Effect.map(() => state))
  })
