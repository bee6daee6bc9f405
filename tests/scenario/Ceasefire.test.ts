import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type { OfferId } from "../../src/domain/Ids.ts"
import { findOffer } from "../../src/domain/Negotiation.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { prepare, run } from "../../src/simulation/Runner.ts"
import * as Memory from "../../src/store/Memory.ts"

const FILE = "scenarios/ceasefire-freeze.ts"
const report = readFileSync("scenarios/sources/ceasefire-freeze-report.txt", "utf8")

describe("the ceasefire-freeze scenario (from the seed report)", () => {
  it.effect("every source it cites quotes the report word for word", () =>
    Effect.gen(function* () {
      const { scenario } = yield* loadScenario(FILE)
      assert.isAbove(scenario.sources.length, 3)
      for (const source of scenario.sources) {
        assert.isDefined(source.quote, `source ${source.id} has no quote`)
        assert.isTrue(report.includes(source.quote!), `not in the report: ${source.quote}`)
      }
    }),
  )

  it.effect(
    "the reported offer stays reported and unconfirmed, addressed to the US envoy; nothing is agreed by the timeline",
    () =>
      Effect.gen(function* () {
        const compiled = yield* loadScenario(FILE)
        const state = compiled.afterTimeline
        const offer = findOffer(state, "freeze-offer" as OfferId)!
        assert.strictEqual(offer.provenance.status, "reported")
        assert.isFalse(offer.confirmed)
        assert.strictEqual(offer.status, "pending")
        // Made to Steve Witkoff (report-meeting), not to Ukraine.
        assert.deepStrictEqual([...offer.to], ["us"])
        // Was a firm `unheld-claims: dropped` over three issues; the report hedges the
        // claims ("might be willing ... certain parts") and separates nothing of control
        // and recognition, so the offer now says partly-dropped and leaves recognition open.
        assert.deepStrictEqual(offer.terms as Record<string, unknown>, {
          "held-land-control": "stays-under-russian-control",
          "crimea-control": "stays-under-russian-control",
          recognition: "unresolved",
          "unheld-claims": "partly-dropped",
        })
        assert.isAbove(offer.provenance.sources?.length ?? 0, 0)
        assert.strictEqual(state.status, "open")
        assert.isUndefined(state.agreement)
        const ukraine = state.parties.find((p) => p.id === "ukraine")!
        // Ukraine's statement speaks of land: it demands control, Crimea included, and nothing else.
        assert.deepStrictEqual(ukraine.position?.demands as Record<string, unknown> | undefined, {
          "held-land-control": "returned-to-ukraine",
          "crimea-control": "returned-to-ukraine",
        })
      }),
  )

  it.effect(
    "the sources cite the summary as what it is: the FT relayed by Reuters, summarised",
    () =>
      Effect.gen(function* () {
        const { scenario } = yield* loadScenario(FILE)
        for (const source of scenario.sources) {
          assert.match(source.reportedBy, /summary/i, source.id)
          assert.include(source.reportedBy, "Financial Times", source.id)
          assert.include(source.reportedBy, "Reuters", source.id)
          assert.match(source.where ?? "", /not available/, source.id)
        }
      }),
  )

  it.effect(
    "control and recognition are separate issues, and the claims have a middle option",
    () =>
      Effect.gen(function* () {
        const { scenario } = yield* loadScenario(FILE)
        const options = Object.fromEntries(
          scenario.issues.map((i) => [i.id, i.kind === "discrete" ? i.options : []]),
        )
        assert.deepStrictEqual(options, {
          "held-land-control": [
            "stays-under-russian-control",
            "partly-returned",
            "returned-to-ukraine",
          ],
          "crimea-control": ["stays-under-russian-control", "returned-to-ukraine"],
          recognition: ["recognised-as-russian", "unresolved", "recognised-as-ukrainian"],
          "unheld-claims": ["maintained", "partly-dropped", "dropped"],
        })
        // The summary's gloss is one --set away.
        const glossed = yield* loadScenario(FILE, { offeredClaims: "dropped" })
        const offer = findOffer(glossed.afterTimeline, "freeze-offer" as OfferId)!
        assert.strictEqual((offer.terms as Record<string, unknown>)["unheld-claims"], "dropped")
      }),
  )

  it.effect(
    "Crimea in the offer and the open recognition are marked as inferences, and are parameters",
    () =>
      Effect.gen(function* () {
        const { scenario } = yield* loadScenario(FILE)
        const inferences = scenario.assumptions.filter((a) => a.startsWith("Inference:"))
        assert.strictEqual(inferences.length, 2)
        assert.include(inferences[0]!, "Crimea")
        assert.include(inferences[0]!, "the land Russia already controls")
        assert.include(inferences[1]!, "without either side officially winning")
        assert.include(scenario.parameters.offerCrimea!.description, "inference")
        assert.include(scenario.parameters.offerRecognition!.description, "inference")
        const offer = scenario.timeline.find((m) => m.type === "MakeOffer")!
        assert.include(offer.note ?? "", "inferred, not stated")
        // The quotes the inferences rest on are cited sources.
        assert.includeMembers(
          scenario.sources.map((s) => s.quote),
          [
            "the land Russia already controls would stay under its control, but they wouldn’t push further into Ukraine",
          ],
        )
      }),
  )

  it.effect(
    "with the defaults the freeze is below Ukraine's reservation value, as its stance says",
    () =>
      Effect.gen(function* () {
        for (const offeredClaims of ["partly-dropped", "dropped"]) {
          const prepared = yield* Effect.flatMap(loadScenario(FILE, { offeredClaims }), prepare)
          const offer = findOffer(prepared.compiled.afterTimeline, "freeze-offer" as OfferId)!
          const ukraine = prepared.parties.find((p) => p.id === "ukraine")!
          const russia = prepared.parties.find((p) => p.id === "russia")!
          assert.isBelow(ukraine.utility(offer.terms), 0.4, offeredClaims)
          assert.isFalse(ukraine.acceptable(offer.terms), offeredClaims)
          assert.isTrue(russia.acceptable(offer.terms), offeredClaims)
        }
      }),
  )

  it.effect("the envoy relays the offer made to him as his first text, to both sides", () =>
    Effect.gen(function* () {
      const prepared = yield* Effect.flatMap(loadScenario(FILE), prepare)
      const result = yield* run(prepared, { seed: 1, trace: true }).pipe(
        Effect.provide(Memory.layer),
      )
      const first = result.trace.find((t) => t.status === "simulated")!
      assert.deepStrictEqual([first.party, first.move, first.offerId], ["us", "offered", "us-1"])
      const relayed = findOffer(result.state, "us-1" as OfferId)!
      const reported = findOffer(result.state, "freeze-offer" as OfferId)!
      assert.deepStrictEqual(relayed.terms, reported.terms)
      assert.deepStrictEqual([...relayed.to], ["russia", "ukraine"])
      assert.strictEqual(relayed.provenance.status, "official")
      // The relay does not make the report official: Russia's offer stays reported and unconfirmed.
      assert.strictEqual(reported.provenance.status, "reported")
      assert.isFalse(reported.confirmed)
      // Ukraine answers it, and refuses it: the freeze is below its reservation value.
      assert.include(
        relayed.responses.filter((r) => r.by === "ukraine").map((r) => r.answer),
        "rejected",
      )
    }),
  )

  it.effect(
    "the offer's credibility: Russia bargains from it, ignores it, or denies it (alternating offers, where Russia proposes)",
    () =>
      Effect.gen(function* () {
        const played = (offerCredibility: string) =>
          Effect.gen(function* () {
            const prepared = yield* Effect.flatMap(
              loadScenario(FILE, { offerCredibility, protocol: "alternating" }),
              prepare,
            )
            const result = yield* run(prepared, { seed: 1, trace: true }).pipe(
              Effect.provide(Memory.layer),
            )
            const russia = prepared.parties.find((p) => p.id === "russia")!
            const moves = result.trace.filter(
              (t) => t.status === "simulated" && t.party === "russia",
            )
            const firstOffer = moves.find((t) => t.move === "offered")!
            return {
              first: [moves[0]!.move, moves[0]!.offerId ?? null],
              firstOffer: russia.utility(firstOffer.terms!),
              reported: findOffer(result.state, "freeze-offer" as OfferId)!,
              worth: russia.utility(findOffer(result.state, "freeze-offer" as OfferId)!.terms),
            }
          })
        // Credible: its own offer anchors it; it opens with the terms it was reported to offer.
        const credible = yield* played("credible")
        assert.closeTo(credible.firstOffer, credible.worth, 1e-9)
        assert.strictEqual(credible.reported.status, "superseded")
        // Cheap talk: the offer binds it to nothing; it opens higher, from its own best.
        const cheap = yield* played("cheap-talk")
        assert.isAbove(cheap.firstOffer, cheap.worth + 0.01)
        // Denied: its first move denies what was reported, and the offer is denied.
        const denied = yield* played("denied")
        assert.deepStrictEqual(denied.first, ["denied", "freeze-offer"])
        assert.strictEqual(denied.reported.status, "denied")
      }),
  )

  it.effect(
    "in the default mediated talks a denied offer is denied by Russia before it answers the envoy's texts",
    () =>
      Effect.gen(function* () {
        const played = (offerCredibility: string) =>
          Effect.gen(function* () {
            const prepared = yield* Effect.flatMap(
              loadScenario(FILE, { offerCredibility }),
              prepare,
            )
            const result = yield* run(prepared, { seed: 1, trace: true }).pipe(
              Effect.provide(Memory.layer),
            )
            const russia = result.trace.filter(
              (t) => t.status === "simulated" && t.party === "russia",
            )
            return { russia, reported: findOffer(result.state, "freeze-offer" as OfferId)! }
          })
        const denied = yield* played("denied")
        assert.deepStrictEqual(
          [denied.russia[0]!.move, denied.russia[0]!.offerId],
          ["denied", "freeze-offer"],
        )
        assert.strictEqual(denied.reported.status, "denied")
        // Credible: Russia never denies its offer; it answers the envoy's texts from the first turn.
        const credible = yield* played("credible")
        assert.notInclude(
          credible.russia.map((t) => t.move),
          "denied",
        )
        assert.notStrictEqual(credible.reported.status, "denied")
      }),
  )

  it.effect("a credibility the scenario does not know is refused by name", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(loadScenario(FILE, { offerCredibility: "maybe" }))
      assert.include(
        error.message,
        '--set offerCredibility: expected one of credible, cheap-talk, denied, got "maybe"',
      )
    }),
  )

  it.effect("every assumption is a parameter marked as one", () =>
    Effect.gen(function* () {
      const { scenario } = yield* loadScenario(FILE)
      const params = Object.entries(scenario.parameters)
      assert.isAbove(params.length, 10)
      for (const [name, p] of params)
        assert.isTrue(p.assumption, `${name} is not marked as an assumption`)
      assert.isAbove(scenario.assumptions.length, 0)
    }),
  )

  it.effect("a run prints the sourced timeline, then simulated moves by the strategies", () =>
    Effect.gen(function* () {
      const prepared = yield* Effect.flatMap(
        loadScenario(FILE, { protocol: "alternating" }),
        prepare,
      )
      const result = yield* run(prepared, { seed: 1, trace: true }).pipe(
        Effect.provide(Memory.layer),
      )
      const scripted = result.trace.filter((t) => t.round === null && t.party !== null)
      assert.deepStrictEqual(
        scripted.map((t) => [t.party, t.move, t.status]),
        [
          ["russia", "offered", "reported"],
          ["ukraine", "stated position", "official"],
        ],
      )
      assert.isTrue(scripted.every((t) => (t.sources?.length ?? 0) > 0))
      assert.isAbove(result.trace.filter((t) => t.status === "simulated").length, 2)
      assert.include(["agreed", "expired", "collapsed"], result.state.status)
    }),
  )
})
