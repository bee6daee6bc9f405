/**
 * `parley export [--nats URL] [--negotiation ID] > log.jsonl`: writes the log
 * (one negotiation, or all of them in the order they started) to stdout as
 * JSONL, one envelope per line.
 *
 * @since 0.1.0
 */
import { Chunk, Effect, Option, Stream } from "effect"
import { encode } from "../store/Codec.ts"
import { EventStore, validateNegotiationId } from "../store/EventStore.ts"
import type { ExportArgs } from "./commands/export.ts"
import { storeLayer } from "./Store.ts"

/** Writes text to stdout, waiting when its buffer is full. */
const write = (text: string) =>
  Effect.async<void>((resume) => {
    if (process.stdout.write(text)) resume(Effect.void)
    else process.stdout.once("drain", () => resume(Effect.void))
  })

/** What `parley export` does. */
export const handlers = {
  export: ({ nats, negotiation }: ExportArgs) =>
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
}
