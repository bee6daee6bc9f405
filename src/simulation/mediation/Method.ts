/**
 * What a mediation method registers: its `method` name (the `method` of a
 * `mediator` spec), how a mediator spec naming it becomes a `Strategy`, and
 * its row of the methods table in `docs/MEDIATION.md`. Each method defines
 * its entry next to its code; `Methods.ts` lists them, and the `method`
 * literal of the mediator spec, `mediator`'s dispatch and the docs table are
 * derived from that list.
 *
 * @since 0.3.0
 */
import type { Strategy } from "../Strategy.ts"

/**
 * What a mediator spec tells its method: its parameters besides `method` and
 * `relay` (see `MediatorSpec` in `strategies/Mediator.ts`, which a method
 * needing a parameter of its own extends).
 */
export interface MediationOptions {
  /** Weight in [0, 1] of the mediator's own utility against the compromise (absent: 0). */
  readonly bias?: number
  /** `cycle` only: when every text was tried, start over from the best or walk out. */
  readonly exhausted: "start-over" | "walk-out"
}

/** One mediation method's registration. */
export interface MediationMethod<Method extends string = string> {
  /** Its name, as a mediator spec's `method` gives it. */
  readonly method: Method
  /** A word the `method` parameter's description adds after its name (e.g. `baseline`). */
  readonly note?: string
  /** The mediator of a decoded spec naming this method (its `bias`, `exhausted`, ... as it uses them). */
  readonly make: (options: MediationOptions) => Strategy
  /** Where it comes from (the docs table's `from` column). */
  readonly from: string
  /** What it does (the docs table's `what it does` column). */
  readonly does: string
}

/** A mediation method's registration, its name kept as a literal type. */
export const mediationMethod = <const Method extends string>(
  entry: MediationMethod<Method>,
): MediationMethod<Method> => entry
