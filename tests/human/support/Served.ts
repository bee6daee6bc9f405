/**
 * For the seat tests: `parley serve` with people seated, started as a user
 * would (a child process), its seats' addresses read off its output; plain
 * HTTP requests with any `Host` (Node's `http`, which lets a test say what a
 * browser would not); a Server-Sent Events reader; and a scenario of the
 * Laptop domain (ANAC 2011) whose reservation values are unlike any utility
 * drawn, so that a value leaking from one seat to another can be spotted.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { type IncomingHttpHeaders, request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import type { Terms } from "../../../src/domain/Issue.ts"
import { loadScenario } from "../../../src/scenario/Load.ts"
import { prepare } from "../../../src/simulation/Runner.ts"

const bin = fileURLToPath(new URL("../../../bin/parley.js", import.meta.url))

export const buyer = "laptop_buyer_utility"
export const seller = "laptop_seller_utility"
/** Reservation values no utility of this domain's offers comes near, as 2, 3 or 4 decimals. */
export const reservations = { [buyer]: 0.3141, [seller]: 0.2718 } as const

/** ANAC Laptop with {@link reservations}, written to a temporary file. */
export const secretScenario = (): string => {
  const scenario = JSON.parse(readFileSync("scenarios/anac-laptop.json", "utf8")) as {
    parties: Array<{ id: string; preferences: { reservation: number } }>
  }
  for (const p of scenario.parties)
    p.preferences.reservation = reservations[p.id as keyof typeof reservations]
  const file = join(mkdtempSync(join(tmpdir(), "parley-seat-")), "laptop-secret.json")
  writeFileSync(file, JSON.stringify(scenario))
  return file
}

/** Each party's utility function, from the scenario file. */
export const utilitiesOf = async (file: string) => {
  const prepared = await Effect.runPromise(Effect.flatMap(loadScenario(file, {}), prepare))
  return (party: string) => (terms: Terms) =>
    prepared.parties.find((p) => p.id === party)!.utility(terms)
}

/** A running `parley serve` and what it printed. */
export interface Served {
  readonly child: ChildProcess
  readonly base: string
  readonly port: number
  /** Each seat's address and token, by party. */
  readonly seats: Readonly<Record<string, { readonly url: string; readonly token: string }>>
  readonly output: () => string
}

const children: Array<ChildProcess> = []

/** Stops every server {@link serve} started (call after each test). */
export const stopAll = () => {
  for (const child of children.splice(0)) child.kill("SIGTERM")
}

/** Starts `parley serve <args>` and waits until it printed the address of each of `parties`' seats. */
export const serve = (args: ReadonlyArray<string>, parties: ReadonlyArray<string>) =>
  new Promise<Served>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "serve", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    children.push(child)
    let out = ""
    const timer = setTimeout(
      () => reject(new Error(`no seat addresses within 90 s:\n${out}`)),
      90_000,
    )
    const onData = (chunk: string) => {
      out += chunk
      const seats: Record<string, { url: string; token: string }> = {}
      for (const m of out.matchAll(/seat of (\S+) .*?: (http:\/\/\S+\/seat\/\S+\?token=(\S+))/g))
        seats[m[1]!] = { url: m[2]!, token: m[3]! }
      if (parties.every((p) => p in seats) && out.includes("--on-human-timeout")) {
        clearTimeout(timer)
        const base = new URL("/", seats[parties[0]!]!.url)
        resolve({ child, base: base.href, port: Number(base.port), seats, output: () => out })
      }
    }
    child.stdout.setEncoding("utf8").on("data", onData)
    child.stderr.setEncoding("utf8").on("data", onData)
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`parley serve exited (${code}):\n${out}`))
    })
  })

/** What an HTTP answer gave. */
export interface Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** Options of {@link http}. */
export interface Ask {
  readonly method?: string
  /** The `Host` header (default `127.0.0.1:<port>`). */
  readonly host?: string
  readonly body?: string
  /** Send the body chunked, without a `content-length`. */
  readonly chunked?: boolean
  /** For an event stream: stop reading after this many milliseconds (the answer so far). */
  readonly readMs?: number
  /** The address to connect to (default 127.0.0.1). */
  readonly address?: string
}

/** One request to `port` on 127.0.0.1 (or `address`); an event stream is read for `readMs` and then closed. */
export const http = (port: number, path: string, ask: Ask = {}) =>
  new Promise<Answer>((resolve, reject) => {
    const address = ask.address ?? "127.0.0.1"
    const headers: Record<string, string> = { host: ask.host ?? `${address}:${port}` }
    if (ask.body !== undefined) {
      headers["content-type"] = "application/json"
      if (ask.chunked !== true) headers["content-length"] = String(Buffer.byteLength(ask.body))
    }
    const req = request(
      { host: address, port, path, method: ask.method ?? "GET", headers, agent: false },
      (res) => {
        let body = ""
        res.setEncoding("utf8").on("data", (c: string) => {
          body += c
        })
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
        res.once("end", done)
        res.once("close", done)
        if (res.headers["content-type"]?.startsWith("text/event-stream"))
          setTimeout(() => {
            done()
            res.destroy()
          }, ask.readMs ?? 500)
      },
    )
    req.once("error", reject)
    if (ask.body !== undefined && ask.chunked === true) {
      // In pieces, so that no length is known before the body is read.
      for (let i = 0; i < ask.body.length; i += 8192) req.write(ask.body.slice(i, i + 8192))
    } else if (ask.body !== undefined) req.write(ask.body)
    req.end()
  })

/** The `data:` payloads of an event stream's text, parsed. */
export const events = <A>(body: string): ReadonlyArray<A> =>
  body
    .split("\n\n")
    .filter((block) => block.startsWith("data: "))
    .map((block) => JSON.parse(block.slice("data: ".length)) as A)

/** Waits until `probe` gives a value (polling every 100 ms, at most `ms`). */
export const until = async <A>(probe: () => Promise<A | undefined>, ms = 20_000): Promise<A> => {
  const end = Date.now() + ms
  for (;;) {
    const got = await probe()
    if (got !== undefined) return got
    if (Date.now() > end) throw new Error("timed out waiting")
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The text of HTML (tags dropped, entities of digits left as they are): what a reader sees, tooltips included. */
export const textOf = (html: string) => html.replace(/<[^>]*>/g, " ")

/** Every decimal number written in `text` (`0.27`, `0.272`, `0.631…`). */
export const decimals = (text: string): ReadonlySet<string> =>
  new Set(text.match(/\d+\.\d+/g) ?? [])

/** How a value may be written on a page: 2 decimals (report), 3 (seat), 4, and in full. */
export const writings = (x: number) => [x.toFixed(2), x.toFixed(3), x.toFixed(4), String(x)]
