/**
 * `parley project [--nats URL] [--rebuild]`: runs the projector as a
 * long-lived service. It follows the NATS event log and publishes every
 * negotiation's state on `<prefix>.state.<id>` and in the KV bucket
 * `<prefix>-state`, resuming after its checkpoint (`--rebuild`: from the
 * start). SIGINT or SIGTERM stop it cleanly: the fiber is interrupted, the
 * last summary is published and the connections are drained; exit code 0.
 *
 * @since 0.1.0
 */
import { Command, Options } from "@effect/cli"
import { Effect, Logger } from "effect"
import * as Projector from "../feed/Projector.ts"
import * as Nats from "../store/Nats.ts"
import { natsOption } from "./Store.ts"
import { natsUrl } from "./watch.ts"

const rebuildOption = Options.boolean("rebuild").pipe(
  Options.withDescription("ignore the checkpoint: recompute and publish every state from the log"),
)

/** Logs go to stderr, as one logfmt line each. */
const stderrLogger = Logger.replace(
  Logger.defaultLogger,
  Logger.withConsoleError(Logger.logfmtLogger),
)

/** The `project` command. */
export const command = Command.make(
  "project",
  { nats: natsOption, rebuild: rebuildOption },
  ({ nats, rebuild }) =>
    Effect.gen(function* () {
      const servers = yield* natsUrl(nats)
      const rest = yield* Nats.connectionConfig
      return yield* Projector.run({ nats: { ...rest, servers }, rebuild }).pipe(
        Effect.provide(Nats.layer({ ...rest, servers })),
      )
    }).pipe(Effect.provide(stderrLogger)),
).pipe(
  Command.withDescription(
    "Publish the state of every negotiation on NATS for other services (runs until SIGINT/SIGTERM)",
  ),
)
