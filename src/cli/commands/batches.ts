/**
 * The command line of `parley batches --nats URL [--json]`; what it does is
 * in `src/cli/batches.ts`, loaded when it runs.
 *
 * @since 0.4.0
 */
import { Command } from "@effect/cli"
import { loadedHandler, type Parsed } from "./Lazy.ts"
import { jsonOption, natsOrEnvOption } from "./Shared.ts"

const config = { nats: natsOrEnvOption, json: jsonOption }
/** What `parley batches` is given. */
export type BatchesArgs = Parsed<typeof config>

export const command = Command.make(
  "batches",
  config,
  loadedHandler(
    () => import("../batches.ts"),
    (m) => m.handlers.batches,
  ),
).pipe(
  Command.withDescription(
    "List distributed batches: progress, failed items, workers holding items, malformed messages",
  ),
)
