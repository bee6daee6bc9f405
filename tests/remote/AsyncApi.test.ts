/**
 * The AsyncAPI document: the shipped `docs/asyncapi.yaml` is exactly what
 * `parley schema asyncapi` prints (generated from the code's Schemas), and the
 * official parser (`@asyncapi/parser`) validates it with no error; its
 * payload schemas accept what parley really sends.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Parser } from "@asyncapi/parser"
import { describe, expect, it } from "vitest"
import { asyncApiYaml } from "../../src/cli/schema.ts"
import { asyncApiDocument } from "../../src/remote/AsyncApi.ts"

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
    ])
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
})
