/**
 * The one way to start a thread that plays negotiations: a Monte Carlo
 * thread, a tournament thread or a `parley worker`'s playing thread. Each
 * kind names the module it runs from the sources and its compiled entry in
 * the bundle (`scripts/build.mjs` lists them); every thread gets the
 * playing threads' V8 limits (`ThreadLimits.ts`).
 *
 * From the sources a thread starts at `ThreadEntry.js`, which registers the
 * TypeScript loader (a thread does not inherit the parent's) and loads the
 * module; from the bundle (`dist/`) it starts at the kind's own compiled
 * entry, next to this code.
 *
 * @since 0.4.0
 */
import { Worker } from "node:worker_threads"
import { playingThreadLimits } from "./ThreadLimits.ts"

/** A kind of playing thread. */
export interface ThreadKind {
  /** The module the thread runs, from the sources. */
  readonly module: URL
  /** Its compiled entry in the bundle (a file of `dist/`, see `scripts/build.mjs`). */
  readonly bundled: string
}

const fromSources = import.meta.url.endsWith(".ts")

/** Starts a thread of `kind`, given `workerData`. */
export const startPlayingThread = (kind: ThreadKind, workerData?: unknown): Worker =>
  fromSources
    ? new Worker(new URL("./ThreadEntry.js", import.meta.url), {
        argv: [kind.module.href],
        workerData,
        resourceLimits: playingThreadLimits,
      })
    : new Worker(new URL(`./${kind.bundled}`, import.meta.url), {
        workerData,
        resourceLimits: playingThreadLimits,
      })
