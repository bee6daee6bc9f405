import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { findOffer } from "../../src/domain/Negotiation.ts"
import { AgentMove } from "../../src/remote/Protocol.ts"
import { loadScenario } from "../../src/scenario/Load.ts"
import { protocolDeclarations } from "../../src/scenario/Protocols.ts"
import { answerMoveTypes, Move } from "../../src/simulation/Move.ts"
import { protocols, talksOf } from "../../src/simulation/protocols/index.ts"
import { prepare } from "../../src/simulation/Runner.ts"

const ceasefire = "scenarios/ceasefire-freeze.ts"

/** The talks of the ceasefire scenario under `protocol`, from the state after its timeline. */
const talksUnder = (protocol: string) =>
  Effect.gen(function* () {
    const compiled = yield* loadScenario(ceasefire, { protocol })
    const prepared = yield* prepare(compiled)
    return {
      compiled,
      talks: talksOf({
        protocol: compiled.scenario.protocol,
        order: compiled.order,
        state: compiled.afterTimeline,
        issues: compiled.scenario.issues,
        space: prepared.space,
        parties: prepared.parties,
      }),
    }
  })

describe("protocols", () => {
  it("every protocol kind a scenario may declare is played, under its own name", () => {
    assert.deepStrictEqual(Object.keys(protocols).sort(), Object.keys(protocolDeclarations).sort())
    for (const [kind, play] of Object.entries(protocols)) assert.strictEqual(play.kind, kind)
    for (const [kind, declared] of Object.entries(protocolDeclarations))
      assert.strictEqual(declared.kind, kind)
  })

  it.effect(
    "alternating: the party after the timeline's last offerer moves first; every party proposes, to the rules' default",
    () =>
      Effect.gen(function* () {
        const { compiled, talks } = yield* talksUnder("alternating")
        const state = compiled.afterTimeline
        const last = findOffer(state, state.pending.at(-1)!)
        assert.isDefined(last)
        assert.deepStrictEqual(talks.turnOrder, compiled.order)
        assert.strictEqual(
          talks.turnOrder[talks.first],
          compiled.order[(compiled.order.indexOf(last!.by) + 1) % compiled.order.length],
        )
        for (const party of compiled.order) {
          assert.isTrue(talks.proposes(party))
          assert.isUndefined(talks.addressees(party))
        }
        assert.isUndefined(compiled.open.rules.answers)
      }),
  )

  it.effect(
    "single-text: the mediator moves first and alone proposes, to every party; every party answers every text",
    () =>
      Effect.gen(function* () {
        const { compiled, talks } = yield* talksUnder("single-text")
        const mediator = compiled.scenario.protocol.mediator!
        assert.deepStrictEqual(talks.turnOrder, [mediator, ...compiled.order])
        assert.strictEqual(talks.first, 0)
        assert.isTrue(talks.proposes(mediator))
        assert.deepStrictEqual(talks.addressees(mediator), compiled.order)
        for (const party of compiled.order) {
          assert.isFalse(talks.proposes(party))
          assert.isUndefined(talks.addressees(party))
        }
        assert.strictEqual(compiled.open.rules.answers, "every-addressee")
      }),
  )

  it("a remote agent's move is one of the vocabulary's answer moves, and a runner's move", () => {
    const kinds = AgentMove.members.map((m) => m.fields.type.literals[0])
    assert.deepStrictEqual([...kinds].sort(), [...answerMoveTypes].sort())
    const decoded = Schema.decodeUnknownSync(AgentMove)({
      type: "reject",
      reason: "too little",
      message: "no",
    })
    assert.isTrue(Schema.is(Move)(decoded))
  })
})
