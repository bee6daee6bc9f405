/**
 * The V8 limits of every thread that plays negotiations (Monte Carlo and
 * tournament threads, a `parley worker`'s playing thread).
 *
 * The young generation is 192 MB (64 MB semi-spaces) instead of V8's default
 * 48 MB (16 MB semi-spaces): a run allocates about 1.7 MB, so the default
 * scavenges every ten runs or so, and the scavenges (parallel, on V8's helper
 * threads) cost nearly half as much CPU as the runs themselves — CPU a second
 * thread on the same machine needs. With 192 MB they happen a third as often
 * (see the `distributed` and `simulate` benchmarks; 384 MB gained nothing more).
 *
 * @since 0.4.0
 */
import type { ResourceLimits } from "node:worker_threads"

/** The `resourceLimits` of a thread that plays negotiations. */
export const playingThreadLimits: ResourceLimits = { maxYoungGenerationSizeMb: 192 }
