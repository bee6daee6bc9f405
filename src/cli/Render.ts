/**
 * Readable text renderings of states for the terminal.
 *
 * @since 0.1.0
 */
import type { Provenance } from "../domain/Event.ts"
import type { Terms } from "../domain/Issue.ts"
import { offersInOrder, type State } from "../domain/Negotiation.ts"
import type { TraceEntry } from "../simulation/Runner.ts"
import { table } from "./Table.ts"

/** `a=1, b=x`. */
export const renderTerms = (terms: Terms): string =>
  Object.entries(terms)
    .map(([k, v]) => `${k}=${typeof v === "number" ? Number(v.toFixed(6)) : v}`)
    .join(", ")

/** `reported (FT via Reuters)` or `official`. */
export const renderProvenance = (p: Provenance): string => {
  const by = [...new Set((p.sources ?? []).map((s) => s.reportedBy))].join("; ")
  return by === "" ? p.status : `${p.status}: ${by}`
}

/** A multi-line, human-readable description of a negotiation's state. */
export const renderState = (state: State): string => {
  const out: Array<string> = []
  out.push(`${state.negotiationId ?? "(unopened)"} — ${state.title}`)
  out.push(
    `status ${state.status} · version ${state.version} · round ${state.round} · last event ${state.updatedAt ?? "-"}`,
  )
  if (state.endedBecause !== undefined) out.push(`ended because ${state.endedBecause}`)
  out.push("", "Parties")
  const parties = table(
    state.parties.map((p) => [p.id, p.role, p.present ? "present" : "walked out", p.name]),
  )
  for (const [k, p] of state.parties.entries()) {
    out.push(parties[k]!)
    if (p.position !== undefined)
      out.push(
        `      position (v${p.position.version}, ${renderProvenance(p.position.provenance)}): ${renderTerms(p.position.demands)}`,
      )
  }
  out.push("", "Issues")
  out.push(
    ...table(
      state.issues.map((i) => [
        i.id,
        i.kind === "discrete" ? i.options.join(" | ") : `${i.kind} ${i.min}..${i.max}`,
      ]),
    ),
  )
  const offers = offersInOrder(state)
  out.push("", `Offers (${offers.length})`)
  const offerRows = table(
    offers.map((o) => [
      o.offerId,
      `v${o.version} ${o.by} → ${o.to.join(", ")} [${o.status}${o.confirmed ? "" : ", unconfirmed"}] ${renderProvenance(o.provenance)}`,
    ]),
  )
  for (const [k, o] of offers.entries()) {
    const answers = o.responses
      .map((r) => `${r.by} ${r.answer}${r.provenance.status === "reported" ? " (reported)" : ""}`)
      .join(", ")
    out.push(offerRows[k]!)
    out.push(`      ${renderTerms(o.terms)}${answers === "" ? "" : `  · ${answers}`}`)
  }
  const partial = Object.entries(state.partialAgreements)
  if (partial.length > 0)
    out.push(
      "",
      `Partial agreements: ${partial.map(([k, v]) => `${k}=${v.value} (${v.offerId})`).join(", ")}`,
    )
  out.push("")
  if (state.agreement !== undefined) {
    out.push(`Agreement: offer ${state.agreement.offerId} at version ${state.agreement.version}`)
    out.push(`  ${renderTerms(state.agreement.terms)}`)
    out.push(`  accepted by ${state.agreement.acceptedBy.join(", ")}`)
    if (state.agreement.ratifiedBy.length > 0)
      out.push(`  ratified by ${state.agreement.ratifiedBy.join(", ")}`)
  } else if (state.acceptedOffer !== undefined) {
    out.push(
      `Accepted offer ${state.acceptedOffer} awaits ratification by ${state.rules.mustRatify.join(", ")}`,
    )
  } else out.push("Agreement: none")
  return out.join("\n")
}

const round2 = (x: number) => x.toFixed(2)

/** The timeline of a run as text lines: one row per move, its note (if any) below it. */
export const renderTrace = (trace: ReadonlyArray<TraceEntry>): string => {
  const rows = trace.map((t) => {
    const utilities =
      t.utilities === undefined
        ? ""
        : ` · ${Object.entries(t.utilities)
            .map(([p, u]) => `${p} ${round2(u)}`)
            .join(", ")}`
    const source =
      t.status === "simulated"
        ? ""
        : ` [${t.status}${t.sources && t.sources.length > 0 ? `: ${t.sources.join(", ")}` : ""}]`
    return [
      t.round === null ? "—" : String(t.round + 1),
      t.at.slice(0, 16).replace("T", " "),
      t.party ?? "",
      t.move + (t.offerId ? ` ${t.offerId}` : ""),
      `${t.terms === undefined ? "" : renderTerms(t.terms)}${utilities}${source}`,
    ]
  })
  const lines = table([["round", "date", "party", "move", "terms · utilities"], ...rows], {
    indent: "",
    right: [0],
  })
  const out = [lines[0]!]
  for (const [k, t] of trace.entries()) {
    out.push(lines[k + 1]!)
    if (t.note !== undefined) out.push(`${" ".repeat(8)}${t.note}`)
    if (t.message !== undefined) out.push(`${" ".repeat(8)}says: ${JSON.stringify(t.message)}`)
    if (t.fallback !== undefined) out.push(`${" ".repeat(8)}fallback moved: ${t.fallback}`)
  }
  return out.join("\n")
}
