/**
 * What a tournament produces (`tournament.json` under `--out`): every
 * negotiation with its scores, and the ranking of the competitors. The
 * tournament runner writes it; `parley report --tournament` reads it.
 *
 * @since 0.2.0
 */

/** The score that ranks competitors (default `advantage`, as the ANL ranks). */
export type RankingScore = "advantage" | "utility" | "discounted" | "socialWelfare"

/** One party's scores in one negotiation. */
export interface PartyResult {
  readonly competitor: string
  /** Undiscounted utility of the agreement (null without agreement). */
  readonly utility: number | null
  /** Discounted utility, or the discounted reservation value without agreement. */
  readonly discounted: number
  readonly reservation: number
  /** Discounted utility minus discounted reservation value (0 without agreement). */
  readonly advantage: number
}

/** One negotiation of a tournament. */
export interface NegotiationResult {
  /** The negotiation id (its log is `logs/<id>.jsonl`). */
  readonly id: string
  readonly scenario: string
  readonly repetition: number
  readonly seed: number
  /** Party id to competitor name. */
  readonly assignment: Readonly<Record<string, string>>
  readonly status: string
  readonly rounds: number
  readonly agreementTime: number | null
  readonly agreement: Readonly<Record<string, string | number>> | null
  readonly parties: Readonly<Record<string, PartyResult>>
  /** Sum of the parties' discounted utilities. */
  readonly socialWelfare: number
  /** Distance of the outcome's utilities to the Pareto frontier, the Nash and the Kalai-Smorodinsky points. */
  readonly distanceToPareto: number | null
  readonly distanceToNash: number | null
  readonly distanceToKS: number | null
  readonly paretoOptimal: boolean | null
}

/** A competitor's line of the ranking. */
export interface RankingEntry {
  readonly competitor: string
  /** The mean of the ranking score over its negotiations. */
  readonly score: number
  /** 95% confidence interval of that mean (Student's t). */
  readonly interval: readonly [number, number]
  readonly agreementRate: number
  /** Mean undiscounted utility over its agreements. */
  readonly meanUtility: number
  readonly meanDiscounted: number
  readonly meanAdvantage: number
  readonly negotiations: number
  readonly byScenario: Readonly<
    Record<string, { readonly score: number; readonly negotiations: number }>
  >
  readonly byOpponent: Readonly<
    Record<string, { readonly score: number; readonly negotiations: number }>
  >
}

/** A whole tournament's result. */
export interface TournamentResult {
  readonly id: string
  readonly seed: number
  readonly score: RankingScore
  /** The decoded tournament file, as run. */
  readonly definition: unknown
  readonly scenarios: ReadonlyArray<{
    readonly name: string
    readonly parties: ReadonlyArray<string>
    readonly outcomes: number
  }>
  readonly negotiations: ReadonlyArray<NegotiationResult>
  /** Best first. */
  readonly ranking: ReadonlyArray<RankingEntry>
}
