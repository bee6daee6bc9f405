/**
 * The proposed freeze of the war in Ukraine along the current front lines, as
 * a news summary relays it: an unsigned summary of a Financial Times report of
 * 22 April, shared by Reuters. parley has the summary only, not the FT's
 * article: every source below cites the summary as what it is, and every
 * quote is checked word for word against it
 * (`scenarios/sources/ceasefire-freeze-report.txt`).
 *
 * What the report says is scripted in `timeline`, each move citing the
 * passages it rests on:
 *
 * - Russia's offer, made to the US envoy Steve Witkoff in St. Petersburg and
 *   addressed to him (not to Ukraine, which has not commented). It stays
 *   `reported`: no government has confirmed it, so no party can accept it
 *   officially. The US envoy relays its terms to both sides as his first text
 *   (`envoyRelays`; the report does not say he did, it is the envoy's role).
 * - Ukraine's stated position: all its land back, Crimea included. It speaks
 *   of land, so it demands control only; what it wants recognised or dropped
 *   is in its preferences, not in its public demands.
 *
 * What the report hedges stays hedged:
 *
 * - "might be willing to give up its claims to certain parts": the claim
 *   issue has a middle option `partly-dropped`, and the offer's terms on it
 *   are a parameter (`offeredClaims`, default `partly-dropped`, the words of
 *   the offer; `dropped` is the summary's own gloss "would no longer demand
 *   the rest"). Whether Russia means it is `offerCredibility`: `credible`
 *   (default: it never settles for less than it offered, though it does not
 *   confirm the offer in public), `cheap-talk` (it does not bind Russia at
 *   all) or `denied` (Russia denies it on its first turn).
 * - The report never names Crimea in the offer. "the land Russia already
 *   controls would stay under its control" is read as including Crimea: an
 *   inference, the parameter `offerCrimea`, said so in the offer's note.
 * - "without either side officially winning" is the summary's gloss on a
 *   freeze: control and legal recognition are separate issues (de facto
 *   control of the land Russia holds, of Crimea; recognition of the land's
 *   legal status), and the offer leaving recognition `unresolved` is an
 *   inference too (`offerRecognition`).
 *
 * With the default preferences the freeze is NOT individually rational for
 * Ukraine (0.20 against its 0.40 reservation value; 0.35 with
 * `offeredClaims=dropped`): its stated stance rejects it, and so does its
 * utility. A deal needs Russia to give back part of the land it holds, which
 * is where the agreements of `parley simulate` lie. `parley analyze` prints
 * what each Pareto outcome would take.
 *
 * EVERYTHING ELSE IS AN ASSUMPTION of this file, not of the report, and is a
 * parameter (`--set name=value`): the year and day of the meeting, the
 * preferences (weights, scores, reservation values, discount factors, red
 * lines), the middle options, the protocol and the mediation method, the
 * deadline and the strategies.
 *
 *     parley run scenarios/ceasefire-freeze.ts
 *     parley simulate scenarios/ceasefire-freeze.ts --runs 10000
 *     parley run scenarios/ceasefire-freeze.ts --set offerCredibility=denied
 *     parley run scenarios/ceasefire-freeze.ts --set protocol=alternating --set russiaReservation=0.4
 */
import { defineScenario, type Params } from "../src/scenario/Scenario.ts"

const num = (p: Params, name: string) => p[name] as number
const str = (p: Params, name: string) => p[name] as string

const QUOTES = {
  offer:
    "Russian President Vladimir Putin has offered to stop the war in Ukraine but only if the front lines stay where they are right now",
  claims:
    "Putin reportedly said that Russia might be willing to give up its claims to certain parts of Ukraine specifically, areas within four regions that are only partially controlled by Russian forces and still have Ukrainian troops in them",
  meeting:
    "Putin had this conversation in St. Petersburg earlier this month with Steve Witkoff, who is known to be close to Trump and is acting as his special representative in the talks",
  freeze:
    "the land Russia already controls would stay under its control, but they wouldn’t push further into Ukraine",
  noWinner:
    "Freezing the war could be seen as a way to stop the bloodshed without either side officially “winning.”",
  ukraine:
    "Ukraine has said many times that they want all of their land back, including Crimea, which Russia took in 2014",
  unconfirmed:
    "there hasn’t been an official confirmation from the Russian or U.S. governments about the offer, and Ukraine hasn’t made a public comment on this specific report",
} as const

/**
 * The one document parley has: an unsigned summary relaying the FT through
 * Reuters. `reportedAt` is the FT's date the summary gives; the summary's own
 * date and author are unknown.
 */
const REPORT = {
  reportedBy: "Unsigned news summary of a Financial Times report shared by Reuters",
  where:
    "the summary as given to the project (scenarios/sources/ceasefire-freeze-report.txt); the FT article itself was not available",
}

/** The options of each issue, Russia's end first, so that a middle option sits between the extremes. */
const CONTROL = ["stays-under-russian-control", "partly-returned", "returned-to-ukraine"] as const
const CRIMEA = ["stays-under-russian-control", "returned-to-ukraine"] as const
const RECOGNITION = ["recognised-as-russian", "unresolved", "recognised-as-ukrainian"] as const
const CLAIMS = ["maintained", "partly-dropped", "dropped"] as const

/** The envoy's mediator spec: the method, and (when he relays the offer made to him) his first text. */
const envoySpec = (method: string, relayed: Record<string, string> | undefined) => ({
  kind: "mediator",
  method,
  ...(relayed === undefined ? {} : { relay: { terms: relayed, of: "freeze-offer" } }),
})

/** Russia's scores of each issue's options (its evaluations). */
const RUSSIA_SCORES = {
  "held-land-control": {
    "stays-under-russian-control": 1,
    "partly-returned": 0.5,
    "returned-to-ukraine": 0,
  },
  "crimea-control": { "stays-under-russian-control": 1, "returned-to-ukraine": 0 },
  recognition: { "recognised-as-russian": 1, unresolved: 0.6, "recognised-as-ukrainian": 0 },
  "unheld-claims": { maintained: 1, "partly-dropped": 0.7, dropped: 0.5 },
} as const

/** What terms are worth to Russia: its weighted mean score (linear-additive, weights normalised). */
const russiaWorth = (weights: Record<string, number>, terms: Record<string, string>): number => {
  let sum = 0
  let total = 0
  for (const [issue, scores] of Object.entries(RUSSIA_SCORES)) {
    const w = weights[issue] ?? 0
    total += w
    sum += w * ((scores as Record<string, number>)[terms[issue]!] ?? 0)
  }
  return total > 0 ? sum / total : 0
}

/** Russia's play of its own reported offer, by how credible the offer is. */
const credibility = (value: string) => {
  switch (value) {
    case "cheap-talk":
      return { anchoring: "confirmed", reported: "leave" } as const
    case "denied":
      return { anchoring: "public", reported: "deny" } as const
    default: // credible
      return { anchoring: "public", reported: "leave" } as const
  }
}

export default defineScenario({
  parameters: {
    year: {
      default: 2025,
      description:
        "Year of the events; the report gives only 'April 22' (2025 is the year of Witkoff's St. Petersburg meeting with Putin)",
      assumption: true,
    },
    meetingDay: {
      default: 11,
      description:
        "Day of April of the St. Petersburg meeting; the report says only 'earlier this month'",
      assumption: true,
    },
    offerCredibility: {
      default: "cheap-talk",
      options: ["credible", "cheap-talk", "denied"],
      description:
        "How far Russia's reported offer ('might be willing') binds Russia: credible (it never proposes nor accepts terms worth less to it than its offer, without confirming it in public: its reservation value is at least what its offer is worth to it), cheap-talk (it binds Russia to nothing), denied (Russia denies it on its first turn)",
      assumption: true,
    },
    offeredClaims: {
      default: "partly-dropped",
      options: ["partly-dropped", "dropped"],
      description:
        "What the offer gives up of Russia's claim to the parts of the four regions it does not control: partly-dropped (the offer's words, 'might be willing to give up its claims to certain parts') or dropped (the summary's gloss, 'would no longer demand the rest')",
      assumption: true,
    },
    offerCrimea: {
      default: "stays-under-russian-control",
      options: [...CRIMEA],
      description:
        "Control of Crimea under the offer: the report does not name Crimea; 'the land Russia already controls would stay under its control' is read as including it (an inference)",
      assumption: true,
    },
    offerRecognition: {
      default: "unresolved",
      options: [...RECOGNITION],
      description:
        "Legal status of the land under the offer: the report says nothing of recognition; 'without either side officially winning' is read as leaving it unresolved (an inference)",
      assumption: true,
    },
    protocol: {
      default: "single-text",
      options: ["single-text", "alternating"],
      description:
        "How talks go on: single-text (the US envoy proposes texts, both sides answer) or alternating (Russia and Ukraine trade offers, no mediator)",
      assumption: true,
    },
    mediation: {
      // The one line to change for another method.
      default: "raiffa",
      options: ["raiffa", "veto", "hill-climbing", "feedback", "cycle"],
      description:
        "The US envoy's mediation method in single-text: raiffa (a single negotiating text revised from both sides' criticism), veto, hill-climbing, feedback, or cycle (the earlier baseline that walks the compromises in a fixed order)",
      assumption: true,
    },
    postSettlement: {
      default: true,
      description:
        "single-text only: after a tentative agreement the envoy, told both sides' preferences in confidence, proposes Pareto improvements either side may refuse (Raiffa 1985, 'Post-settlement settlements', Negotiation Journal)",
      assumption: true,
    },
    envoyRelays: {
      default: true,
      description:
        "The envoy's first text relays the terms of the offer made to him (the report does not say he relayed it)",
      assumption: true,
    },
    rounds: {
      default: 26,
      description: "Simulated rounds before the talks expire",
      assumption: true,
    },
    daysPerTurn: { default: 7, description: "Simulated days between turns", assumption: true },
    russiaWeightControl: {
      default: 0.4,
      description: "Russia: weight of control of the land it holds outside Crimea",
      assumption: true,
    },
    russiaWeightCrimea: {
      default: 0.3,
      description: "Russia: weight of control of Crimea",
      assumption: true,
    },
    russiaWeightRecognition: {
      default: 0.15,
      description: "Russia: weight of the legal status of the land it holds",
      assumption: true,
    },
    russiaWeightClaims: {
      default: 0.15,
      description: "Russia: weight of its claim to the parts of the four regions it does not hold",
      assumption: true,
    },
    russiaReservation: {
      default: 0.55,
      description: "Russia: utility of no agreement (the war goes on)",
      assumption: true,
      min: 0,
      max: 1,
      uncertain: { min: 0.4, max: 0.7 },
    },
    russiaDiscount: {
      default: 0.99,
      description: "Russia: discount factor per round",
      assumption: true,
    },
    russiaCrimeaRedLine: {
      default: true,
      description: "Russia never accepts giving up control of Crimea",
      assumption: true,
    },
    ukraineWeightControl: {
      default: 0.4,
      description: "Ukraine: weight of control of the land Russia holds outside Crimea",
      assumption: true,
    },
    ukraineWeightCrimea: {
      default: 0.15,
      description: "Ukraine: weight of control of Crimea",
      assumption: true,
    },
    ukraineWeightRecognition: {
      default: 0.2,
      description: "Ukraine: weight of the legal status of the land Russia holds",
      assumption: true,
    },
    ukraineWeightClaims: {
      default: 0.25,
      description: "Ukraine: weight of Russia dropping its claim to land Ukraine holds",
      assumption: true,
    },
    ukraineReservation: {
      default: 0.4,
      description:
        "Ukraine: utility of no agreement (the war goes on); above the freeze's worth to it (0.20), as its stated stance says",
      assumption: true,
      min: 0,
      max: 1,
      uncertain: { min: 0.2, max: 0.5 },
    },
    ukraineDiscount: {
      default: 0.98,
      description: "Ukraine: discount factor per round",
      assumption: true,
    },
    ukraineRecognitionRedLine: {
      default: true,
      description: "Ukraine never accepts recognising the land Russia holds as Russian",
      assumption: true,
    },
    ukraineConcession: {
      default: 0.5,
      description: "Ukraine: GENIUS concession exponent e (e < 1 Boulware, 1 linear, > 1 Conceder)",
      assumption: true,
      // Honest voters answer the envoy's texts: the exponent acts only where the strategy plays.
      actsUnder: ["alternating", "single-text/strategies"],
      uncertain: { min: 0.2, max: 2 },
    },
    russiaConcession: {
      default: 0.3,
      description: "Russia: GENIUS concession exponent e (e < 1 Boulware, 1 linear, > 1 Conceder)",
      assumption: true,
      actsUnder: ["alternating", "single-text/strategies"],
      uncertain: { min: 0.1, max: 1 },
    },
  },
  build: (p) => {
    const year = num(p, "year")
    const april = (day: number) => `${year}-04-${String(day).padStart(2, "0")}`
    const report = { ...REPORT, reportedAt: april(22) }
    const offered = {
      "held-land-control": "stays-under-russian-control",
      "crimea-control": str(p, "offerCrimea"),
      recognition: str(p, "offerRecognition"),
      "unheld-claims": str(p, "offeredClaims"),
    }
    const mediated = p.protocol !== "alternating"
    const russiaWeights = {
      "held-land-control": num(p, "russiaWeightControl"),
      "crimea-control": num(p, "russiaWeightCrimea"),
      recognition: num(p, "russiaWeightRecognition"),
      "unheld-claims": num(p, "russiaWeightClaims"),
    }
    return {
      id: "ceasefire-freeze",
      title: "Proposed freeze of the war in Ukraine along the current front lines",
      description:
        "Russia is reported (an unsigned summary of an FT report shared by Reuters) to have offered the US envoy Steve Witkoff to stop the war if the front lines stay where they are, and to be possibly willing to give up its claims to the parts of four regions it does not control. Ukraine's stated position is the return of all its land, Crimea included. Nothing has been officially confirmed.",
      sources: [
        { id: "report-offer", ...report, quote: QUOTES.offer },
        { id: "report-claims", ...report, quote: QUOTES.claims },
        { id: "report-meeting", ...report, quote: QUOTES.meeting },
        { id: "report-freeze", ...report, quote: QUOTES.freeze },
        { id: "report-no-winner", ...report, quote: QUOTES.noWinner },
        { id: "report-ukraine", ...report, quote: QUOTES.ukraine },
        { id: "report-unconfirmed", ...report, quote: QUOTES.unconfirmed },
      ],
      assumptions: [
        `The report gives no year; ${year} is assumed.`,
        `The meeting happened 'earlier this month'; April ${num(p, "meetingDay")} is assumed.`,
        `Inference: Crimea is taken to be part of 'the land Russia already controls' (offer: crimea-control=${str(p, "offerCrimea")}); the report does not name Crimea in the offer.`,
        `Inference: the offer leaves the land's legal status ${str(p, "offerRecognition")}, from 'without either side officially winning', the summary's own gloss.`,
        `The offer's 'might be willing' is modelled as claims ${str(p, "offeredClaims")} and credibility ${str(p, "offerCredibility")} (parameters offeredClaims, offerCredibility).`,
        "The middle options (partly-returned, unresolved, partly-dropped) are not in the report; they give the mediator and the strategies a middle ground.",
        "All preferences, reservation values, discount factors, red lines, the protocol, the mediation method, the deadline and the strategies are assumptions (see parameters).",
        "The summary calls Trump a former president ahead of elections; parley models only his envoy's role as mediator and takes no position on that claim.",
      ],
      parties: [
        {
          id: "russia",
          name: "Russian Federation (President Vladimir Putin)",
          role: "principal",
          notes: "Preferences and strategy are assumptions (parameters russia*, offerCredibility).",
          preferences: {
            weights: russiaWeights,
            evaluations: Object.fromEntries(
              Object.entries(RUSSIA_SCORES).map(([issue, scores]) => [
                issue,
                { kind: "options", scores: { ...scores } },
              ]),
            ),
            // Credible: bound by its own offer, it walks away from anything worth less to it.
            reservation:
              str(p, "offerCredibility") === "credible"
                ? Math.max(num(p, "russiaReservation"), russiaWorth(russiaWeights, offered))
                : num(p, "russiaReservation"),
            discountPerRound: num(p, "russiaDiscount"),
            redLines:
              p.russiaCrimeaRedLine === true ? { "crimea-control": ["returned-to-ukraine"] } : {},
          },
          strategy: {
            kind: "red-line-concession",
            e: num(p, "russiaConcession"),
            tieBreak: "random",
            ...credibility(str(p, "offerCredibility")),
          },
        },
        {
          id: "ukraine",
          name: "Ukraine",
          role: "principal",
          notes: "Preferences and strategy are assumptions (parameters ukraine*).",
          preferences: {
            weights: {
              "held-land-control": num(p, "ukraineWeightControl"),
              "crimea-control": num(p, "ukraineWeightCrimea"),
              recognition: num(p, "ukraineWeightRecognition"),
              "unheld-claims": num(p, "ukraineWeightClaims"),
            },
            evaluations: {
              "held-land-control": {
                kind: "options",
                scores: {
                  "returned-to-ukraine": 1,
                  "partly-returned": 0.55,
                  "stays-under-russian-control": 0,
                },
              },
              "crimea-control": {
                kind: "options",
                scores: { "returned-to-ukraine": 1, "stays-under-russian-control": 0 },
              },
              recognition: {
                kind: "options",
                scores: {
                  "recognised-as-ukrainian": 1,
                  unresolved: 0.5,
                  "recognised-as-russian": 0,
                },
              },
              "unheld-claims": {
                kind: "options",
                scores: { dropped: 1, "partly-dropped": 0.4, maintained: 0 },
              },
            },
            reservation: num(p, "ukraineReservation"),
            discountPerRound: num(p, "ukraineDiscount"),
            redLines:
              p.ukraineRecognitionRedLine === true
                ? { recognition: ["recognised-as-russian"] }
                : {},
          },
          strategy: {
            kind: "time-dependent",
            convention: "genius",
            e: num(p, "ukraineConcession"),
          },
        },
        {
          id: "us",
          name: "United States (special envoy Steve Witkoff, for Donald Trump)",
          role: "mediator",
          notes:
            "Received Russia's offer (report-meeting); relays it, then mediates by the method of the parameter mediation (an assumption).",
          strategy: envoySpec(str(p, "mediation"), p.envoyRelays === true ? offered : undefined),
        },
      ],
      issues: [
        {
          kind: "discrete",
          id: "held-land-control",
          label: "De facto control of the land Russia holds now, outside Crimea",
          options: [...CONTROL],
        },
        {
          kind: "discrete",
          id: "crimea-control",
          label: "De facto control of Crimea, taken by Russia in 2014",
          options: [...CRIMEA],
        },
        {
          kind: "discrete",
          id: "recognition",
          label: "Legal recognition of the land Russia holds (Crimea included)",
          options: [...RECOGNITION],
        },
        {
          kind: "discrete",
          id: "unheld-claims",
          label: "Russia's claim to the parts of the four regions it does not control",
          options: [...CLAIMS],
        },
      ],
      protocol: {
        kind: mediated ? "single-text" : "alternating",
        order: ["russia", "ukraine"],
        ...(mediated
          ? {
              mediator: "us",
              // veto and hill-climbing agree, as NegMAS's mechanisms, on the final current text.
              settlement:
                p.mediation === "veto" || p.mediation === "hill-climbing"
                  ? "final-text"
                  : "first-accepted",
              postSettlement: p.postSettlement === true,
            }
          : {}),
        rounds: num(p, "rounds"),
        hoursPerTurn: num(p, "daysPerTurn") * 24,
        ratification: false,
        partialAgreements: false,
      },
      opened: april(num(p, "meetingDay")),
      timeline: [
        {
          at: april(num(p, "meetingDay")),
          type: "MakeOffer",
          offerId: "freeze-offer",
          by: "russia",
          to: ["us"],
          terms: offered,
          status: "reported",
          sources: ["report-offer", "report-claims", "report-meeting", "report-freeze"],
          note: `Made, per the report, to Steve Witkoff in St. Petersburg 'earlier this month'; not officially confirmed. Crimea (${str(p, "offerCrimea")}) and recognition (${str(p, "offerRecognition")}) are inferred, not stated; the claims are hedged ('might be willing').`,
        },
        {
          at: april(22),
          type: "StatePosition",
          by: "ukraine",
          demands: {
            "held-land-control": "returned-to-ukraine",
            "crimea-control": "returned-to-ukraine",
          },
          statement: QUOTES.ukraine,
          status: "official",
          sources: ["report-ukraine", "report-unconfirmed"],
          note: "Ukraine's long-standing public position as the report relays it (its land back: control); Ukraine has not commented on this report.",
        },
      ],
    }
  },
})
