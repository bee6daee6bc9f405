/**
 * One-line descriptions of published states, for terminals and logs.
 *
 * @since 0.1.0
 */
import type { StateView } from "./StateSchema.ts"

const terms = (t: Readonly<Record<string, string | number>>): string =>
  Object.entries(t)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ")

/**
 * The move that produced this state, as far as the view shows it: the offer,
 * answer, position, ratification or agreement recorded at its version, else
 * what the status says.
 */
export const lastMove = (view: StateView): string => {
  const v = view.version
  if (v === 0) return "nothing yet"
  if (v === 1) return `opened "${view.title}"`
  if (view.agreement !== null && view.agreement.version === v)
    return `agreed on ${view.agreement.offerId} (${terms(view.agreement.terms)})`
  for (const offer of view.offers) {
    const reported = offer.provenance.status === "reported" ? " (reported)" : ""
    if (offer.version === v)
      return `${offer.by} offered ${offer.offerId}${reported}: ${terms(offer.terms)}`
    for (const r of offer.responses)
      if (r.version === v)
        return `${r.by} ${r.answer} ${offer.offerId}${r.provenance.status === "reported" ? " (reported)" : ""}`
  }
  for (const p of view.parties)
    if (p.position !== undefined && p.position.version === v)
      return `${p.id} stated a position: ${terms(p.position.demands)}`
  for (const [issue, partial] of Object.entries(view.partialAgreements))
    if (partial.version === v) return `${issue} settled at ${partial.value} (${partial.offerId})`
  if (view.endedBecause !== undefined) return view.endedBecause
  if (view.status === "suspended") return "talks suspended"
  return "an offer was confirmed, denied, withdrawn or ratified, or talks resumed"
}

/** `v12 open round 5 · 2025-04-22T09:30:00.000Z · russia offered o5: a=1`. */
export const oneLine = (view: StateView): string =>
  `${view.negotiationId ?? "-"} v${view.version} ${view.status} round ${view.round} · ${view.updatedAt ?? "-"} · ${lastMove(view)}`
