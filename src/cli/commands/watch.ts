/**
 * `parley watch <negotiationId> [--nats URL] [--json]`: prints each new state
 * of a negotiation as the projector publishes it (run `parley project` for
 * that log): its latest state first, then every new version. One readable
 * line per state, or one JSON object per line with `--json`. What it runs
 * with is imported when it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Args, Command } from "@effect/cli"
import { Console, Effect, Layer, Stream } from "effect"
import { described } from "../Help.ts"
import { jsonOption, natsOrEnvOption } from "./Shared.ts"

const config = {
  negotiation: Args.text({ name: "negotiationId" }).pipe(
    Args.withDescription("the negotiation to follow"),
  ),
  nats: natsOrEnvOption,
  json: jsonOption,
}

/** `parley watch`. */
export const command = Command.make("watch", config, ({ negotiation, nats, json }) =>
  Effect.gen(function* () {
    const { oneLine } = yield* Effect.promise(() => import("../../feed/Describe.ts"))
    const NatsFeed = yield* Effect.promise(() => import("../../feed/NatsFeed.ts"))
    const { StateFeed } = yield* Effect.promise(() => import("../../feed/StateFeed.ts"))
    const Connection = yield* Effect.promise(() => import("../../nats/Connection.ts"))
    const { natsUrl } = yield* Effect.promise(() => import("../Options.ts"))
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
    described(
      "Print each new state of a negotiation as it arrives (needs NATS and a running `parley project`)",
      ["parley watch supply-2025 --nats nats://127.0.0.1:4222", "parley watch supply-2025 --json"],
    ),
  ),
)
