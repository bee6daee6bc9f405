/**
 * The JetStream stream that holds the log: created with the settings the
 * log's guarantees rest on when it is missing, verified (never changed) when
 * it exists.
 *
 * @since 0.1.0
 */
import type { JetStreamManager, StreamConfig, StreamInfo } from "@nats-io/jetstream"
import { nanos } from "@nats-io/transport-node"
import { Duration, Effect, Schema } from "effect"
import { ApiCodes, classify, isApiError } from "../../nats/Errors.ts"
import { eventSubjects, layoutFor } from "../../nats/Layout.ts"
import type { StoreError } from "../EventStore.ts"

/** The existing stream has settings that would break the log's guarantees; it is left as it is. */
export class StreamMismatch extends Schema.TaggedError<StreamMismatch>()("StreamMismatch", {
  stream: Schema.String,
  problems: Schema.Array(Schema.String),
}) {
  override get message() {
    return `stream ${this.stream} exists with incompatible settings (${this.problems.join("; ")}); change it by hand or use another prefix`
  }
}

/** How the stream is created when it is missing. */
export interface StreamOptions {
  readonly name: string
  readonly prefix: string
  /** Largest commit accepted, in bytes. */
  readonly maxMessageBytes: number
  /** How long a retried append is recognised by message id. */
  readonly duplicateWindow: Duration.Duration
  readonly replicas: number
  /** Create the stream when it is missing; otherwise a missing stream is an error. */
  readonly create: boolean
}

/** The settings the log relies on; any other stream setting is left to the operator. */
const desiredConfig = (options: StreamOptions) =>
  ({
    name: options.name,
    subjects: [eventSubjects(layoutFor(options.prefix))],
    storage: "file",
    retention: "limits",
    discard: "new",
    deny_delete: true,
    deny_purge: true,
    allow_direct: true,
    max_msg_size: options.maxMessageBytes,
    duplicate_window: nanos(Duration.toMillis(options.duplicateWindow)),
    max_age: 0,
    max_msgs: -1,
    max_bytes: -1,
    max_msgs_per_subject: -1,
    num_replicas: options.replicas,
  }) satisfies Partial<StreamConfig>

const mismatches = (config: StreamConfig, prefix: string): Array<string> => {
  const problems: Array<string> = []
  const want = <K extends keyof StreamConfig>(key: K, value: StreamConfig[K], why: string) => {
    if (config[key] !== value)
      problems.push(
        `${key} is ${JSON.stringify(config[key])}, needs ${JSON.stringify(value)} (${why})`,
      )
  }
  const subjects = eventSubjects(layoutFor(prefix))
  if (!config.subjects?.includes(subjects))
    problems.push(`subjects ${JSON.stringify(config.subjects)} do not include ${subjects}`)
  want("storage", "file", "events must survive a restart")
  want("retention", "limits", "events are never consumed away")
  want("discard", "new", "a full stream must refuse appends, not drop history")
  want("deny_delete", true, "history is append-only")
  want("deny_purge", true, "history is append-only")
  want("allow_direct", true, "heads are read with direct gets")
  if (config.max_age !== 0)
    problems.push(`max_age is ${config.max_age}, needs 0 (events never expire)`)
  if (config.max_msgs_per_subject > 0)
    problems.push(
      `max_msgs_per_subject is ${config.max_msgs_per_subject}, needs -1 (a negotiation keeps all its commits)`,
    )
  return problems
}

/** The stream: created if missing (unless told not to), verified if present. */
export const ensure = (
  jsm: JetStreamManager,
  options: StreamOptions,
  servers: string,
): Effect.Effect<StreamInfo, StoreError | StreamMismatch> =>
  Effect.gen(function* () {
    const info = yield* Effect.tryPromise({
      try: async () => {
        try {
          return await jsm.streams.info(options.name)
        } catch (e) {
          if (!isApiError(e, ApiCodes.StreamNotFound) || !options.create) throw e
          try {
            return await jsm.streams.add(desiredConfig(options))
          } catch (e) {
            // Someone else created it first.
            if (isApiError(e, ApiCodes.StreamNameExist)) return await jsm.streams.info(options.name)
            throw e
          }
        }
      },
      catch: classify(`create stream ${options.name}`, servers),
    })
    const problems = mismatches(info.config, options.prefix)
    if (problems.length > 0) return yield* new StreamMismatch({ stream: options.name, problems })
    return info
  })
