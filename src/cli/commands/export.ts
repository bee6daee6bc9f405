/**
 * `parley export [--nats URL] [--negotiation ID] > log.jsonl`: writes the log
 * (one negotiation, or all of them in the order they started) to stdout as
 * JSONL, one envelope per line. What it runs with is imported when it runs
 * (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Command, Options } from "@effect/cli"
import { Chunk, Effect, Option, Stream } from "effect"
import { described } from "../Help.ts"
import { natsOption } from "./Shared.ts"

const negotiationOption = Options.text("negotiation").pipe(
  Options.withAlias("n"),
  Options.withDescription("the negotiation to export (default: every negotiation)"),
  Options.optional,
)

const config = { nats: natsOption, negotiation: negotiationOption }

/** Writes text to stdout, waiting when its buffer is full. */
const write = (text: string) =>
  Effect.async<void>((resume) => {
    if (process.stdout.write(text)) resume(Effect.void)
    else process.stdout.once("drain", () => resume(Effect.void))
  })

/** `parley export`. */
export const command = Command.make("export", config, ({ nats, negotiation }) =>
  Effect.gen(function* () {
    const { encode } = yield* Effect.promise(() => import("../../store/Codec.ts"))
    const { EventStore, validateNegotiationId } = yield* Effect.promise(
      () => import("../../store/EventStore.ts"),
    )
    const { storeLayer } = yield* Effect.promise(() => import("../Store.ts"))
    yield* Effect.gen(function* () {
      const store = yield* EventStore
      const ids = Option.isSome(negotiation)
        ? [yield* validateNegotiationId(negotiation.value)]
        : yield* store.list
      for (const id of ids)
        yield* Stream.runForEachChunk(store.read(id), (chunk) =>
          write(`${Chunk.toReadonlyArray(chunk).map(encode).join("\n")}\n`),
        )
    }).pipe(Effect.provide(storeLayer({ nats })))
  }),
).pipe(
  Command.withDescription(
    described("Write an event log (NATS) to stdout as JSONL", [
      "parley export --nats nats://127.0.0.1:4222 > log.jsonl",
      "parley export --nats nats://127.0.0.1:4222 --negotiation supply-2025",
    ]),
  ),
)
