/**
 * Replaying a JSONL event log file: every negotiation in it folded to its
 * state, in one pass and in constant memory per negotiation. Errors name the
 * file, the line and the version.
 *
 * @since 0.1.0
 */
import { Effect, Either } from "effect"
import type { NegotiationId } from "../domain/Ids.ts"
import { evolve, initialState, type State } from "../domain/Negotiation.ts"
import { toEnd, type Until, within } from "../domain/Replay.ts"
import { decode } from "../store/Codec.ts"
import { CorruptEvent, StoreError } from "../store/EventStore.ts"
import { lines } from "../store/Jsonl.ts"

/** What a replay of a file found. */
export interface FileReplay {
  /** Each negotiation's state, in the order the negotiations first appear. */
  readonly states: ReadonlyMap<NegotiationId, State>
  /** How many events were read. */
  readonly events: number
  /** Problems set aside (only with `keepGoing`); without it the first problem fails the replay. */
  readonly problems: ReadonlyArray<CorruptEvent>
}

/** Options of {@link replayFile}. */
export interface ReplayOptions {
  /** Fold only this negotiation (lines of others are still validated). */
  readonly negotiation?: NegotiationId | undefined
  readonly until?: Until | undefined
  /**
   * Set bad lines aside and go on: a line that does not decode is skipped,
   * and a negotiation whose history breaks an invariant stops at its last
   * good state. Without it the first problem fails the replay.
   */
  readonly keepGoing?: boolean | undefined
}

/** Replays a JSONL log file. */
export const replayFile = (
  path: string,
  options: ReplayOptions = {},
): Effect.Effect<FileReplay, CorruptEvent | StoreError> =>
  Effect.tryPromise({
    try: async (): Promise<Either.Either<FileReplay, CorruptEvent>> => {
      const inside = within(options.until ?? toEnd)
      const states = new Map<NegotiationId, State>()
      const broken = new Set<NegotiationId>()
      const problems: Array<CorruptEvent> = []
      let events = 0
      for await (const batch of lines(path)) {
        for (const line of batch) {
          const location = `${path}:${line.number}`
          const decoded = decode(line.text, location)
          if (Either.isLeft(decoded)) {
            const problem = line.terminated
              ? decoded.left
              : new CorruptEvent({
                  ...withVersion(decoded.left.version),
                  location,
                  problem: `${decoded.left.problem} (the last line has no newline: a torn write?)`,
                })
            if (!options.keepGoing) return Either.left(problem)
            problems.push(problem)
            continue
          }
          const envelope = decoded.right
          events++
          const id = envelope.negotiationId
          if (options.negotiation !== undefined && id !== options.negotiation) continue
          if (broken.has(id) || !inside(envelope)) continue
          const next = evolve(states.get(id) ?? initialState, envelope)
          if (Either.isLeft(next)) {
            const problem = new CorruptEvent({
              location,
              version: envelope.version,
              problem: next.left.message,
            })
            if (!options.keepGoing) return Either.left(problem)
            problems.push(problem)
            broken.add(id)
            continue
          }
          states.set(id, next.right)
        }
      }
      return Either.right({ states, events, problems })
    },
    catch: (e) =>
      new StoreError({
        operation: `read ${path}`,
        problem: e instanceof Error ? e.message : String(e),
      }),
  }).pipe(Effect.flatten)

const withVersion = (version: number | undefined) => (version === undefined ? {} : { version })
