/**
 * Seeded random numbers: every random choice in a run comes from here, so a
 * seed fixes the run.
 *
 * @since 0.1.0
 */

/** A generator of numbers in [0, 1) from a 32-bit seed (mulberry32). */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An independent generator for one stream (a party, a parameter draw) of the run with `seed`. */
export const seeded = (seed: number, stream: number): (() => number) =>
  mulberry32(Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b))
