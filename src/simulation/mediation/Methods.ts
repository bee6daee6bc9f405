/**
 * The registry of mediation methods: one entry per method, each defined next
 * to its code (see `Method.ts`). The order is the `method` literal's in the
 * mediator spec (`strategies/Mediator.ts`); the docs table lists the default
 * method first, then the others in this order.
 *
 * A new method: its file (its mediator and its `mediationMethod` entry; a
 * learning method gives `learningMediator` a `LearningRule`, see
 * `Mediators.ts`), its line here, its test; then
 * `node --import tsx scripts/docs-tables.ts` regenerates the docs' tables.
 *
 * @since 0.3.0
 */
import { cycleMethod } from "./Cycle.ts"
import { feedbackMethod, hillClimbingMethod, raiffaMethod, vetoMethod } from "./Mediators.ts"

/** Every mediation method, in the order of the mediator spec's `method` literal. */
export const mediationMethods = [
  vetoMethod,
  hillClimbingMethod,
  feedbackMethod,
  raiffaMethod,
  cycleMethod,
] as const

/** A mediation method's name. */
export type Method = (typeof mediationMethods)[number]["method"]
