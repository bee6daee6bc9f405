/**
 * Fault 5, hostile ids and files: negotiation ids that would inject into a
 * NATS subject are rejected before anything reaches the server (a
 * subscription to `>` sees nothing); fuzzed scenario files each give a
 * ScenarioError, never a crash or a defect; a JSONL log whose last line was
 * torn mid-write gives a clear error from `parley replay`, and the file store
 * recovers the intact prefix when it opens.
 */
import { spawnSync } from "node:child_process"
import { appendFileSync, copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { connect } from "@nats-io/transport-node"
import { Cause, Chunk, Effect, Exit, Option, Stream } from "effect"
import fc from "fast-check"
import { assert, it } from "vitest"
import { handle } from "../../src/app/CommandHandler.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { EventStore, ExpectedVersion } from "../../src/store/EventStore.ts"
import * as File from "../../src/store/File.ts"
import * as Nats from "../../src/store/Nats.ts"
import { fastCheck } from "../support/ArbitrariesConfig.ts"
import { opening } from "./support/Moves.ts"
import {
  type ConfiguredServer,
  describeWithNats,
  removeDir,
  startSingle,
  tempDir,
} from "./support/Servers.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))

const HOSTILE_IDS = [
  "a.b",
  "*",
  ">",
  "a.>",
  "talks.*",
  "with space",
  " leading",
  "tab\there",
  "new\nline",
  "nul\u0000",
  "esc\u001b[31m",
  "del\u007f",
  "",
  "x".repeat(10_000),
  "__proto__",
  "ünïcödé",
]

describeWithNats("fault: hostile negotiation ids", () => {
  it("ids with '.', '*', '>', spaces, control characters or 10,000 characters are rejected before anything reaches NATS", async () => {
    const dir = tempDir("ids")
    let server: ConfiguredServer | undefined
    try {
      server = await startSingle(dir, "ids")
      const url = server.url
      const layer = Nats.layer({ servers: url, prefix: "ids" })
      const results = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const store = yield* Effect.provide(EventStore, layer)
            // The stream exists now; from here on, a hostile id must send nothing at all.
            const spy = yield* Effect.promise(() => connect({ servers: url }))
            const seen: Array<string> = []
            spy.subscribe(">", {
              callback: (_e, m) => {
                seen.push(m.subject)
              },
            })
            yield* Effect.promise(() => spy.flush())
            const tags: Array<string> = []
            for (const raw of HOSTILE_IDS) {
              const id = raw as NegotiationId
              const attempts: Array<Effect.Effect<Exit.Exit<unknown, unknown>>> = [
                Effect.exit(store.append(id, [], ExpectedVersion.Any)),
                Effect.exit(Effect.provideService(handle(id, opening("ok")), EventStore, store)),
                Effect.exit(store.version(id)),
                Effect.exit(Stream.runCollect(store.read(id))),
                // "*" is the documented selector of every negotiation (All), so it is not tried here.
                ...(raw === "*"
                  ? []
                  : [Effect.exit(Stream.runCollect(Stream.take(store.subscribe(id), 1)))]),
              ]
              for (const attempt of attempts) {
                const exit = yield* attempt
                const error = Exit.isFailure(exit)
                  ? Option.getOrUndefined(Cause.failureOption(exit.cause))
                  : undefined
                // A store failure by its reason (`InvalidId`), anything else by its tag.
                const failed = error as { _tag?: string; reason?: string } | undefined
                tags.push(
                  (failed?._tag === "StoreError" ? failed.reason : failed?._tag) ??
                    (Exit.isSuccess(exit) ? "accepted" : "defect"),
                )
              }
            }
            yield* Effect.promise(() => spy.flush())
            yield* Effect.sleep("300 millis")
            const during = [...seen]
            // The spy works: a valid id is seen on its subject.
            yield* Effect.provide(handle("fine" as NegotiationId, opening("fine")), layer)
            yield* Effect.promise(() => spy.flush())
            yield* Effect.sleep("100 millis")
            yield* Effect.promise(() => spy.close())
            return { tags, during, after: seen.length - during.length, seen }
          }),
        ),
      )
      const rejected = results.tags.filter((t) => t === "InvalidId").length
      console.log(
        `FAULT hostile-ids: ids=${HOSTILE_IDS.length} operations=${results.tags.length} rejected=${rejected} other=${results.tags.filter((t) => t !== "InvalidId").join(",") || "none"} messages-seen-on->=${results.during.length} (a valid id afterwards: ${results.after})`,
      )
      assert.strictEqual(rejected, results.tags.length)
      assert.deepStrictEqual(results.during, [])
      assert.isAbove(results.after, 0, "the spy on '>' does see traffic")
      assert.isTrue(results.seen.includes("ids.events.fine"))
    } finally {
      await server?.stop()
      removeDir(dir)
    }
  }, 60_000)
})

/** Loads a scenario file; the outcome: "ok", the error's tag, or "defect". */
const outcome = async (file: string) => {
  const exit = await Effect.runPromiseExit(loadScenario(file))
  if (Exit.isSuccess(exit)) return { tag: "ok", message: "" }
  const failure = Option.getOrUndefined(Cause.failureOption(exit.cause))
  if (failure === undefined) return { tag: "defect", message: Cause.pretty(exit.cause) }
  return { tag: failure._tag, message: failure.message }
}

it("fuzzed scenario files (random JSON, mutations of a valid scenario, random YAML) each give a ScenarioError naming the file, never a crash or a defect", async () => {
  const dir = tempDir("fuzz")
  try {
    const valid = JSON.parse(
      readFileSync(join(root, "scenarios/anac-laptop.json"), "utf8"),
    ) as Record<string, unknown>
    const tally = new Map<string, number>()
    let n = 0
    const check = async (name: string, text: string, okAllowed: boolean) => {
      const file = join(dir, `${name}-${n++}${name === "yaml" ? ".yaml" : ".json"}`)
      writeFileSync(file, text)
      const r = await outcome(file)
      tally.set(`${name}:${r.tag}`, (tally.get(`${name}:${r.tag}`) ?? 0) + 1)
      if (r.tag === "ok" && okAllowed) return true
      const good =
        r.tag === "ScenarioError" && r.message.startsWith(file) && !r.message.includes("    at ")
      if (!good)
        console.log(`FAULT scenario-fuzz failure: ${file}: ${r.tag}: ${r.message.slice(0, 500)}`)
      return good
    }
    // Random JSON values.
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), (v) =>
        check("json", JSON.stringify(v), false),
      ),
      fastCheck(150),
    )
    // Mutations of the valid scenario: a field removed, replaced by a random value, or a random key added.
    const paths: Array<Array<string | number>> = []
    const walk = (v: unknown, path: Array<string | number>, depth: number) => {
      if (depth > 4 || typeof v !== "object" || v === null) return
      for (const [k, child] of Object.entries(v)) {
        const p = [...path, Array.isArray(v) ? Number(k) : k]
        paths.push(p)
        walk(child, p, depth + 1)
      }
    }
    walk(valid, [], 0)
    const mutate = (path: Array<string | number>, kind: number, value: unknown) => {
      const copy = structuredClone(valid) as Record<string | number, unknown>
      let parent = copy
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
      const last = path[path.length - 1] ?? ""
      if (kind === 0) delete parent[last]
      else if (kind === 1) parent[last] = value
      else parent[`${String(last)}_extra`] = value
      return JSON.stringify(copy)
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.integer({ min: 0, max: 2 }),
        fc.jsonValue({ maxDepth: 2 }),
        (path, kind, value) => check("mutated", mutate(path, kind, value), true),
      ),
      fastCheck(200),
    )
    // Random text as YAML, and truncations of the valid scenario.
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), (s) => check("yaml", s, false)),
      fastCheck(100),
    )
    const text = JSON.stringify(valid, null, 2)
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: text.length - 1 }), (cut) =>
        check("truncated", text.slice(0, cut), false),
      ),
      fastCheck(50),
    )
    const summary = [...tally].map(([k, v]) => `${k}=${v}`).join(" ")
    console.log(`FAULT scenario-fuzz: files=${n} ${summary} defects=0 crashes=0`)
    assert.isFalse([...tally.keys()].some((k) => k.endsWith(":defect")))
  } finally {
    removeDir(dir)
  }
}, 90_000)

it("a JSONL log torn mid-write: `parley replay` names the file and line, the file store keeps the intact prefix", async () => {
  const dir = tempDir("torn")
  try {
    const log = join(dir, "torn.jsonl")
    copyFileSync(join(root, "examples/supply-contract.jsonl"), log)
    const intact = readFileSync(log, "utf8")
    const lines = intact.trimEnd().split("\n")
    const intactSize = statSync(log).size
    // A write torn half-way through a new last line.
    const last = lines[lines.length - 1] ?? ""
    appendFileSync(log, last.slice(0, Math.floor(last.length / 2)))
    const r = spawnSync(process.execPath, [join(root, "bin/parley.js"), "replay", log], {
      encoding: "utf8",
    })
    assert.notStrictEqual(r.status, 0)
    assert.include(r.stderr, `${log}:${lines.length + 1}`)
    assert.include(r.stderr, "torn")
    assert.notInclude(r.stderr, "    at ")
    const recovered = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* File.make(log)
          const ids = yield* store.list
          const id = ids[0]
          if (id === undefined) return { ids: 0, events: 0 }
          const events = yield* Stream.runCollect(store.read(id))
          // The store appends after the recovered prefix.
          const v = yield* store.version(id)
          return { ids: ids.length, events: Chunk.size(events), version: v }
        }),
      ),
    )
    const size = statSync(log).size
    console.log(
      `FAULT torn-jsonl: lines=${lines.length}+torn replay-exit=${r.status} error="${r.stderr.trim().split("\n")[0]}" recovered-events=${recovered.events} file-bytes=${size}/${intactSize}`,
    )
    assert.strictEqual(recovered.events, lines.length)
    assert.strictEqual(size, intactSize)
    assert.strictEqual(readFileSync(log, "utf8"), intact)
  } finally {
    removeDir(dir)
  }
}, 60_000)
