/**
 * Replaying one negotiation from an event store, naming where each problem
 * lies (the NATS stream sequence) and, on request, setting invalid commits
 * aside and going on — the store counterpart of {@link replayFile}.
 *
 * @since 0.1.0
 */
import { Effect, Either, Stream } from "effect"
import type { NegotiationId } from "../domain/Ids.ts"
import { evolve, initialState, type State } from "../domain/Negotiation.ts"
import type { InvariantViolation } from "../domain/Rejection.ts"
import { foldStream, toEnd, type Until, within } from "../domain/Replay.ts"
import { CorruptEvent, EventStore, type StoreError } from "../store/EventStore.ts"

/** What a replay from a store found. */
export interface StoreReplay {
  /** The state after the last event applied. */
  readonly state: State
  /** Commits and events set aside (only with `skipInvalid`). */
  readonly problems: ReadonlyArray<CorruptEvent>
  /** Events not applied because an earlier event of the negotiation broke its history. */
  readonly notApplied: number
}

/** Options of {@link replayNegotiation}. */
export interface StoreReplayOptions {
  readonly until?: Until | undefined
  /**
   * Set invalid input aside and go on: an unreadable commit is skipped; an
   * event that breaks the history stops the negotiation at its last good
   * state (later events are counted, not applied). Without it the first
   * problem fails the replay.
   */
  readonly skipInvalid?: boolean | undefined
}

/**
 * Replays one negotiation. Where the store can tell (its `readLog`), every
 * problem names the stream sequence of the commit it lies in — an unreadable
 * commit and an event that makes an impossible history alike.
 */
export const replayNegotiation = (
  negotiationId: NegotiationId,
  options: StoreReplayOptions = {},
): Effect.Effect<StoreReplay, CorruptEvent | InvariantViolation | StoreError, EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const until = options.until ?? toEnd
    if (store.readLog === undefined) {
      const state = yield* foldStream(store.read(negotiationId), until)
      return { state, problems: [], notApplied: 0 }
    }
    const inside = within(until)
    let state = initialState
    let broken = false
    let notApplied = 0
    const problems: Array<CorruptEvent> = []
    yield* Stream.runForEach(store.readLog(negotiationId), (entry) =>
      Effect.suspend(() => {
        if (entry._tag === "Unreadable") {
          if (!options.skipInvalid) return Effect.fail(entry.error)
          problems.push(entry.error)
          return Effect.void
        }
        for (const envelope of entry.envelopes) {
          if (broken) {
            notApplied++
            continue
          }
          if (!inside(envelope)) continue
          const next = evolve(state, envelope)
          if (Either.isLeft(next)) {
            const problem = new CorruptEvent({
              location: `stream sequence ${entry.position}`,
              version: envelope.version,
              problem: next.left.message,
            })
            if (!options.skipInvalid) return Effect.fail(problem)
            problems.push(problem)
            broken = true
            continue
          }
          state = next.right
        }
        return Effect.void
      }),
    )
    return { state, problems, notApplied }
  })
