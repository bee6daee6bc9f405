/**
 * `parley record <scenario> (--out log.jsonl | --nats URL) [--negotiation ID]
 * --move <json-or-yaml | ->`: appends one real move to a negotiation's log, in
 * the form of a scenario's timeline move (`scenario/Record.ts`). A log without
 * the negotiation is first opened from the scenario, with its timeline; a move
 * the decider refuses names the rule and writes nothing; a retried move is
 * found and not written twice. What it runs with is imported when it runs (the
 * help loads none of it).
 *
 * @since 0.5.0
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
import { jsonOption, natsOption, scenarioArg, setOption } from "./Shared.ts"

const outOption = Options.file("out").pipe(
  Options.withDescription("the JSONL log to append to (created when missing; or use --nats)"),
  Options.optional,
)

const negotiationOption = Options.text("negotiation").pipe(
  Options.withAlias("n"),
  Options.withDescription("the negotiation to record in (default: the scenario's id)"),
  Options.optional,
)

const moveOption = Options.text("move").pipe(
  Options.withDescription(
    "the move, as JSON or YAML, or - to read it from stdin: { at, type, by, ..., status: official | reported, sources: [ids or { reportedBy, quote, ... }], note, hypothetical: true }",
  ),
)

const config = {
  scenario: scenarioArg,
  set: setOption,
  out: outOption,
  nats: natsOption,
  negotiation: negotiationOption,
  move: moveOption,
  json: jsonOption,
}

/** Reads all of stdin as text. */
const stdin = Effect.promise(async () => {
  const chunks: Array<Buffer> = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8")
})

/** `parley record`. */
export const command = Command.make(
  "record",
  config,
  ({ scenario, set, out, nats, negotiation, move, json }) =>
    Effect.gen(function* () {
      const { loadScenario } = yield* Effect.promise(() => import("../../scenario/Load.ts"))
      const { parseMove, record } = yield* Effect.promise(() => import("../../scenario/Record.ts"))
      const { validateNegotiationId } = yield* Effect.promise(
        () => import("../../store/EventStore.ts"),
      )
      const { overridesOf } = yield* Effect.promise(() => import("../Options.ts"))
      const { storeLayer } = yield* Effect.promise(() => import("../Store.ts"))
      if (Option.isNone(out) && Option.isNone(nats))
        return yield* new UsageError({
          problem: "record writes to a log: give --out log.jsonl or --nats URL",
        })
      const origin = move === "-" ? "the move on stdin" : "--move"
      const parsed = yield* parseMove(move === "-" ? yield* stdin : move, origin)
      const negotiationId = Option.isSome(negotiation)
        ? yield* validateNegotiationId(negotiation.value)
        : undefined
      const compiled = yield* loadScenario(scenario, yield* overridesOf(set))
      const recorded = yield* record(compiled, parsed, { origin, negotiationId }).pipe(
        Effect.provide(storeLayer({ nats, file: out })),
      )
      const e = recorded.envelope
      const where = Option.isSome(nats) ? nats.value : Option.getOrElse(out, () => "")
      if (json)
        return yield* Console.log(
          JSON.stringify(
            {
              negotiationId: recorded.negotiationId,
              version: e.version,
              eventId: e.eventId,
              type: e.event.type,
              alreadyRecorded: recorded.alreadyRecorded,
              opened: recorded.opened,
              status: recorded.state.status,
            },
            null,
            2,
          ),
        )
      if (recorded.opened > 0)
        yield* Console.log(
          `opened ${recorded.negotiationId} in ${where} from ${scenario}: ${recorded.opened} events (its opening and timeline)`,
        )
      yield* Console.log(
        recorded.alreadyRecorded
          ? `already recorded: ${e.event.type} at ${e.occurredAt} is version ${e.version} of ${recorded.negotiationId}; nothing written`
          : `recorded ${e.event.type} at ${e.occurredAt} as version ${e.version} of ${recorded.negotiationId} in ${where} (status now ${recorded.state.status})`,
      )
    }),
).pipe(
  Command.withDescription(
    described(
      "Append one real move (an offer, answer, confirmation or denial, position, walk-out, ratification) to a negotiation's log",
      [
        "parley record scenarios/ceasefire-freeze.ts --out cf.jsonl --move - < denial.yaml",
        "parley record scenarios/ceasefire-freeze.ts --nats nats://127.0.0.1:4222 --move - < move.yaml",
      ],
    ),
  ),
)
