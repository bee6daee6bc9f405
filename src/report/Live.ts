/**
 * The live page: a small HTTP server that lists negotiations and shows the
 * chosen one's report, updated through Server-Sent Events as its events
 * arrive. The report body is rendered on the server by the same code as the
 * static report (so it is escaped the same way) and swapped in by a few
 * lines of inline script.
 *
 * Where the states come from is a {@link LiveSource}: two streams. The
 * in-process source ({@link fromEventStore}) follows an {@link EventStore}
 * (the embedded memory log); a state feed (NATS) fits the same interface by
 * mapping its states to {@link Snapshot}s without events. People seated at
 * the table (`human/Seat.ts`) get a page and routes of their own, each
 * guarded by the seat's token.
 *
 * While people are seated, the seats keep their secrets: every route wants a
 * seat's token (403 without one), and the report a token opens is drawn
 * through that party's eyes only — its own utilities and reservation value,
 * no other party's, no outcome cloud or frontier (which would show what the
 * others want). What every request must pass first (its `Host`, the caps on
 * connections and streams, the body's size) and the headers every answer
 * carries (a Content-Security-Policy without inline handlers, no framing)
 * are in `LiveGuard.ts`.
 *
 * @since 0.1.0
 */
import { createServer } from "node:http"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Chunk, Data, Effect, type Scope, Stream } from "effect"
import { makeProjection, type ProjectionSink } from "../app/Projection.ts"
import { messageOf } from "../domain/Errors.ts"
import type { EventEnvelope } from "../domain/Event.ts"
import { initialState, type State } from "../domain/Negotiation.ts"
import { type StateView, toView } from "../domain/View.ts"
import type { StateFeedService } from "../feed/StateFeed.ts"
import type { Seat, SeatAnswer } from "../human/Seat.ts"
import type { EventStoreService } from "../store/EventStore.ts"
import { DEFAULT_LIMITS, type Guard, json, type Limits, makeGuard } from "./LiveGuard.ts"
import { movesOf, movesOfState, type Preferences } from "./Model.ts"
import { CSS, runBody } from "./Page.ts"
import { SEAT_SCRIPT, seatPage } from "./SeatPage.ts"

/** One negotiation as the list shows it. */
export interface Listing {
  readonly id: string
  readonly title: string
  readonly status: string
  readonly version: number
}

/** A negotiation's state as a live source delivers it. */
export interface Snapshot {
  readonly view: StateView
  /** Its events so far when the source has them (an event store does; a state feed does not). */
  readonly events?: ReadonlyArray<EventEnvelope> | undefined
}

/** Where the live page reads from. */
export interface LiveSource {
  /** The negotiations: the current list first, then a new list whenever one appears or changes. */
  readonly negotiations: Stream.Stream<ReadonlyArray<Listing>, unknown>
  /** One negotiation: its current snapshot first (once it has events), then one per change. */
  readonly watch: (id: string) => Stream.Stream<Snapshot, unknown>
}

/** Most updates per second a page receives; bursts of events are coalesced. */
const COALESCE = "80 millis"

const latest = <A, E>(s: Stream.Stream<A, E>): Stream.Stream<A, E> =>
  s.pipe(
    Stream.groupedWithin(10_000, COALESCE),
    Stream.filterMap((chunk) => Chunk.last(chunk)),
  )

const listingOf = (id: string, state: State): Listing => ({
  id,
  title: state.title,
  status: state.status,
  version: state.version,
})

/**
 * A live source following an event store's log (the in-process, embedded
 * mode) through the projection, policy `stop`. Each burst of commits is
 * folded once; the list and the snapshot are built only for what the page
 * is sent (bursts are coalesced first).
 */
export const fromEventStore = (store: EventStoreService): LiveSource => ({
  negotiations: Stream.concat(
    Stream.make([] as ReadonlyArray<Listing>),
    Stream.suspend(() => {
      const projection = makeProjection({ policy: "stop" })
      return latest(
        store.subscribeLog().pipe(
          Stream.mapChunks((chunk) => {
            for (const entry of chunk) projection.apply(entry)
            return Chunk.of(projection.states)
          }),
        ),
      ).pipe(Stream.map((states) => Array.from(states, ([id, s]) => listingOf(id, s))))
    }),
  ),
  watch: (id) =>
    Stream.suspend(() => {
      const projection = makeProjection({ policy: "stop", only: id })
      const events: Array<EventEnvelope> = []
      const sink: ProjectionSink = {
        state: (_, envelope) => {
          events.push(envelope)
        },
        problem: () => {},
      }
      return latest(
        store.subscribeLog().pipe(
          Stream.mapChunks((chunk) => {
            const before = events.length
            for (const entry of chunk) projection.apply(entry, sink)
            return events.length > before ? Chunk.of(events.length) : Chunk.empty<number>()
          }),
        ),
      ).pipe(
        Stream.map((): Snapshot => {
          const state = projection.get(id) ?? initialState
          return { view: toView(state), events: events.slice(0, state.version) }
        }),
      )
    }),
})

/**
 * A live source reading a state feed (`StateFeed`: NATS or in process). A
 * feed delivers states, not events, so the timeline is drawn from what a
 * state still shows (offers, answers, positions; see `movesOfState`).
 */
export const fromStateFeed = (feed: StateFeedService): LiveSource => ({
  negotiations: Stream.concat(
    Stream.make([] as ReadonlyArray<Listing>),
    latest(
      feed.watchAll().pipe(
        Stream.mapAccum(new Map<string, Listing>(), (listings, view) => {
          const id = view.negotiationId ?? ""
          listings.set(id, { id, title: view.title, status: view.status, version: view.version })
          return [listings, [...listings.values()]] as const
        }),
      ),
    ),
  ),
  watch: (id) => latest(feed.watchState(id).pipe(Stream.map((view): Snapshot => ({ view })))),
})

/** Options of {@link serve}. */
export interface ServeOptions {
  readonly source: LiveSource
  /** The preferences to draw utilities with, per negotiation (e.g. from the scenario being run). */
  readonly preferences?: ((id: string) => Preferences | undefined) | undefined
  /** 0 picks a free port. */
  readonly port: number
  readonly host?: string | undefined
  /** Seats of people at the table, each at `/seat/<party>?token=...` (see `human/Seat.ts`). */
  readonly seats?: ReadonlyArray<Seat> | undefined
  /** Notices every report on the page carries (say, that some utilities are withheld). */
  readonly notices?: ReadonlyArray<string> | undefined
  /** Caps on connections, open streams and request bodies (default {@link DEFAULT_LIMITS}). */
  readonly limits?: Partial<Limits> | undefined
}

/** A running live server. */
export interface LiveServer {
  readonly port: number
  readonly url: string
}

/** The server could not start (the port is taken...). */
export class ServeError extends Data.TaggedError("ServeError")<{ readonly problem: string }> {
  override get message() {
    return this.problem
  }
}

const LIVE_CSS = `
.live{display:grid;grid-template-columns:240px 1fr;gap:0;min-height:100vh}
.live nav{border-right:1px solid var(--line);padding:16px 12px;background:var(--soft)}
.live nav h1{font-size:1.05rem;margin:0 0 .6em}
.live nav ul{list-style:none;margin:0;padding:0}
.live nav li a{display:block;padding:6px 8px;border-radius:6px;color:var(--fg);text-decoration:none;font-size:.9rem}
.live nav li a[aria-current=true]{background:#dbeafe;font-weight:600}
.live nav .st{margin-left:4px}
.live .conn{font-size:.8rem;color:var(--muted);margin-top:1em}
.live main{max-width:1100px;margin:0;padding:16px 20px 48px}
@media (max-width:800px){.live{grid-template-columns:1fr}.live nav{border-right:0;border-bottom:1px solid var(--line)}}
`

// The page's script: lists arrive as JSON and are built with DOM calls (textContent), so no text is parsed as HTML;
// report bodies arrive as HTML that the server rendered and escaped. While people are seated, the page's
// address carries a seat's token, which its streams pass on.
export const LIVE_SCRIPT = `
(() => {
  const token = new URLSearchParams(location.search).get("token");
  const withToken = token ? "&token=" + encodeURIComponent(token) : "";
  const list = document.getElementById("list");
  const report = document.getElementById("report");
  const conn = document.getElementById("conn");
  let current = decodeURIComponent(location.hash.slice(1));
  let watch;
  const select = (id) => {
    if (!id) return;
    current = id;
    if (location.hash.slice(1) !== encodeURIComponent(id)) history.replaceState(null, "", "#" + encodeURIComponent(id));
    for (const a of list.querySelectorAll("a")) a.setAttribute("aria-current", String(a.dataset.id === id));
    if (watch) watch.close();
    watch = new EventSource("/api/watch?id=" + encodeURIComponent(id) + withToken);
    watch.onmessage = (m) => {
      const d = JSON.parse(m.data);
      report.innerHTML = d.html;
      report.dataset.version = String(d.version);
      conn.textContent = "live · version " + d.version + " · " + d.status;
    };
    watch.onerror = () => { conn.textContent = "reconnecting…"; };
  };
  const negotiations = new EventSource("/api/negotiations?" + withToken.slice(1));
  negotiations.onmessage = (m) => {
    const items = JSON.parse(m.data);
    list.replaceChildren(...items.map((n) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "#" + encodeURIComponent(n.id);
      a.dataset.id = n.id;
      a.setAttribute("data-testid", "negotiation-link");
      a.setAttribute("aria-current", String(n.id === current));
      a.textContent = n.title || n.id;
      const st = document.createElement("span");
      st.className = "st";
      st.textContent = n.status + " · v" + n.version;
      a.append(document.createElement("br"), st);
      a.addEventListener("click", (e) => { e.preventDefault(); select(n.id); });
      li.append(a);
      return li;
    }));
    if (!watch && items.length > 0) select(items.some((n) => n.id === current) ? current : items[0].id);
  };
})();
`

/** The live page's HTML. */
export const livePage = (): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>parley live</title>
<style>${CSS}${LIVE_CSS}</style>
</head>
<body>
<div class="live">
<nav aria-label="Negotiations"><h1>parley live</h1><ul id="list" data-testid="negotiation-list"></ul><p class="conn" id="conn" role="status">waiting for negotiations…</p></nav>
<main id="report" aria-live="polite"><p class="meta">No negotiation yet.</p></main>
</div>
<script>${LIVE_SCRIPT}</script>
</body>
</html>
`

const renderSnapshot = (
  id: string,
  s: Snapshot,
  preferences: Preferences | undefined,
  notices: ReadonlyArray<string>,
) =>
  runBody({
    view: s.view,
    moves: s.events === undefined ? movesOfState(s.view) : movesOf(s.events),
    preferences,
    origin: [`Live from the in-process event log · negotiation ${id}`],
    notices,
    assumptions: [],
  })

/** A Server-Sent Events response: a comment to open the stream, then one `data:` line per element. */
const sse = <A>(stream: Stream.Stream<A, unknown>, encode: (a: A) => string) =>
  HttpServerResponse.stream(
    Stream.concat(
      Stream.make(": connected\n\n"),
      Stream.map(stream, (a) => `data: ${encode(a)}\n\n`),
    ).pipe(Stream.encodeText),
    { contentType: "text/event-stream; charset=utf-8", headers: { "cache-control": "no-store" } },
  )

const answer = (a: SeatAnswer) => json(a.status, a.body)

/** The token a request carries in its address (`?token=`), if any. */
const tokenInQuery = Effect.map(
  HttpServerRequest.HttpServerRequest,
  (request) => new URL(request.url, "http://localhost").searchParams.get("token") ?? undefined,
)

const forbidden = json(403, { error: "this seat's token is missing or wrong", code: "forbidden" })

/**
 * What a party at a seat may see of the preferences: its own utilities and
 * reservation value, nobody else's, and no outcome cloud or frontier.
 */
export const seatPreferences = (
  preferences: Preferences | undefined,
  party: string,
): Preferences | undefined =>
  preferences === undefined
    ? undefined
    : {
        evaluators: preferences.evaluators.filter((e) => e.party === party),
        cloud: undefined,
        analysis: undefined,
      }

/**
 * The seats' routes: `GET /seat/<party>?token=T` (the person's page),
 * `GET /api/seat/<party>/events?token=T` (the seat's view, Server-Sent
 * Events), `POST /api/seat/<party>/move` and `POST /api/seat/<party>/value`
 * (JSON bodies carrying the token). Without the seat's token each answers
 * 403 and reveals nothing.
 */
const withSeats = <E, R>(
  app: HttpRouter.HttpRouter<E, R>,
  seats: ReadonlyArray<Seat>,
  guard: Guard,
) => {
  if (seats.length === 0) return app
  const seatOf = Effect.map(HttpRouter.params, (p) => seats.find((s) => s.party === p.party))
  /** The posted body as JSON (`undefined` when it is not JSON, which the seat refuses), or the answer refusing it. */
  const bodyOf = Effect.map(guard.readBody, (body) => {
    if ("refused" in body) return body
    try {
      return { value: JSON.parse(body.text) as unknown }
    } catch {
      return { value: undefined }
    }
  })
  const unknownSeat = json(404, { error: "no person sits at this party's seat", code: "no-seat" })
  return app.pipe(
    HttpRouter.get(
      "/seat/:party",
      Effect.gen(function* () {
        const seat = yield* seatOf
        if (seat === undefined) return unknownSeat
        if (!seat.admits(yield* tokenInQuery)) return forbidden
        return HttpServerResponse.html(seatPage(seat.party)).pipe(
          HttpServerResponse.setHeader("cache-control", "no-store"),
        )
      }),
    ),
    HttpRouter.get(
      "/api/seat/:party/events",
      Effect.gen(function* () {
        const seat = yield* seatOf
        if (seat === undefined) return unknownSeat
        if (!seat.admits(yield* tokenInQuery)) return forbidden
        const busy = yield* guard.watcher
        if (busy !== undefined) return busy
        return sse(seat.views, (v) => JSON.stringify(v))
      }),
    ),
    HttpRouter.post(
      "/api/seat/:party/move",
      Effect.gen(function* () {
        const seat = yield* seatOf
        if (seat === undefined) return unknownSeat
        const body = yield* bodyOf
        return "refused" in body ? body.refused : answer(seat.submit(body.value))
      }),
    ),
    HttpRouter.post(
      "/api/seat/:party/value",
      Effect.gen(function* () {
        const seat = yield* seatOf
        if (seat === undefined) return unknownSeat
        const body = yield* bodyOf
        return "refused" in body ? body.refused : answer(seat.value(body.value))
      }),
    ),
  )
}

/**
 * Starts the live server in the scope (the @effect/platform HTTP server):
 * `GET /` is the page, `GET /api/negotiations` and `GET /api/watch?id=ID`
 * are its event streams. Closing the scope stops the server and every open
 * stream.
 */
export const serve = (options: ServeOptions): Effect.Effect<LiveServer, ServeError, Scope.Scope> =>
  Effect.gen(function* () {
    const host = options.host ?? "127.0.0.1"
    const seats = options.seats ?? []
    const node = createServer()
    const guard = makeGuard(node, {
      host,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      scripts: [LIVE_SCRIPT, SEAT_SCRIPT],
    })
    const server = yield* NodeHttpServer.make(() => node, { port: options.port, host }).pipe(
      Effect.mapError((e) => new ServeError({ problem: messageOf(e.cause) })),
    )
    // Released before the server closes: open event streams would otherwise keep it waiting.
    yield* Effect.addFinalizer(() => Effect.sync(() => node.closeAllConnections()))
    /**
     * Who is looking: anyone while nobody is seated (`party` undefined);
     * else the seat whose token the request carries, or nobody (`undefined`).
     */
    const viewer = Effect.map(tokenInQuery, (token) => {
      if (seats.length === 0) return { party: undefined }
      const seat = seats.find((s) => s.admits(token))
      return seat === undefined ? undefined : { party: seat.party }
    })
    const app = HttpRouter.empty.pipe(
      HttpRouter.get(
        "/",
        Effect.map(viewer, (who) =>
          who === undefined
            ? forbidden
            : HttpServerResponse.html(livePage()).pipe(
                HttpServerResponse.setHeader("cache-control", "no-store"),
              ),
        ),
      ),
      HttpRouter.get(
        "/api/negotiations",
        Effect.gen(function* () {
          if ((yield* viewer) === undefined) return forbidden
          const busy = yield* guard.watcher
          if (busy !== undefined) return busy
          return sse(options.source.negotiations, (l) => JSON.stringify(l))
        }),
      ),
      HttpRouter.get(
        "/api/watch",
        Effect.gen(function* () {
          const who = yield* viewer
          if (who === undefined) return forbidden
          const busy = yield* guard.watcher
          if (busy !== undefined) return busy
          const request = yield* HttpServerRequest.HttpServerRequest
          const id = new URL(request.url, "http://localhost").searchParams.get("id") ?? ""
          const all = options.preferences?.(id)
          const preferences = who.party === undefined ? all : seatPreferences(all, who.party)
          const notices = [
            ...(options.notices ?? []),
            ...(who.party === undefined
              ? []
              : [
                  `You see this as ${who.party}: only your own utilities and reservation value are drawn; the other parties' stay private.`,
                ]),
          ]
          return sse(options.source.watch(id), (s) =>
            JSON.stringify({
              version: s.view.version,
              status: s.view.status,
              html: renderSnapshot(id, s, preferences, notices),
            }),
          )
        }),
      ),
    )
    yield* server.serve(guard.app(withSeats(app, seats, guard)))
    const port = server.address._tag === "TcpAddress" ? server.address.port : options.port
    return { port, url: `http://${host}:${port}/` }
  })
