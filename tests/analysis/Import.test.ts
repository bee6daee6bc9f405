import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { analyze } from "../../src/analysis/Analyze.ts"
import {
  importGenius,
  importGeniusFolder,
  parseGeniusDomain,
  parseGeniusProfile,
} from "../../src/analysis/Genius.ts"
import {
  importGeniusWeb,
  importGeniusWebFolder,
  parseGeniusWebDomain,
  parseGeniusWebProfile,
} from "../../src/analysis/GeniusWeb.ts"
import type { Imported } from "../../src/analysis/Import.ts"
import { sanitizeId } from "../../src/analysis/Import.ts"
import { evaluate, normalizedWeights } from "../../src/analysis/Preferences.ts"
import { fixture } from "./helpers.ts"

const run = <A, E>(e: Effect.Effect<A, E, import("@effect/platform").FileSystem.FileSystem>) =>
  e.pipe(Effect.provide(NodeFileSystem.layer))

const DOMAIN = `<negotiation_template><utility_space><objective name="d">
<issue index="1" name="Colour (main)" vtype="discrete"><item index="1" value="red"/><item index="2" value="blue"/></issue>
<issue index="2" name="Qty" vtype="integer" lowerbound="1" upperbound="5"/>
</objective></utility_space></negotiation_template>`

const PROFILE = (evaluation: string, weight = "0.5") => `<utility_space><objective>
<issue index="1" name="Colour (main)" vtype="discrete"><item value="red" evaluation="${evaluation}"/><item value="blue" evaluation="2"/></issue>
<issue index="2" name="Qty" vtype="integer" lowerbound="1" upperbound="5"><evaluator ftype="linear" slope="-0.25" offset="1.0"/></issue>
<weight index="1" value="${weight}"/><weight index="2" value="0.5"/>
</objective><reservation value="0.25"/><discount_factor value="0"/></utility_space>`

describe("GENIUS import", () => {
  it("sanitises issue names into tokens and keeps the name as label", () => {
    const d = Either.getOrThrow(parseGeniusDomain(DOMAIN, "d.xml"))
    expect(d.issues.map((i) => i.id)).toEqual(["Colour_main", "Qty"])
    expect(d.issues[0]!.label).toBe("Colour (main)")
    expect(sanitizeId("External Monitor")).toBe("External_Monitor")
    expect(sanitizeId("x".repeat(100)).length).toBe(64)
  })

  it("reads evaluations, integer evaluators, reservation and discount (0 = none)", () => {
    const d = Either.getOrThrow(parseGeniusDomain(DOMAIN, "d.xml"))
    const p = Either.getOrThrow(parseGeniusProfile(PROFILE("4"), "p.xml", d))
    expect(p.reservation).toBe(0.25)
    expect(p.discount).toBe(1)
    expect(evaluate(p.evaluations[d.issues[0]!.id]!, d.issues[0]!, "blue")).toBe(0.5)
    expect(evaluate(p.evaluations[d.issues[1]!.id]!, d.issues[1]!, 5)).toBeCloseTo(0, 12)
    expect(evaluate(p.evaluations[d.issues[1]!.id]!, d.issues[1]!, 3)).toBeCloseTo(0.5, 12)
  })

  it("errors name the file and the element that is wrong", () => {
    const d = Either.getOrThrow(parseGeniusDomain(DOMAIN, "d.xml"))
    const bad = parseGeniusProfile(PROFILE("lots"), "bad.xml", d)
    assert.isTrue(Either.isLeft(bad))
    if (Either.isLeft(bad)) {
      expect(bad.left._tag).toBe("ImportFormatError")
      expect(bad.left.file).toBe("bad.xml")
      expect(bad.left.element).toContain('item[value="red"]@evaluation')
      expect(bad.left.message).toContain("bad.xml")
    }
    const w = parseGeniusProfile(PROFILE("1", "-1"), "w.xml", d)
    if (Either.isLeft(w)) expect(w.left.element).toContain('weight[index="1"]')
    else assert.fail("negative weight accepted")
    const xml = parseGeniusDomain(
      "<negotiation_template><oops></negotiation_template>",
      "broken.xml",
    )
    if (Either.isLeft(xml)) expect(xml.left.message).toMatch(/broken\.xml.*XML/)
    else assert.fail("broken XML accepted")
    const noBound = parseGeniusDomain(DOMAIN.replace('upperbound="5"', 'upperbound="x"'), "d2.xml")
    if (Either.isLeft(noBound))
      expect(noBound.left.element).toContain('issue[name="Qty"]@upperbound')
    else assert.fail("bad bound accepted")
  })

  it.effect("a missing file fails with ImportReadError naming it", () =>
    run(
      Effect.gen(function* () {
        const e = yield* Effect.flip(importGenius(fixture("genius/nope.xml"), []))
        assert.strictEqual(e._tag, "ImportReadError")
        expect(e.file).toContain("nope.xml")
      }),
    ),
  )

  it.effect("a folder import finds the domain and names parties after their files", () =>
    run(
      Effect.gen(function* () {
        const imported = yield* importGeniusFolder(fixture("genius/anac2011/Laptop"))
        expect(imported.profiles.map((p) => p.party)).toEqual([
          "laptop_buyer_utility",
          "laptop_seller_utility",
        ])
        expect(imported.issues.map((i) => i.id)).toEqual(["Laptop", "Harddisk", "External_Monitor"])
        expect(imported.profiles[0]!.preferences.discount).toBeCloseTo(0.42441038, 8)
      }),
    ),
  )
})

describe("GeniusWeb import", () => {
  it.effect("imports every GeniusWeb fixture; reservation = utility of the reservation bid", () =>
    run(
      Effect.gen(function* () {
        for (const name of ["Fitness", "FlightBooking", "JapnTrip", "Party"]) {
          const imported = yield* importGeniusWebFolder(fixture(`geniusweb/${name}`))
          assert.strictEqual(imported.profiles.length, 2)
          const a = yield* analyze(imported.issues, imported.profiles)
          expect(a.paretoFrontier.length).toBeGreaterThan(0)
        }
        const flight = yield* importGeniusWeb(undefined, [
          { file: fixture("geniusweb/FlightBooking/flightbooking1.json"), party: "buyer" },
        ])
        expect(flight.profiles[0]!.party).toBe("buyer")
        // 0.35 * 0.5 (200000yen) + 0.35 * 0.667 (CentAir) + 0.3 * 1 (3 sept.)
        expect(flight.profiles[0]!.preferences.reservation).toBeCloseTo(0.70845, 12)
        expect(flight.issues.map((i) => i.id)).toEqual([
          "price",
          "departure_airport",
          "departure_date",
        ])
      }),
    ),
  )

  it("errors name the file and the field", () => {
    const d = Either.getOrThrow(
      parseGeniusWebDomain('{"name":"d","issuesValues":{"a b":{"values":["x","y"]}}}', "d.json"),
    )
    const bad = parseGeniusWebProfile(
      '{"LinearAdditiveUtilitySpace":{"issueUtilities":{"a b":{"discreteutils":{"valueUtilities":{"x":2}}}},"issueWeights":{"a b":1}}}',
      "p.json",
      d,
    )
    if (Either.isLeft(bad)) {
      expect(bad.left.file).toBe("p.json")
      expect(bad.left.element).toBe(
        "LinearAdditiveUtilitySpace.issueUtilities.a b.discreteutils.valueUtilities.x",
      )
    } else assert.fail("utility 2 accepted")
    const missing = parseGeniusWebProfile(
      '{"LinearAdditiveUtilitySpace":{"issueUtilities":{}}}',
      "m.json",
      d,
    )
    if (Either.isLeft(missing))
      expect(missing.left.element).toBe("LinearAdditiveUtilitySpace.issueWeights")
    else assert.fail("missing weights accepted")
    const notJson = parseGeniusWebDomain("{", "x.json")
    if (Either.isLeft(notJson)) expect(notJson.left.message).toMatch(/x\.json.*JSON/)
    else assert.fail("bad JSON accepted")
  })
})

/** Writes an imported GENIUS domain as GeniusWeb JSON texts (domain + profiles). */
const toGeniusWeb = (g: Imported) => {
  const issuesValues: Record<string, unknown> = {}
  for (const i of g.issues)
    issuesValues[i.label ?? i.id] =
      i.kind === "discrete"
        ? { values: i.options }
        : { range: { low: i.min, high: i.max, step: 1 } }
  const domain = { name: g.name, issuesValues }
  const profiles = g.profiles.map((p) => {
    const w = normalizedWeights(p.preferences, g.issues)
    const issueUtilities: Record<string, unknown> = {}
    const issueWeights: Record<string, number> = {}
    g.issues.forEach((issue, k) => {
      const name = issue.label ?? issue.id
      issueWeights[name] = w[k]!
      const e = p.preferences.evaluations[issue.id]!
      if (issue.kind === "discrete")
        issueUtilities[name] = {
          discreteutils: {
            valueUtilities: Object.fromEntries(
              issue.options.map((o) => [o, evaluate(e, issue, o)]),
            ),
          },
        }
      else
        issueUtilities[name] = {
          numberutils: {
            lowValue: issue.min,
            lowUtility: evaluate(e, issue, issue.min),
            highValue: issue.max,
            highUtility: evaluate(e, issue, issue.max),
          },
        }
    })
    return JSON.stringify({
      LinearAdditiveUtilitySpace: { name: p.party, issueUtilities, issueWeights, domain },
    })
  })
  return { domain: JSON.stringify(domain), profiles }
}

describe("GeniusWeb and GENIUS XML of the same domain", () => {
  for (const dir of ["anac2011/Laptop", "anac2010/EnglandZimbabwe", "anac2015/group9-vacation"]) {
    it.effect(`${dir}: the GeniusWeb form gives the same analysis as the XML`, () =>
      run(
        Effect.gen(function* () {
          const g = yield* importGeniusFolder(fixture(`genius/${dir}`))
          const web = toGeniusWeb(g)
          const domain = Either.getOrThrow(parseGeniusWebDomain(web.domain, "domain.json"))
          const profiles = g.profiles.map((p, k) => ({
            party: p.party,
            preferences: {
              ...Either.getOrThrow(
                parseGeniusWebProfile(web.profiles[k]!, `${p.party}.json`, domain),
              ),
              reservation: p.preferences.reservation,
            },
          }))
          const a = yield* analyze(g.issues, g.profiles)
          const b = yield* analyze(domain.issues, profiles)
          assert.strictEqual(b.outcomes, a.outcomes)
          assert.strictEqual(b.paretoFrontier.length, a.paretoFrontier.length)
          for (const key of ["nash", "kalaiSmorodinsky", "egalitarian", "maxWelfare"] as const)
            for (const party of a.parties)
              expect(b[key]!.utilities[party]!).toBeCloseTo(a[key]!.utilities[party]!, 9)
        }),
      ),
    )
  }
})
