/**
 * The table of runs: one CSV line per run of a batch (`parley simulate
 * --table`) or of a sweep (`parley sweep --table`), with the run's
 * parameters, outcome, agreed options and each party's scores.
 *
 * @since 0.3.0
 */
import { csvText } from "../analysis/Csv.ts"
import type { Row } from "./Sweep.ts"

/**
 * One CSV line per run (parley's one dialect, `analysis/Csv.ts`): the point
 * (in a sweep), run, seed, every parameter, status, rounds, agreement time,
 * the agreed option of each issue, and each party's utility, discounted
 * utility and advantage.
 */
export const runsCsv = (
  rows: ReadonlyArray<Row>,
  columns: {
    readonly parameters: ReadonlyArray<string>
    readonly parties: ReadonlyArray<string>
    readonly issues: ReadonlyArray<string>
    readonly points: boolean
  },
): string => {
  const header = [
    ...(columns.points ? ["point"] : []),
    "run",
    "seed",
    ...columns.parameters,
    "status",
    "rounds",
    "agreementTime",
    ...columns.issues.map((i) => `agreed_${i}`),
    ...columns.parties.flatMap((p) => [`${p}_utility`, `${p}_discounted`, `${p}_advantage`]),
  ]
  const lines: Array<ReadonlyArray<unknown>> = [header]
  for (const { point, parameters, outcome: o } of rows) {
    const agreement = o.agreement as Readonly<Record<string, unknown>> | null
    lines.push([
      ...(columns.points ? [point ?? null] : []),
      o.run,
      o.seed,
      ...columns.parameters.map((p) => parameters[p] ?? null),
      o.status,
      o.rounds,
      o.agreementTime,
      ...columns.issues.map((i) =>
        agreement === null || agreement[i] === undefined ? null : String(agreement[i]),
      ),
      ...columns.parties.flatMap((p) => {
        const s = o.scores[p]
        return [s?.utility ?? null, s?.discounted ?? null, s?.advantage ?? null]
      }),
    ])
  }
  return csvText(lines)
}
