/**
 * `parley watch <negotiationId> [--nats URL] [--json]`: prints each new state
 * of a negotiation as the projector publishes it (run `parley project` for
 * that log): its latest state first, then every new version. One readable
 * line per state, or one JSON object per line with `--json`.
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Layer, Option, Stream } from "effect"
import { oneLine } from "../feed/Describe.ts"
import * as NatsFeed from "../feed/NatsFeed.ts"
import { StateFeed } from "../feed/StateFeed.ts"
import * as Connection from "../store/nats/Connection.ts"
import { UsageError } from "./Errors.ts"
import { natsOrEnvOption } from "./Store.ts"

/** `--json`: one JSON state per line. */
const jsonOption = Options.boolean("json").pipe(
  Options.withDescription("print each state as one line of JSON (the published payload)"),
)

/** The NATS servers of `--nats` (or `PARLEY_NATS_URL`); a {@link UsageError} when neither is given. */
export const natsUrl = (nats: Option.Option<string>) =>
  Option.match(nats, {
    onSome: Effect.succeed,
    onNone: () =>
      new UsageError({
        problem: "the state feed lives on NATS: give --nats URL or set PARLEY_NATS_URL",
      }),
  })

/** The `watch` command. */
export const command = Command.make(
  "watch",
  {
    negotiation: Args.text({ name: "negotiationId" }).pipe(
      Args.withDescription("the negotiation to follow"),
    ),
    nats: natsOrEnvOption,
    json: jsonOption,
  },
  ({ negotiation, nats, json }) =>
    Effect.gen(function* () {
      const settings = yield* Connection.optionsAt(yield* natsUrl(nats))
      yield* Effect.gen(function* () {
        const feed = yield* StateFeed
        yield* Stream.runForEach(feed.watchState(negotiation), (view) =>
          Console.log(json ? JSON.stringify(view) : oneLine(view)),
        )
      }).pipe(
        Effect.provide(
          NatsFeed.layer({ prefix: settings.prefix }).pipe(
            Layer.provide(Connection.layer({ name: "parley-watch", ...settings })),
          ),
        ),
      )
    }),
).pipe(
  Command.withDescription(
    "Print each new state of a negotiation as it arrives (needs NATS and a running `parley project`)",
  ),
)
