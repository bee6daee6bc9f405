/**
 * `parley import-log <log.jsonl> [--nats URL]`: copies a JSONL event log into
 * the NATS log, keeping every event's version. Events the target already holds
 * (the same ids at the same versions) are skipped, so an interrupted import
 * can simply be run again; a target that holds other events there is refused.
 * What it runs with is imported when it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Args, Command } from "@effect/cli"
import { Chunk, Console, Effect, Stream } from "effect"
import type { EventEnvelope } from "../../domain/Event.ts"
import type { NegotiationId } from "../../domain/Ids.ts"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
import { natsOption } from "./Shared.ts"

const config = {
  log: Args.file({ name: "log.jsonl", exists: "yes" }).pipe(
    Args.withDescription("the JSONL event log to copy"),
  ),
  nats: natsOption,
}

/** Events per commit: consecutive events of one negotiation are appended together. */
const BATCH = 100

/** `parley import-log`. */
export const command = Command.make("import-log", config, ({ log, nats }) =>
  Effect.gen(function* () {
    const { EventStore, ExpectedVersion } = yield* Effect.promise(
      () => import("../../store/EventStore.ts"),
    )
    const Jsonl = yield* Effect.promise(() => import("../../store/Jsonl.ts"))
    const { storeLayer } = yield* Effect.promise(() => import("../Store.ts"))
    yield* Effect.gen(function* () {
      const store = yield* EventStore
      /** Per negotiation: the target's version before the import, and its ids. */
      const targets = new Map<NegotiationId, ReadonlyArray<string>>()
      let batch: Array<EventEnvelope> = []
      let written = 0
      let skipped = 0
      const flush = Effect.suspend(() => {
        const first = batch[0]
        if (first === undefined) return Effect.void
        const events = batch
        batch = []
        return Effect.map(
          store.append(
            first.negotiationId,
            events.map(({ negotiationId: _, version: __, ...pending }) => pending),
            ExpectedVersion.Exact(first.version - 1),
          ),
          (r) => {
            if (!r.duplicate) written += events.length
            else skipped += events.length
          },
        )
      })
      const add = (e: EventEnvelope) =>
        Effect.gen(function* () {
          let target = targets.get(e.negotiationId)
          if (target === undefined) {
            const existing = yield* Stream.runCollect(store.read(e.negotiationId))
            target = Chunk.toReadonlyArray(existing).map((x) => x.eventId)
            targets.set(e.negotiationId, target)
          }
          if (e.version <= target.length) {
            if (target[e.version - 1] !== e.eventId)
              return yield* new UsageError({
                problem: `negotiation "${e.negotiationId}" already holds a different event at version ${e.version}; not importing over it`,
              })
            skipped++
            return
          }
          const last = batch[batch.length - 1]
          if (
            last !== undefined &&
            (last.negotiationId !== e.negotiationId || batch.length >= BATCH)
          )
            yield* flush
          batch.push(e)
        })
      yield* Stream.runForEach(Jsonl.read(log), add)
      yield* flush
      yield* Console.error(
        `${log}: imported ${written} events into ${targets.size} negotiation${targets.size === 1 ? "" : "s"}${skipped > 0 ? ` (${skipped} already there)` : ""}`,
      )
    }).pipe(Effect.provide(storeLayer({ nats })))
  }),
).pipe(
  Command.withDescription(
    described("Copy a JSONL event log into NATS, keeping versions", [
      "parley import-log examples/supply-contract.jsonl --nats nats://127.0.0.1:4222",
    ]),
  ),
)
