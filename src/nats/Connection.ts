/**
 * One NATS connection as a shared, scoped service. The event log, the state
 * feed and the projector take the {@link Connection} from their context, so a
 * process that runs several of them (`parley project`: the log and the
 * projector) opens one connection, drained when the layer is released.
 *
 * The connection settings — `PARLEY_NATS_URL`, the prefix and the
 * credentials — are read here and nowhere else ({@link config}); secrets are
 * `Redacted` from the moment they are read to the moment they are handed to
 * nats.js.
 *
 * @since 0.1.0
 */
import { readFile } from "node:fs/promises"
import {
  type ConnectionOptions,
  credsAuthenticator,
  type NatsConnection,
  connect as natsConnect,
  nkeyAuthenticator,
} from "@nats-io/transport-node"
import {
  Config,
  type ConfigError,
  Context,
  Duration,
  Effect,
  Layer,
  Option,
  Redacted,
  type Scope,
} from "effect"
import { messageOf } from "../domain/Errors.ts"
import { StoreError } from "../domain/Log.ts"
import { classify } from "./Errors.ts"

/** A secret (password, token, nkey seed): never a plain string, so it never lands in a log. */
export type Secret = Redacted.Redacted<string>

/** Credentials and TLS settings of a connection. */
export interface Credentials {
  readonly user?: string | undefined
  readonly password?: Secret | undefined
  readonly token?: Secret | undefined
  /** An nkey seed (`SU...`). */
  readonly nkeySeed?: Secret | undefined
  /** A `.creds` file (JWT and nkey seed). */
  readonly credsFile?: string | undefined
  /** TLS files: CA, client certificate and key. */
  readonly tls?:
    | {
        readonly caFile?: string | undefined
        readonly certFile?: string | undefined
        readonly keyFile?: string | undefined
      }
    | undefined
}

/** Where the servers are and how to connect to them. */
export interface ConnectOptions extends Credentials {
  /** One or more server URLs, e.g. `nats://127.0.0.1:4222`. */
  readonly servers: string | ReadonlyArray<string>
  /** Timeout of the connection and of each request to the server. Default 5 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** The connection name shown by the server. Default `parley`. */
  readonly name?: string | undefined
}

/** An open connection, with what its users need to talk about it. */
export interface ConnectionService {
  readonly nc: NatsConnection
  /** The server URLs, comma-separated, for error messages. */
  readonly servers: string
  /** Timeout of each request, in milliseconds. */
  readonly timeout: number
}

/** The shared NATS connection. */
export class Connection extends Context.Tag("parley/NatsConnection")<
  Connection,
  ConnectionService
>() {}

const bytes = new TextEncoder()

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>

/**
 * Connects with the credentials and TLS settings of `options`; the
 * connection is drained (then closed) when the scope closes.
 */
export const connect = (
  options: ConnectOptions,
): Effect.Effect<ConnectionService, StoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const servers = typeof options.servers === "string" ? [options.servers] : [...options.servers]
    const where = servers.join(",")
    const timeout = Duration.toMillis(options.timeout ?? "5 seconds")
    const credsFile = options.credsFile
    const authenticator =
      credsFile !== undefined
        ? credsAuthenticator(
            yield* Effect.tryPromise({
              try: () => readFile(credsFile),
              catch: (cause) =>
                new StoreError({
                  reason: "Failure",
                  operation: `read ${credsFile}`,
                  problem: messageOf(cause),
                  cause,
                }),
            }),
          )
        : options.nkeySeed !== undefined
          ? nkeyAuthenticator(bytes.encode(Redacted.value(options.nkeySeed)))
          : undefined
    const tls = options.tls
    const settings: ConnectionOptions = {
      servers,
      noAsyncTraces: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout,
      name: options.name ?? "parley",
      ...optional("user", options.user),
      ...optional("pass", options.password && Redacted.value(options.password)),
      ...optional("token", options.token && Redacted.value(options.token)),
      ...optional("authenticator", authenticator),
      ...optional(
        "tls",
        tls && {
          ...optional("caFile", tls.caFile),
          ...optional("certFile", tls.certFile),
          ...optional("keyFile", tls.keyFile),
        },
      ),
    }
    // Whether the server is reachable right now: draining waits for it, so a
    // connection whose server is gone is closed at once (a stopping process
    // must not wait for a server that may never come back).
    const link = { up: true }
    const nc = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => natsConnect(settings),
        catch: classify(`connect to ${where}`, where, "connect"),
      }).pipe(
        Effect.tap((nc) => {
          void (async () => {
            for await (const s of nc.status()) {
              if (s.type === "disconnect") link.up = false
              else if (s.type === "reconnect") link.up = true
            }
          })().catch(() => undefined)
        }),
      ),
      (nc) =>
        (link.up ? Effect.tryPromise(() => nc.drain()) : Effect.void).pipe(
          Effect.timeout("5 seconds"),
          Effect.ignore,
          // A drain that timed out left the connection open: close it before waiting for its end.
          Effect.zipRight(Effect.promise(() => nc.close().catch(() => undefined))),
          Effect.zipRight(Effect.promise(() => nc.closed())),
          // Debug: a command printing JSON on stdout must not get log lines there.
          Effect.flatMap((error) =>
            Effect.logDebug(
              error instanceof Error
                ? `nats: connection closed (${where}): ${error.message}`
                : `nats: connection drained (${where})`,
            ),
          ),
        ),
    )
    return { nc, servers: where, timeout }
  })

/** A layer providing one {@link Connection}, drained when the layer is released. */
export const layer = (options: ConnectOptions): Layer.Layer<Connection, StoreError> =>
  Layer.scoped(Connection, connect(options))

/** Everything the environment can say about the NATS event log. */
export interface Settings extends Credentials {
  /** `PARLEY_NATS_URL`, when set. */
  readonly servers: Option.Option<string>
  /** `PARLEY_NATS_PREFIX`, when set. */
  readonly prefix?: string | undefined
}

/** The server URL: `PARLEY_NATS_URL`. The CLI falls back to it when `--nats` is not given. */
export const urlConfig: Config.Config<string> = Config.string("PARLEY_NATS_URL").pipe(
  Config.withDescription("the NATS server URL, e.g. nats://127.0.0.1:4222"),
)

const some = <A>(config: Config.Config<A>) =>
  Config.map(Config.option(config), Option.getOrUndefined)

/**
 * The NATS settings from the environment, all optional: `PARLEY_NATS_URL`,
 * `PARLEY_NATS_PREFIX`, `PARLEY_NATS_USER`, `PARLEY_NATS_PASSWORD`,
 * `PARLEY_NATS_TOKEN`, `PARLEY_NATS_NKEY_SEED`, `PARLEY_NATS_CREDS`,
 * `PARLEY_NATS_TLS_CA`, `PARLEY_NATS_TLS_CERT`, `PARLEY_NATS_TLS_KEY`.
 * The password, token and nkey seed are read as `Redacted`.
 */
export const config: Config.Config<Settings> = Config.all({
  servers: Config.option(urlConfig),
  prefix: some(Config.string("PARLEY_NATS_PREFIX")),
  user: some(Config.string("PARLEY_NATS_USER")),
  password: some(Config.redacted("PARLEY_NATS_PASSWORD")),
  token: some(Config.redacted("PARLEY_NATS_TOKEN")),
  nkeySeed: some(Config.redacted("PARLEY_NATS_NKEY_SEED")),
  credsFile: some(Config.string("PARLEY_NATS_CREDS")),
  caFile: some(Config.string("PARLEY_NATS_TLS_CA")),
  certFile: some(Config.string("PARLEY_NATS_TLS_CERT")),
  keyFile: some(Config.string("PARLEY_NATS_TLS_KEY")),
}).pipe(
  Config.map(({ caFile, certFile, keyFile, ...rest }) => ({
    ...rest,
    tls:
      caFile === undefined && certFile === undefined && keyFile === undefined
        ? undefined
        : { caFile, certFile, keyFile },
  })),
)

/**
 * The connection options for `servers` (or, when absent, `PARLEY_NATS_URL`)
 * with the prefix and credentials of the environment ({@link config}).
 */
export const optionsAt = (
  servers?: string | undefined,
): Effect.Effect<
  ConnectOptions & { readonly prefix?: string | undefined },
  ConfigError.ConfigError
> =>
  Effect.flatMap(config, ({ servers: fromEnv, ...rest }) =>
    servers !== undefined || Option.isSome(fromEnv)
      ? Effect.succeed({ ...rest, servers: servers ?? Option.getOrThrow(fromEnv) })
      : // Read again only to fail with the ConfigError naming PARLEY_NATS_URL.
        Effect.map(urlConfig, (url) => ({ ...rest, servers: url })),
  )
