/**
 * The scripted agent: offers the listed terms in turn; once they run out it
 * repeats the last (`exhausted: "repeat-last"`) or walks out (`"walk-out"`). With
 * no offers at all and `repeat-last` it only answers (rejecting what it does
 * not accept). It accepts the offer on the table by its `accept` rule:
 * `never`; `acceptable` (`view.acceptable`); or `next`: acceptable and worth
 * at least its next scripted offer (any acceptable offer when it would walk
 * out next).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Terms } from "../../domain/Issue.ts"
import type { Strategy } from "../Strategy.ts"
import { ACCEPT, fromMediator, REJECT } from "./Concession.ts"
import { strategyEntry } from "./Entry.ts"
import { described } from "./Parameters.ts"

/**
 * Scripted: offers `offers` in turn; when they run out, `then` says whether it
 * repeats the last (default) or walks out. It accepts by `accept`: `never`,
 * `acceptable` (default: whatever `view.acceptable` allows) or `next` (an
 * acceptable offer worth at least its next scripted offer).
 */
export const ScriptedSpec = Schema.Struct({
  kind: Schema.Literal("scripted"),
  offers: described(Schema.Array(Terms), "the terms it offers, in turn"),
  exhausted: Schema.optionalWith(
    described(Schema.Literal("repeat-last", "walk-out"), "when its offers run out"),
    {
      default: () => "repeat-last" as const,
    },
  ),
  accept: Schema.optionalWith(
    described(
      Schema.Literal("never", "acceptable", "next"),
      "accepts never, any acceptable offer, or one worth at least its next scripted offer",
    ),
    {
      default: () => "acceptable" as const,
    },
  ),
})
export type ScriptedSpec = typeof ScriptedSpec.Type

/** The scripted strategy of a spec. */
export const scripted = (spec: ScriptedSpec): Strategy => ({
  name: "scripted",
  init: (view) => {
    const offers = spec.offers
    const mediated = fromMediator(view)
    let i = 0
    return {
      move: (turn) => {
        const next: Terms | undefined =
          i < offers.length
            ? offers[i]
            : spec.exhausted === "repeat-last"
              ? offers[offers.length - 1]
              : undefined
        const offer = turn.onTable
        if (offer !== undefined) {
          const yes =
            spec.accept === "never"
              ? false
              : spec.accept === "acceptable"
                ? view.acceptable(offer.terms)
                : view.acceptable(offer.terms) &&
                  (next === undefined || view.utility(offer.terms) >= view.utility(next))
          if (yes) return ACCEPT
          if (mediated(offer)) return REJECT
        }
        if (next === undefined)
          return spec.exhausted === "walk-out"
            ? { type: "walk-out", reason: "script exhausted" }
            : REJECT
        i++
        return { type: "offer", terms: next }
      },
    }
  },
})

/** Its registration (see `Registry.ts`). */
export const scriptedEntry = strategyEntry({
  specs: [ScriptedSpec],
  make: scripted,
  about: [
    {
      kind: "scripted",
      summary: "Offers a list of terms in turn, then repeats the last or walks out",
      reference: "parley (a scripted baseline)",
    },
  ],
})
