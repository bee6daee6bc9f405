/**
 * `parley run <scenario> [--seed S] [--set k=v]... [--out log.jsonl] [--json]
 *  [--from log.jsonl --until-version N]`: one run of a scenario, shown as a
 * sourced timeline and the final state.
 *
 * @since 0.1.0
 */
import { Console, Effect, Option } from "effect"
import { forkFromFile, forkFromStore } from "../app/Fork.ts"
import { agentTransport } from "../remote/Connect.ts"
import { loadScenario } from "../scenario/Load.ts"
import {
  needsTransport,
  prepare,
  type RunResult,
  run,
  type TraceEntry,
} from "../simulation/Runner.ts"
import * as Spec from "../store/Spec.ts"
import type { RunArgs } from "./commands/run.ts"
import { UsageError } from "./Errors.ts"
import { agentsOf, overridesOf } from "./Options.ts"
import { renderState, renderTerms } from "./Render.ts"
import { type StoreLayer, storeLayer } from "./Store.ts"
import { table } from "./Table.ts"

const round2 = (x: number) => x.toFixed(2)

/** The timeline of a run as text lines: one row per move, its note (if any) below it. */
export const renderTrace = (trace: ReadonlyArray<TraceEntry>): string => {
  const rows = trace.map((t) => {
    const utilities =
      t.utilities === undefined
        ? ""
        : ` · ${Object.entries(t.utilities)
            .map(([p, u]) => `${p} ${round2(u)}`)
            .join(", ")}`
    const source =
      t.status === "simulated"
        ? ""
        : ` [${t.status}${t.sources && t.sources.length > 0 ? `: ${t.sources.join(", ")}` : ""}]`
    return [
      t.round === null ? "—" : String(t.round + 1),
      t.at.slice(0, 16).replace("T", " "),
      t.party ?? "",
      t.move + (t.offerId ? ` ${t.offerId}` : ""),
      `${t.terms === undefined ? "" : renderTerms(t.terms)}${utilities}${source}`,
    ]
  })
  const lines = table([["round", "date", "party", "move", "terms · utilities"], ...rows], {
    indent: "",
    right: [0],
  })
  const out = [lines[0]!]
  for (const [k, t] of trace.entries()) {
    out.push(lines[k + 1]!)
    if (t.note !== undefined) out.push(`${" ".repeat(8)}${t.note}`)
    if (t.message !== undefined) out.push(`${" ".repeat(8)}says: ${JSON.stringify(t.message)}`)
    if (t.fallback !== undefined) out.push(`${" ".repeat(8)}fallback moved: ${t.fallback}`)
  }
  return out.join("\n")
}

/** The `--json` summary of a run. */
export const runSummary = (r: RunResult) => ({
  negotiationId: r.negotiationId,
  status: r.state.status,
  rounds: r.rounds,
  events: r.events,
  agreement:
    r.state.agreement === undefined
      ? null
      : { offerId: r.state.agreement.offerId, terms: r.state.agreement.terms },
  /** Normalised time of the agreement, null without one. */
  agreementTime: r.scores.agreementTime,
  /** When talks ended: normalised time and simulated round. */
  end: r.end,
  /** Per party: utility (undiscounted), discounted, reservation, advantage. */
  parties: r.scores.parties,
})

/** What `parley run` does. */
export const handlers = {
  run: ({
    scenario,
    seed,
    set,
    agent,
    out,
    from,
    untilVersion,
    negotiation,
    nats,
    json,
  }: RunArgs) =>
    Effect.gen(function* () {
      const overrides = yield* overridesOf(set)
      const agents = yield* agentsOf(agent)
      const compiled = yield* loadScenario(scenario, overrides)
      // Remote agents talk over --nats (or PARLEY_NATS_URL), connected before the run starts.
      const transport = yield* agentTransport(needsTransport(compiled, agents), nats)
      const prepared = yield* prepare(compiled, agents, { transport })
      const store: StoreLayer =
        Option.isSome(nats) || Option.isSome(out)
          ? storeLayer({ nats, file: out })
          : Spec.storeLayer(Spec.memory)
      const [result, fork] = yield* Effect.gen(function* () {
        if (Option.isNone(from))
          return [yield* run(prepared, { seed, trace: true }), undefined] as const
        if (Option.isNone(untilVersion))
          return yield* new UsageError({ problem: "--from needs --until-version N" })
        const fork = Option.isSome(nats)
          ? yield* forkFromStore(from.value, untilVersion.value)
          : yield* forkFromFile(
              from.value,
              Option.getOrElse(negotiation, () => compiled.scenario.id as string),
              untilVersion.value,
            )
        const result = yield* run(prepared, {
          seed,
          trace: true,
          negotiationId: fork.negotiationId,
          fork,
        })
        return [result, fork.from] as const
      }).pipe(Effect.provide(store))
      if (json) {
        yield* Console.log(JSON.stringify(runSummary(result), null, 2))
        return
      }
      yield* Console.log(
        `${compiled.scenario.title}\nseed ${seed}${fork === undefined ? "" : ` · branched from ${fork}`}\n`,
      )
      yield* Console.log(renderTrace(result.trace))
      yield* Console.log(`\n${renderState(result.state)}`)
      const where = Option.isSome(nats) ? nats.value : Option.getOrUndefined(out)
      if (where !== undefined)
        yield* Console.log(`\nrecorded in ${where} as negotiation ${result.negotiationId}`)
    }).pipe(Effect.scoped),
}
