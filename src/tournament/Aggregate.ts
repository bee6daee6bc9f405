/**
 * From negotiations to a ranking: per competitor, the mean of the chosen
 * score over every seat it held (a competitor meeting itself holds two) with
 * a 95% Student-t interval, its agreement rate, mean utility over its
 * agreements, mean discounted utility and advantage, and the score broken
 * down per scenario and per opponent. Also the CSV files of the output.
 *
 * @since 0.2.0
 */
import { csvText } from "../analysis/Csv.ts"
import type { NegotiationResult, RankingEntry, RankingScore, TournamentResult } from "./Result.ts"

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export const normalQuantile = (p: number): number => {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ]
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const lo = 0.02425
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    )
  }
  if (p > 1 - lo) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  )
}

/**
 * Student's t quantile for `df` degrees of freedom: exact for 1 and 2, else
 * the Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5), within 1e-3 of
 * the tables from 3 degrees of freedom at p = 0.975.
 */
export const tQuantile = (p: number, df: number): number => {
  if (df === 1) return Math.tan(Math.PI * (p - 0.5))
  if (df === 2) {
    const x = 2 * p - 1
    return x * Math.sqrt(2 / (1 - x * x))
  }
  const z = normalQuantile(p)
  const z2 = z * z
  const g1 = (z * (z2 + 1)) / 4
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4
}

/** The mean of `xs` and its 95% t-interval (the mean itself for fewer than two values). */
export const meanInterval = (
  xs: ReadonlyArray<number>,
): { readonly mean: number; readonly interval: readonly [number, number] } => {
  const n = xs.length
  if (n === 0) return { mean: 0, interval: [0, 0] }
  const mean = xs.reduce((s, x) => s + x, 0) / n
  if (n < 2) return { mean, interval: [mean, mean] }
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)
  const half = tQuantile(0.975, n - 1) * Math.sqrt(variance / n)
  return { mean, interval: [mean - half, mean + half] }
}

/** The chosen score of one seat of a negotiation. */
export const seatScore = (n: NegotiationResult, seat: string, score: RankingScore): number => {
  const p = n.parties[seat]!
  switch (score) {
    case "advantage":
      return p.advantage
    case "utility":
      return p.utility ?? 0
    case "discounted":
      return p.discounted
    case "socialWelfare":
      return n.socialWelfare
  }
}

const mean = (xs: ReadonlyArray<number>) =>
  xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length

/** The ranking, best first (ties by name). */
export const rank = (
  competitors: ReadonlyArray<string>,
  negotiations: ReadonlyArray<NegotiationResult>,
  score: RankingScore,
): Array<RankingEntry> => {
  const entries = competitors.map((competitor): RankingEntry => {
    const scores: Array<number> = []
    const utilities: Array<number> = []
    const discounted: Array<number> = []
    const advantages: Array<number> = []
    let agreed = 0
    const byScenario: Record<string, Array<number>> = {}
    const byOpponent: Record<string, Array<number>> = {}
    for (const n of negotiations)
      for (const [seat, p] of Object.entries(n.parties)) {
        if (p.competitor !== competitor) continue
        const x = seatScore(n, seat, score)
        scores.push(x)
        discounted.push(p.discounted)
        advantages.push(p.advantage)
        if (n.agreement !== null) {
          agreed++
          utilities.push(p.utility ?? 0)
        }
        byScenario[n.scenario] ??= []
        byScenario[n.scenario]!.push(x)
        const opponents = new Set(
          Object.entries(n.parties)
            .filter(([s]) => s !== seat)
            .map(([, q]) => q.competitor),
        )
        for (const o of opponents) {
          byOpponent[o] ??= []
          byOpponent[o]!.push(x)
        }
      }
    const { mean: m, interval } = meanInterval(scores)
    const breakdown = (groups: Record<string, Array<number>>) =>
      Object.fromEntries(
        Object.entries(groups).map(([k, xs]) => [k, { score: mean(xs), negotiations: xs.length }]),
      )
    return {
      competitor,
      score: m,
      interval,
      agreementRate: scores.length === 0 ? 0 : agreed / scores.length,
      meanUtility: mean(utilities),
      meanDiscounted: mean(discounted),
      meanAdvantage: mean(advantages),
      negotiations: scores.length,
      byScenario: breakdown(byScenario),
      byOpponent: breakdown(byOpponent),
    }
  })
  return entries.sort((a, b) =>
    b.score !== a.score ? b.score - a.score : a.competitor < b.competitor ? -1 : 1,
  )
}

const csv = csvText

/** `negotiations.csv`: one row per party of each negotiation. */
export const negotiationsCsv = (result: TournamentResult): string =>
  csv([
    [
      "negotiation",
      "scenario",
      "repetition",
      "seed",
      "status",
      "rounds",
      "agreementTime",
      "party",
      "competitor",
      "utility",
      "discounted",
      "reservation",
      "advantage",
      "partnerWelfare",
      "socialWelfare",
      "distanceToPareto",
      "distanceToNash",
      "distanceToKS",
      "paretoOptimal",
    ],
    ...result.negotiations.flatMap((n) => {
      const seats = Object.entries(n.parties)
      return seats.map(([seat, p]) => {
        const others = seats.filter(([s]) => s !== seat)
        return [
          n.id,
          n.scenario,
          n.repetition,
          n.seed,
          n.status,
          n.rounds,
          n.agreementTime,
          seat,
          p.competitor,
          p.utility,
          p.discounted,
          p.reservation,
          p.advantage,
          mean(others.map(([, q]) => q.discounted)),
          n.socialWelfare,
          n.distanceToPareto,
          n.distanceToNash,
          n.distanceToKS,
          n.paretoOptimal,
        ]
      })
    }),
  ])

/** `scores.csv`: one row per competitor, best first. */
export const scoresCsv = (result: TournamentResult): string =>
  csv([
    [
      "rank",
      "competitor",
      "score",
      "agreementRate",
      "meanUtility",
      "meanDiscounted",
      "meanAdvantage",
      "intervalLow",
      "intervalHigh",
      "negotiations",
    ],
    ...result.ranking.map((r, i) => [
      i + 1,
      r.competitor,
      r.score,
      r.agreementRate,
      r.meanUtility,
      r.meanDiscounted,
      r.meanAdvantage,
      r.interval[0],
      r.interval[1],
      r.negotiations,
    ]),
  ])
