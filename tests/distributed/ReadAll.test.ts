/**
 * `readAll` (src/distributed/Batches.ts), which `parley batches` and a
 * starting coordinator use to read the last record of every item, is told
 * how many messages to expect by a look at the stream taken just before. A
 * coordinator may delete a record in between (it sets malformed ones
 * aside): the read must then end with what is there, not wait for a
 * message that will never come. Before the bound, the first read below hung
 * (the consumer waited for the deleted record); the others hold what must
 * not change: a read ends at the last pending record, without waiting.
 */
import { DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream"
import { connect, type NatsConnection } from "@nats-io/transport-node"
import { afterAll, beforeAll, expect, it } from "vitest"
import { READ_WAIT_MS, readAll } from "../../src/distributed/Batches.ts"
import { ItemClaim, messageDecoder } from "../../src/distributed/Messages.ts"
import { ensureQueue } from "../../src/distributed/Queue.ts"
import { layoutFor } from "../../src/nats/Layout.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"

/** The default layout: the names a deployment without a prefix uses. */
const layout = layoutFor()

describeWithNats("readAll: a record deleted after it was counted", () => {
  let server: NatsServer.NatsServer
  let nc: NatsConnection
  beforeAll(async () => {
    server = await NatsServer.start()
    nc = await connect({ servers: server.url })
    await ensureQueue(await jetstreamManager(nc), layout)
  })
  afterAll(async () => {
    await nc?.close()
    await server?.stop()
  })

  const claim = (worker: string) =>
    new TextEncoder().encode(
      JSON.stringify({ worker, delivery: 1, at: "2026-12-02T00:00:00.000Z" }),
    )
  const decodeClaim = messageDecoder(ItemClaim)
  const read = (filter: string, count: number) => {
    const malformed: Array<unknown> = []
    return readAll(
      jetstream(nc),
      layout.batchStream,
      filter,
      count,
      DeliverPolicy.LastPerSubject,
      decodeClaim,
      (problem) => malformed.push(problem),
    ).then((records) => ({ records, malformed }))
  }

  it("ends with nothing when the only record counted is gone", async () => {
    const js = jetstream(nc)
    const jsm = await jetstreamManager(nc)
    const ack = await js.publish("parley.batches.gone.claim.0", claim("w0"))
    await jsm.streams.deleteMessage(layout.batchStream, ack.seq)
    const started = Date.now()
    const { records, malformed } = await read("parley.batches.gone.claim.>", 1)
    expect(records).toEqual([])
    expect(malformed).toEqual([])
    expect(Date.now() - started).toBeLessThan(READ_WAIT_MS + 3_000)
  })

  it("ends with the records that are left when the last one counted is gone", async () => {
    const js = jetstream(nc)
    const jsm = await jetstreamManager(nc)
    await js.publish("parley.batches.part.claim.0", claim("w0"))
    await js.publish("parley.batches.part.claim.1", claim("w1"))
    const last = await js.publish("parley.batches.part.claim.2", claim("w2"))
    await jsm.streams.deleteMessage(layout.batchStream, last.seq)
    const started = Date.now()
    const { records } = await read("parley.batches.part.claim.>", 3)
    expect(records.map((r) => [r.subject, r.value.worker])).toEqual([
      ["parley.batches.part.claim.0", "w0"],
      ["parley.batches.part.claim.1", "w1"],
    ])
    expect(Date.now() - started).toBeLessThan(READ_WAIT_MS + 3_000)
  })

  it("reads every record at once when the count is right", async () => {
    const js = jetstream(nc)
    for (let i = 0; i < 5; i++) await js.publish(`parley.batches.all.claim.${i}`, claim(`w${i}`))
    const started = Date.now()
    const { records } = await read("parley.batches.all.claim.>", 5)
    expect(records.map((r) => r.value.worker)).toEqual(["w0", "w1", "w2", "w3", "w4"])
    // Not by waiting out the bound: the read ends at the last pending message.
    expect(Date.now() - started).toBeLessThan(READ_WAIT_MS)
  })
})
