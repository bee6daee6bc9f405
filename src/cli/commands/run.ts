/**
 * `parley run <scenario> [--seed S] [--set k=v]... [--out log.jsonl] [--json]
 *  [--from log.jsonl --until-version N]`: one run of a scenario, shown as a
 * sourced timeline and the final state. What it runs with is imported when
 * it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import type { Terms } from "../../domain/Issue.ts"
import type { RunResult } from "../../simulation/Runner.ts"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
import type { StoreLayer } from "../Store.ts"
import { table } from "../Table.ts"
import {
  agentOption,
  jsonOption,
  natsOption,
  scenarioArg,
  seedOption,
  setOption,
} from "./Shared.ts"

const outOption = Options.file("out").pipe(
  Options.withDescription(
    "record the run's events in this JSONL log (appended; the negotiation id must be new there); a branch (--from) is otherwise recorded in its source's log",
  ),
  Options.optional,
)
const fromOption = Options.text("from").pipe(
  Options.withDescription(
    "branch from a recording (with --until-version): a JSONL log, or with --nats the id of a negotiation on the NATS log",
  ),
  Options.optional,
)
const untilVersionOption = Options.integer("until-version").pipe(
  Options.withDescription(
    "with --from: replay the recorded negotiation up to this version, then play on",
  ),
  Options.optional,
)
const negotiationOption = Options.text("negotiation").pipe(
  Options.withDescription(
    "with --from log.jsonl: the recorded negotiation (default: the scenario's id)",
  ),
  Options.optional,
)

const idOption = Options.text("id").pipe(
  Options.withDescription(
    "the negotiation's id in the log (default: the scenario's id; a branch: <id>-fork-v<N>); a new id records the scenario again in a log that holds it, or a second branch beside the first",
  ),
  Options.optional,
)
const summaryOption = Options.boolean("summary").pipe(
  Options.withDescription(
    "print the outcome only (status, agreement, each party's utility and advantage), not every move",
  ),
)

const config = {
  scenario: scenarioArg,
  seed: seedOption,
  set: setOption,
  agent: agentOption,
  out: outOption,
  from: fromOption,
  untilVersion: untilVersionOption,
  negotiation: negotiationOption,
  id: idOption,
  nats: natsOption,
  json: jsonOption,
  summary: summaryOption,
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

const fixed = (x: number | null) => (x === null ? "-" : x.toFixed(4))

/**
 * The outcome of a run in a few lines (`--summary`): status, rounds and
 * events, the agreement's terms (written by `terms`), and per party its
 * utility, discounted utility, reservation value and advantage over no deal.
 */
export const renderOutcome = (r: RunResult, terms: (t: Terms) => string) => {
  const s = runSummary(r)
  const out = [
    `${s.status} after ${s.rounds} round${s.rounds === 1 ? "" : "s"} (${s.events} events), ended at normalised time ${s.end.time.toFixed(3)}`,
  ]
  if (s.agreement !== null)
    out.push(`agreement: ${terms(s.agreement.terms)} (offer ${s.agreement.offerId})`)
  else if (r.state.endedBecause !== undefined) out.push(`no agreement: ${r.state.endedBecause}`)
  out.push(
    ...table(
      [
        ["party", "utility", "discounted", "reservation", "advantage"],
        ...Object.entries(s.parties).map(([party, p]) => [
          party,
          fixed(p.utility),
          fixed(p.discounted),
          fixed(p.reservation),
          fixed(p.advantage),
        ]),
      ],
      { indent: "", right: [1, 2, 3, 4] },
    ),
  )
  return out.join("\n")
}

/** `parley run`. */
export const command = Command.make(
  "run",
  config,
  ({ scenario, seed, set, agent, out, from, untilVersion, negotiation, id, nats, json, summary }) =>
    Effect.gen(function* () {
      const { forkFromFile, forkFromStore } = yield* Effect.promise(
        () => import("../../app/Fork.ts"),
      )
      const { agentTransport } = yield* Effect.promise(() => import("../../remote/Connect.ts"))
      const { loadScenario } = yield* Effect.promise(() => import("../../scenario/Load.ts"))
      const { needsTransport, prepare, run } = yield* Effect.promise(
        () => import("../../simulation/Runner.ts"),
      )
      const Spec = yield* Effect.promise(() => import("../../store/Spec.ts"))
      const { agentsOf, overridesOf, refuseOverwrite } = yield* Effect.promise(
        () => import("../Options.ts"),
      )
      yield* refuseOverwrite([["--out", Option.getOrUndefined(out)]], [["scenario", scenario]])
      const { renderState, renderTerms, renderTrace } = yield* Effect.promise(
        () => import("../Render.ts"),
      )
      const { storeLayer } = yield* Effect.promise(() => import("../Store.ts"))
      const { validateNegotiationId } = yield* Effect.promise(
        () => import("../../store/EventStore.ts"),
      )
      const negotiationId = Option.isSome(id) ? yield* validateNegotiationId(id.value) : undefined
      const overrides = yield* overridesOf(set)
      const agents = yield* agentsOf(agent)
      const compiled = yield* loadScenario(scenario, overrides)
      // Remote agents talk over --nats (or PARLEY_NATS_URL), connected before the run starts.
      const transport = yield* agentTransport(needsTransport(compiled, agents), nats)
      const prepared = yield* prepare(compiled, agents, { transport })
      // A branch is recorded where its source is (the --from log, or the NATS log) unless --out says where.
      const file = Option.isNone(out) && Option.isNone(nats) && Option.isSome(from) ? from : out
      const store: StoreLayer =
        Option.isSome(nats) || Option.isSome(file)
          ? storeLayer({ nats, file })
          : Spec.storeLayer(Spec.memory)
      const [result, fork] = yield* Effect.gen(function* () {
        if (Option.isNone(from))
          return [yield* run(prepared, { seed, trace: true, negotiationId }), undefined] as const
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
          negotiationId: negotiationId ?? fork.negotiationId,
          fork,
        })
        return [result, fork.from] as const
      }).pipe(
        Effect.catchTag("VersionConflict", (e) =>
          Effect.fail(
            new UsageError({
              problem: `${e.message}: the log already holds a different run of negotiation "${e.negotiationId}"; record this one beside it with --id NEW-ID`,
            }),
          ),
        ),
        Effect.provide(store),
      )
      if (json) {
        yield* Console.log(JSON.stringify(runSummary(result), null, 2))
        return
      }
      yield* Console.log(
        `${compiled.scenario.title}\nseed ${seed}${fork === undefined ? "" : ` · branched from ${fork}`}\n`,
      )
      if (summary) yield* Console.log(renderOutcome(result, renderTerms))
      else {
        yield* Console.log(renderTrace(result.trace))
        yield* Console.log(`\n${renderState(result.state)}`)
      }
      const where = Option.isSome(nats)
        ? `the NATS log at ${nats.value}`
        : Option.getOrUndefined(file)
      if (where !== undefined)
        yield* Console.log(
          `\n${fork === undefined ? "recorded" : `branch of ${fork} recorded`} in ${where} as negotiation ${result.negotiationId}`,
        )
    }).pipe(Effect.scoped),
).pipe(
  Command.withDescription(
    described("Run a scenario once: its timeline, then its strategies play on", [
      "parley run scenarios/ceasefire-freeze.ts",
      "parley run scenarios/ceasefire-freeze.ts --seed 7 --set russiaReservation=0.4",
      "parley run scenarios/anac-laptop.json --summary",
      "parley run scenarios/rubinstein.ts --nats nats://127.0.0.1:4222 --id rubinstein-2",
      "parley run scenarios/anac-laptop.json --agent laptop_buyer_utility=boulware --out run.jsonl",
      "parley run scenarios/ceasefire-freeze.ts --from run.jsonl --until-version 6 --seed 2",
    ]),
  ),
)
