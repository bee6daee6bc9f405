/**
 * Recording what really happens: one move of a negotiation — an offer, an
 * answer, a confirmation or denial of a reported offer, a stated position, a
 * walk-out, a suspension or resumption, a ratification — appended to its log
 * as it is reported, in the form of a scenario's timeline move (the decider's
 * command, a date, `status: official | reported`, its sources, a note, and
 * `hypothetical` for a what-if).
 *
 * - A log that does not yet hold the negotiation is first opened from the
 *   scenario, with its timeline, in one commit.
 * - The decider judges the move against the state the log holds: a move it
 *   refuses is a {@link MoveRefused} naming the rule, and nothing is written.
 * - A move already on the log (the same event at the same moment: a retried
 *   `record`) is recognised and not written twice.
 * - The append expects the version the move was decided on, so a move
 *   recorded meanwhile by someone else is a version conflict, never a
 *   half-applied write.
 *
 * @since 0.5.0
 */
import { isDeepStrictEqual } from "node:util"
import { Chunk, Effect, Either, Schema, Stream } from "effect"
import { parse as parseYaml } from "yaml"
import { BufferedWriter, load } from "../app/CommandHandler.ts"
import { eventFor } from "../domain/Command.ts"
import { deepestIssue, messageOf } from "../domain/Errors.ts"
import type { EventEnvelope } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import type { State } from "../domain/Negotiation.ts"
import { EventStore } from "../store/EventStore.ts"
import { type CompiledScenario, ScenarioError, timelineCommand } from "./Load.ts"
import { TimelineMove } from "./Scenario.ts"

/** A move the decider refuses: the rule it breaks. Nothing was written. */
export class MoveRefused extends Schema.TaggedError<MoveRefused>()("MoveRefused", {
  negotiationId: Schema.String,
  move: Schema.String,
  rule: Schema.String,
  problem: Schema.String,
}) {
  override get message() {
    return `${this.negotiationId}: ${this.move} refused (${this.rule}): ${this.problem}; nothing was written`
  }
}

/** What a `record` did. */
export interface Recorded {
  readonly negotiationId: NegotiationId
  /** Events written first to open the log from the scenario (0 when it was open). */
  readonly opened: number
  /** The move as the log holds it: just written, or found there (a retry). */
  readonly envelope: EventEnvelope
  /** The move was already on the log: nothing was written. */
  readonly alreadyRecorded: boolean
  /** The negotiation's state after the move. */
  readonly state: State
}

/**
 * A move as JSON or YAML text (YAML reads JSON too), checked as a scenario's
 * timeline move; errors name the field and where the text came from.
 */
export const parseMove = (
  text: string,
  origin: string,
): Either.Either<TimelineMove, ScenarioError> => {
  let value: unknown
  try {
    value = parseYaml(text, { maxAliasCount: 0 })
  } catch (e) {
    return Either.left(new ScenarioError({ file: origin, path: "", problem: messageOf(e) }))
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return Either.left(
      new ScenarioError({
        file: origin,
        path: "",
        problem:
          "a move is one object: { at, type, status, sources, note, ...the command's fields }",
      }),
    )
  return Either.mapLeft(
    Schema.decodeUnknownEither(TimelineMove, { onExcessProperty: "error" })(value),
    (e) => new ScenarioError({ file: origin, ...deepestIssue(e) }),
  )
}

/**
 * Appends `move` to the log of `negotiationId` (default: the scenario's id),
 * opening it from `compiled` first when the log does not hold it.
 */
export const record = (
  compiled: CompiledScenario,
  move: TimelineMove,
  options: { readonly negotiationId?: NegotiationId | undefined; readonly origin: string },
) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const negotiationId = options.negotiationId ?? compiled.scenario.id
    const command = yield* timelineCommand(options.origin, compiled.scenario, move, "")
    const writer = new BufferedWriter(negotiationId, yield* load(negotiationId))
    // A log without the negotiation: its opening and the scenario's timeline go first, in
    // the same commit as the move (dry-run when the scenario loaded: a refusal is a bug).
    if (writer.state.version === 0)
      for (const opening of [{ ...compiled.open, negotiationId }, ...compiled.timeline]) {
        const decided = writer.decide(opening)
        if (Either.isLeft(decided)) return yield* Effect.die(decided.left)
      }
    const opened = writer.pending
    // A retry: the same event at the same moment is already on the log.
    if (opened === 0) {
      const candidate = eventFor(command, writer.state)
      const history = yield* Stream.runCollect(store.read(negotiationId))
      const found = Chunk.findLast(
        history,
        (e) => e.occurredAt === command.at && isDeepStrictEqual(e.event, candidate),
      )
      if (found._tag === "Some")
        return {
          negotiationId,
          opened,
          envelope: found.value,
          alreadyRecorded: true,
          state: writer.state,
        } satisfies Recorded
    }
    // The note goes with the event, in its envelope's metadata.
    const decided = writer.decide(
      command,
      move.note === undefined ? {} : { metadata: { note: move.note } },
    )
    if (Either.isLeft(decided))
      return yield* new MoveRefused({
        negotiationId,
        move: `${command.type} at ${command.at}`,
        rule: decided.left._tag,
        problem: decided.left.message,
      })
    // One commit, expecting the version the move was decided on: all of it or nothing.
    yield* writer.append(store)
    return {
      negotiationId,
      opened,
      envelope: decided.right[0]!,
      alreadyRecorded: false,
      state: writer.state,
    } satisfies Recorded
  })
