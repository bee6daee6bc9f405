/**
 * CLI errors, and how any error becomes one clear line on stderr.
 *
 * Every boundary fails with errors of its own, each carrying the message the
 * user reads; {@link reportFailure} is the one place that turns any of them
 * into `parley: <message>` and exit code 1 (2 for a usage error the parser
 * finds, see {@link parserQuiet}):
 *
 * - the event store: `StoreError`, with its `reason` (`Failure`,
 *   `Unreachable`, `Unavailable`, `PermissionDenied`, `ConsumerGone`,
 *   `TooLarge`, `InvalidId`, `DuplicateConflict`), `VersionConflict` and
 *   `CorruptEvent` (defined in `domain/Log.ts`, re-exported by the store's port
 *   `store/EventStore.ts`); opening one, `OpenError`
 *   (`store/Spec.ts`: adds the NATS stream's `StreamMismatch` and the
 *   settings' `ConfigError`);
 * - the NATS connection: `StoreError`, from `nats/Connection.ts` (its
 *   settings: `ConfigError`, naming the variable);
 * - a remote agent: `AgentTransportError`, with its `reason`
 *   (`remote/TransportError.ts`); an agent that does not answer in time never
 *   fails a run: its fallback plays;
 * - loading a scenario: `ScenarioError` (`scenario/Load.ts`);
 * - a strategy: `StrategyError` (the simulation runner);
 * - a batch: `RunFailure` (`simulation/Batch.ts`) and `BatchError`
 *   (`simulation/MonteCarlo.ts`), a playing thread's `ThreadFailed`, a
 *   tournament negotiation's `PlayError`, a distributed batch's
 *   `DistributedError` (with `BatchFailed`);
 * - the command line itself: {@link UsageError}, {@link InvalidLog}.
 *
 * An interruption (Ctrl-C) prints nothing and exits 1; an argument error is
 * `parley: <what the parser says>`, exit code 2; a defect is `parley:
 * internal error: <message>`.
 *
 * @since 0.1.0
 */
import { stripVTControlCharacters } from "node:util"
import { HelpDoc, ValidationError } from "@effect/cli"
import { Cause, Config, Console, Data, Effect, Option } from "effect"
import { messageOf } from "../domain/Errors.ts"

/** The command line asks for something that cannot be done. */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly problem: string }> {
  override get message() {
    return this.problem
  }
}

/** `validate` found problems (each already printed). */
export class InvalidLog extends Data.TaggedError("InvalidLog")<{
  readonly path: string
  readonly problems: number
}> {
  override get message() {
    return `${this.path}: ${this.problems} problem${this.problems === 1 ? "" : "s"}`
  }
}

/** The parser's message as one line of plain text. */
const oneLine = (doc: HelpDoc.HelpDoc) =>
  stripVTControlCharacters(HelpDoc.toAnsiText(doc))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ")

/**
 * Prints a failure as one line — `parley: <message>` — and sets a non-zero
 * exit code: 2 for an argument the parser refuses, 1 for anything else.
 */
export const reportFailure = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  program.pipe(
    Effect.catchAllCause((cause) =>
      Effect.gen(function* () {
        process.exitCode = 1
        if (Cause.isInterruptedOnly(cause)) return
        const failure = Cause.failureOption(cause)
        if (failure._tag === "Some") {
          if (ValidationError.isValidationError(failure.value)) {
            process.exitCode = 2
            const message = oneLine(failure.value.error)
            return yield* Console.error(
              `parley: ${message === "" ? "invalid command line" : message} (see parley --help)`,
            )
          }
          const e = failure.value as { message?: string }
          yield* Console.error(`parley: ${e.message ?? String(e)}`)
          return
        }
        const defect = Cause.squash(cause)
        yield* Console.error(`parley: internal error: ${messageOf(defect)}`)
      }),
    ),
  )

/**
 * Runs `program` (the parser, then a command) with what it prints on stderr
 * dropped until `started()` is true: the parser prints its errors there
 * before failing with them, which {@link reportFailure} prints as one
 * `parley:` line instead.
 */
export const parserQuiet =
  (started: () => boolean) =>
  <A, E, R>(program: Effect.Effect<A, E, R>) =>
    Effect.flatMap(Effect.console, (base) =>
      Effect.withConsole(program, {
        ...base,
        error: (...args) => (started() ? base.error(...args) : Effect.void),
      }),
    )

/**
 * Runs the CLI with a console that drops colour codes from what goes to a
 * stream that is not a terminal, or everywhere when `NO_COLOR` is set
 * (https://no-color.org), so that piped help and output stay plain text.
 */
export const plainWhereNeeded = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const noColor = Option.isSome(
      yield* Config.option(Config.string("NO_COLOR")).pipe(
        Effect.orElseSucceed(() => Option.none()),
      ),
    )
    const plainOut = noColor || process.stdout.isTTY !== true
    const plainErr = noColor || process.stderr.isTTY !== true
    if (!plainOut && !plainErr) return yield* program
    const base = yield* Effect.console
    const strip = (args: ReadonlyArray<unknown>) =>
      args.map((a) => (typeof a === "string" ? stripVTControlCharacters(a) : a))
    const plain: Console.Console = {
      ...base,
      log: (...args) => (plainOut ? base.log(...strip(args)) : base.log(...args)),
      info: (...args) => (plainOut ? base.info(...strip(args)) : base.info(...args)),
      error: (...args) => (plainErr ? base.error(...strip(args)) : base.error(...args)),
      warn: (...args) => (plainErr ? base.warn(...strip(args)) : base.warn(...args)),
    }
    return yield* Effect.withConsole(program, plain)
  })
