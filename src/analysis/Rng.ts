/**
 * A small seeded random number generator for the analysis layer's searches
 * and draws (mulberry32: 32-bit state, uniform floats in [0, 1)); the same
 * seed gives the same sequence on every platform.
 *
 * @since 0.1.0
 */

/** A generator of uniform floats in [0, 1) from a 32-bit seed. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
