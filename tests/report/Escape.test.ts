import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { handle } from "../../src/app/CommandHandler.ts"
import type { NegotiationCommand } from "../../src/domain/Command.ts"
import type { Instant } from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { runPage } from "../../src/report/Page.ts"
import { runData } from "../../src/report/Report.ts"
import { EventStore } from "../../src/store/EventStore.ts"
import * as Memory from "../../src/store/Memory.ts"

const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&`
const id = "evil" as NegotiationId
const at = "2025-01-01T00:00:00.000Z" as Instant

describe("report escaping", () => {
  it.effect("text from a log (titles, names, statements, sources) never becomes markup", () =>
    Effect.gen(function* () {
      const commands = [
        {
          type: "OpenNegotiation",
          at,
          negotiationId: id,
          title: evil,
          description: evil,
          parties: [
            { id: "a", name: evil, role: "principal" },
            { id: "b", name: "B", role: "principal" },
          ],
          issues: [{ kind: "discrete", id: "x", label: evil, options: [evil, "other"] }],
          rules: { mustAccept: ["a", "b"], mustRatify: [], partialAgreements: false },
        },
        {
          type: "StatePosition",
          at,
          by: "a",
          demands: { x: evil },
          statement: evil,
          provenance: {
            status: "reported",
            sources: [{ reportedBy: evil, url: "javascript:alert(3)", quote: evil }],
          },
        },
      ] as unknown as ReadonlyArray<NegotiationCommand>
      for (const c of commands) yield* handle(id, c)
      const store = yield* EventStore
      const events = Chunk.toReadonlyArray(yield* Stream.runCollect(store.read(id)))
      const html = runPage(runData(events, undefined, [evil], [evil]))
      assert.notInclude(html, "<script>alert")
      assert.notInclude(html, "<img src=x")
      assert.notInclude(html, 'href="javascript:')
      assert.include(html, "&lt;script&gt;alert(1)&lt;/script&gt;")
      assert.notInclude(html, "<script")
    }).pipe(Effect.provide(Memory.layer)),
  )
})
