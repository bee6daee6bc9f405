/**
 * `parley watch <negotiationId> [--nats URL] [--json]`: prints each new state
 * of a negotiation as the projector publishes it (run `parley project` for
 * that log): its latest state first, then every new version. One readable
 * line per state, or one JSON object per line with `--json`.
 *
 * @since 0.1.0
 */
import { Console, Effect, Layer, Stream } from "effect"
import { oneLine } from "../feed/Describe.ts"
import * as NatsFeed from "../feed/NatsFeed.ts"
import { StateFeed } from "../feed/StateFeed.ts"
import * as Connection from "../nats/Connection.ts"
import type { WatchArgs } from "./commands/watch.ts"
import { natsUrl } from "./Options.ts"

/** What `parley watch` does. */
export const handlers = {
  watch: ({ negotiation, nats, json }: WatchArgs) =>
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
}
