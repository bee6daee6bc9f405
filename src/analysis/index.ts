/**
 * Negotiation analysis and the field's formats: preferences and compiled
 * utilities, outcome spaces, Pareto frontiers, solution concepts,
 * alternating-offers equilibria, and GENIUS / GeniusWeb importers.
 *
 * @since 0.1.0
 */
export * from "./Analyze.ts"
export * from "./Bargaining.ts"
export * from "./FrontierCheck.ts"
export * from "./FrontierSearch.ts"
export * from "./Genius.ts"
export * from "./GeniusNonlinear.ts"
export * from "./GeniusWeb.ts"
export * from "./Import.ts"
export * from "./ImportError.ts"
export * from "./Nonlinear.ts"
export * from "./OutcomeSpace.ts"
export * from "./Pareto.ts"
export * from "./Preferences.ts"
export * from "./Simplex.ts"
export * from "./Solutions.ts"
export * from "./Uncertainty.ts"
