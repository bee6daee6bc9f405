/**
 * `parley export [log.jsonl | --nats URL] [--negotiation ID] [--csv
 * [--scenario FILE]]`: writes the log (one negotiation, or all of them in the
 * order they started) to stdout as JSONL, one envelope per line; with `--csv`,
 * as one timeline table for pandas or R (`report/TimelineCsv.ts`), with each
 * party's utility when the scenario is given. What it runs with is imported
 * when it runs (the help loads none of it).
 *
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Chunk, Effect, Option, Stream } from "effect"
import { UsageError } from "../Errors.ts"
import { described } from "../Help.ts"
import { natsOption } from "./Shared.ts"

const negotiationOption = Options.text("negotiation").pipe(
  Options.withAlias("n"),
  Options.withDescription("the negotiation to export (default: every negotiation)"),
  Options.optional,
)

const csvOption = Options.boolean("csv").pipe(
  Options.withDescription(
    "write the timeline as CSV: a row per event (negotiation, version, time, round, party, move, offer, status, hypothetical, sources, text), a column per issue, each party's utility with --scenario",
  ),
)

const scenarioOption = Options.file("scenario", { exists: "yes" }).pipe(
  Options.withDescription("with --csv: the scenario whose preferences give each party's utility"),
  Options.optional,
)

const config = {
  log: Args.file({ name: "log.jsonl", exists: "yes" }).pipe(
    Args.withDescription("a JSONL event log (or use --nats)"),
    Args.optional,
  ),
  nats: natsOption,
  negotiation: negotiationOption,
  csv: csvOption,
  scenario: scenarioOption,
}

/** Writes text to stdout, waiting when its buffer is full. */
const write = (text: string) =>
  Effect.async<void>((resume) => {
    if (process.stdout.write(text)) resume(Effect.void)
    else process.stdout.once("drain", () => resume(Effect.void))
  })

/** `parley export`. */
export const command = Command.make("export", config, ({ log, nats, negotiation, csv, scenario }) =>
  Effect.gen(function* () {
    const { encode } = yield* Effect.promise(() => import("../../store/Codec.ts"))
    const { EventStore, validateNegotiationId } = yield* Effect.promise(
      () => import("../../store/EventStore.ts"),
    )
    const { storeLayer } = yield* Effect.promise(() => import("../Store.ts"))
    if (Option.isSome(scenario) && !csv)
      return yield* new UsageError({ problem: "--scenario goes with --csv" })
    const evaluators = Option.isSome(scenario)
      ? yield* Effect.gen(function* () {
          const { preparedScenario, preferencesOf } = yield* Effect.promise(
            () => import("../ReportData.ts"),
          )
          return preferencesOf(yield* preparedScenario(scenario.value, {}), 0).evaluators
        })
      : []
    yield* Effect.gen(function* () {
      const store = yield* EventStore
      const ids = Option.isSome(negotiation)
        ? [yield* validateNegotiationId(negotiation.value)]
        : yield* store.list
      if (csv) {
        const { timelineCsv } = yield* Effect.promise(() => import("../../report/TimelineCsv.ts"))
        const events = []
        for (const id of ids)
          events.push(...Chunk.toReadonlyArray(yield* Stream.runCollect(store.read(id))))
        return yield* write(timelineCsv(events, evaluators))
      }
      for (const id of ids)
        yield* Stream.runForEachChunk(store.read(id), (chunk) =>
          write(`${Chunk.toReadonlyArray(chunk).map(encode).join("\n")}\n`),
        )
    }).pipe(Effect.provide(storeLayer({ nats, file: log })))
  }),
).pipe(
  Command.withDescription(
    described("Write an event log to stdout as JSONL, or its timeline as CSV", [
      "parley export --nats nats://127.0.0.1:4222 > log.jsonl",
      "parley export --nats nats://127.0.0.1:4222 --negotiation supply-2025",
      "parley export log.jsonl --csv --scenario scenarios/ceasefire-freeze.ts > timeline.csv",
    ]),
  ),
)
