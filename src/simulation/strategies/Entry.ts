/**
 * What a strategy registers: its spec Schemas, how a decoded spec becomes a
 * `Strategy`, what `parley strategies` says of each of its kinds, and its
 * row of the strategy table in `docs/AGENTS.md`. Each strategy defines its
 * entry in its own file; `Registry.ts` lists them, and the scenario Schema's
 * strategy union (`Spec.ts`), `make` (`index.ts`), the catalogue
 * (`Catalog.ts`) and the docs table (`scripts/docs-tables.ts`) are derived
 * from that list.
 *
 * @since 0.3.0
 */
import type { Schema } from "effect"
import { type KindSpec, kindsOf } from "../Kinds.ts"
import type { Strategy, StrategyInfo } from "../Strategy.ts"

/** A strategy's row of the strategy table in `docs/AGENTS.md`. */
export interface StrategyDocs {
  /** The reference, short (authors, year, what it won). */
  readonly reference: string
  /** The defining behaviour its tests check. */
  readonly tested: string
  /** What had to be interpreted (details in its file), or `—`. */
  readonly interpreted: string
}

/** One strategy's registration. */
export interface StrategyEntry<Specs extends ReadonlyArray<KindSpec> = ReadonlyArray<KindSpec>> {
  /** Its spec Schemas, in the order the strategy union lists them. */
  readonly specs: Specs
  /**
   * The strategy a decoded spec of one of its kinds describes. (A method, so
   * that entries of different spec types share one list.)
   */
  make(spec: Schema.Schema.Type<Specs[number]>): Strategy
  /** Each of its kinds' summary and reference, as `parley strategies` shows them. */
  readonly about: ReadonlyArray<StrategyInfo>
  /** Its row of the strategy table in `docs/AGENTS.md` (generated), if it has one. */
  readonly docs?: StrategyDocs
}

/** A strategy's registration, typed by its specs (see {@link StrategyEntry}). */
export const strategyEntry = <const Specs extends ReadonlyArray<KindSpec>>(
  entry: StrategyEntry<Specs>,
): StrategyEntry<Specs> => entry

/** The `kind`s an entry registers, in the order of its specs. */
export const entryKinds = (entry: StrategyEntry): ReadonlyArray<string> =>
  entry.specs.flatMap(kindsOf)
