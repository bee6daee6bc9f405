/**
 * The state feed's KV buckets on NATS — `<prefix>-state` (the latest state
 * per negotiation) and `<prefix>-projection` (the summary and the
 * projector's checkpoint) — and the projector's error.
 *
 * @since 0.5.0
 */
import { type KV, Kvm } from "@nats-io/kv"
import { Effect, Schema } from "effect"
import { messageOf } from "../domain/Errors.ts"
import type { Connection } from "../nats/Connection.ts"
import type { NatsLayout } from "../nats/Layout.ts"

const describe = (e: unknown): string => messageOf(e)

/** The projector could not publish, or could not set up its buckets. */
export class ProjectorError extends Schema.TaggedError<ProjectorError>()("ProjectorError", {
  operation: Schema.String,
  problem: Schema.String,
}) {
  override get message() {
    return `projector: ${this.operation} failed: ${this.problem}`
  }
}

/** Opens (creating when missing) the feed's two KV buckets. */
export const openBuckets = (
  nc: Connection["Type"]["nc"],
  layout: NatsLayout,
): Effect.Effect<{ readonly states: KV; readonly projection: KV }, ProjectorError> =>
  Effect.tryPromise({
    try: async () => {
      const kvm = new Kvm(nc)
      const open = async (name: string) => {
        try {
          return await kvm.create(name, { history: 1 })
        } catch {
          return await kvm.open(name)
        }
      }
      return {
        states: await open(layout.stateBucket),
        projection: await open(layout.projectionBucket),
      }
    },
    catch: (e) => new ProjectorError({ operation: "open the KV buckets", problem: describe(e) }),
  })

/** Deletes every stored state (they belong to a log the projector no longer trusts). */
export const clearStates = async (states: KV): Promise<number> => {
  const keys: Array<string> = []
  for await (const key of await states.keys()) keys.push(key)
  for (let i = 0; i < keys.length; i += 64)
    await Promise.all(keys.slice(i, i + 64).map((key) => states.delete(key)))
  return keys.length
}
