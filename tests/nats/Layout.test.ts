/**
 * The NATS layout: with the default prefix every name is the one existing
 * deployments use (the event log, the state feed, remote agents and the work
 * queue), and another prefix moves all of them, the work queue included.
 */
import { describe, expect, it } from "vitest"
import * as Layout from "../../src/nats/Layout.ts"

describe("NATS layout", () => {
  it("the default prefix keeps every name existing deployments use", () => {
    const layout = Layout.layoutFor()
    expect(layout).toEqual({
      prefix: "parley",
      eventStream: "PARLEY",
      stateBucket: "parley-state",
      projectionBucket: "parley-projection",
      workStream: "PARLEY_WORK",
      batchStream: "PARLEY_BATCHES",
      workersConsumer: "parley-workers",
    })
    expect(Layout.eventSubjects(layout)).toBe("parley.events.>")
    expect(Layout.eventSubject(layout, "n-1")).toBe("parley.events.n-1")
    expect(Layout.negotiationOfEventSubject(layout, "parley.events.n-1")).toBe("n-1")
    expect(Layout.stateSubject(layout, "n-1")).toBe("parley.state.n-1")
    expect(Layout.allStatesSubject(layout)).toBe("parley.state.*")
    expect(Layout.summarySubject(layout)).toBe("parley.state-summary")
    expect(Layout.problemsSubject(layout)).toBe("parley.state-problems")
    expect(Layout.agentSubject(layout, "buyer-bot")).toBe("parley.agents.buyer-bot")
    expect(Layout.workSubjects(layout)).toBe("parley.work.>")
    expect(Layout.workSubject(layout, "mc-1", 3)).toBe("parley.work.mc-1.3")
    expect(Layout.batchWorkSubjects(layout, "mc-1")).toBe("parley.work.mc-1.>")
    expect(Layout.itemOfWorkSubject(layout, "mc-1", "parley.work.mc-1.3")).toBe(3)
    expect(Layout.itemOfWorkSubject(layout, "mc-1", "parley.work.mc-2.3")).toBeUndefined()
    expect(Layout.batchSubjects(layout)).toBe("parley.batches.>")
    expect(Layout.batchSubject(layout, "mc-1", "def")).toBe("parley.batches.mc-1.def")
    expect(Layout.batchSubject(layout, "mc-1", "result", 2)).toBe("parley.batches.mc-1.result.2")
    expect(Layout.batchRecordSubjects(layout, "mc-1")).toBe("parley.batches.mc-1.>")
    expect(Layout.batchRecordSubjects(layout, "mc-1", "claim")).toBe("parley.batches.mc-1.claim.>")
    expect(Layout.malformedSubject(layout)).toBe("parley.batches.malformed")
    expect(Layout.maxDeliveriesAdvisory(layout)).toBe(
      "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.PARLEY_WORK.parley-workers",
    )
  })

  it("another prefix moves every name, the work queue's and the agents' too", () => {
    const layout = Layout.layoutFor("acme-eu")
    expect(layout).toEqual({
      prefix: "acme-eu",
      eventStream: "ACME_EU",
      stateBucket: "acme-eu-state",
      projectionBucket: "acme-eu-projection",
      workStream: "ACME_EU_WORK",
      batchStream: "ACME_EU_BATCHES",
      workersConsumer: "acme-eu-workers",
    })
    expect(Layout.eventSubject(layout, "n-1")).toBe("acme-eu.events.n-1")
    expect(Layout.agentSubject(layout, "buyer-bot")).toBe("acme-eu.agents.buyer-bot")
    expect(Layout.workSubject(layout, "mc-1", 3)).toBe("acme-eu.work.mc-1.3")
    expect(Layout.itemOfWorkSubject(layout, "mc-1", "acme-eu.work.mc-1.3")).toBe(3)
    expect(Layout.itemOfWorkSubject(layout, "mc-1", "parley.work.mc-1.3")).toBeUndefined()
    expect(Layout.batchSubject(layout, "mc-1", "claim", 0)).toBe("acme-eu.batches.mc-1.claim.0")
    expect(Layout.malformedSubject(layout)).toBe("acme-eu.batches.malformed")
    expect(Layout.maxDeliveriesAdvisory(layout)).toBe(
      "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ACME_EU_WORK.acme-eu-workers",
    )
  })
})
