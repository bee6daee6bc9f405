/**
 * Subgame-perfect equilibria of alternating-offers bargaining over a
 * divisible pie of size 1, with per-round discount factors `d1` (the first
 * proposer's) and `d2`.
 *
 * - Infinite horizon (Rubinstein 1982): the first proposer gets
 *   `(1 - d2) / (1 - d1 d2)` and the offer is accepted at once.
 * - Finite horizon of `T` rounds (the last proposer takes everything), by
 *   backward induction: the proposer of round t offers the responder exactly
 *   what the responder would get proposing at t + 1, discounted by one round.
 *   With a common factor `delta` this is `(1 - (-delta)^T) / (1 + delta)`.
 *
 * Pure; invalid inputs give a `Left` with the reason.
 *
 * @since 0.1.0
 */
import { Either } from "effect"

/** The equilibrium split: shares of the first proposer and of the first responder (they sum to 1). */
export interface Split {
  readonly proposer: number
  readonly responder: number
}

const factorProblem = (name: string, d: number): string | undefined =>
  Number.isFinite(d) && d >= 0 && d <= 1 ? undefined : `${name} must be in [0, 1], got ${d}`

/**
 * Rubinstein's infinite-horizon split: proposer share `(1 - d2) / (1 - d1 d2)`.
 * Left when a factor is outside [0, 1] or both are 1 (no unique equilibrium).
 */
export const rubinstein = (d1: number, d2: number): Either.Either<Split, string> => {
  const problem = factorProblem("d1", d1) ?? factorProblem("d2", d2)
  if (problem !== undefined) return Either.left(problem)
  if (d1 * d2 === 1) return Either.left("with d1 = d2 = 1 every split is an equilibrium")
  const x = (1 - d2) / (1 - d1 * d2)
  return Either.right({ proposer: x, responder: 1 - x })
}

/**
 * The finite-horizon split for `rounds` rounds (an integer >= 1; round 1's
 * proposer is player 1, proposers alternate), by backward induction.
 */
export const finiteHorizon = (
  d1: number,
  d2: number,
  rounds: number,
): Either.Either<Split, string> => {
  const problem = factorProblem("d1", d1) ?? factorProblem("d2", d2)
  if (problem !== undefined) return Either.left(problem)
  if (!Number.isInteger(rounds) || rounds < 1)
    return Either.left(`rounds must be an integer >= 1, got ${rounds}`)
  // share of the proposer of round t, from the last round backwards
  let share = 1
  for (let t = rounds - 1; t >= 1; t--) {
    // the proposer of round t + 1 is the responder of round t
    const responderFactor = t % 2 === 1 ? d2 : d1
    share = 1 - responderFactor * share
  }
  return Either.right({ proposer: share, responder: 1 - share })
}

/** The closed form for a common factor: `(1 - (-delta)^T) / (1 + delta)`, the first proposer's share. */
export const finiteHorizonCommon = (delta: number, rounds: number): number =>
  (1 - (-delta) ** rounds) / (1 + delta)
