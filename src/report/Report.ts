/**
 * What the report pages are built from, given: a negotiation's run data
 * from its events (and its scenario's preferences, when known), and the
 * JSON files commands write for their reports, read and checked. Running a
 * scenario and scoring a batch's runs is the caller's (`src/cli/ReportData.ts`);
 * this folder renders what it is given.
 *
 * @since 0.1.0
 */

import { readFile } from "node:fs/promises"
import { Data, Effect, Either, Schema } from "effect"
import { lastGoodState } from "../app/Projection.ts"
import { deepestIssue, messageOf } from "../domain/Errors.ts"
import type { EventEnvelope } from "../domain/Event.ts"
import { toView } from "../domain/View.ts"
import { movesOf, type Preferences } from "./Model.ts"
import type { RunData } from "./Page.ts"

/** A report cannot be made from what was given (an empty log, an unknown negotiation, an empty folder). */
export class ReportError extends Data.TaggedError("ReportError")<{ readonly problem: string }> {
  override get message() {
    return this.problem
  }
}

/**
 * Reads a JSON file a command wrote for its report (`sweep.json`,
 * `tournament.json`), decodes it with `schema` and checks it with `check`:
 * any problem is one line naming the file and the field. `missing` says how
 * to write the file when there is none.
 */
export const readReportFile = <A, I>(
  file: string,
  missing: string,
  schema: Schema.Schema<A, I>,
  check: (value: A) => string | undefined,
  errors: "first" | "all" = "first",
): Effect.Effect<A, ReportError> =>
  Effect.gen(function* () {
    const fail = (problem: string) => new ReportError({ problem: `${file}: ${problem}` })
    const text = yield* Effect.tryPromise({
      try: () => readFile(file, "utf8"),
      catch: (e) =>
        fail(
          (e as NodeJS.ErrnoException).code === "ENOENT"
            ? `no such file (${missing})`
            : `cannot read: ${messageOf(e)}`,
        ),
    })
    const json = Either.try({
      try: () => JSON.parse(text) as unknown,
      catch: (e) => fail(`not JSON: ${messageOf(e)}`),
    })
    if (Either.isLeft(json)) return yield* json.left
    const decoded = Schema.decodeUnknownEither(schema)(json.right, {
      errors,
      onExcessProperty: "ignore",
    })
    if (Either.isLeft(decoded)) {
      const { path, problem } = deepestIssue(decoded.left)
      return yield* fail(path === "" ? problem : `${path}: ${problem}`)
    }
    const inconsistent = check(decoded.right)
    if (inconsistent !== undefined) return yield* fail(inconsistent)
    return decoded.right
  })

/**
 * What a run report takes from its scenario, when it is known: the
 * preferences the utility charts draw and the author's assumptions.
 */
export interface ScenarioData {
  readonly preferences: Preferences
  readonly assumptions: ReadonlyArray<string>
}

/** Run data from a negotiation's events and what its scenario says, when it is known. */
export const runData = (
  events: ReadonlyArray<EventEnvelope>,
  scenario: ScenarioData | undefined,
  origin: ReadonlyArray<string>,
  notices: ReadonlyArray<string> = [],
): RunData => ({
  view: toView(lastGoodState(events)),
  moves: movesOf(events),
  preferences: scenario?.preferences,
  origin,
  notices,
  assumptions: scenario?.assumptions ?? [],
})
