/**
 * The `remote` strategy kind: an agent outside parley, asked for each move by
 * a NATS request. Its spec is here; how it plays is in
 * `src/remote/` (the runner gives it its connection). Its
 * fallback is any strategy of the registry (`Registry.ts`), so it is listed
 * after them (`Spec.ts`).
 *
 * @since 0.3.0
 */
import { Schema } from "effect"
import { strategyEntry } from "./Entry.ts"
import { described } from "./Parameters.ts"
import { LocalStrategySpec } from "./Registry.ts"

/** A NATS subject a request can be sent on: dot-separated tokens, no wildcards or whitespace. */
export const RequestSubject = Schema.String.pipe(
  Schema.pattern(/^[^.\s*>]+(\.[^.\s*>]+)*$/, {
    message: () => "a NATS subject: dot-separated tokens without wildcards (* >) or whitespace",
  }),
)

/**
 * A remote agent (`src/remote/`: its player, its protocol and its NATS transport): on each of its turns the runner sends the
 * turn as a NATS request on `subject` and plays the move the reply names;
 * when there is no valid reply within `timeoutMs`, its `fallback` (a local
 * strategy, default `boulware`) moves for that turn and the event says why.
 */
export const RemoteSpec = Schema.Struct({
  kind: Schema.Literal("remote"),
  subject: described(RequestSubject, "the NATS subject its turns are sent on"),
  timeoutMs: Schema.optionalWith(
    described(Schema.Int.pipe(Schema.positive()), "how long to wait for its reply, in ms"),
    { default: () => 5000 },
  ),
  fallback: Schema.optionalWith(
    described(
      LocalStrategySpec,
      "the local strategy that moves when it gives no valid reply (a spec; default boulware)",
    ),
    { default: () => Schema.decodeSync(LocalStrategySpec)({ kind: "boulware" }) },
  ),
})
export type RemoteSpec = typeof RemoteSpec.Type

/**
 * Made without a connection to its agent (the runner gives it one:
 * `prepare(..., { transport })`, see `src/remote/Player.ts`), a
 * remote agent cannot start, and says so.
 */
export const remoteEntry = strategyEntry({
  specs: [RemoteSpec],
  make: (spec) => ({
    name: `remote ${spec.subject}`,
    init: () => {
      throw new Error(
        `a remote agent (subject ${spec.subject}) needs a NATS connection: give --nats URL or set PARLEY_NATS_URL`,
      )
    },
  }),
  about: [
    {
      kind: "remote",
      summary:
        "An agent outside parley, asked for each move by a NATS request (parley schema turn|move); its fallback moves when it gives no valid reply",
      reference:
        "parley (agents as services, as GeniusWeb parties and the ANAC human-agent league's agents run outside the platform)",
    },
  ],
})
