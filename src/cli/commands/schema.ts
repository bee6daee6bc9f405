/**
 * The command line of `parley schema events|state|turn|move|asyncapi`; what
 * it does is in `src/cli/schema.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Args, Command } from "@effect/cli"
import type { Handler, Parsed } from "./Lazy.ts"

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

/** The `schema` command, running `handler` (`../Commands.ts` gives it, loaded when the command runs). */
export const command = <E, R>(handler: Handler<SchemaArgs, E, R>) =>
  Command.make("schema", config, handler).pipe(
    Command.withDescription(
      "Print the JSON Schema of stored events, published states, agent turns or moves, or the AsyncAPI document",
    ),
  )
