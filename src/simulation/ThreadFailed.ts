/**
 * The failure a thread that plays negotiations reports (Monte Carlo and
 * tournament threads): what went wrong inside it crosses the thread boundary
 * as a message, and comes back on this side as this one error, its message
 * unchanged; a thread that crashes or exits is reported the same way.
 *
 * @since 0.4.0
 */
import { Data } from "effect"

/** A playing thread failed: the message it posted, or why it stopped. */
export class ThreadFailed extends Data.TaggedError("ThreadFailed")<{
  readonly message: string
  /** The thread's own error, when it crashed (not when it posted its failure). */
  readonly cause?: unknown
}> {}
