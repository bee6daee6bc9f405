/**
 * The data of the tournament report: `DIR/tournament.json` read and
 * checked against its schema, and a run report written for each
 * negotiation (`<page>-runs/<id>.html`, beside the page) with the links the page draws.
 *
 * Run reports are written by default, since the issue asks for a link from
 * each cell to a run report. Measured: 240 negotiations of 100 rounds on
 * ANAC Laptop took 4.6 s with run reports (about 19 ms and 67 KiB each; the
 * logs are 40 KiB each) against 0.2 s without, so a 1,200-negotiation
 * tournament costs some 25 s and 80 MB once. A report at least as new as its
 * log is kept, so reporting again (after `--resume`, say) writes only the
 * new ones. `--logs-only` writes none and links each negotiation to its log.
 *
 * @since 0.2.0
 */
import { mkdir, stat, writeFile } from "node:fs/promises"
import { basename, dirname, join, relative, resolve, sep } from "node:path"
import { Chunk, Effect, Schema, Stream } from "effect"
import { messageOf } from "../domain/Errors.ts"
import * as Jsonl from "../store/Jsonl.ts"
import type { NegotiationResult, TournamentResult } from "../tournament/Result.ts"
import { runPage } from "./Page.ts"
import { ReportError, readReportFile, runData } from "./Report.ts"
import { plural } from "./Svg.ts"

// ---------------------------------------------------------------------------
// Reading tournament.json

const Finite = Schema.Number.pipe(Schema.finite())
const NullableFinite = Schema.NullOr(Finite)
/** A negotiation id is a file name under `logs/` and the run reports: no folder, never `.` or `..`. */
const FileName = Schema.String.pipe(
  Schema.pattern(/^(?!\.\.?$)[^/\\\0]+$/, {
    message: () => "a negotiation id must be a file name (no / or \\, not . or ..)",
  }),
)
const Breakdown = Schema.Record({
  key: Schema.String,
  value: Schema.Struct({ score: Finite, negotiations: Schema.Number }),
})

/** The shape of `tournament.json`, checked before anything is drawn. */
export const TournamentResultSchema = Schema.Struct({
  id: Schema.String,
  seed: Schema.Number,
  score: Schema.Literal("advantage", "utility", "discounted", "socialWelfare"),
  definition: Schema.Unknown,
  scenarios: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      parties: Schema.Array(Schema.String),
      outcomes: Schema.Number,
    }),
  ),
  negotiations: Schema.Array(
    Schema.Struct({
      id: FileName,
      scenario: Schema.String,
      repetition: Schema.Number,
      seed: Schema.Number,
      assignment: Schema.Record({ key: Schema.String, value: Schema.String }),
      status: Schema.String,
      rounds: Schema.Number,
      agreementTime: NullableFinite,
      agreement: Schema.NullOr(
        Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number) }),
      ),
      parties: Schema.Record({
        key: Schema.String,
        value: Schema.Struct({
          competitor: Schema.String,
          utility: NullableFinite,
          discounted: Finite,
          reservation: Finite,
          advantage: Finite,
        }),
      }),
      socialWelfare: Finite,
      distanceToPareto: NullableFinite,
      distanceToNash: NullableFinite,
      distanceToKS: NullableFinite,
      paretoOptimal: Schema.NullOr(Schema.Boolean),
    }),
  ),
  ranking: Schema.Array(
    Schema.Struct({
      competitor: Schema.String,
      score: Finite,
      interval: Schema.Tuple(Finite, Finite),
      agreementRate: Finite,
      meanUtility: Finite,
      meanDiscounted: Finite,
      meanAdvantage: Finite,
      negotiations: Schema.Number,
      byScenario: Breakdown,
      byOpponent: Breakdown,
    }),
  ),
})

// The schema decodes exactly the shared type.
const _sameShape: (r: typeof TournamentResultSchema.Type) => TournamentResult = (r) => r

/** Checks a decoded value beyond its shape: names that must be unique and must refer to something. */
const consistency = (r: TournamentResult): string | undefined => {
  const ids = new Set<string>()
  for (const [i, n] of r.negotiations.entries()) {
    if (ids.has(n.id)) return `negotiations[${i}].id: "${n.id}" appears twice`
    ids.add(n.id)
  }
  const competitors = new Set<string>()
  for (const [i, e] of r.ranking.entries()) {
    if (competitors.has(e.competitor))
      return `ranking[${i}].competitor: "${e.competitor}" appears twice`
    competitors.add(e.competitor)
  }
  for (const [i, n] of r.negotiations.entries())
    for (const [party, p] of Object.entries(n.parties))
      if (!competitors.has(p.competitor))
        return `negotiations[${i}].parties.${party}.competitor: "${p.competitor}" is not in the ranking`
  return undefined
}

/** Reads and checks `DIR/tournament.json`; any problem is one line naming the file. */
export const readTournament = (dir: string): Effect.Effect<TournamentResult, ReportError> =>
  Effect.map(
    readReportFile(
      join(dir, "tournament.json"),
      `write it with parley tournament <file> --out ${dir}`,
      TournamentResultSchema,
      (r) => consistency(_sameShape(r)),
      "all",
    ),
    _sameShape,
  )

// ---------------------------------------------------------------------------
// The data of the page

/** Where each negotiation's own pages are, as links relative to the report. */
export interface NegotiationLinks {
  /** The run report, when one was written. */
  readonly report?: string | undefined
  /** The log, when it exists. */
  readonly log?: string | undefined
}

/** Everything the tournament page shows. */
export interface TournamentData {
  readonly result: TournamentResult
  readonly dir: string
  /** By negotiation id. */
  readonly links: ReadonlyMap<string, NegotiationLinks>
  readonly origin: ReadonlyArray<string>
  readonly notices: ReadonlyArray<string>
}

/** A path as a relative URL (each segment percent-encoded, `/` between them). */
const hrefOf = (from: string, to: string) =>
  relative(from, to)
    .split(sep)
    .map((s) => (s === ".." ? s : encodeURIComponent(s)))
    .join("/")

/** A file's modification time, or undefined when it is not a file. */
const modified = (path: string) =>
  Effect.promise(() =>
    stat(path).then(
      (s) => (s.isFile() ? s.mtimeMs : undefined),
      () => undefined,
    ),
  )

/** Writes one negotiation's run report from its log. */
const writeRunReport = (log: string, target: string, n: NegotiationResult, tournamentId: string) =>
  Effect.gen(function* () {
    const events = Chunk.toReadonlyArray(yield* Stream.runCollect(Jsonl.read(log)))
    const own = events.filter((e) => e.negotiationId === n.id)
    const chosen = own.length > 0 ? own : events
    if (chosen.length === 0) return yield* new ReportError({ problem: `${log} holds no events` })
    const roles = Object.entries(n.assignment)
      .map(([party, c]) => `${party}: ${c}`)
      .join(", ")
    const html = runPage(
      runData(
        chosen,
        undefined,
        [
          `Negotiation ${n.id} of the tournament ${tournamentId} · scenario ${n.scenario} · repetition ${n.repetition} · seed ${n.seed} · ${roles}`,
          `Replayed from the log ${log} · ${chosen.length} events`,
        ],
        [
          "A tournament log holds no preferences, so the concession curves and the utility space are skipped; the tournament report has this negotiation's scores.",
        ],
      ),
    )
    yield* Effect.tryPromise({
      try: () => writeFile(target, html, "utf8"),
      catch: (e) => new ReportError({ problem: `cannot write ${target}: ${messageOf(e)}` }),
    })
  })

/**
 * Where the run reports of a tournament page written at `out` go: a folder
 * beside the page named after it (`t.html` → `t-runs/`), so that the page and
 * its reports travel together and nothing is written into the tournament's
 * own folder.
 */
export const runReportsDir = (out: string): string =>
  join(dirname(resolve(out)), `${basename(out).replace(/\.html?$/i, "")}-runs`)

/**
 * Reads a tournament folder for the page written at `out`: checks
 * `tournament.json`, finds each negotiation's log and, unless `logsOnly`,
 * writes its run report beside the page ({@link runReportsDir}).
 */
export const fromTournament = (
  dir: string,
  options: { readonly out: string; readonly logsOnly?: boolean | undefined },
) =>
  Effect.gen(function* () {
    const result = yield* readTournament(dir)
    const from = dirname(resolve(options.out))
    const reports = runReportsDir(options.out)
    if (options.logsOnly !== true && result.negotiations.length > 0)
      yield* Effect.tryPromise({
        try: () => mkdir(reports, { recursive: true }),
        catch: (e) => new ReportError({ problem: `cannot create ${reports}: ${messageOf(e)}` }),
      })
    const links = new Map<string, NegotiationLinks>()
    let missing = 0
    let written = 0
    let kept = 0
    for (const n of result.negotiations) {
      const log = join(dir, "logs", `${n.id}.jsonl`)
      const logTime = yield* modified(log)
      if (logTime === undefined) {
        missing++
        links.set(n.id, {})
        continue
      }
      let report: string | undefined
      if (options.logsOnly !== true) {
        const target = join(reports, `${n.id}.html`)
        // A run report at least as new as its log is kept: a report run again writes only what changed.
        const reportTime = yield* modified(target)
        if (reportTime !== undefined && reportTime >= logTime) kept++
        else {
          yield* writeRunReport(log, target, n, result.id)
          written++
        }
        report = hrefOf(from, resolve(target))
      }
      links.set(n.id, { report, log: hrefOf(from, resolve(log)) })
    }
    const notices: Array<string> = []
    if (missing > 0)
      notices.push(
        `${plural(missing, "negotiation")} of ${result.negotiations.length} ha${missing === 1 ? "s" : "ve"} no log under ${join(dir, "logs")}: ${missing === 1 ? "it is" : "they are"} listed without links.`,
      )
    const data: TournamentData = {
      result,
      dir,
      links,
      origin: [
        `Read from ${join(dir, "tournament.json")} · ${plural(result.negotiations.length, "negotiation")} · seed ${result.seed}${options.logsOnly === true ? " · links to the logs only (--logs-only)" : ` · ${plural(written, "run report")} written${kept > 0 ? `, ${kept} kept (newer than their logs)` : ""} under ${reports}`}`,
      ],
      notices,
    }
    return data
  })
