/**
 * Which event log a command works on: `--nats URL` (or `PARLEY_NATS_URL`)
 * selects NATS JetStream, a JSONL path selects the file log. An explicit
 * flag or path wins over the environment.
 *
 * @since 0.1.0
 */
import { type ConfigError, Effect, Layer, Option } from "effect"
import * as Connection from "../nats/Connection.ts"
import type { EventStore } from "../store/EventStore.ts"
import * as Spec from "../store/Spec.ts"
import { UsageError } from "./Errors.ts"

/** Where the log is, as the command line gave it. */
export interface StoreChoice {
  /** `--nats URL`, if given. */
  readonly nats: Option.Option<string>
  /** A JSONL log path, if the command takes one. */
  readonly file?: Option.Option<string> | undefined
}

/** The layer a command gets: the chosen {@link EventStore}, or why there is none. */
export type StoreLayer = Layer.Layer<EventStore, Spec.OpenError | UsageError>

/**
 * The store a command works on: `--nats URL`, else the JSONL path, else
 * `PARLEY_NATS_URL`; a {@link UsageError} when none is given.
 */
export const storeSpecOf = (
  choice: StoreChoice,
): Effect.Effect<Spec.StoreSpec, UsageError | ConfigError.ConfigError> =>
  Effect.gen(function* () {
    if (Option.isSome(choice.nats)) return Spec.nats(choice.nats.value)
    if (choice.file !== undefined && Option.isSome(choice.file))
      return Spec.jsonl(choice.file.value)
    const { servers } = yield* Connection.config
    if (Option.isSome(servers)) return Spec.nats(servers.value)
    return yield* new UsageError({
      problem: "no event log: give --nats URL, set PARLEY_NATS_URL, or give a JSONL log path",
    })
  })

/** The {@link EventStore} layer for a command: the store {@link storeSpecOf} chooses. */
export const storeLayer = (choice: StoreChoice): StoreLayer =>
  Layer.unwrapEffect(Effect.map(storeSpecOf(choice), Spec.storeLayer))
