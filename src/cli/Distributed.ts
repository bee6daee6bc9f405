/**
 * The engines that the `--distributed`, `--chunk` and `--keep-logs` options
 * of `parley simulate`, `sweep` and `tournament` select (the options are in
 * `src/cli/commands/Shared.ts`):
 * the batch is played by `parley worker`s through the NATS server of
 * `--nats`, and printed exactly as a local run's.
 *
 * @since 0.3.0
 */
import { Effect, Option } from "effect"
import {
  type DistributedError,
  distributedRuns,
  distributedTournament,
} from "../distributed/Coordinator.ts"
import type { MalformedMessage } from "../distributed/Messages.ts"
import type { RunEngine } from "../simulation/MonteCarlo.ts"
import type { TournamentEngine } from "../tournament/Tournament.ts"
import { UsageError } from "./Errors.ts"

/** The NATS URL `--distributed` needs, or a usage error. */
const serverOf = (
  distributed: boolean,
  nats: Option.Option<string>,
  chunk: Option.Option<number>,
) =>
  Effect.gen(function* () {
    if (!distributed) {
      if (Option.isSome(chunk))
        return yield* new UsageError({ problem: "--chunk only applies with --distributed" })
      return undefined
    }
    if (Option.isNone(nats))
      return yield* new UsageError({
        problem: "--distributed needs --nats URL (the workers' server)",
      })
    if (Option.isSome(chunk) && chunk.value < 1)
      return yield* new UsageError({ problem: "--chunk must be at least 1" })
    return nats.value
  })

const announce = (quiet: boolean) => (batch: string, resumed: number) => {
  if (!quiet)
    process.stderr.write(
      `batch ${batch}${resumed > 0 ? `: ${resumed} item(s) already done, resuming` : ""}\n`,
    )
}

/** A message of the batch that was set aside: said on stderr, whatever `--quiet` (it needs a look). */
const warnMalformed = (problem: MalformedMessage) =>
  process.stderr.write(`parley: ${problem.message}; set aside (see parley batches)\n`)

/** The `--distributed` flags of a batch command, and whether it prints progress. */
interface DistributedFlags {
  readonly distributed: boolean
  readonly nats: Option.Option<string>
  readonly chunk: Option.Option<number>
  readonly keepLogs: boolean
  readonly quiet: boolean
}

/** The Monte Carlo engine of `--distributed`, or none. */
export const runEngineOf = (options: DistributedFlags) =>
  Effect.map(
    serverOf(options.distributed, options.nats, options.chunk),
    (nats): RunEngine<DistributedError> | undefined =>
      nats === undefined
        ? undefined
        : (batch, run) =>
            distributedRuns(batch, {
              nats,
              chunk: Option.getOrUndefined(options.chunk),
              keepLogs: options.keepLogs,
              onBatch: announce(options.quiet),
              onMalformed: warnMalformed,
              ...run,
            }),
  )

/** The tournament engine of `--distributed`, or none. */
export const tournamentEngineOf = (options: DistributedFlags) =>
  Effect.map(
    serverOf(options.distributed, options.nats, options.chunk),
    (nats): TournamentEngine<DistributedError> | undefined =>
      nats === undefined
        ? undefined
        : (tournament, plan, onResult) =>
            distributedTournament(tournament, plan, {
              nats,
              chunk: Option.getOrUndefined(options.chunk),
              keepLogs: options.keepLogs,
              onBatch: announce(options.quiet),
              onMalformed: warnMalformed,
              onResult,
            }),
  )
