/**
 * The summary of a batch's outcomes: statuses, agreement rate, rounds to
 * agreement, what the agreements settled on, mean utilities and advantages,
 * the share of Pareto-efficient agreements, and the uncertain parameters'
 * means over agreed and other runs.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import { type Analysis, analyze } from "../analysis/Analyze.ts"
import { dominatesWithin } from "../analysis/Pareto.ts"
import { realSteps } from "../scenario/Scenario.ts"
import type { Batch, RunOutcome } from "./Batch.ts"
import type { Prepared } from "./Runner.ts"

/** What a batch of runs shows. */
export interface Summary {
  readonly runs: number
  readonly seed: number
  readonly statuses: Readonly<Record<string, number>>
  readonly agreementRate: number
  /** Rounds to agreement over the agreed runs (null when none agreed). */
  readonly roundsToAgreement: {
    readonly median: number
    readonly p90: number
    readonly mean: number
  } | null
  /** Per issue, per value: the share of agreements that settled on it. */
  readonly optionFrequencies: Readonly<Record<string, Readonly<Record<string, number>>>>
  /** Per party: the mean over runs of its discounted utility (discounted reservation value without agreement). */
  readonly meanUtility: Readonly<Record<string, number>>
  /** Per party: the mean advantage (discounted utility minus discounted reservation; 0 without agreement). */
  readonly meanAdvantage: Readonly<Record<string, number>>
  /** Mean normalised time of the agreements (null when none agreed). */
  readonly meanAgreementTime: number | null
  /** Share of agreements no outcome Pareto-dominates (null when preferences are not all known or nothing agreed). */
  readonly paretoEfficientShare: number | null
  /** Per uncertain parameter: its range and its mean over agreed and over other runs. */
  readonly drawn: Readonly<
    Record<
      string,
      {
        readonly min: number
        readonly max: number
        readonly meanAgreed: number | null
        readonly meanOther: number | null
        /** The play it cannot act under (its declaration's `actsUnder`), when this batch plays one. */
        readonly noEffectUnder?: string
      }
    >
  >
  readonly events: number
  readonly seconds: number
}

const quantile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!

/** The Pareto analysis of the principals' preferences, when every principal has linear or custom preferences. */
export const frontierOf = (prepared: Prepared): Analysis | undefined => {
  const principals = prepared.compiled.scenario.parties.filter((p) => p.role === "principal")
  const profiles = principals.flatMap((p) => {
    const prepared_ = prepared.parties.find((q) => q.id === p.id)
    return prepared_?.preferences === undefined
      ? []
      : [{ party: p.id as string, preferences: prepared_.preferences }]
  })
  if (profiles.length !== principals.length || profiles.length < 2) return undefined
  if (prepared.space.size > 2_000_000) return undefined
  return Either.getOrUndefined(
    analyze(prepared.compiled.scenario.issues, profiles, {
      realStep: realSteps(prepared.compiled.scenario),
    }),
  )
}

/** Summarises the outcomes of a batch. */
export const summarize = (
  batch: Batch,
  outcomes: ReadonlyArray<RunOutcome>,
  seed: number,
  seconds: number,
): Summary => {
  const prepared = batch.base
  const statuses: Record<string, number> = {}
  const frequencies: Record<string, Record<string, number>> = {}
  const agreedRounds: Array<number> = []
  const totals: Record<string, number> = {}
  const advantages: Record<string, number> = {}
  let agreementTimes = 0
  let events = 0
  const analysis = frontierOf(prepared)
  const principals = analysis?.parties ?? []
  let efficient = 0
  for (const o of outcomes) {
    statuses[o.status] = (statuses[o.status] ?? 0) + 1
    events += o.events
    for (const [p, u] of Object.entries(o.utilities)) totals[p] = (totals[p] ?? 0) + u
    for (const [p, s] of Object.entries(o.scores))
      advantages[p] = (advantages[p] ?? 0) + s.advantage
    if (o.agreement === null) continue
    agreedRounds.push(o.rounds)
    agreementTimes += o.agreementTime ?? 0
    for (const [issue, value] of Object.entries(o.agreement)) {
      const perIssue = frequencies[issue] ?? {}
      frequencies[issue] = perIssue
      perIssue[String(value)] = (perIssue[String(value)] ?? 0) + 1
    }
    if (analysis !== undefined) {
      const u = principals.map((p) =>
        prepared.parties.find((q) => q.id === p)!.utility(o.agreement!),
      )
      // Within rounding: a frontier point tied on one party and better for another dominates.
      const dominated = analysis.paretoFrontier.some((f) =>
        dominatesWithin(
          principals.map((p) => f.utilities[p] ?? 0),
          u,
        ),
      )
      if (!dominated) efficient++
    }
  }
  const agreed = agreedRounds.length
  for (const perIssue of Object.values(frequencies))
    for (const k of Object.keys(perIssue)) perIssue[k] = perIssue[k]! / agreed
  agreedRounds.sort((a, b) => a - b)
  const meanUtility: Record<string, number> = {}
  for (const [p, t] of Object.entries(totals)) meanUtility[p] = t / outcomes.length
  const meanAdvantage: Record<string, number> = {}
  for (const [p, t] of Object.entries(advantages)) meanAdvantage[p] = t / outcomes.length
  const drawn: Record<string, Summary["drawn"][string]> = {}
  const declared = (batch.definition as { parameters?: Record<string, { actsUnder?: unknown }> })
    ?.parameters
  const protocol = batch.base.compiled.scenario.protocol
  const play =
    protocol.kind === "single-text" && protocol.voters === "strategies"
      ? "single-text/strategies"
      : protocol.kind
  for (const u of batch.uncertain) {
    const mean = (agreed: boolean) => {
      const xs = outcomes
        .filter((o) => (o.agreement !== null) === agreed)
        .map((o) => o.drawn[u.name] ?? 0)
      return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length
    }
    const acts = declared?.[u.name]?.actsUnder as ReadonlyArray<string> | undefined
    drawn[u.name] = {
      min: u.min,
      max: u.max,
      meanAgreed: mean(true),
      meanOther: mean(false),
      ...(acts === undefined || acts.includes(play) ? {} : { noEffectUnder: play }),
    }
  }
  return {
    runs: outcomes.length,
    seed,
    statuses,
    agreementRate: outcomes.length === 0 ? 0 : agreed / outcomes.length,
    roundsToAgreement:
      agreed === 0
        ? null
        : {
            median: quantile(agreedRounds, 0.5),
            p90: quantile(agreedRounds, 0.9),
            mean: agreedRounds.reduce((s, x) => s + x, 0) / agreed,
          },
    optionFrequencies: frequencies,
    meanUtility,
    meanAdvantage,
    meanAgreementTime: agreed === 0 ? null : agreementTimes / agreed,
    paretoEfficientShare: analysis === undefined || agreed === 0 ? null : efficient / agreed,
    drawn,
    events,
    seconds,
  }
}
