/**
 * One writer process of the concurrency fault suite:
 *
 *     node --import tsx driver.ts <url> <prefix> <negotiationId> <worker> <commands>
 *
 * Drives `<commands>` offers on one negotiation through `handle` (which
 * reloads and decides again on a version conflict, twice); a conflict that
 * survives those retries is retried by this caller. Prints one JSON line:
 * the offers that succeeded, the conflicts met, the errors.
 */
import { Effect, Layer } from "effect"
import { handle } from "../../../src/app/CommandHandler.ts"
import type { NegotiationId } from "../../../src/domain/Ids.ts"
import { EventStore } from "../../../src/store/EventStore.ts"
import * as Nats from "../../../src/store/Nats.ts"
import { offer } from "./Moves.ts"

const [url = "", prefix = "", negotiation = "", workerArg = "0", commandsArg = "10"] =
  process.argv.slice(2)
const worker = Number(workerArg)
const commands = Number(commandsArg)
const id = negotiation as NegotiationId

const tally = { conflicts: 0, callerRetries: 0 }

/** The NATS store, with every append's VersionConflict counted. */
const counting = Layer.effect(
  EventStore,
  Effect.map(EventStore, (store) =>
    EventStore.of({
      ...store,
      append: (n, events, expected) =>
        store.append(n, events, expected).pipe(
          Effect.tapErrorTag("VersionConflict", () =>
            Effect.sync(() => {
              tally.conflicts++
            }),
          ),
        ),
    }),
  ),
).pipe(Layer.provide(Nats.layer({ servers: url, prefix, name: `driver-${worker}` })))

const program = Effect.gen(function* () {
  const succeeded: Array<string> = []
  const errors: Array<string> = []
  for (let k = 0; k < commands; k++) {
    const command = offer(`w${worker}`, k)
    for (;;) {
      const r = yield* Effect.either(handle(id, command, { retries: 2 }))
      if (r._tag === "Right") {
        succeeded.push(`w${worker}-${k}`)
        break
      }
      if (r.left._tag === "VersionConflict") {
        tally.callerRetries++
        continue
      }
      errors.push(`${r.left._tag}: ${r.left.message}`)
      break
    }
  }
  return { worker, succeeded, errors, ...tally }
})

Effect.runPromise(Effect.provide(program, counting)).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`)
  },
  (e: unknown) => {
    process.stdout.write(`${JSON.stringify({ worker, fatal: String(e) })}\n`)
    process.exitCode = 1
  },
)
