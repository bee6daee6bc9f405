/**
 * CLI errors, and how any error becomes one clear line on stderr.
 *
 * @since 0.1.0
 */
import { ValidationError } from "@effect/cli"
import { Cause, Console, Data, Effect } from "effect"
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

/**
 * Prints a failure as one line — `parley: <message>` — and sets a non-zero
 * exit code. Argument errors were already printed by the CLI parser.
 */
export const reportFailure = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  program.pipe(
    Effect.catchAllCause((cause) =>
      Effect.gen(function* () {
        process.exitCode = 1
        if (Cause.isInterruptedOnly(cause)) return
        const failure = Cause.failureOption(cause)
        if (failure._tag === "Some") {
          if (ValidationError.isValidationError(failure.value)) return
          const e = failure.value as { message?: string }
          yield* Console.error(`parley: ${e.message ?? String(e)}`)
          return
        }
        const defect = Cause.squash(cause)
        yield* Console.error(`parley: internal error: ${messageOf(defect)}`)
      }),
    ),
  )
