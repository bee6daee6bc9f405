/**
 * A runnable parley scenario from an imported benchmark domain (GENIUS or
 * GeniusWeb): the domain's issues, one principal per profile with its
 * preferences, alternating offers (stacked for more than two parties), and
 * time-dependent strategies chosen by a parameter.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { Imported } from "../analysis/Import.ts"
import { sanitizeId } from "../analysis/Import.ts"
import { FilePreferences } from "../analysis/Preferences.ts"
import { alternating, stackedAlternating } from "./Protocols.ts"
import type { ScenarioInput } from "./Scenario.ts"

/** Rounds of an imported scenario, unless `--set rounds=N`. */
export const DEFAULT_ROUNDS = 100

/** Options of {@link scenarioFromDomain}. */
export interface FromDomainOptions {
  readonly id?: string | undefined
  readonly realSteps?: Readonly<Record<string, number>> | undefined
  /** Where the files came from, recorded as the scenario's source. */
  readonly source?: string | undefined
}

/** The scenario (in its file form) for an imported domain. */
export const scenarioFromDomain = (
  imported: Imported<FilePreferences>,
  options: FromDomainOptions = {},
): ScenarioInput => {
  const parties = imported.profiles.map((p) => p.party)
  const encode = Schema.encodeSync(FilePreferences)
  const name = options.id ?? imported.name
  return {
    id: sanitizeId(name).slice(0, 64),
    title: `${name} (imported benchmark domain)`,
    description: `Imported from ${options.source ?? "a benchmark domain"}: ${imported.profiles.length} preference profiles (${parties.join(", ")}). Discount factors apply per unit of normalised time, as in GENIUS (u * d^t), whatever the number of rounds; time runs on GENIUS's discrete timeline, each move one step (the k-th of n moves at t = (k + 1)/(n + 1), the deadline at 1), so each party has its own clock.`,
    sources: [
      {
        id: "domain",
        reportedBy: "GENIUS / ANAC community",
        where: options.source ?? imported.profiles.map((p) => p.file).join(", "),
      },
    ],
    parameters: {
      strategy: {
        default: "boulware",
        description:
          "Every party's time-dependent strategy: boulware, linear or conceder (GENIUS exponents)",
      },
      rounds: { default: DEFAULT_ROUNDS, description: "Rounds before the deadline" },
    },
    parties: imported.profiles.map((p) => ({
      id: p.party,
      name: p.party,
      role: "principal" as const,
      preferences: encode(p.preferences),
      strategy: { kind: { $param: "strategy" } },
      ...(p.uncertainty === undefined
        ? {}
        : {
            notes: `GENIUS preference-uncertainty profile (comparisons ${p.uncertainty.comparisons}, elicitation cost ${p.uncertainty.elicitationCost}): these preferences are the true utility, which scores the party; an agent told only the ranking is not wired into runs yet (see docs/PREFERENCES.md).`,
          }),
    })) as unknown as ScenarioInput["parties"],
    issues: imported.issues as ScenarioInput["issues"],
    protocol: {
      kind: parties.length === 2 ? alternating.kind : stackedAlternating.kind,
      rounds: { $param: "rounds" } as unknown as number,
    },
    opened: "2025-01-01",
    ...(options.realSteps === undefined || Object.keys(options.realSteps).length === 0
      ? {}
      : { realStep: options.realSteps }),
  }
}
