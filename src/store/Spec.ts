/**
 * Which event log to open, as data, and the one place that opens it. Every
 * engine and command says which store it wants as a {@link StoreSpec} —
 * `memory`, `jsonl` (the append-only file at a path) or `nats` (JetStream,
 * its server, prefix and stream) — and gets it from {@link openStore} (the
 * service, in a scope) or {@link storeLayer} (the layer).
 *
 * Adding an adapter: its module, its spec in {@link StoreSpec} and what
 * opening it can fail with in {@link OpenErrors}, one case in
 * {@link openStore}, and one line in the contract suite
 * (`tests/store/Contract.test.ts`, which will not compile without it).
 *
 * NATS credentials are never part of a spec: they come from the
 * environment (`src/nats/Connection.ts`), as the server URL does when the spec
 * names none.
 *
 * @since 0.4.0
 */
import { type ConfigError, Effect, Layer, Schema, type Scope } from "effect"
import * as Connection from "../nats/Connection.ts"
import {
  type CorruptEvent,
  EventStore,
  type EventStoreService,
  type StoreError,
} from "./EventStore.ts"
import * as File from "./File.ts"
import * as Memory from "./Memory.ts"
import * as Nats from "./Nats.ts"

/** A fresh, empty log in this process. */
export const MemorySpec = Schema.TaggedStruct("memory", {})
export type MemorySpec = typeof MemorySpec.Type

/** The append-only JSONL file at `path` (created when missing). */
export const JsonlSpec = Schema.TaggedStruct("jsonl", { path: Schema.String })
export type JsonlSpec = typeof JsonlSpec.Type

/** The NATS JetStream log (see `Nats.ts`); what is not given comes from the environment or the defaults. */
export const NatsSpec = Schema.TaggedStruct("nats", {
  /** The server URL(s); default `PARLEY_NATS_URL`. */
  url: Schema.optional(Schema.String),
  /** The subject prefix; default `PARLEY_NATS_PREFIX`, else `parley`. */
  prefix: Schema.optional(Schema.String),
  /** The stream; default the prefix in upper case. */
  stream: Schema.optional(Schema.String),
  /** The connection name the server shows; default `parley`. */
  name: Schema.optional(Schema.String),
  /** Replicas of the stream when it is created. */
  replicas: Schema.optional(Schema.Number),
  /** Largest commit accepted, in bytes, when the stream is created. */
  maxMessageBytes: Schema.optional(Schema.Number),
  /** Create the stream when it is missing (default). */
  createStream: Schema.optional(Schema.Boolean),
})
export type NatsSpec = typeof NatsSpec.Type

/** Which event log to open. */
export const StoreSpec = Schema.Union(MemorySpec, JsonlSpec, NatsSpec)
export type StoreSpec = typeof StoreSpec.Type

/** A fresh in-memory log. */
export const memory: MemorySpec = MemorySpec.make({})

/** The JSONL log at `path`. */
export const jsonl = (path: string): JsonlSpec => JsonlSpec.make({ path })

/** The NATS log at `url` (default `PARLEY_NATS_URL`), with the environment's prefix and credentials unless `options` say otherwise. */
export const nats = (url?: string | undefined, options: Omit<NatsSpec, "_tag" | "url"> = {}) =>
  NatsSpec.make({ ...options, ...(url === undefined ? {} : { url }) })

/** What opening each kind of store can fail with. */
export interface OpenErrors {
  readonly memory: never
  readonly jsonl: CorruptEvent | StoreError
  readonly nats: StoreError | Nats.StreamMismatch | ConfigError.ConfigError
}

/** What opening the store of `S` can fail with. */
export type OpenError<S extends StoreSpec = StoreSpec> = OpenErrors[S["_tag"]]

/**
 * The NATS options of a spec: its URL (or `PARLEY_NATS_URL`) with the
 * environment's prefix and credentials, then what the spec says.
 */
export const natsOptions = (
  spec: NatsSpec,
): Effect.Effect<Nats.NatsOptions, ConfigError.ConfigError> =>
  Effect.map(Connection.optionsAt(spec.url), (settings) => {
    const { _tag: _, url: _url, ...given } = spec
    return { ...settings, ...given }
  })

/**
 * Opens the store `spec` names; a NATS log's connection is drained when the
 * scope closes (a memory or file log holds nothing to release).
 */
export const openStore = <S extends StoreSpec>(
  spec: S,
): Effect.Effect<EventStoreService, OpenError<S>, Scope.Scope> => {
  const opened: Effect.Effect<EventStoreService, OpenError, Scope.Scope> = (() => {
    switch (spec._tag) {
      case "memory":
        return Memory.make
      case "jsonl":
        return File.make(spec.path)
      case "nats":
        return Effect.flatMap(natsOptions(spec), Nats.make)
    }
  })()
  return opened as Effect.Effect<EventStoreService, OpenError<S>, Scope.Scope>
}

/** The layer of the store `spec` names (released with the layer). */
export const storeLayer = <S extends StoreSpec>(spec: S): Layer.Layer<EventStore, OpenError<S>> =>
  Layer.scoped(EventStore, openStore(spec))
