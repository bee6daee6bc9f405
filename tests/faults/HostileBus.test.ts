/**
 * Fault 4, hostile input on the bus: a raw NATS client publishes random
 * bytes, JSON of the wrong shape, an event of an unknown schema version, an
 * event that makes an impossible history and oversized payloads straight onto
 * a negotiation's event subject. Replay fails with a typed error naming the
 * stream sequence; `parley replay --on-invalid stop|skip` sets them aside in a printed
 * report and goes on; the projector never crashes and never publishes a
 * state derived from an invalid event.
 */
import { randomBytes } from "node:crypto"
import { jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect, headers, type Msg } from "@nats-io/transport-node"
import { Effect, Either, Exit } from "effect"
import { assert, it } from "vitest"
import { decideLocally, handle } from "../../src/app/CommandHandler.ts"
import { foldStateStream as foldStream, stateIn } from "../../src/app/Projection.ts"
import { replayNegotiation } from "../../src/app/Replay.ts"
import { eventIdFor } from "../../src/domain/Envelope.ts"
import { type Instant, SCHEMA_VERSION } from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { chainAfter } from "../../src/domain/Log.ts"
import * as Projector from "../../src/feed/Projector.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as Nats from "../../src/store/Nats.ts"
import { CHAIN_HEADER } from "../../src/store/nats/CommitCodec.ts"
import { cli } from "../support/Cli.ts"
import { offer, opening } from "./support/Moves.ts"
import {
  type ConfiguredServer,
  describeWithNats,
  removeDir,
  startSingle,
  tempDir,
} from "./support/Servers.ts"

describeWithNats("fault: hostile input on the event bus", () => {
  it("replay names the stream sequence of each hostile message; --on-invalid stop|skip sets them aside; the projector goes on and publishes nothing derived from them", async () => {
    const dir = tempDir("hostile")
    let server: ConfiguredServer | undefined
    try {
      server = await startSingle(dir, "hostile")
      const url = server.url
      const prefix = "hostile"
      const id = "target" as NegotiationId
      const other = "bystander" as NegotiationId
      const layer = Nats.layer({ servers: url, prefix })
      const run = <A, E>(effect: Effect.Effect<A, E, EventStore>) =>
        Effect.runPromise(Effect.provide(effect, layer))

      // Versions 1 and 2, written properly.
      const legit = await run(
        Effect.gen(function* () {
          yield* handle(id, opening(id))
          return yield* handle(id, offer("a", 0))
        }),
      )

      // The hostile messages, straight onto parley's subject, through a raw client.
      const nc = await connect({ servers: url })
      const js = jetstream(nc)
      const subject = `${prefix}.events.${id}`
      const stored: Record<string, number> = {}
      // Ids derived from content, as a writer's are (a hostile party can compute them too): the
      // impossible event below is then well formed, so the fold, not the id check, refuses it.
      const envelope = (version: number, event: unknown): Record<string, unknown> => ({
        eventId: eventIdFor(id, version, "2025-04-22T11:00:00.000Z" as Instant, event as never),
        negotiationId: id,
        version,
        occurredAt: "2025-04-22T11:00:00.000Z",
        event,
      })
      const put = async (name: string, data: Uint8Array | string) => {
        stored[name] = (await js.publish(subject, data)).seq
      }
      // A well-formed commit also carries the chain of the history before it, which a party that
      // reads the stream can compute: the chain after the last legitimate commit, then after each.
      const last = await (await jetstreamManager(nc)).direct.getMessage("HOSTILE", {
        last_by_subj: subject,
      })
      let chain = chainAfter(last?.header?.get(CHAIN_HEADER) ?? "", last?.json() ?? [])
      const putChained = async (
        name: string,
        envelopes: ReadonlyArray<Record<string, unknown>>,
      ) => {
        const h = headers()
        h.set(CHAIN_HEADER, chain)
        stored[name] = (await js.publish(subject, JSON.stringify(envelopes), { headers: h })).seq
        chain = chainAfter(chain, envelopes as never)
      }
      await put("random-bytes", randomBytes(512))
      await put("wrong-shape-object", JSON.stringify({ hello: "world" }))
      await put("wrong-shape-array", JSON.stringify([{ eventId: "x", version: "three" }]))
      await put(
        "unknown-schema-version",
        JSON.stringify([
          envelope(3, {
            type: "TalksSuspended",
            schemaVersion: SCHEMA_VERSION + 98,
            provenance: { status: "official" },
          }),
        ]),
      )
      await putChained("impossible-history", [
        envelope(3, {
          type: "OfferAccepted",
          schemaVersion: SCHEMA_VERSION,
          offerId: "never-made",
          by: "A",
          provenance: { status: "official" },
        }),
      ])
      // A valid-looking event after the impossible one: never applied.
      const next = decideLocally(id, legit.state, offer("a", 1))
      if (Either.isLeft(next)) throw next.left
      const shifted = next.right.envelopes.map((e) => ({
        ...e,
        version: 4,
        eventId: eventIdFor(id, 4, e.occurredAt, e.event),
      }))
      await putChained("after-invalid", shifted)
      // Oversized: the client refuses above the server's max_payload; the stream refuses above its max_msg_size.
      const oversized: Array<string> = []
      for (const size of [1_040_000, 2_000_000]) {
        try {
          await js.publish(subject, new Uint8Array(size).fill(0x7b))
          oversized.push(`${size}:stored`)
        } catch (e) {
          oversized.push(`${size}:refused(${e instanceof Error ? e.message.slice(0, 40) : e})`)
        }
      }
      const hostile = Object.keys(stored).length

      // 1. Replay fails with a typed error naming the stream sequence of the first hostile message.
      const strict = await run(Effect.exit(replayNegotiation(id)))
      assert.isTrue(Exit.isFailure(strict))
      const strictError = Exit.isFailure(strict) ? JSON.stringify(strict.cause) : ""
      assert.include(strictError, "CorruptEvent")
      assert.include(strictError, `sequence ${stored["random-bytes"]}`)
      // The adapter's own read fails the same way.
      const readExit = await run(
        Effect.flatMap(EventStore, (store) => Effect.exit(foldStream(store.read(id)))),
      )
      assert.isTrue(Exit.isFailure(readExit))
      assert.include(
        Exit.isFailure(readExit) ? JSON.stringify(readExit.cause) : "",
        `sequence ${stored["random-bytes"]}`,
      )

      // 2. Policy stop: each unreadable message is reported and set aside; the impossible
      //    event stops the negotiation at its last good state; the one after it is not applied.
      const stopped = await run(replayNegotiation(id, { policy: "stop" }))
      const stoppedState = stateIn(stopped, id)
      assert.strictEqual(stoppedState.version, 2)
      assert.deepStrictEqual(stoppedState, legit.state)
      const unreadable = stopped.problems.filter((p) => p._tag === "CorruptCommit")
      const notApplied = stopped.problems.filter((p) => p._tag === "AfterInvalid")
      assert.strictEqual(unreadable.length, 4)
      assert.deepStrictEqual(
        stopped.problems.filter((p) => p._tag === "ImpossibleEvent").map((p) => p.position),
        [stored["impossible-history"]],
      )
      assert.deepStrictEqual(
        notApplied.map((p) => p.position),
        [stored["after-invalid"]],
      )
      assert.deepStrictEqual(stopped.stopped, [
        { negotiationId: id, lastGoodVersion: 2, position: stored["impossible-history"]! },
      ])
      for (const name of ["random-bytes", "wrong-shape-object", "unknown-schema-version"])
        assert.isTrue(
          unreadable.some((p) => p.location.endsWith(`sequence ${stored[name]}`)),
          name,
        )
      assert.include(
        unreadable.find((p) => p.location.endsWith(`sequence ${stored["unknown-schema-version"]}`))
          ?.problem ?? "",
        "schemaVersion",
      )
      // Policy skip: every hostile message set aside on its own (the valid-looking v4 does
      // not fit the state at v2 either), and the state is the same.
      const lenient = await run(replayNegotiation(id, { policy: "skip" }))
      assert.deepStrictEqual(stateIn(lenient, id), legit.state)
      assert.strictEqual(lenient.problems.length, hostile)
      assert.deepStrictEqual(
        lenient.problems.filter((p) => p._tag === "ImpossibleEvent").map((p) => p.position),
        [stored["impossible-history"], stored["after-invalid"]],
      )

      // 3. The CLI, both ways.
      const env = { PARLEY_NATS_PREFIX: prefix }
      const failing = await cli(["replay", "--nats", url, "--negotiation", id], env)
      assert.notStrictEqual(failing.code, 0)
      assert.include(failing.stderr, `sequence ${stored["random-bytes"]}`)
      assert.notInclude(failing.stderr, "    at ") // one line, no stack trace
      const skipping = await cli(
        ["replay", "--nats", url, "--negotiation", id, "--on-invalid", "skip", "--json"],
        env,
      )
      assert.strictEqual(skipping.code, 0, skipping.stderr)
      assert.strictEqual((JSON.parse(skipping.stdout) as { version: number }).version, 2)
      const reportLines = skipping.stderr
        .split("\n")
        .filter((l) => /(sequence|position) \d+/.test(l))
      assert.strictEqual(reportLines.length, hostile)

      // 4. A writer on the poisoned negotiation gets a typed error, not a crash.
      const writer = await run(Effect.either(handle(id, offer("b", 7))))
      const writerError = Either.isLeft(writer) ? writer.left._tag : "none"
      assert.strictEqual(writerError, "CorruptEvent")

      // 5. The projector: every state it publishes is derived from valid events only.
      const states: Array<{ subject: string; version: number }> = []
      const sub = nc.subscribe(`${prefix}.state.>`, {
        callback: (_e: unknown, m: Msg) => {
          try {
            states.push({ subject: m.subject, version: (m.json() as { version: number }).version })
          } catch {
            states.push({ subject: m.subject, version: -1 })
          }
        },
      })
      const report = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const projector = yield* Projector.make({ prefix })
            const head = yield* Effect.promise(async () =>
              (await jetstreamManager(nc)).streams.info("HOSTILE"),
            )
            yield* projector.awaitCheckpoint(head.state.last_seq).pipe(Effect.timeout("20 seconds"))
            // It goes on: a negotiation appended after the hostile input is projected.
            yield* handle(other, opening(other))
            yield* projector
              .awaitCheckpoint(head.state.last_seq + 1)
              .pipe(Effect.timeout("20 seconds"))
            return yield* projector.report
          }),
          // A projector that does not stop within 30 s fails here, not at the suite's timeout.
        ).pipe(Effect.timeout("30 seconds"), Effect.provide(layer)),
      )
      await nc.flush()
      sub.unsubscribe()
      const targetStates = states.filter((s) => s.subject.endsWith(`.${id}`))
      const derivedFromInvalid = targetStates.filter((s) => s.version > 2 || s.version < 0).length
      const bystander = states.filter((s) => s.subject.endsWith(`.${other}`)).length
      await nc.close()

      console.log(
        `FAULT hostile-bus: published=${hostile + 2 + oversized.length} stored-hostile=${hostile} oversized=[${oversized.join(", ")}] strict-replay=CorruptEvent@sequence-${stored["random-bytes"]} stop: unreadable=${unreadable.length} not-applied=${notApplied.length} final-version=${stoppedState.version} skip: set-aside=${lenient.problems.length} cli-report-lines=${reportLines.length} writer-after=${writerError} projector: problems=${report.problemCount} stopped=${report.stopped.map((s) => `${s.negotiationId}@v${s.lastGoodVersion}`).join(",")} states-published=${report.published} target-states=${targetStates.length} derived-from-invalid=${derivedFromInvalid} bystander-states=${bystander}`,
      )
      assert.isTrue(
        oversized.every((o) => o.includes("refused")),
        oversized.join(", "),
      )
      assert.strictEqual(derivedFromInvalid, 0)
      assert.isAtLeast(report.problemCount, hostile - 1)
      assert.isTrue(report.stopped.some((s) => s.negotiationId === id && s.lastGoodVersion === 2))
      assert.isAbove(bystander, 0, "the projector went on after the hostile input")
    } finally {
      await server?.stop()
      removeDir(dir)
    }
  }, 120_000)
})
