/**
 * `parley project [--nats URL] [--rebuild]`: runs the projector as a
 * long-lived service. It follows the NATS event log and publishes every
 * negotiation's state on `<prefix>.state.<id>` and in the KV bucket
 * `<prefix>-state`, resuming after its checkpoint (`--rebuild`: from the
 * start). SIGINT or SIGTERM stop it cleanly: the fiber is interrupted, the
 * last summary is published and its one NATS connection (shared by the log
 * and the projector) is drained; exit code 0. What it runs with is imported
 * when it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Command, Options } from "@effect/cli"
import { Effect, Layer, Logger, LogLevel } from "effect"
import { described } from "../Help.ts"
import { natsOrEnvOption } from "./Shared.ts"

const rebuildOption = Options.boolean("rebuild").pipe(
  Options.withDescription("ignore the checkpoint: recompute and publish every state from the log"),
)

const config = { nats: natsOrEnvOption, rebuild: rebuildOption }

/** Logs go to stderr, as one logfmt line each; debug included (the connection's lifecycle). */
const stderrLogger = () =>
  Layer.merge(
    Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger)),
    Logger.minimumLogLevel(LogLevel.Debug),
  )

/** `parley project`. */
export const command = Command.make("project", config, ({ nats, rebuild }) =>
  Effect.gen(function* () {
    const Projector = yield* Effect.promise(() => import("../../feed/Projector.ts"))
    const Nats = yield* Effect.promise(() => import("../../store/Nats.ts"))
    const Spec = yield* Effect.promise(() => import("../../store/Spec.ts"))
    const { natsUrl } = yield* Effect.promise(() => import("../Options.ts"))
    const options = yield* Spec.natsOptions(
      Spec.nats(yield* natsUrl(nats), { name: "parley-projector" }),
    )
    // One connection, shared by the event log and the projector.
    return yield* Projector.run({ prefix: options.prefix, stream: options.stream, rebuild }).pipe(
      Effect.provide(Nats.layer(options)),
    )
  }).pipe(Effect.provide(stderrLogger())),
).pipe(
  Command.withDescription(
    described(
      "Publish the state of every negotiation on NATS for other services (runs until SIGINT/SIGTERM)",
      [
        "parley project --nats nats://127.0.0.1:4222",
        "parley project --nats nats://127.0.0.1:4222 --rebuild",
      ],
    ),
  ),
)
