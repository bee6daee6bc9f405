/**
 * A worker thread of `parley worker`: plays the items the process hands it,
 * one at a time, and posts back each one's outcomes or its error. The
 * process keeps the NATS side (pulling, acking, publishing) on its own event
 * loop, free to mark long items in progress while the threads compute.
 *
 * @since 0.3.0
 */
import { parentPort, workerData } from "node:worker_threads"
import { Effect } from "effect"
import { messageOf } from "../domain/Errors.ts"
import { type ItemBounds, type ItemResult, player, type WorkItem } from "./Item.ts"

/** What the process asks a thread. */
export interface ThreadRequest {
  readonly id: number
  readonly item: WorkItem
}

/** What a thread answers. */
export type ThreadReply =
  | ({ readonly id: number; readonly ok: true } & Pick<ItemResult, "outcomes" | "results">)
  | {
      readonly id: number
      readonly ok: false
      readonly error: string
      /** Beyond the worker's bounds: failed for good, never handed back. */
      readonly refused?: boolean | undefined
    }

/** What a thread is started with. */
export interface ThreadData {
  readonly nats: string
  readonly bounds: ItemBounds
}

const { nats, bounds } = workerData as ThreadData
const { play } = player(nats, bounds)

parentPort?.on("message", (request: ThreadRequest) => {
  void Effect.runPromise(Effect.either(play(request.item))).then(
    (played) =>
      parentPort?.postMessage(
        (played._tag === "Right"
          ? { id: request.id, ok: true, ...played.right }
          : {
              id: request.id,
              ok: false,
              error: messageOf(played.left),
              refused: played.left._tag === "ItemRefused",
            }) satisfies ThreadReply,
      ),
    // A defect (a throw inside a strategy, say) fails the item like an error.
    (e: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        error: messageOf(e),
      } satisfies ThreadReply),
  )
})
parentPort?.postMessage({ ready: true })
