/**
 * `parley schema events|state`: prints the JSON Schema (draft-07) of a stored
 * event envelope (a NATS commit is a JSON array of them) or of a published
 * state, generated from the Schemas the code validates with.
 *
 * @since 0.1.0
 */
import { Args, Command } from "@effect/cli"
import { Console } from "effect"
import { eventJsonSchema, stateJsonSchema } from "../feed/StateSchema.ts"

/** The `schema` command. */
export const command = Command.make(
  "schema",
  {
    what: Args.choice([
      ["events", "events"],
      ["state", "state"],
    ] as const).pipe(Args.withDescription("events (an envelope) or state (a published state)")),
  },
  ({ what }) =>
    Console.log(JSON.stringify(what === "events" ? eventJsonSchema() : stateJsonSchema(), null, 2)),
).pipe(Command.withDescription("Print the JSON Schema of stored events or of published states"))
