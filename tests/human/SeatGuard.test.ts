/**
 * Two people seated (`parley serve laptop --human buyer --human seller`),
 * probed over HTTP as a hostile page or a curious neighbour would, with real
 * requests to the real command: every live route wants a seat's token; a
 * `Host` that does not name the server is refused (421) whatever the token;
 * a body over the limit is answered 413, declared or chunked; every answer
 * carries a Content-Security-Policy that runs only the page's own script
 * (by hash) and forbids framing; and after both have moved, each seat's
 * report and view hold its own utilities and reservation value and none of
 * the other's. The caps on connections and streams are tried on a server of
 * small caps (`serve` in process, real sockets).
 */
import { createHash } from "node:crypto"
import { connect, type Socket } from "node:net"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Terms } from "../../src/domain/Issue.ts"
import { fromEventStore, serve as serveLive } from "../../src/report/Live.ts"
import { allowedHosts, hostName } from "../../src/report/LiveGuard.ts"
import * as Memory from "../../src/store/Memory.ts"
import {
  buyer,
  decimals,
  events,
  http,
  reservations,
  type Served,
  secretScenario,
  seller,
  serve,
  stopAll,
  textOf,
  until,
  utilitiesOf,
  writings,
} from "./support/Served.ts"

const file = secretScenario()
const utility = await utilitiesOf(file)
const id = "anac-laptop"

interface View {
  readonly phase: string
  readonly turn: number
  readonly reservation: number
  readonly offers: ReadonlyArray<{ readonly terms: Terms; readonly utility: number }>
  readonly onTable: { readonly utility: number; readonly discounted: number } | null
}

describe("two people seated, over HTTP", () => {
  let served: Served
  let port: number
  const token = (party: string) => served.seats[party]!.token
  beforeAll(async () => {
    served = await serve(
      [file, "--human", buyer, "--human", seller, "--port", "0", "--pace", "0"],
      [buyer, seller],
    )
    port = served.port
  }, 120_000)
  afterAll(stopAll)

  /** The seat's latest view. */
  const viewOf = async (party: string) =>
    events<View>(
      (await http(port, `/api/seat/${party}/events?token=${token(party)}`, { readMs: 300 })).body,
    ).at(-1)
  /** Waits until it is `party`'s turn `turn`. */
  const turnOf = (party: string, turn: number) =>
    until(async () => {
      const v = await viewOf(party)
      return v?.phase === "your-turn" && v.turn === turn ? v : undefined
    })
  const move = (party: string, body: unknown, host?: string) =>
    http(port, `/api/seat/${party}/move`, {
      method: "POST",
      body: JSON.stringify(body),
      ...(host === undefined ? {} : { host }),
    })

  it("every live route wants a seat's token while people are seated", async () => {
    const refused = { error: "this seat's token is missing or wrong", code: "forbidden" }
    for (const path of [
      "/",
      "/?token=nope",
      "/api/negotiations",
      `/api/negotiations?token=${token(buyer)}x`,
      `/api/watch?id=${id}`,
      `/api/watch?id=${id}&token=nope`,
      `/seat/${buyer}?token=${token(seller)}`,
      `/api/seat/${buyer}/events?token=${token(seller)}`,
    ]) {
      const r = await http(port, path)
      expect([path, r.status]).toEqual([path, 403])
      expect(JSON.parse(r.body)).toEqual(refused)
    }
    const page = await http(port, `/?token=${token(buyer)}`)
    expect(page.status).toBe(200)
    expect(page.headers["content-type"]).toMatch(/^text\/html/)
    for (const path of [
      `/api/negotiations?token=${token(seller)}`,
      `/api/watch?id=${id}&token=${token(buyer)}`,
    ]) {
      const r = await http(port, path, { readMs: 300 })
      expect([path, r.status]).toEqual([path, 200])
      expect(r.headers["content-type"]).toMatch(/^text\/event-stream/)
    }
  })

  it("a Host that does not name this server is refused (421), token or not; loopback names are served", async () => {
    await turnOf(buyer, 1)
    const paths = [
      `/?token=${token(buyer)}`,
      `/seat/${buyer}?token=${token(buyer)}`,
      `/api/watch?id=${id}&token=${token(buyer)}`,
      `/api/seat/${buyer}/events?token=${token(buyer)}`,
      "/api/negotiations",
      "/nowhere",
    ]
    for (const host of [
      `evil.example:${port}`,
      "evil.example",
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      "localhost:80:80",
    ])
      for (const path of paths) {
        const r = await http(port, path, { host })
        expect([host, path, r.status]).toEqual([host, path, 421])
        expect(JSON.parse(r.body).code).toBe("wrong-host")
        expect(r.body).not.toContain("token")
      }
    // A move through a rebound name is refused before the seat sees it: the turn is still open.
    const offer = {
      type: "offer",
      terms: { Laptop: "HP", Harddisk: "60 Gb", External_Monitor: "19'' LCD" },
    }
    const rebound = await move(
      buyer,
      { token: token(buyer), turn: 1, move: offer },
      `evil.example:${port}`,
    )
    expect(rebound.status).toBe(421)
    expect((await viewOf(buyer))?.offers).toEqual([])
    // No Host at all (HTTP/1.0) is refused too.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket: Socket = connect(port, "127.0.0.1", () =>
        socket.write("GET / HTTP/1.0\r\n\r\n"),
      )
      let out = ""
      socket.setEncoding("utf8").on("data", (c: string) => {
        out += c
      })
      socket.once("end", () => resolve(out))
      socket.once("error", reject)
    })
    expect(raw).toMatch(/^HTTP\/1\.[01] 421 /)
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "LOCALHOST"]) {
      const r = await http(port, `/seat/${buyer}?token=${token(buyer)}`, { host })
      expect([host, r.status]).toEqual([host, 200])
    }
  })

  it("a body over 64 KiB is answered 413, declared or chunked; the seat's own checks still hold", async () => {
    await turnOf(buyer, 1)
    const big = JSON.stringify({
      token: token(buyer),
      turn: 1,
      move: { type: "reject", message: "x".repeat(100_000) },
    })
    for (const chunked of [false, true]) {
      const r = await http(port, `/api/seat/${buyer}/move`, { method: "POST", body: big, chunked })
      expect([chunked, r.status]).toEqual([chunked, 413])
      expect(JSON.parse(r.body)).toMatchObject({ code: "too-large" })
    }
    const valued = await http(port, `/api/seat/${buyer}/value`, { method: "POST", body: big })
    expect(valued.status).toBe(413)
    // Nothing changed; the token (403), the turn (409), the schema (400) and the rules (422) are checked as before.
    expect((await viewOf(buyer))?.turn).toBe(1)
    expect((await move(buyer, { turn: 1, move: { type: "walk-out" } })).status).toBe(403)
    expect(
      (await move(buyer, { token: token(buyer), turn: 7, move: { type: "walk-out" } })).status,
    ).toBe(409)
    expect(
      (await move(buyer, { token: token(buyer), turn: 1, move: { type: "dance" } })).status,
    ).toBe(400)
    expect(
      (await move(buyer, { token: token(buyer), turn: 1, move: { type: "accept" } })).status,
    ).toBe(422)
    expect((await viewOf(buyer))?.phase).toBe("your-turn")
  })

  it("every answer carries a CSP that runs only the page's own script, by hash, and forbids framing", async () => {
    for (const path of [`/seat/${buyer}?token=${token(buyer)}`, `/?token=${token(buyer)}`]) {
      const r = await http(port, path)
      expect(r.status).toBe(200)
      const csp = String(r.headers["content-security-policy"])
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("default-src 'none'")
      const scriptSrc = /script-src ([^;]*)/.exec(csp)![1]!.trim().split(/\s+/)
      expect(scriptSrc.length).toBeGreaterThan(0)
      for (const source of scriptSrc) expect(source).toMatch(/^'sha256-[A-Za-z0-9+/]+=*'$/)
      expect(r.headers["x-frame-options"]).toBe("DENY")
      expect(r.headers["x-content-type-options"]).toBe("nosniff")
      // The page's inline scripts are exactly those the policy names; no element carries a handler.
      const scripts = [...r.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)
      expect(scripts.length).toBe(1)
      for (const s of scripts)
        expect(scriptSrc).toContain(`'sha256-${createHash("sha256").update(s).digest("base64")}'`)
      expect(r.body).not.toMatch(/<[^>]+\son[a-z]+\s*=/i)
      expect(r.body).not.toContain("javascript:")
    }
    for (const path of ["/api/negotiations", `/api/watch?id=${id}&token=nope`, "/nowhere"]) {
      const r = await http(port, path)
      expect(r.headers["content-security-policy"]).toContain("frame-ancestors 'none'")
      expect(r.headers["x-content-type-options"]).toBe("nosniff")
    }
  })

  it("after both have moved, each seat's report and view show its own utilities and reservation, none of the other's", async () => {
    await turnOf(buyer, 1)
    const first = { Laptop: "HP", Harddisk: "60 Gb", External_Monitor: "19'' LCD" }
    expect(
      (await move(buyer, { token: token(buyer), turn: 1, move: { type: "offer", terms: first } }))
        .status,
    ).toBe(200)
    await turnOf(seller, 1)
    const counter = { Laptop: "Macintosh", Harddisk: "120 Gb", External_Monitor: "20'' LCD" }
    const countered = await move(seller, {
      token: token(seller),
      turn: 1,
      move: { type: "offer", terms: counter },
    })
    expect(countered.status).toBe(200)
    await turnOf(buyer, 2)
    const offers = [first, counter]

    /** What `party` has been sent: its report (as text) and its seat's view. */
    const seen = async (party: string) => {
      const watch = await until(async () => {
        const r = await http(port, `/api/watch?id=${id}&token=${token(party)}`, { readMs: 400 })
        const last = events<{ html: string; version: number }>(r.body).at(-1)
        return last?.html.includes("Macintosh") ? last : undefined
      })
      const view = (await viewOf(party))!
      return { html: watch.html, text: textOf(watch.html), view }
    }
    const other = { [buyer]: seller, [seller]: buyer } as const
    for (const party of [buyer, seller]) {
      const { html, text, view } = await seen(party)
      const them = other[party as keyof typeof other]
      const mine = [reservations[party as keyof typeof reservations], ...offers.map(utility(party))]
      const theirs = [reservations[them], ...offers.map(utility(them))]
      // Written as this page writes numbers, the other's values, but for any that equal one of this party's.
      const ownWritings = new Set(mine.flatMap(writings))
      const secrets = theirs.flatMap(writings).filter((w) => !ownWritings.has(w))
      expect(secrets.length).toBeGreaterThanOrEqual(8)
      const numbers = decimals(text)
      expect(secrets.filter((s) => numbers.has(s))).toEqual([])
      // In full, where a value has digits enough not to be mistaken for another number (1 is not).
      for (const u of theirs) if (String(u).length > 6) expect(html).not.toContain(String(u))
      expect(html).not.toContain(`${them} ${utility(them)(first).toFixed(2)}`)
      expect(text).not.toMatch(new RegExp(`${them}: utility`))
      // Its own are there: the reservation drawn, each offer's utility in the offers table.
      expect(numbers.has(reservations[party as keyof typeof reservations].toFixed(2))).toBe(true)
      for (const u of offers.map(utility(party))) expect(numbers.has(u.toFixed(2))).toBe(true)
      expect(view.reservation).toBe(reservations[party as keyof typeof reservations])
      // (A seat's view is renewed on its turns: the seller's does not list its own counter yet.)
      expect(view.offers.length).toBeGreaterThan(0)
      expect(view.offers.map((o) => o.utility)).toEqual(
        offers.map(utility(party)).slice(0, view.offers.length),
      )
      const sent = JSON.stringify(view)
      for (const u of theirs)
        if (!mine.includes(u) && String(u).length > 6) expect(sent).not.toContain(String(u))
    }
  }, 60_000)
})

describe("the live server's caps, on real sockets", () => {
  const scope = Effect.runSync(Scope.make())
  let port: number
  beforeAll(async () => {
    const store = Effect.runSync(Memory.make)
    const server = await Effect.runPromise(
      serveLive({
        source: fromEventStore(store),
        port: 0,
        limits: { connections: 4, watchers: 2 },
      }).pipe(Scope.extend(scope)),
    )
    port = server.port
  })
  afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))

  const openStream = () =>
    new Promise<{ status: number; close: () => void }>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () =>
        socket.write(`GET /api/negotiations HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`),
      )
      socket
        .setEncoding("utf8")
        .once("data", (c: string) =>
          resolve({ status: Number(c.split(" ")[1]), close: () => socket.destroy() }),
        )
      socket.once("error", reject)
    })

  it("a stream past the watchers' cap is answered 503; a closed one frees its place", async () => {
    const a = await openStream()
    const b = await openStream()
    expect([a.status, b.status]).toEqual([200, 200])
    const third = await http(port, "/api/negotiations")
    expect(third.status).toBe(503)
    expect(JSON.parse(third.body)).toMatchObject({ code: "busy" })
    expect(third.headers["retry-after"]).toBe("5")
    a.close()
    await until(async () => {
      const r = await http(port, "/api/negotiations", { readMs: 100 })
      return r.status === 200 ? r : undefined
    }, 5_000)
    b.close()
  })

  it("a connection past the cap is answered 503 and closed; once others close, requests are served", async () => {
    const idle: Array<Socket> = []
    for (let i = 0; i < 4; i++)
      idle.push(
        await new Promise<Socket>((resolve) => {
          const s: Socket = connect(port, "127.0.0.1", () => resolve(s))
        }),
      )
    const over = await http(port, "/")
    expect(over.status).toBe(503)
    expect(over.headers.connection).toBe("close")
    expect(JSON.parse(over.body)).toMatchObject({ code: "busy" })
    for (const s of idle) s.destroy()
    await until(async () => {
      const r = await http(port, "/")
      return r.status === 200 ? r : undefined
    }, 5_000)
  })
})

describe("serve --host", () => {
  afterAll(stopAll)
  it("names the address requests may give as their Host, besides the loopback names", async () => {
    const served = await serve(
      [file, "--human", buyer, "--host", "127.0.0.2", "--port", "0"],
      [buyer],
    )
    // The warning goes to stderr, which may arrive after the seats' lines on stdout.
    await until(async () =>
      served.output().includes("--host 127.0.0.2 serves the seats beyond this machine")
        ? true
        : undefined,
    )
    const path = `/seat/${buyer}?token=${served.seats[buyer]!.token}`
    const at = (host: string) =>
      http(served.port, path, { address: "127.0.0.2", host }).then((r) => r.status)
    expect(await at(`127.0.0.2:${served.port}`)).toBe(200)
    expect(await at(`localhost:${served.port}`)).toBe(200)
    expect(await at(`127.0.0.3:${served.port}`)).toBe(421)
    expect(await at(`evil.example:${served.port}`)).toBe(421)
  }, 120_000)
})

describe("the names a Host header may give", () => {
  it("loopback names by default, the address --host gives, and with a wildcard this machine's own", () => {
    expect([...allowedHosts("127.0.0.1")].sort()).toEqual(["127.0.0.1", "[::1]", "localhost"])
    expect(allowedHosts("192.168.1.20").has("192.168.1.20")).toBe(true)
    expect(allowedHosts("::1").has("[::1]")).toBe(true)
    expect(allowedHosts("parley.lan").has("parley.lan")).toBe(true)
    expect(allowedHosts("192.168.1.20").has("evil.example")).toBe(false)
    const any = allowedHosts("0.0.0.0")
    expect(any.has("0.0.0.0")).toBe(true)
    expect(any.has("127.0.0.1")).toBe(true)
    expect(any.has("evil.example")).toBe(false)
  })

  it("reads the name without its port, in lower case, and refuses what is not a name", () => {
    expect(hostName("LocalHost:8080")).toBe("localhost")
    expect(hostName("[::1]:8080")).toBe("[::1]")
    expect(hostName("[::1]")).toBe("[::1]")
    expect(hostName("localhost.")).toBe("localhost")
    expect(hostName("example.com")).toBe("example.com")
    for (const bad of [undefined, "", ":80", "a:b:c", "localhost:80:80", "[::1]x", "x:123456"])
      expect([bad, hostName(bad)]).toEqual([bad, undefined])
  })
})
