/**
 * The docs tables generated from the registries: the strategy table of
 * `docs/AGENTS.md` (each strategy entry's `docs` row, `strategies/Registry.ts`)
 * and the methods table of `docs/MEDIATION.md` (`mediation/Methods.ts`), and
 * the NATS names of `docs/REFERENCE.md` (`src/nats/Layout.ts`).
 * Each lies between marker comments in its file; `scripts/docs-tables.ts`
 * rewrites them and `tests/docs/Tables.test.ts` checks they are up to date.
 */
import * as Nats from "../../src/nats/Layout.ts"
import { mediationMethods } from "../../src/simulation/mediation/Methods.ts"
import { entryKinds } from "../../src/simulation/strategies/Entry.ts"
import { DEFAULT_METHOD } from "../../src/simulation/strategies/Mediator.ts"
import { strategyEntries } from "../../src/simulation/strategies/Spec.ts"

/** A markdown table: a header row, its rule, and the rows. */
const markdown = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
): string =>
  [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
  ].join("\n")

/** The strategy table: one row per registered strategy that has a `docs` row, in registry order. */
export const strategyTable = (): string =>
  markdown(
    ["kind", "reference", "defining behaviour tested", "interpreted (details in the file)"],
    strategyEntries.flatMap((entry) =>
      entry.docs === undefined
        ? []
        : [
            [
              entryKinds(entry)
                .map((kind) => `\`${kind}\``)
                .join(", "),
              entry.docs.reference,
              entry.docs.tested,
              entry.docs.interpreted,
            ],
          ],
    ),
  )

/** The mediation methods table: the default method first, then the others in registry order. */
export const mediationTable = (): string =>
  markdown(
    ["method", "from", "what it does"],
    [
      ...mediationMethods.filter((m) => m.method === DEFAULT_METHOD),
      ...mediationMethods.filter((m) => m.method !== DEFAULT_METHOD),
    ].map((m) => [
      `\`${m.method}\`${m.method === DEFAULT_METHOD ? " (default)" : ""}`,
      m.from,
      m.does,
    ]),
  )

/**
 * The NATS names table: every subject, stream, consumer and bucket, with the
 * default prefix, from the functions every component reads them from.
 */
export const natsTable = (): string => {
  const l = Nats.layoutFor()
  const code = (s: string) => `\`${s}\``
  return markdown(
    ["what", "name (default prefix)", "kind"],
    [
      [
        "the event log: every negotiation's commits",
        code(Nats.eventSubjects(l)),
        `stream ${code(l.eventStream)}`,
      ],
      ["one negotiation's commits", code(Nats.eventSubject(l, "<negotiationId>")), "subject"],
      [
        "every state of one negotiation, in version order",
        code(Nats.stateSubject(l, "<negotiationId>")),
        "subject",
      ],
      ["the states of all negotiations", code(Nats.allStatesSubject(l)), "subject (wildcard)"],
      [
        "the summary (id, title, status, version, updatedAt)",
        code(Nats.summarySubject(l)),
        "subject",
      ],
      ["rejected input, with its stream sequence", code(Nats.problemsSubject(l)), "subject"],
      [
        "the latest state per negotiation",
        `${code(l.stateBucket)}, key ${code("<negotiationId>")}`,
        "KV bucket",
      ],
      [
        "the projector's summary and checkpoint",
        `${code(l.projectionBucket)}, keys ${code(Nats.SUMMARY_KEY)}, ${code(Nats.CHECKPOINT_KEY)}`,
        "KV bucket",
      ],
      ["a remote agent's turns (request/reply)", code(Nats.agentSubject(l, "<name>")), "subject"],
      [
        "distributed batches: work items",
        code(Nats.workSubject(l, "<batch>", "<item>")),
        `stream ${code(l.workStream)} (work queue)`,
      ],
      [
        "the workers' shared pull consumer",
        code(l.workersConsumer),
        `durable consumer on ${code(l.workStream)}`,
      ],
      [
        "a batch's definition",
        code(Nats.batchSubject(l, "<batch>", "def")),
        `stream ${code(l.batchStream)}`,
      ],
      [
        "an item's result, failure and claim",
        ["result", "failed", "claim"]
          .map((w) => code(Nats.batchSubject(l, "<batch>", w as Nats.BatchRecord, "<item>")))
          .join(", "),
        `stream ${code(l.batchStream)}`,
      ],
      [
        "records set aside as malformed",
        code(Nats.malformedSubject(l)),
        `stream ${code(l.batchStream)}`,
      ],
      [
        "the server's advisory: an item out of deliveries",
        code(Nats.maxDeliveriesAdvisory(l)),
        "subject (from the server)",
      ],
    ],
  )
}

/** A generated table: the file it is in, the name of its markers, and its text. */
export interface GeneratedTable {
  readonly file: string
  readonly name: string
  readonly render: () => string
}

/** Every generated table of the docs. */
export const generatedTables: ReadonlyArray<GeneratedTable> = [
  { file: "docs/AGENTS.md", name: "strategies", render: strategyTable },
  { file: "docs/MEDIATION.md", name: "mediation-methods", render: mediationTable },
  { file: "docs/REFERENCE.md", name: "nats-names", render: natsTable },
]

/** The markers around a generated table. */
export const markers = (name: string) => ({
  begin: `<!-- ${name}:begin (generated from the registry by scripts/docs-tables.ts: edit the entries, not this table) -->`,
  end: `<!-- ${name}:end -->`,
})

/**
 * `text` with the table between its markers replaced by `table` (the begin
 * marker rewritten too); an error when the markers are missing.
 */
export const withTable = (text: string, name: string, table: string): string => {
  const { begin, end } = markers(name)
  const start = text.indexOf(`<!-- ${name}:begin`)
  const stop = text.indexOf(end)
  if (start < 0 || stop < start)
    throw new Error(`no <!-- ${name}:begin ... --> / ${end} markers to write the table between`)
  return `${text.slice(0, start)}${begin}\n${table}\n${text.slice(stop)}`
}

/** The table between a generated table's markers in `text` (`undefined` without the markers). */
export const tableIn = (text: string, name: string): string | undefined => {
  const start = text.indexOf(`<!-- ${name}:begin`)
  const stop = text.indexOf(markers(name).end)
  if (start < 0 || stop < start) return undefined
  return text.slice(text.indexOf("\n", start) + 1, stop).replace(/\n$/, "")
}
