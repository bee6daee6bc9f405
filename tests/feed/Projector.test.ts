import { assert, it } from "@effect/vitest"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { Kvm } from "@nats-io/kv"
import { headers } from "@nats-io/transport-node"
import { Effect, Either, Schedule } from "effect"
import { chainAfter } from "../../src/domain/Log.ts"
import * as Projector from "../../src/feed/Projector.ts"
import { decodeState, stateJsonSchema } from "../../src/feed/StateSchema.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { CHAIN_HEADER } from "../../src/store/nats/CommitCodec.ts"
import { child, cliArgs, eventually, rawClient, withServer } from "./support/Nats.ts"
import { appendEach, ceasefire, expectedView, impossibleAt } from "./support/Scripted.ts"

/** Versions a subscriber keeps when it drops every state not newer than the last it kept. */
const deduplicated = (versions: ReadonlyArray<number>) => {
  const kept: Array<number> = []
  for (const v of versions) if (v > (kept.at(-1) ?? 0)) kept.push(v)
  return kept
}
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }
type JsonSchema = { readonly [k: string]: unknown }

/**
 * Checks a value against the JSON Schema subset JSONSchema.make writes
 * ($ref, anyOf, type, enum, required, properties, additionalProperties,
 * items, minimum, pattern); the paths of what does not fit.
 */
const structuralProblems = (
  root: JsonSchema,
  schema: JsonSchema,
  value: Json,
  path = "$",
): Array<string> => {
  const ref = schema.$ref
  if (typeof ref === "string") {
    const target = (root.$defs as Record<string, JsonSchema>)[ref.replace("#/$defs/", "")]
    if (target === undefined) return [`${path}: unresolved ${ref}`]
    return structuralProblems(root, { ...target, ...schema, $ref: undefined }, value, path)
  }
  if (Array.isArray(schema.anyOf)) {
    const fits = (schema.anyOf as Array<JsonSchema>).some(
      (s) => structuralProblems(root, s, value, path).length === 0,
    )
    return fits ? [] : [`${path}: fits no alternative`]
  }
  const problems: Array<string> = []
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    problems.push(`${path}: not in enum`)
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return [`${path}: not an object`]
      const object = value as { readonly [k: string]: Json }
      for (const key of (schema.required as Array<string> | undefined) ?? [])
        if (!(key in object)) problems.push(`${path}: missing required ${key}`)
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {}
      for (const [key, v] of Object.entries(object)) {
        const property = properties[key]
        if (property !== undefined)
          problems.push(...structuralProblems(root, property, v, `${path}.${key}`))
        else if (schema.additionalProperties === false) problems.push(`${path}: unexpected ${key}`)
        else if (typeof schema.additionalProperties === "object")
          problems.push(
            ...structuralProblems(
              root,
              schema.additionalProperties as JsonSchema,
              v,
              `${path}.${key}`,
            ),
          )
      }
      return problems
    }
    case "array":
      if (!Array.isArray(value)) return [`${path}: not an array`]
      return (value as ReadonlyArray<Json>).flatMap((v, i) =>
        schema.items === undefined
          ? []
          : structuralProblems(root, schema.items as JsonSchema, v, `${path}[${i}]`),
      )
    case "string":
      if (typeof value !== "string") return [`${path}: not a string`]
      if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value))
        problems.push(`${path}: does not match ${schema.pattern}`)
      return problems
    case "integer":
    case "number":
      if (typeof value !== "number") return [`${path}: not a number`]
      if (typeof schema.minimum === "number" && value < schema.minimum)
        problems.push(`${path}: below minimum`)
      return problems
    case "boolean":
      return typeof value === "boolean" ? problems : [`${path}: not a boolean`]
    case "null":
      return value === null ? problems : [`${path}: not null`]
    default:
      return problems
  }
}

withServer("projector", (url) => {
  let prefixes = 0
  const fresh = () => {
    const prefix = `proj${++prefixes}`
    return { prefix, nats: { servers: url(), prefix } }
  }

  it.scopedLive(
    "a subscriber in another process, using @nats-io/transport-node alone, receives versions 1..N in order, ending in the status folding the log gives",
    () =>
      Effect.gen(function* () {
        const { prefix, nats } = fresh()
        const envelopes = yield* ceasefire("talks")
        const n = envelopes.length
        const sub = yield* child("node", [
          "tests/feed/support/subscriber.mjs",
          url(),
          `${prefix}.state.talks`,
          String(n),
        ])
        yield* eventually("the subscriber is ready", () => sub.out.stdout.includes("ready"))
        yield* Effect.gen(function* () {
          yield* Projector.make({ prefix: nats.prefix })
          yield* appendEach(yield* EventStore, envelopes)
          const exit = yield* Effect.promise(() => sub.exit)
          assert.strictEqual(exit.code, 0, sub.out.stderr)
        }).pipe(Effect.provide(Nats.layer(nats)))
        const received = sub.out.stdout
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as { version: number; status: string; negotiationId: string })
        assert.deepStrictEqual(
          received.map((r) => r.version),
          range(1, n),
        )
        assert.strictEqual(received.at(-1)?.status, expectedView(envelopes, n).status)
        assert.isTrue(received.every((r) => r.negotiationId === "talks"))
      }),
  )

  it.scopedLive(
    "every published payload decodes with the StateView Schema (no excess field) and fits the JSON Schema generated from it; the KV holds the last",
    () =>
      Effect.gen(function* () {
        const { prefix, nats } = fresh()
        const envelopes = [...(yield* ceasefire("one", 5)), ...(yield* ceasefire("two", 6))]
        const nc = yield* rawClient(url())
        const payloads: Array<string> = []
        const sub = nc.subscribe(`${prefix}.state.>`, {
          callback: (_, m) => {
            payloads.push(m.string())
          },
        })
        yield* Effect.promise(() => nc.flush())
        const report = yield* Effect.gen(function* () {
          const projector = yield* Projector.make({ prefix: nats.prefix })
          yield* appendEach(yield* EventStore, envelopes)
          yield* eventually("every state published", () => payloads.length >= envelopes.length)
          return yield* projector.report
        }).pipe(Effect.provide(Nats.layer(nats)))
        sub.unsubscribe()
        assert.strictEqual(payloads.length, envelopes.length)
        assert.strictEqual(report.problemCount, 0)
        const root = stateJsonSchema() as unknown as JsonSchema
        const view = (root.$defs as Record<string, JsonSchema>).StateView!
        assert.includeMembers(view.required as Array<string>, [
          "negotiationId",
          "status",
          "version",
        ])
        for (const payload of payloads) {
          const decoded = decodeState(payload)
          assert.isTrue(Either.isRight(decoded), Either.isLeft(decoded) ? decoded.left : "")
          assert.deepStrictEqual(structuralProblems(root, view, JSON.parse(payload) as Json), [])
        }
        const kv = yield* Effect.promise(() => new Kvm(nc).open(`${prefix}-state`))
        const last = yield* Effect.promise(() => kv.get("two"))
        assert.strictEqual(
          last?.json<{ version: number }>().version,
          envelopes.filter((e) => e.negotiationId === "two").length,
        )
      }),
  )

  it.scopedLive(
    "hostile input (garbage bytes, wrong-shape JSON, an impossible event) published raw onto the log: the projector goes on, reports each with its stream sequence and publishes no state derived from it",
    () =>
      Effect.gen(function* () {
        const { prefix, nats } = fresh()
        const calm = yield* ceasefire("calm", 7)
        const later = yield* ceasefire("later", 8)
        const nc = yield* rawClient(url())
        const states: Array<{ id: string; version: number }> = []
        const problems: Array<{ _tag: string; position: number }> = []
        nc.subscribe(`${prefix}.state.*`, {
          callback: (_, m) => {
            const s = m.json<{ negotiationId: string; version: number }>()
            states.push({ id: s.negotiationId, version: s.version })
          },
        })
        nc.subscribe(`${prefix}.state-problems`, {
          callback: (_, m) => {
            problems.push(m.json())
          },
        })
        yield* Effect.promise(() => nc.flush())
        const js = jetstream(nc)
        const raw = (subject: string, payload: string | Uint8Array) =>
          Effect.promise(() => js.publish(`${prefix}.events.${subject}`, payload)).pipe(
            Effect.map((ack) => ack.seq),
          )
        yield* Effect.gen(function* () {
          const store = yield* EventStore
          const projector = yield* Projector.make({ prefix: nats.prefix })
          yield* appendEach(store, calm.slice(0, 5))
          const garbage = yield* raw("garbage", new Uint8Array([0xff, 0x00, 0xfe, 0x7b]))
          const shape = yield* raw("shape", JSON.stringify([{ hello: "world" }]))
          const notArray = yield* raw("shape", JSON.stringify({ version: 1 }))
          // Well formed, so it carries the chain after calm's last commit, as a writer's would.
          const chained = yield* Effect.promise(async () => {
            const jsm = await jetstreamManager(nc)
            const last = await jsm.direct.getMessage(prefix.toUpperCase(), {
              last_by_subj: `${prefix}.events.calm`,
            })
            const h = headers()
            h.set(
              CHAIN_HEADER,
              chainAfter(last?.header?.get(CHAIN_HEADER) ?? "", last?.json() ?? []),
            )
            return h
          })
          const impossible = yield* Effect.promise(() =>
            js.publish(`${prefix}.events.calm`, JSON.stringify([impossibleAt("calm", 6)]), {
              headers: chained,
            }),
          ).pipe(Effect.map((ack) => ack.seq))
          yield* appendEach(store, later)
          const jsm = yield* Effect.promise(() => jetstreamManager(nc))
          const last = (yield* Effect.promise(() => jsm.streams.info(prefix.toUpperCase()))).state
            .last_seq
          yield* projector.awaitCheckpoint(last).pipe(Effect.timeout("20 seconds"))
          const report = yield* projector.report
          const byPosition = new Map(report.problems.map((p) => [p.position, p]))
          assert.deepInclude(byPosition.get(garbage), {
            _tag: "CorruptCommit",
            negotiationId: "garbage",
          })
          assert.include(byPosition.get(garbage)?.message ?? "", `position ${garbage}`)
          assert.deepInclude(byPosition.get(shape), {
            _tag: "CorruptCommit",
            negotiationId: "shape",
          })
          assert.deepInclude(byPosition.get(notArray), { _tag: "CorruptCommit" })
          assert.deepInclude(byPosition.get(impossible), {
            _tag: "ImpossibleEvent",
            negotiationId: "calm",
            version: 6,
            lastGoodVersion: 5,
          })
          assert.strictEqual(report.problemCount, 4)
          assert.deepStrictEqual(report.stopped, [
            { negotiationId: "calm", lastGoodVersion: 5, position: impossible },
          ])
          yield* eventually("the problems are published", () => problems.length >= 4)
          assert.deepStrictEqual(
            problems.map((p) => p.position),
            [garbage, shape, notArray, impossible],
          )
        }).pipe(Effect.provide(Nats.layer(nats)))
        assert.deepStrictEqual(
          states.filter((s) => s.id === "calm").map((s) => s.version),
          [1, 2, 3, 4, 5],
        )
        assert.deepStrictEqual(
          states.filter((s) => s.id === "later").map((s) => s.version),
          range(1, later.length),
        )
        assert.isFalse(states.some((s) => s.id === "garbage" || s.id === "shape"))
        const kv = yield* Effect.promise(() => new Kvm(nc).open(`${prefix}-state`))
        const latest = yield* Effect.promise(() => kv.get("calm"))
        assert.strictEqual(latest?.json<{ version: number }>().version, 5)
      }),
  )

  it.scopedLive(
    "a projector process killed with SIGKILL mid-run and restarted leaves no gap: a subscriber that drops versions it has seen gets 1..N of every negotiation",
    () =>
      Effect.gen(function* () {
        const { prefix, nats } = fresh()
        const ids = Array.from({ length: 40 }, (_, i) => `n${i}`)
        // The first 30 moves of each: a burst of 1,200 states a subscriber in a busy test process keeps up with.
        const logs = yield* Effect.forEach(ids, (id, i) =>
          Effect.map(ceasefire(id, 100 + i), (log) => log.slice(0, 30)),
        )
        const total = logs.reduce((n, l) => n + l.length, 0)
        // Half of every negotiation is in the log before the first projector starts; the
        // rest is appended only after it was killed, so the kill always lands mid-run.
        const half = logs.map((log) => log.slice(0, 15))
        const rest = logs.map((log) => log.slice(15))
        const appendAll = (parts: typeof logs) =>
          Effect.flatMap(EventStore, (store) =>
            Effect.forEach(parts, (log) => appendEach(store, log), { discard: true }),
          ).pipe(Effect.provide(Nats.layer(nats)))
        yield* appendAll(half)
        const nc = yield* rawClient(url())
        const seen = new Map<string, Array<number>>()
        let received = 0
        nc.subscribe(`${prefix}.state.*`, {
          callback: (_, m) => {
            const s = m.json<{ negotiationId: string; version: number }>()
            const list = seen.get(s.negotiationId) ?? []
            list.push(s.version)
            seen.set(s.negotiationId, list)
            received++
          },
        })
        yield* Effect.promise(() => nc.flush())
        const env = { PARLEY_NATS_PREFIX: prefix }
        const first = yield* child("node", cliArgs("project", "--nats", url()), env)
        // Kill it once it has checkpointed part of the log: a restart must resume there.
        yield* eventually("the first projector starts", () =>
          first.out.stderr.includes("resuming after"),
        )
        const projection = yield* Effect.promise(() => new Kvm(nc).open(`${prefix}-projection`))
        const readCheckpoint = Effect.promise(() =>
          projection
            .get("checkpoint")
            .then((e) => (e === null ? 0 : e.json<{ position: number }>().position)),
        )
        const checkpoint = yield* readCheckpoint.pipe(
          Effect.repeat({ until: (c) => c > 0, schedule: Schedule.spaced("20 millis") }),
          Effect.timeoutFail({
            duration: "30 seconds",
            onTimeout: () =>
              new Error(`the first projector never checkpointed: ${first.out.stderr}`),
          }),
        )
        assert.isAbove(checkpoint, 0)
        first.proc.kill("SIGKILL")
        const killed = yield* Effect.promise(() => first.exit)
        assert.strictEqual(killed.signal, "SIGKILL")
        // Everything the dead projector got published reaches us before the flush returns.
        yield* Effect.promise(() => nc.flush())
        const beforeRestart = received
        yield* appendAll(rest)
        const second = yield* child("node", cliArgs("project", "--nats", url()), env)
        const done = () =>
          logs.every((log) => (seen.get(log[0]!.negotiationId) ?? []).includes(log.length))
        yield* eventually(
          "every final state arrives",
          done,
          40_000,
          () => `received ${received} of ${total}; second projector: ${second.out.stderr}`,
        )
        second.proc.kill("SIGTERM")
        const stopped = yield* Effect.promise(() => second.exit)
        assert.strictEqual(stopped.code, 0, second.out.stderr)
        for (const log of logs) {
          const id = log[0]!.negotiationId
          assert.deepStrictEqual(deduplicated(seen.get(id) ?? []), range(1, log.length), id)
        }
        // The restart resumed from the checkpoint, not from the start.
        assert.isBelow(received, total + beforeRestart, `received ${received} of ${total}`)
      }),
    { timeout: 90_000 },
  )

  it.scopedLive(
    "parley project stops on SIGTERM with exit code 0 after draining its connection; parley watch prints the latest state",
    () =>
      Effect.gen(function* () {
        const { prefix, nats } = fresh()
        const envelopes = yield* ceasefire("signal", 9)
        const env = { PARLEY_NATS_PREFIX: prefix }
        const projector = yield* child("node", cliArgs("project", "--nats", url()), env)
        yield* eventually("the projector starts", () =>
          projector.out.stderr.includes("resuming after"),
        )
        yield* Effect.flatMap(EventStore, (store) => appendEach(store, envelopes)).pipe(
          Effect.provide(Nats.layer(nats)),
        )
        const watch = yield* child(
          "node",
          cliArgs("watch", "signal", "--nats", url(), "--json"),
          env,
        )
        yield* eventually("watch prints the final state", () =>
          watch.out.stdout
            .split("\n")
            .some((l) => l.startsWith("{") && JSON.parse(l).version === envelopes.length),
        )
        watch.proc.kill("SIGTERM")
        projector.proc.kill("SIGTERM")
        const [w, p] = yield* Effect.promise(() => Promise.all([watch.exit, projector.exit]))
        assert.deepStrictEqual(p, { code: 0, signal: null }, projector.out.stderr)
        assert.include(projector.out.stderr, "connection drained")
        assert.strictEqual(w.code, 0, watch.out.stderr)
        const schema = yield* child("node", cliArgs("schema", "state"))
        const exit = yield* Effect.promise(() => schema.exit)
        assert.strictEqual(exit.code, 0)
        const printed = JSON.parse(schema.out.stdout) as {
          $defs: Record<string, { required: Array<string> }>
        }
        assert.includeMembers(printed.$defs.StateView?.required ?? [], [
          "negotiationId",
          "status",
          "version",
        ])
      }),
    { timeout: 60_000 },
  )
})
