/**
 * Which event log a command works on: `--nats URL` (or `PARLEY_NATS_URL`)
 * selects NATS JetStream, a JSONL path selects the file log. An explicit
 * flag or path wins over the environment.
 *
 * @since 0.1.0
 */
import { type ConfigError, Effect, Layer, Option } from "effect"
import * as Connection from "../nats/Connection.ts"
import type { CorruptEvent, EventStore, StoreError } from "../store/EventStore.ts"
import * as File from "../store/File.ts"
import * as Nats from "../store/Nats.ts"
import { UsageError } from "./Errors.ts"

/** Where the log is, as the command line gave it. */
export interface StoreChoice {
  /** `--nats URL`, if given. */
  readonly nats: Option.Option<string>
  /** A JSONL log path, if the command takes one. */
  readonly file?: Option.Option<string> | undefined
}

/** The layer a command gets: the chosen {@link EventStore}, or why there is none. */
export type StoreLayer = Layer.Layer<
  EventStore,
  StoreError | CorruptEvent | Nats.StreamMismatch | ConfigError.ConfigError | UsageError
>

/**
 * The {@link EventStore} layer for a command: `--nats URL`, else the JSONL
 * path, else `PARLEY_NATS_URL`; a {@link UsageError} when none is given.
 */
export const storeLayer = (choice: StoreChoice): StoreLayer =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      if (Option.isSome(choice.nats)) return Nats.layerAt(choice.nats.value) as StoreLayer
      if (choice.file !== undefined && Option.isSome(choice.file))
        return File.layer(choice.file.value) as StoreLayer
      const { servers } = yield* Connection.config
      if (Option.isSome(servers)) return Nats.layerAt(servers.value) as StoreLayer
      return yield* new UsageError({
        problem: "no event log: give --nats URL, set PARLEY_NATS_URL, or give a JSONL log path",
      })
    }),
  )
