/**
 * What the live server checks of every request before it routes it, and the
 * headers every answer carries (`Live.ts`, `parley serve`):
 *
 * - **`Host`** names this server: a loopback name (`localhost`, `127.0.0.1`,
 *   `[::1]`), or the address `--host` gave (with a wildcard such as `0.0.0.0`,
 *   this machine's addresses and name). Anything else is answered 421
 *   (Misdirected Request): a page of another site whose name an attacker
 *   points at this machine (DNS rebinding) cannot read the live streams.
 * - **Connections** beyond a cap are answered 503 and closed (past twice the
 *   cap, Node drops them unanswered); **watchers** (open event streams)
 *   beyond theirs are answered 503.
 * - **A body** longer than its limit is answered 413, by its declared length
 *   before it is read, or as it is read (`readBody`).
 * - **Every answer** carries a Content-Security-Policy that runs only the
 *   pages' own scripts (by hash: no inline handler, no injected script runs),
 *   loads nothing from elsewhere and forbids framing (`frame-ancestors
 *   'none'`), with `nosniff` and no referrer.
 *
 * @since 0.5.0
 */
import { createHash } from "node:crypto"
import type { Server } from "node:http"
import type { Socket } from "node:net"
import { hostname, networkInterfaces } from "node:os"
import {
  type HttpApp,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse,
} from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Effect } from "effect"

/** How much the live server takes on at once. */
export interface Limits {
  /** Open connections answered; beyond, 503. */
  readonly connections: number
  /** Open event streams (the pages' live updates); beyond, 503. */
  readonly watchers: number
  /** The longest request body read, in bytes; beyond, 413. */
  readonly bodyBytes: number
}

/** Enough for a few people and observers, each page holding two streams; a move is a few hundred bytes. */
export const DEFAULT_LIMITS: Limits = { connections: 64, watchers: 32, bodyBytes: 64 * 1024 }

/** A script's CSP source expression: its SHA-256, so that it runs and nothing else inline does. */
export const scriptHash = (script: string): string =>
  `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`

/** The policy of every answer: only `scripts` run; styles inline; requests to this server only; no framing. */
export const contentSecurityPolicy = (scripts: ReadonlyArray<string>): string =>
  [
    "default-src 'none'",
    `script-src ${scripts.map(scriptHash).join(" ")}`,
    "style-src 'unsafe-inline'",
    "connect-src 'self'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ")

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"]
const WILDCARD = new Set(["", "0.0.0.0", "::", "[::]"])

/** An address as a Host header names it: IPv6 in brackets, lower case. */
const asHostName = (address: string) => {
  const a = address.toLowerCase()
  return a.includes(":") && !a.startsWith("[") ? `[${a.replace(/%.*$/, "")}]` : a
}

/** The names a request's `Host` may give for a server listening on `host`. */
export const allowedHosts = (host: string): ReadonlySet<string> => {
  const names = new Set(LOOPBACK)
  if (WILDCARD.has(host.trim().toLowerCase())) {
    // The address the server prints (`http://0.0.0.0:8080/`), then every address and the name of this machine.
    if (host.trim() !== "") names.add(asHostName(host.trim()))
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.add(asHostName(a.address))
    names.add(hostname().toLowerCase())
  } else names.add(asHostName(host.trim()))
  return names
}

/** The name in a `Host` header, without its port, lower case (`[::1]:8080` → `[::1]`); `undefined` if malformed. */
export const hostName = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined
  const m = /^(\[[0-9a-f:.]*\]|[^:[\]]*)(?::\d{1,5})?$/.exec(header.trim().toLowerCase())
  return m === null || m[1] === "" ? undefined : m[1]!.replace(/\.$/, "")
}

/** A JSON answer that no cache keeps. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, {
    status,
    headers: { "cache-control": "no-store", ...headers },
  })

// The connection is kept: Node discards the rest of the body (a client still sending would otherwise be
// cut off before it reads the answer).
const tooLarge = (limit: number) =>
  json(413, { error: `the request body is over ${limit} bytes`, code: "too-large" })

/** What {@link makeGuard} gives the server. */
export interface Guard {
  /** `app` behind the checks, its answers (errors included) with the security headers. */
  readonly app: <E, R>(
    app: HttpApp.Default<E, R>,
  ) => HttpApp.Default<never, R | HttpServerRequest.HttpServerRequest>
  /**
   * Takes a watcher's place for the request's stream (freed when its
   * response closes): `undefined` when taken, else the 503 to answer.
   */
  readonly watcher: Effect.Effect<
    HttpServerResponse.HttpServerResponse | undefined,
    never,
    HttpServerRequest.HttpServerRequest
  >
  /** The request body as text, or the 413 to answer when it is over the limit (or cannot be read: `undefined`). */
  readonly readBody: Effect.Effect<
    { readonly text: string } | { readonly refused: HttpServerResponse.HttpServerResponse },
    never,
    HttpServerRequest.HttpServerRequest
  >
}

/** The checks of a server on `node` listening on `host`, with `limits`, whose pages run `scripts`. */
export const makeGuard = (
  node: Server,
  options: {
    readonly host: string
    readonly limits: Limits
    readonly scripts: ReadonlyArray<string>
  },
): Guard => {
  const { limits } = options
  const hosts = allowedHosts(options.host)
  const headers = {
    "content-security-policy": contentSecurityPolicy(options.scripts),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-origin",
  }
  let open = 0
  const over = new WeakSet<Socket>()
  // Far past the cap, connections are dropped unanswered; up to it, the over-cap ones are told why (503).
  node.maxConnections = limits.connections * 2
  node.on("connection", (socket: Socket) => {
    open++
    socket.once("close", () => {
      open--
    })
    if (open > limits.connections) over.add(socket)
  })
  let watchers = 0

  const check = Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
    const name = hostName(request.headers.host)
    if (name === undefined || !hosts.has(name))
      return json(421, {
        error: `this server does not answer for the host ${JSON.stringify((request.headers.host ?? "").slice(0, 100))} (serve --host names another)`,
        code: "wrong-host",
      })
    if (over.has(NodeHttpServerRequest.toIncomingMessage(request).socket))
      return json(
        503,
        { error: `too many connections (at most ${limits.connections})`, code: "busy" },
        { connection: "close", "retry-after": "5" },
      )
    const length = Number(request.headers["content-length"] ?? 0)
    if (!Number.isFinite(length) || length > limits.bodyBytes) return tooLarge(limits.bodyBytes)
    return undefined
  })

  const app = <E, R>(inner: HttpApp.Default<E, R>) =>
    Effect.gen(function* () {
      const refused = yield* check
      const response =
        refused ??
        (yield* inner.pipe(
          Effect.catchAllCause((cause) =>
            Effect.map(HttpServerError.causeResponse(cause), ([r]) => r),
          ),
        ))
      return HttpServerResponse.setHeaders(response, headers)
    })

  const watcher = Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
    if (watchers >= limits.watchers)
      return json(
        503,
        { error: `too many live streams open (at most ${limits.watchers})`, code: "busy" },
        { "retry-after": "5" },
      )
    watchers++
    NodeHttpServerRequest.toServerResponse(request).once("close", () => {
      watchers--
    })
    return undefined
  })

  // Read here rather than through the platform's reader, which on a long body destroys the socket before the
  // answer goes out: past the limit, the answer is 413 at once and the rest of the body is read and dropped.
  const readBody = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.async<
      { readonly text: string } | { readonly refused: HttpServerResponse.HttpServerResponse }
    >((resume) => {
      const source = NodeHttpServerRequest.toIncomingMessage(request)
      const chunks: Array<Buffer> = []
      let bytes = 0
      const stop = () => {
        source.off("data", onData)
        source.off("end", onEnd)
        source.off("error", onError)
      }
      const onData = (chunk: Buffer) => {
        bytes += chunk.length
        if (bytes <= limits.bodyBytes) return void chunks.push(chunk)
        stop()
        source.resume()
        resume(Effect.succeed({ refused: tooLarge(limits.bodyBytes) }))
      }
      const onEnd = () => {
        stop()
        resume(Effect.succeed({ text: Buffer.concat(chunks).toString("utf8") }))
      }
      const onError = () => {
        stop()
        resume(
          Effect.succeed({
            refused: json(400, {
              error: "the request body could not be read",
              code: "bad-request",
            }),
          }),
        )
      }
      source.on("data", onData)
      source.once("end", onEnd)
      source.once("error", onError)
      return Effect.sync(stop)
    }),
  )

  return { app, watcher, readBody }
}
