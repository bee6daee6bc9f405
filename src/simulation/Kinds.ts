/**
 * Registries of kinds: a list of entries, each a spec Schema discriminated by
 * its `kind` literal, how a decoded spec is made into what it names, and
 * what listings say of it. The Schema union, the `make` and the catalogue of
 * a registry (strategies: `strategies/Registry.ts`; acceptance conditions:
 * `boa/Acceptance.ts`; opponent models: `boa/Models.ts`) are derived from its
 * list with these helpers. (Mediation methods, a literal rather than a union
 * of specs, have their own list: `mediation/Methods.ts`.)
 *
 * @since 0.3.0
 */
import type { Schema } from "effect"
import type { StrategyInfo } from "./Strategy.ts"

/** A spec Schema a registry can take: a Struct whose `kind` field is one or more literals. */
export interface KindSpec extends Schema.Schema.AnyNoContext {
  readonly fields: { readonly kind: { readonly literals: ReadonlyArray<unknown> } }
}

/** The `kind`s a spec Schema names, in declaration order. */
export const kindsOf = (spec: KindSpec): ReadonlyArray<string> =>
  spec.fields.kind.literals as ReadonlyArray<string>

/** One kind of a registry with a single spec per entry (acceptance conditions, opponent models). */
export interface KindEntry<Spec extends KindSpec = KindSpec, Made = unknown> {
  readonly spec: Spec
  /** What a decoded spec makes. (A method, so that entries of different spec types share one list.) */
  make(spec: Schema.Schema.Type<Spec>): Made
  /** One line on what it does, as `parley strategies` shows it. */
  readonly summary: string
  /** The paper or description it follows. */
  readonly reference: string
}

/** The spec Schema of any entry of a list (a union of their types). */
export type SpecOf<Entries extends ReadonlyArray<{ readonly specs: ReadonlyArray<unknown> }>> =
  Entries[number]["specs"][number]

/** The spec Schemas of a list's entries, in order, typed as `Schema.Union` takes them (two or more). */
export const specsOf = <Entries extends ReadonlyArray<{ readonly specs: ReadonlyArray<unknown> }>>(
  entries: Entries,
) =>
  entries.flatMap((entry) => entry.specs) as unknown as readonly [
    SpecOf<Entries>,
    SpecOf<Entries>,
    ...Array<SpecOf<Entries>>,
  ]

/** The spec Schemas of a list of single-spec entries, typed as `Schema.Union` takes them. */
export const membersOf = <Entries extends ReadonlyArray<{ readonly spec: unknown }>>(
  entries: Entries,
) =>
  entries.map((entry) => entry.spec) as unknown as readonly [
    Entries[number]["spec"],
    Entries[number]["spec"],
    ...Array<Entries[number]["spec"]>,
  ]

/** What a listing shows of each entry of a list of single-spec entries, in order. */
export const infoOf = (entries: ReadonlyArray<KindEntry>): ReadonlyArray<StrategyInfo> =>
  entries.flatMap((entry) =>
    kindsOf(entry.spec).map((kind) => ({
      kind,
      summary: entry.summary,
      reference: entry.reference,
    })),
  )

/** The `make` of a list of single-spec entries: a decoded spec is made by its kind's entry. */
export const makerOf = <Spec extends { readonly kind: string }, Made>(
  entries: ReadonlyArray<KindEntry<KindSpec, Made>>,
): ((spec: Spec) => Made) => {
  const byKind = new Map(
    entries.flatMap((entry) => kindsOf(entry.spec).map((kind) => [kind, entry] as const)),
  )
  return (spec) => byKind.get(spec.kind)!.make(spec as never)
}
