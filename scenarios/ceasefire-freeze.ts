/**
 * The proposed freeze of the war in Ukraine along the current front lines, as
 * reported on 22 April (Financial Times, shared by Reuters).
 *
 * Source: `scenarios/sources/ceasefire-freeze-report.txt` (the report as
 * given to the project). What the report says is scripted in `timeline`, each
 * move citing the passage it rests on; the reported offer is `reported`, not
 * official — no government has confirmed it, so no party can accept it
 * officially until Russia confirms it.
 *
 * EVERYTHING ELSE IS AN ASSUMPTION of this file, not of the report, and is a
 * parameter (`--set name=value`): the year and day of the meeting, the
 * preferences (weights, scores, reservation values, discount factors, red
 * lines), the intermediate option `partly-returned`, the protocol, the
 * deadline and the strategies.
 *
 *     parley run scenarios/ceasefire-freeze.ts
 *     parley simulate scenarios/ceasefire-freeze.ts --runs 10000
 *     parley run scenarios/ceasefire-freeze.ts --set protocol=alternating --set russiaReservation=0.4
 */
import { defineScenario, type Params } from "../src/scenario/Scenario.ts"

const num = (p: Params, name: string) => p[name] as number

const QUOTES = {
  offer:
    "Russian President Vladimir Putin has offered to stop the war in Ukraine but only if the front lines stay where they are right now",
  claims:
    "Putin reportedly said that Russia might be willing to give up its claims to certain parts of Ukraine specifically, areas within four regions that are only partially controlled by Russian forces and still have Ukrainian troops in them",
  meeting:
    "Putin had this conversation in St. Petersburg earlier this month with Steve Witkoff, who is known to be close to Trump and is acting as his special representative in the talks",
  freeze:
    "the land Russia already controls would stay under its control, but they wouldn’t push further into Ukraine",
  ukraine:
    "Ukraine has said many times that they want all of their land back, including Crimea, which Russia took in 2014",
  unconfirmed:
    "there hasn’t been an official confirmation from the Russian or U.S. governments about the offer, and Ukraine hasn’t made a public comment on this specific report",
} as const

const REPORT = {
  reportedBy: "Financial Times, shared by Reuters",
  where: "news report (scenarios/sources/ceasefire-freeze-report.txt)",
  reportedAt: "2025-04-22",
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
    protocol: {
      default: "single-text",
      description:
        "How talks go on: single-text (the US envoy proposes, both sides accept or reject) or alternating (Russia and Ukraine trade offers)",
      assumption: true,
    },
    rounds: {
      default: 26,
      description: "Simulated rounds before the talks expire",
      assumption: true,
    },
    daysPerTurn: { default: 7, description: "Simulated days between turns", assumption: true },
    russiaWeightHeld: {
      default: 0.45,
      description: "Russia: weight of the land it holds outside Crimea",
      assumption: true,
    },
    russiaWeightCrimea: { default: 0.4, description: "Russia: weight of Crimea", assumption: true },
    russiaWeightClaims: {
      default: 0.15,
      description: "Russia: weight of its claim to the parts of the four regions it does not hold",
      assumption: true,
    },
    russiaReservation: {
      default: 0.55,
      description: "Russia: utility of no agreement (the war goes on)",
      assumption: true,
      uncertain: { min: 0.4, max: 0.7 },
    },
    russiaDiscount: {
      default: 0.99,
      description: "Russia: discount factor per round",
      assumption: true,
    },
    russiaCrimeaRedLine: {
      default: true,
      description: "Russia never accepts returning Crimea",
      assumption: true,
    },
    ukraineWeightHeld: {
      default: 0.45,
      description: "Ukraine: weight of the land Russia holds outside Crimea",
      assumption: true,
    },
    ukraineWeightCrimea: {
      default: 0.2,
      description: "Ukraine: weight of Crimea",
      assumption: true,
    },
    ukraineWeightClaims: {
      default: 0.35,
      description: "Ukraine: weight of Russia dropping its claim to unoccupied land",
      assumption: true,
    },
    ukraineReservation: {
      default: 0.35,
      description: "Ukraine: utility of no agreement (the war goes on)",
      assumption: true,
      uncertain: { min: 0.2, max: 0.5 },
    },
    ukraineDiscount: {
      default: 0.98,
      description: "Ukraine: discount factor per round",
      assumption: true,
    },
    ukraineConcession: {
      default: 0.5,
      description: "Ukraine: GENIUS concession exponent e (e < 1 Boulware, 1 linear, > 1 Conceder)",
      assumption: true,
      uncertain: { min: 0.2, max: 2 },
    },
    russiaConcession: {
      default: 0.3,
      description: "Russia: GENIUS concession exponent e (e < 1 Boulware, 1 linear, > 1 Conceder)",
      assumption: true,
      uncertain: { min: 0.1, max: 1 },
    },
  },
  build: (p) => {
    const year = num(p, "year")
    const april = (day: number) => `${year}-04-${String(day).padStart(2, "0")}`
    const report = { ...REPORT, reportedAt: april(22) }
    return {
      id: "ceasefire-freeze",
      title: "Proposed freeze of the war in Ukraine along the current front lines",
      description:
        "Russia is reported (FT via Reuters) to have offered, in talks with the US envoy Steve Witkoff, to stop the war if the front lines stay where they are, and to drop its claims to the parts of four regions it does not control. Ukraine's stated position is the return of all its land, Crimea included. Nothing has been officially confirmed.",
      sources: [
        { id: "report-offer", ...report, quote: QUOTES.offer },
        { id: "report-claims", ...report, quote: QUOTES.claims },
        { id: "report-meeting", ...report, quote: QUOTES.meeting },
        { id: "report-freeze", ...report, quote: QUOTES.freeze },
        { id: "report-ukraine", ...report, quote: QUOTES.ukraine },
        { id: "report-unconfirmed", ...report, quote: QUOTES.unconfirmed },
      ],
      assumptions: [
        `The report gives no year; ${year} is assumed.`,
        `The meeting happened 'earlier this month'; April ${num(p, "meetingDay")} is assumed.`,
        "The option 'partly-returned' (some held land returned) is not in the report; it gives the strategies a middle ground.",
        "All preferences, reservation values, discount factors, red lines, the protocol, the deadline and the strategies are assumptions (see parameters).",
        "The report calls Trump a former president ahead of elections; parley models only his envoy's role as mediator and takes no position on that claim.",
      ],
      parties: [
        {
          id: "russia",
          name: "Russian Federation (President Vladimir Putin)",
          role: "principal",
          notes: "Preferences and strategy are assumptions (parameters russia*).",
          preferences: {
            weights: {
              "held-territory": num(p, "russiaWeightHeld"),
              crimea: num(p, "russiaWeightCrimea"),
              "unheld-claims": num(p, "russiaWeightClaims"),
            },
            evaluations: {
              "held-territory": {
                kind: "options",
                scores: {
                  "stays-under-russian-control": 1,
                  "partly-returned": 0.5,
                  "returned-to-ukraine": 0,
                },
              },
              crimea: {
                kind: "options",
                scores: { "stays-under-russian-control": 1, "returned-to-ukraine": 0 },
              },
              "unheld-claims": { kind: "options", scores: { maintained: 1, dropped: 0.7 } },
            },
            reservation: num(p, "russiaReservation"),
            discountPerRound: num(p, "russiaDiscount"),
            redLines: p.russiaCrimeaRedLine === true ? { crimea: ["returned-to-ukraine"] } : {},
          },
          strategy: {
            kind: "red-line-concession",
            e: num(p, "russiaConcession"),
            tieBreak: "random",
          },
        },
        {
          id: "ukraine",
          name: "Ukraine",
          role: "principal",
          notes: "Preferences and strategy are assumptions (parameters ukraine*).",
          preferences: {
            weights: {
              "held-territory": num(p, "ukraineWeightHeld"),
              crimea: num(p, "ukraineWeightCrimea"),
              "unheld-claims": num(p, "ukraineWeightClaims"),
            },
            evaluations: {
              "held-territory": {
                kind: "options",
                scores: {
                  "returned-to-ukraine": 1,
                  "partly-returned": 0.6,
                  "stays-under-russian-control": 0,
                },
              },
              crimea: {
                kind: "options",
                scores: { "returned-to-ukraine": 1, "stays-under-russian-control": 0.3 },
              },
              "unheld-claims": { kind: "options", scores: { dropped: 1, maintained: 0 } },
            },
            reservation: num(p, "ukraineReservation"),
            discountPerRound: num(p, "ukraineDiscount"),
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
          notes: "Proposes compromises between the sides' public positions (an assumption).",
          strategy: { kind: "mediator" },
        },
      ],
      issues: [
        {
          kind: "discrete",
          id: "held-territory",
          label: "Land Russia controls now, outside Crimea",
          options: ["stays-under-russian-control", "partly-returned", "returned-to-ukraine"],
        },
        {
          kind: "discrete",
          id: "unheld-claims",
          label: "Russia's claim to the parts of the four regions it does not control",
          options: ["maintained", "dropped"],
        },
        {
          kind: "discrete",
          id: "crimea",
          label: "Crimea, taken by Russia in 2014",
          options: ["stays-under-russian-control", "returned-to-ukraine"],
        },
      ],
      protocol: {
        kind: p.protocol === "alternating" ? "alternating" : "single-text",
        order: ["russia", "ukraine"],
        ...(p.protocol === "alternating" ? {} : { mediator: "us" }),
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
          to: ["ukraine", "us"],
          terms: {
            "held-territory": "stays-under-russian-control",
            "unheld-claims": "dropped",
            crimea: "stays-under-russian-control",
          },
          status: "reported",
          sources: ["report-offer", "report-claims", "report-meeting", "report-freeze"],
          note: "Made, per the report, to Steve Witkoff in St. Petersburg 'earlier this month'; not officially confirmed.",
        },
        {
          at: april(22),
          type: "StatePosition",
          by: "ukraine",
          demands: {
            "held-territory": "returned-to-ukraine",
            "unheld-claims": "dropped",
            crimea: "returned-to-ukraine",
          },
          statement: QUOTES.ukraine,
          status: "official",
          sources: ["report-ukraine", "report-unconfirmed"],
          note: "Ukraine's long-standing public position as the report relays it; Ukraine has not commented on this report.",
        },
      ],
    }
  },
})
