/**
 * `parley export [--nats URL] [--negotiation ID] > log.jsonl`: writes the log
 * (one negotiation, or all of them in the order they started) to stdout as
 * JSONL, one envelope per line.
 *
 * @since 0.1.0
 */
import { Command, Options } from "@effect/cli"
import { Chunk, Effect, Option, Stream } from "effect"
import { encode } from "../store/Codec.ts"
import { EventStore, validateNegotiationId } from "../store/EventStore.ts"
import { natsOption } from "./Options.ts"
import { storeLayer } from "./Store.ts"

const negotiationOption = Options.text("negotiation").pipe(
  Options.withAlias("n"),
  Options.withDescription("the negotiation to export (default: every negotiation)"),
  Options.optional,
)

/** Writes text to stdout, waiting when its buffer is full. */
const write = (text: string) =>
  Effect.async<void>((resume) => {
    if (process.stdout.write(text)) resume(Effect.void)
    else process.stdout.once("drain", () => resume(Effect.void))
  })

/** The `export` command. */
export const command = Command.make(
  "export",
  { nats: natsOption, negotiation: negotiationOption },
  ({ nats, negotiation }) =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const ids = Option.isSome(negotiation)
        ? [yield* validateNegotiationId(negotiation.value)]
        : yield* store.list
      for (const id of ids)
        yield* Stream.runForEachChunk(store.read(id), (chunk) =>
          write(`${Chunk.toReadonlyArray(chunk).map(encode).join("\n")}\n`),
        )
    }).pipe(Effect.provide(storeLayer({ nats }))),
).pipe(Command.withDescription("Write an event log (NATS) to stdout as JSONL"))
