/**
 * `parley schema events|state|turn|move|asyncapi`: prints the JSON Schema
 * (draft-07) of a stored event envelope (a NATS commit is a JSON array of
 * them), of a published state, of a remote agent's turn or of its reply,
 * generated from the Schemas the code validates with; `asyncapi` prints the
 * AsyncAPI 3.0 document of every subject parley uses (YAML, as shipped in
 * `docs/asyncapi.yaml`). What it runs with is imported when it runs (the help
 * loads none of it).
 *
 * @since 0.1.0
 */
import { Args, Command } from "@effect/cli"
import { Console, Effect } from "effect"
import { described } from "../Help.ts"

const config = {
  what: Args.choice([
    ["events", "events"],
    ["state", "state"],
    ["turn", "turn"],
    ["move", "move"],
    ["asyncapi", "asyncapi"],
  ] as const).pipe(
    Args.withDescription(
      "events (an envelope), state (a published state), turn (a remote agent's turn), move (its reply) or asyncapi (every subject, AsyncAPI 3.0)",
    ),
  ),
}

/** `parley schema`. */
export const command = Command.make("schema", config, ({ what }) =>
  Effect.gen(function* () {
    const { eventJsonSchema, stateJsonSchema } = yield* Effect.promise(
      () => import("../../feed/StateSchema.ts"),
    )
    const { asyncApiYaml } = yield* Effect.promise(() => import("../../remote/AsyncApi.ts"))
    const { moveJsonSchema, turnJsonSchema } = yield* Effect.promise(
      () => import("../../remote/Protocol.ts"),
    )
    const printed = {
      events: () => JSON.stringify(eventJsonSchema(), null, 2),
      state: () => JSON.stringify(stateJsonSchema(), null, 2),
      turn: () => JSON.stringify(turnJsonSchema(), null, 2),
      move: () => JSON.stringify(moveJsonSchema(), null, 2),
      asyncapi: () => asyncApiYaml().trimEnd(),
    } as const
    yield* Console.log(printed[what]())
  }),
).pipe(
  Command.withDescription(
    described(
      "Print the JSON Schema of stored events, published states, agent turns or moves, or the AsyncAPI document",
      ["parley schema events", "parley schema asyncapi > asyncapi.yaml"],
    ),
  ),
)
