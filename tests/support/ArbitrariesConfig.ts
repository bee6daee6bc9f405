/**
 * fast-check settings shared by the property suites: a fixed seed so that a
 * run is reproducible (set PARLEY_FC_SEED to explore other seeds), and the
 * number of runs each property can afford.
 */
import type { FastCheck as fc } from "effect"

const fromEnv = Number(process.env.PARLEY_FC_SEED)

/** The seed of every property run. */
export const seed = Number.isInteger(fromEnv) ? fromEnv : 0x5eed_2025

/** fast-check parameters for `numRuns` runs with the shared seed. */
export const fastCheck = <T>(numRuns: number): fc.Parameters<T> => ({ numRuns, seed })
