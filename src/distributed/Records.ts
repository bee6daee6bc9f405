/**
 * The coordinator's view of a batch's records: what a batch is to it
 * (`Spec`), the range each item holds, what a record must say of itself to
 * count (its item and batch as its subject says, exactly its item's runs),
 * and its signed publishing.
 *
 * @since 0.5.0
 */
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream"
import type { Redacted } from "effect"
import type { ItemResult, WorkItem } from "./Item.ts"
import type { Check } from "./Sample.ts"
import { signedHeaders } from "./Sign.ts"

const encoder = new TextEncoder()
export const decoder = new TextDecoder()
export const json = (value: unknown) => encoder.encode(JSON.stringify(value))

/** Publishes `value` as JSON on a subject, signed with the work key (`Sign.ts`). */
export const signedPublisher =
  (js: JetStreamClient, key: Redacted.Redacted<string>) =>
  (subject: string, value: unknown, msgID: string) => {
    const data = json(value)
    return js.publish(subject, data, { msgID, headers: signedHeaders(key, subject, data) })
  }

export interface Spec {
  readonly batch: string
  readonly kind: WorkItem["kind"]
  readonly title: string
  readonly total: number
  readonly chunk: number
  readonly seed: number
  readonly keepLogs: boolean
  readonly payload: unknown
  /** The spot check of each result (`Sample.ts`). */
  readonly check?: Check | undefined
}

/** The runs (or negotiations) an item holds: `[from, to)`. */
export const rangeOf = (spec: Spec, item: number) => {
  const from = item * spec.chunk
  return { from, to: Math.min(spec.total, from + spec.chunk) }
}

/** The item a record's subject names, and the batch: what the record must say of itself. */
export const sameItem = (value: { batch: string; item: number }, subject: string) => {
  const parts = subject.split(".")
  if (value.batch !== parts[2])
    return { field: "batch", problem: `says ${value.batch}, the subject ${parts[2]}` }
  if (String(value.item) !== parts[4])
    return { field: "item", problem: `says ${value.item}, the subject ${parts[4]}` }
  return undefined
}

/**
 * A result must hold exactly the runs (or negotiations) of its item, each
 * once: a result that holds fewer would lose runs, one that holds others
 * would count them twice.
 */
export const coversItem = (spec: Spec, result: ItemResult) => {
  const { from, to } = rangeOf(spec, result.item)
  const field = spec.kind === "montecarlo" ? "outcomes" : "results"
  const got =
    spec.kind === "montecarlo"
      ? result.outcomes?.map((o) => o.run)
      : result.results?.map((r) => r.index)
  if (got === undefined) return { field, problem: "missing" }
  if (got.length !== to - from || got.some((n, i) => n !== from + i)) {
    const what = spec.kind === "montecarlo" ? "runs" : "negotiations"
    const held = got.length === 0 ? "none" : `${got.length} (${got[0]}..${got.at(-1)})`
    return { field, problem: `holds ${held} of its ${what} ${from}..${to - 1}` }
  }
  return undefined
}

/** The item numbers whose subjects a stream holds under `filter` (`<prefix>.<n>`). */
export const itemsOn = async (jsm: JetStreamManager, stream: string, filter: string) => {
  const info = await jsm.streams.info(stream, { subjects_filter: filter })
  const out = new Set<number>()
  for (const subject of Object.keys(info.state.subjects ?? {}))
    out.add(Number(subject.slice(subject.lastIndexOf(".") + 1)))
  return out
}
