/**
 * The AsyncAPI document: the shipped `docs/asyncapi.yaml` is exactly what
 * `parley schema asyncapi` prints (generated from the code's Schemas), and the
 * official parser (`@asyncapi/parser`) validates it with no error; it
 * describes the work queue of distributed batches too, whose result Schema
 * (the one its payload schema is generated from) accepts what a worker
 * really publishes for a Monte Carlo item and for a tournament item.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Parser } from "@asyncapi/parser"
import { Effect, Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { ItemResult } from "../../src/distributed/Messages.ts"
import { asyncApiDocument, asyncApiYaml } from "../../src/remote/AsyncApi.ts"
import { loadBatch, runRange } from "../../src/simulation/Batch.ts"
import { runTournament } from "../../src/tournament/Tournament.ts"
import { laptop, tempDir, write } from "../tournament/support.ts"

const shipped = fileURLToPath(new URL("../../docs/asyncapi.yaml", import.meta.url))

describe("AsyncAPI document", () => {
  it("docs/asyncapi.yaml is what parley schema asyncapi prints", () => {
    expect(readFileSync(shipped, "utf8")).toBe(asyncApiYaml())
  })

  it("validates with the official parser: AsyncAPI 3.0, no errors, every channel and operation resolved", async () => {
    const { document, diagnostics } = await new Parser().parse(readFileSync(shipped, "utf8"))
    // Severity 0 is an error (1 warning, 2 information, 3 hint).
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([])
    expect(document).toBeDefined()
    expect(document!.version()).toBe("3.0.0")
    expect(
      document!
        .channels()
        .all()
        .map((c) => c.address()),
    ).toEqual([
      "parley.events.{negotiationId}",
      "parley.state.{negotiationId}",
      "parley.state-summary",
      "parley.state-problems",
      "$KV.parley-state.{negotiationId}",
      "$KV.parley-projection.summary",
      "{agentSubject}",
      null,
      "parley.work.{batch}.{item}",
      "parley.batches.{batch}.def",
      "parley.batches.{batch}.result.{item}",
      "parley.batches.{batch}.failed.{item}",
      "parley.batches.{batch}.claim.{item}",
      "parley.batches.malformed",
      "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.PARLEY_WORK.parley-workers",
    ])
    const take = document!
      .operations()
      .all()
      .find((o) => o.id() === "takeWork")!
    expect(take.action()).toBe("receive")
    expect(
      take
        .messages()
        .all()
        .map((m) => m.name()),
    ).toEqual(["WorkItem"])
    const ask = document!
      .operations()
      .all()
      .find((o) => o.id() === "askAgent")!
    expect(
      ask
        .reply()
        ?.messages()
        .all()
        .map((m) => m.name()),
    ).toEqual(["Move", "Ratification"])
  })

  it("follows the prefix it is given", () => {
    const doc = asyncApiDocument("acme") as { channels: Record<string, { address: string }> }
    expect(doc.channels.events!.address).toBe("acme.events.{negotiationId}")
  })

  it("the work queue's result schema accepts what a worker publishes, for runs and for negotiations", async () => {
    const decode = (result: unknown) =>
      Schema.decodeUnknownEither(ItemResult)(JSON.parse(JSON.stringify(result)))
    const outcomes = await Effect.runPromise(
      Effect.flatMap(loadBatch("scenarios/anac-laptop.json", { rounds: "20" }), (batch) =>
        runRange(batch, { seed: 1, from: 0, to: 3 }),
      ),
    )
    const runs = { batch: "mc-0123456789abcdef0123", item: 0, worker: "w1", outcomes }
    expect(Either.getOrThrow(decode(runs))).toEqual(runs)
    const file = write(tempDir(), "t.json", {
      id: "wire",
      competitors: [
        { name: "a", strategy: { kind: "boulware" } },
        { name: "b", strategy: { kind: "conceder" } },
      ],
      scenarios: [laptop],
      rounds: 20,
    })
    const { result } = await Effect.runPromise(runTournament(file))
    const negotiations = {
      batch: "tn-0123456789abcdef0123",
      item: 1,
      worker: "w2",
      results: result.negotiations.map((r, index) => ({ index, result: r })),
    }
    expect(negotiations.results).toHaveLength(2)
    expect(Either.getOrThrow(decode(negotiations))).toEqual(negotiations)
    // And it is a schema, not a pass: a result without its worker is refused.
    const { worker: _w, ...anonymous } = runs
    expect(Either.isLeft(decode(anonymous))).toBe(true)
  }, 60_000)
})
