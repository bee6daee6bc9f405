/**
 * `parley run <scenario> [--seed S] [--set k=v]... [--out log.jsonl] [--json]
 *  [--from log.jsonl --until-version N]`: one run of a scenario, shown as a
 * sourced timeline and the final state.
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, type HashMap, Option, Stream } from "effect"
import type { EventEnvelope } from "../domain/Event.ts"
import type { NegotiationId } from "../domain/Ids.ts"
import { loadScenario, parseOverrides } from "../scenario/Load.ts"
import { prepare, type RunResult, run, type TraceEntry } from "../simulation/Runner.ts"
import * as Jsonl from "../store/Jsonl.ts"
import * as Memory from "../store/Memory.ts"
import { UsageError } from "./Errors.ts"
import { renderState, renderTerms } from "./Render.ts"
import { jsonOption } from "./replay.ts"
import { natsOption, type StoreLayer, storeLayer } from "./Store.ts"

export const scenarioArg = Args.file({ name: "scenario", exists: "yes" }).pipe(
  Args.withDescription("a scenario file: .ts module, .json or .yaml"),
)
export const seedOption = Options.integer("seed").pipe(
  Options.withDescription("the seed of the random generators (default 1)"),
  Options.withDefault(1),
)
export const setOption = Options.keyValueMap("set").pipe(
  Options.withDescription("override a scenario parameter: --set name=value (repeatable)"),
  Options.optional,
)

const outOption = Options.file("out").pipe(
  Options.withDescription(
    "record the run's events in this JSONL log (appended; the negotiation id must be new there)",
  ),
  Options.optional,
)
const fromOption = Options.file("from", { exists: "yes" }).pipe(
  Options.withDescription("a recorded JSONL log to branch from (with --until-version)"),
  Options.optional,
)
const untilVersionOption = Options.integer("until-version").pipe(
  Options.withDescription(
    "with --from: replay the recorded negotiation up to this version, then play on",
  ),
  Options.optional,
)
const negotiationOption = Options.text("negotiation").pipe(
  Options.withDescription("with --from: the recorded negotiation (default: the scenario's id)"),
  Options.optional,
)

/** The `--set` map as the loader takes it. */
export const overridesOf = (set: Option.Option<HashMap.HashMap<string, string>>) =>
  parseOverrides(
    Option.match(set, { onNone: () => [], onSome: (m) => [...m].map(([k, v]) => `${k}=${v}`) }),
  )

const round2 = (x: number) => x.toFixed(2)

/** The timeline of a run as text lines. */
export const renderTrace = (trace: ReadonlyArray<TraceEntry>): string => {
  const out = ["round  date              party        move                  terms · utilities"]
  for (const t of trace) {
    const round = t.round === null ? "  —  " : `${String(t.round + 1).padStart(4, " ")} `
    const date = t.at.slice(0, 16).replace("T", " ")
    const utilities =
      t.utilities === undefined
        ? ""
        : ` · ${Object.entries(t.utilities)
            .map(([p, u]) => `${p} ${round2(u)}`)
            .join(", ")}`
    const terms = t.terms === undefined ? "" : renderTerms(t.terms)
    const source =
      t.status === "simulated"
        ? ""
        : ` [${t.status}${t.sources && t.sources.length > 0 ? `: ${t.sources.join(", ")}` : ""}]`
    out.push(
      `${round}  ${date}  ${(t.party ?? "").padEnd(11)}  ${(t.move + (t.offerId ? ` ${t.offerId}` : "")).padEnd(20)}  ${terms}${utilities}${source}`,
    )
    if (t.note !== undefined)
      out.push(`                                                    ${t.note}`)
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
})

export const command = Command.make(
  "run",
  {
    scenario: scenarioArg,
    seed: seedOption,
    set: setOption,
    out: outOption,
    from: fromOption,
    untilVersion: untilVersionOption,
    negotiation: negotiationOption,
    nats: natsOption,
    json: jsonOption,
  },
  ({ scenario, seed, set, out, from, untilVersion, negotiation, nats, json }) =>
    Effect.gen(function* () {
      const overrides = yield* overridesOf(set)
      const compiled = yield* loadScenario(scenario, overrides)
      const prepared = yield* prepare(compiled)
      let fork: { events: ReadonlyArray<EventEnvelope>; from: string } | undefined
      let negotiationId: NegotiationId | undefined
      if (Option.isSome(from)) {
        if (Option.isNone(untilVersion))
          return yield* new UsageError({ problem: "--from needs --until-version N" })
        const source = Option.getOrElse(negotiation, () => compiled.scenario.id as string)
        const n = untilVersion.value
        const events = yield* Jsonl.read(from.value).pipe(
          Stream.filter((e) => e.negotiationId === source),
          Stream.takeWhile((e) => e.version <= n),
          Stream.runCollect,
        )
        if (events.length === 0)
          return yield* new UsageError({
            problem: `${from.value} holds no events of negotiation "${source}"`,
          })
        if (events.length < n)
          return yield* new UsageError({
            problem: `negotiation "${source}" in ${from.value} has only ${events.length} events, not ${n}`,
          })
        fork = { events: [...events], from: `${source}@${n}` }
        negotiationId = `${source}-fork-v${n}`.slice(0, 64) as NegotiationId
      }
      const store: StoreLayer =
        Option.isSome(nats) || Option.isSome(out) ? storeLayer({ nats, file: out }) : Memory.layer
      const result = yield* run(prepared, { seed, trace: true, negotiationId, fork }).pipe(
        Effect.provide(store),
      )
      if (json) {
        yield* Console.log(JSON.stringify(runSummary(result), null, 2))
        return
      }
      yield* Console.log(
        `${compiled.scenario.title}\nseed ${seed}${fork ? ` · branched from ${fork.from}` : ""}\n`,
      )
      yield* Console.log(renderTrace(result.trace))
      yield* Console.log(`\n${renderState(result.state)}`)
      const where = Option.isSome(nats) ? nats.value : Option.getOrUndefined(out)
      if (where !== undefined)
        yield* Console.log(`\nrecorded in ${where} as negotiation ${result.negotiationId}`)
    }),
).pipe(Command.withDescription("Run a scenario once: its timeline, then its strategies play on"))
