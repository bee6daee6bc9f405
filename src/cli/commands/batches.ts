/**
 * `parley batches --nats URL [--json]`: the distributed batches on the
 * server, their progress, failed items, the workers holding items, and the
 * messages set aside as malformed. What it runs with is imported when it
 * runs (the help loads none of it).
 *
 * @since 0.3.0
 */
import { Command } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
import { table } from "../Table.ts"
import { jsonOption, natsOrEnvOption } from "./Shared.ts"

const config = { nats: natsOrEnvOption, json: jsonOption }

/** `parley batches`. */
export const command = Command.make("batches", config, ({ nats, json }) =>
  Effect.gen(function* () {
    if (Option.isNone(nats))
      return yield* new UsageError({ problem: "give --nats URL (or set PARLEY_NATS_URL)" })
    const { listBatches } = yield* Effect.promise(() => import("../../distributed/Batches.ts"))
    const { batches, malformed } = yield* listBatches(nats.value)
    if (json) return yield* Console.log(JSON.stringify({ batches, malformed }, null, 2))
    const out: Array<string> = []
    if (batches.length === 0) out.push("no batches")
    else
      out.push(
        ...table(
          [
            ["batch", "kind", "title", "items done", "failed", "queued", "held", "created"],
            ...batches.map((b) => [
              b.batch,
              b.kind,
              b.title,
              `${b.done}/${b.items}`,
              String(b.failed.length),
              String(b.queued),
              String(b.held.length),
              b.created,
            ]),
          ],
          { right: [3, 4, 5, 6] },
        ),
      )
    for (const b of batches) {
      for (const f of b.failed)
        out.push(`${b.batch} item ${f.item} FAILED (${f.worker}): ${f.error}`)
      for (const h of b.held)
        out.push(`${b.batch} item ${h.item} held by ${h.worker} (delivery ${h.delivery})`)
    }
    if (malformed.length > 0) {
      out.push(`${malformed.length} message(s) set aside as malformed:`)
      for (const m of malformed) out.push(`  ${m.subject} (seen by ${m.worker}): ${m.problem}`)
    }
    yield* Console.log(out.join("\n"))
  }),
).pipe(
  Command.withDescription(
    described(
      "List distributed batches: progress, failed items, workers holding items, malformed messages",
      ["parley batches --nats nats://127.0.0.1:4222", "parley batches --json"],
    ),
  ),
)
