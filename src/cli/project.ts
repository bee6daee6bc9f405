/**
 * `parley project [--nats URL] [--rebuild]`: runs the projector as a
 * long-lived service. It follows the NATS event log and publishes every
 * negotiation's state on `<prefix>.state.<id>` and in the KV bucket
 * `<prefix>-state`, resuming after its checkpoint (`--rebuild`: from the
 * start). SIGINT or SIGTERM stop it cleanly: the fiber is interrupted, the
 * last summary is published and its one NATS connection (shared by the log
 * and the projector) is drained; exit code 0.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Logger, LogLevel } from "effect"
import * as Projector from "../feed/Projector.ts"
import * as Nats from "../store/Nats.ts"
import * as Spec from "../store/Spec.ts"
import type { ProjectArgs } from "./commands/project.ts"
import { natsUrl } from "./Options.ts"

/** Logs go to stderr, as one logfmt line each; debug included (the connection's lifecycle). */
const stderrLogger = Layer.merge(
  Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger)),
  Logger.minimumLogLevel(LogLevel.Debug),
)

/** What `parley project` does. */
export const handlers = {
  project: ({ nats, rebuild }: ProjectArgs) =>
    Effect.gen(function* () {
      const options = yield* Spec.natsOptions(
        Spec.nats(yield* natsUrl(nats), { name: "parley-projector" }),
      )
      // One connection, shared by the event log and the projector.
      return yield* Projector.run({ prefix: options.prefix, stream: options.stream, rebuild }).pipe(
        Effect.provide(Nats.layer(options)),
      )
    }).pipe(Effect.provide(stderrLogger)),
}
