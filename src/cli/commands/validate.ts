/**
 * `parley validate <log.jsonl>`: checks every line and every negotiation's
 * history; prints each problem on its own line and exits non-zero if any.
 * What it runs with is imported when it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Args, Command } from "@effect/cli"
import { Console, Effect } from "effect"
import { InvalidLog } from "../Errors.ts"
import { described } from "../Help.ts"

const config = {
  log: Args.file({ name: "log.jsonl", exists: "yes" }).pipe(
    Args.withDescription("the JSONL event log to check"),
  ),
}

/** `parley validate`. */
export const command = Command.make("validate", config, ({ log }) =>
  Effect.gen(function* () {
    const { asCorruptEvent } = yield* Effect.promise(() => import("../../app/Projection.ts"))
    const { replayFile } = yield* Effect.promise(() => import("../../app/Replay.ts"))
    // Policy stop: every unreadable line and every history's first impossible event, not their consequences.
    const replayed = yield* replayFile(log, { policy: "stop" })
    const { states, events } = replayed
    const problems = replayed.problems.filter((p) => p._tag !== "AfterInvalid")
    for (const p of problems) yield* Console.error(asCorruptEvent(p).message)
    const summary = [...states.values()].map((s) => `${s.negotiationId} v${s.version} ${s.status}`)
    if (problems.length > 0) return yield* new InvalidLog({ path: log, problems: problems.length })
    yield* Console.log(
      `${log}: ok — ${events} events, ${states.size} negotiation${states.size === 1 ? "" : "s"}${summary.length > 0 ? ` (${summary.join("; ")})` : ""}`,
    )
  }),
).pipe(
  Command.withDescription(
    described("Check a JSONL event log: every line decodes, every history is possible", [
      "parley validate examples/supply-contract.jsonl",
    ]),
  ),
)
