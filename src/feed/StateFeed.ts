/**
 * The state feed port: live states of negotiations for other parts of a
 * system. Two adapters: NATS (`NatsFeed.ts`, reading what the projector
 * publishes) and in-process (`InProcessFeed.ts`, folding the embedded event
 * log). Both pass one contract suite.
 *
 * @since 0.1.0
 */
import { Context, Schema, type Stream } from "effect"
import type { StateView } from "./StateSchema.ts"

/** The feed failed: the server is unreachable, a bucket is missing, the log cannot be read. */
export class StateFeedError extends Schema.TaggedError<StateFeedError>()("StateFeedError", {
  operation: Schema.String,
  problem: Schema.String,
}) {
  override get message() {
    return `${this.operation} failed: ${this.problem}`
  }
}

/** The state feed port. */
export interface StateFeedService {
  /**
   * One negotiation's states: its latest state first (when it has one), then
   * each new one as it is derived, in version order, never the same version
   * twice. Never ends by itself.
   */
  readonly watchState: (negotiationId: string) => Stream.Stream<StateView, StateFeedError>
  /**
   * Every negotiation's states: the latest state of each first, then each new
   * one; per negotiation in version order, never the same version twice.
   */
  readonly watchAll: () => Stream.Stream<StateView, StateFeedError>
}

/** The state feed. */
export class StateFeed extends Context.Tag("parley/StateFeed")<StateFeed, StateFeedService>() {}

/**
 * Keeps, per negotiation, only states newer than the last one let through:
 * a republished state (same version) or a late older one is dropped.
 */
export const newerOnly = () => {
  const last = new Map<string, number>()
  return (view: StateView): boolean => {
    const id = view.negotiationId ?? ""
    if (view.version <= (last.get(id) ?? 0)) return false
    last.set(id, view.version)
    return true
  }
}
