/**
 * The NATS JetStream event log, designed for nats-server 2.9 (no atomic
 * batch publish, no multi-filter consumers) and working on newer servers.
 *
 * Layout (`src/nats/Layout.ts`): one stream (`PARLEY` for the default prefix
 * `parley`) capturing `<prefix>.events.>`, one concrete subject per
 * negotiation, `<prefix>.events.<negotiationId>`. Negotiation ids are validated tokens, so
 * none can become a wildcard.
 *
 * One message per append: a commit, the JSON array of the envelopes it
 * appended, so that a multi-event decision is visible all-or-nothing. The
 * message id is a digest of the event ids (which are content-derived), so a
 * retry inside the stream's duplicate window is answered by the server's
 * deduplication with the stored copy; an older retry that conflicts is
 * answered from the log, when the ids stored where it expected to write
 * are its own (a run played again minutes later). Optimistic concurrency maps the
 * expected version to the subject's last stream sequence and publishes with
 * `expect.lastSubjectSequence`.
 *
 * The NATS plumbing it shares with the feed, the agents and the work queue
 * is in `src/nats/`: `Connection` (the shared, scoped connection and the
 * configuration read from the environment), `Errors` (nats.js failures as
 * typed errors, with the server's code and the cause kept) and `Layout`. Its
 * own parts, under `nats/`: `CommitCodec` (commits and message ids), `LogStream` (the stream's settings), `Reader`
 * (ordered consumers read in batches, and followed for good) and `Store`
 * (the port itself). This module puts them together.
 *
 * @since 0.1.0
 */
import { Effect, Layer, type Scope } from "effect"
import * as Connection from "../nats/Connection.ts"
import type { EventStore, EventStoreService, StoreError } from "./EventStore.ts"
import type { StreamMismatch } from "./nats/LogStream.ts"
import * as Store from "./nats/Store.ts"

export { Connection, type Secret } from "../nats/Connection.ts"
export { eventSubject, streamName } from "../nats/Layout.ts"
export { commitId } from "./nats/CommitCodec.ts"
export { StreamMismatch } from "./nats/LogStream.ts"

/** Where the NATS event log lives and how to connect to it. */
export interface NatsOptions extends Connection.ConnectOptions, Store.StoreOptions {}

/**
 * Opens the NATS event log on a connection of its own (drained when the
 * scope closes): creates or verifies the stream and returns the
 * {@link EventStore} service.
 */
export const make = (
  options: NatsOptions,
): Effect.Effect<EventStoreService, StoreError | StreamMismatch, Scope.Scope> =>
  Effect.flatMap(Connection.connect(options), (connection) =>
    Effect.provideService(Store.make(options), Connection.Connection, connection),
  )

/**
 * A layer providing the NATS {@link EventStore} and the {@link Connection} it
 * runs on, for the feed and the projector to share; the connection is
 * drained when the layer is released.
 */
export const layer = (
  options: NatsOptions,
): Layer.Layer<EventStore | Connection.Connection, StoreError | StreamMismatch> =>
  Layer.provideMerge(Store.layer(options), Connection.layer(options))
