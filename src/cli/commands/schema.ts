/**
 * The command line of `parley schema events|state|turn|move|asyncapi`; what
 * it does is in `src/cli/schema.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command } from "@effect/cli"
import { loadedHandler, type Parsed } from "./Lazy.ts"

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
/** What `parley schema` is given. */
export type SchemaArgs = Parsed<typeof config>

/** The `schema` command. */
export const command = Command.make(
  "schema",
  config,
  loadedHandler(
    () => import("../schema.ts"),
    (m) => m.handlers.schema,
  ),
).pipe(
  Command.withDescription(
    "Print the JSON Schema of stored events, published states, agent turns or moves, or the AsyncAPI document",
  ),
)
