/**
 * Rubinstein's alternating-offers bargaining: two players split a pie of
 * size 1; player 1 proposes first; each round of delay discounts player i's
 * payoff by delta_i. One issue, `share`: player 1's share of the pie.
 *
 * With both players on their subgame-perfect equilibrium strategies the first
 * offer is accepted at once:
 * - no horizon (default): x1 = (1 - delta2) / (1 - delta1 * delta2)
 *   (0.526316 for 0.9 / 0.9; 0.714286 for 0.9 / 0.8);
 * - horizon T offers (backward induction); with a common delta,
 *   x1 = (1 - (-delta)^T) / (1 + delta) (0.91 for delta 0.9, T = 3).
 *
 *     parley run scenarios/rubinstein.ts --set delta1=0.9 --set delta2=0.8 --json
 *     parley run scenarios/rubinstein.ts --set horizon=3
 */
import { defineScenario, type Params } from "../src/scenario/Scenario.ts"

const num = (p: Params, name: string) => p[name] as number

export default defineScenario({
  parameters: {
    delta1: { default: 0.9, description: "Player 1's discount factor per round, in (0, 1)" },
    delta2: { default: 0.9, description: "Player 2's discount factor per round, in (0, 1)" },
    horizon: { default: 0, description: "Number of offers before the pie is lost (0 = no limit)" },
  },
  build: (p) => {
    const horizon = num(p, "horizon")
    const spec = (player: 1 | 2) => ({
      kind: "rubinstein",
      player,
      delta1: num(p, "delta1"),
      delta2: num(p, "delta2"),
      ...(horizon > 0 ? { horizon } : {}),
    })
    return {
      id: "rubinstein",
      title: "Rubinstein bargaining: split the pie by alternating offers",
      opened: "2025-01-01",
      parties: [
        {
          id: "player1",
          name: "Player 1",
          role: "principal",
          preferences: {
            weights: { share: 1 },
            evaluations: { share: { kind: "linear", atLow: 0, atHigh: 1 } },
            discountPerRound: num(p, "delta1"),
          },
          strategy: spec(1),
        },
        {
          id: "player2",
          name: "Player 2",
          role: "principal",
          preferences: {
            weights: { share: 1 },
            evaluations: { share: { kind: "linear", atLow: 1, atHigh: 0 } },
            discountPerRound: num(p, "delta2"),
          },
          strategy: spec(2),
        },
      ],
      issues: [{ kind: "real", id: "share", label: "Player 1's share of the pie", min: 0, max: 1 }],
      protocol: {
        kind: "alternating",
        order: ["player1", "player2"],
        // Each round holds one offer by each player.
        rounds: horizon > 0 ? Math.ceil(horizon / 2) : 500,
        hoursPerTurn: 24,
      },
    }
  },
})
