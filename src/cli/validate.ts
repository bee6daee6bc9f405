/**
 * `parley validate <log.jsonl>`: checks every line and every negotiation's
 * history; prints each problem on its own line and exits non-zero if any.
 *
 * @since 0.1.0
 */
import { Console, Effect } from "effect"
import { asCorruptEvent } from "../app/Projection.ts"
import { replayFile } from "../app/Replay.ts"
import type { ValidateArgs } from "./commands/validate.ts"
import { InvalidLog } from "./Errors.ts"

/** What `parley validate` does. */
export const handlers = {
  validate: ({ log }: ValidateArgs) =>
    Effect.gen(function* () {
      // Policy stop: every unreadable line and every history's first impossible event, not their consequences.
      const replayed = yield* replayFile(log, { policy: "stop" })
      const { states, events } = replayed
      const problems = replayed.problems.filter((p) => p._tag !== "AfterInvalid")
      for (const p of problems) yield* Console.error(asCorruptEvent(p).message)
      const summary = [...states.values()].map(
        (s) => `${s.negotiationId} v${s.version} ${s.status}`,
      )
      if (problems.length > 0)
        return yield* new InvalidLog({ path: log, problems: problems.length })
      yield* Console.log(
        `${log}: ok — ${events} events, ${states.size} negotiation${states.size === 1 ? "" : "s"}${summary.length > 0 ? ` (${summary.join("; ")})` : ""}`,
      )
    }),
}
