/**
 * A process that appends to a JSONL log and keeps it open: prints
 * `appended`, then closes the log and exits when a line arrives on stdin.
 */
import { Effect } from "effect"
import { eventIdFor } from "../../../src/app/CommandHandler.ts"
import {
  type Instant,
  type NegotiationEvent,
  official,
  SCHEMA_VERSION,
} from "../../../src/domain/Event.ts"
import type { NegotiationId } from "../../../src/domain/Ids.ts"
import { ExpectedVersion } from "../../../src/store/EventStore.ts"
import * as File from "../../../src/store/File.ts"

const path = process.argv[2]!
const id = "held" as NegotiationId
const at = "2025-04-22T09:30:00.000Z" as Instant
const event: NegotiationEvent = {
  type: "TalksSuspended",
  schemaVersion: SCHEMA_VERSION,
  reason: "held",
  provenance: official,
}
await Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const store = yield* File.make(path)
      yield* store.append(
        id,
        [{ eventId: eventIdFor(id, 1, at, event), occurredAt: at, event }],
        ExpectedVersion.NoStream,
      )
      process.stdout.write("appended\n")
      yield* Effect.async<void>((resume) => {
        process.stdin.once("data", () => resume(Effect.void))
      })
    }),
  ),
)
process.exit(0)
