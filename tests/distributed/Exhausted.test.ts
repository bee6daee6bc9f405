/**
 * When an item counts as failed without a failure record: taken on its last
 * delivery and silent for longer than an ack wait (a live worker renews its
 * claim on the last delivery), as `parley batches` and a starting
 * coordinator judge it.
 */
import { describe, expect, it } from "vitest"
import { exhausted, exhaustedError } from "../../src/distributed/Batches.ts"
import { ACK_WAIT_MS, MAX_DELIVER } from "../../src/distributed/Queue.ts"

const now = Date.parse("2026-01-01T12:00:00Z")
const claim = (delivery: number, secondsAgo: number) => ({
  item: 3,
  worker: "w",
  delivery,
  at: new Date(now - secondsAgo * 1000).toISOString(),
})

describe("exhausted", () => {
  it("an item on its last delivery, silent for more than the ack wait, is exhausted", () => {
    expect(exhausted(claim(MAX_DELIVER, ACK_WAIT_MS / 1000 + 1), now)).toBe(true)
  })
  it("an item on its last delivery claimed within the ack wait is still held", () => {
    expect(exhausted(claim(MAX_DELIVER, ACK_WAIT_MS / 1000 - 1), now)).toBe(false)
  })
  it("an item with deliveries left is never exhausted, however old its claim", () => {
    expect(exhausted(claim(MAX_DELIVER - 1, 3600), now)).toBe(false)
  })
  it("the error names the deliveries", () => {
    expect(exhaustedError(5)).toBe(
      "delivered 5 times and never acked: the workers holding it died or stalled",
    )
  })
})
