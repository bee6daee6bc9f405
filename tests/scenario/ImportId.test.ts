import { readdirSync } from "node:fs"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { importGeniusFolder } from "../../src/analysis/Genius.ts"
import { importGeniusWebFolder } from "../../src/analysis/GeniusWeb.ts"
import { domainName } from "../../src/analysis/Import.ts"
import { NegotiationId } from "../../src/domain/Ids.ts"
import { scenarioFromDomain } from "../../src/scenario/FromDomain.ts"
import { fixture } from "../analysis/helpers.ts"

const folders = (dir: string): Array<string> =>
  readdirSync(fixture(dir))
    .filter((year) => !year.endsWith(".md"))
    .flatMap((year) =>
      readdirSync(fixture(`${dir}/${year}`)).map((name) => `${dir}/${year}/${name}`),
    )

const isId = Schema.is(NegotiationId)

describe("imported scenario ids (parley import without --id)", () => {
  it("a domain's name comes from its file when the file names it `root` or not at all", () => {
    expect(domainName("root", "x/laptop_domain.xml")).toBe("laptop")
    expect(domainName(" Root ", "Camera-A-domain.xml")).toBe("Camera-A")
    expect(domainName(undefined, "d/Dinner.xml")).toBe("Dinner")
    expect(domainName("", "domain.json")).toBe("domain")
    expect(domainName("Smart Phone", "SmartPhone.xml")).toBe("Smart Phone")
  })

  it.effect("every GENIUS fixture gets a valid id of its own, none `root`", () =>
    Effect.gen(function* () {
      const ids: Array<string> = []
      for (const dir of folders("genius")) {
        const scenario = scenarioFromDomain(yield* importGeniusFolder(fixture(dir)))
        expect(isId(scenario.id), `${dir}: ${scenario.id}`).toBe(true)
        ids.push(scenario.id)
      }
      expect(ids).not.toContain("root")
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids).toContain("laptop")
      expect(ids).toContain("Energy")
    }).pipe(Effect.provide(NodeFileSystem.layer)),
  )

  it.effect("every GeniusWeb fixture gets a valid id of its own", () =>
    Effect.gen(function* () {
      const ids: Array<string> = []
      for (const name of readdirSync(fixture("geniusweb")).filter((n) => !n.endsWith(".md"))) {
        const scenario = scenarioFromDomain(
          yield* importGeniusWebFolder(fixture(`geniusweb/${name}`)),
        )
        expect(isId(scenario.id), `${name}: ${scenario.id}`).toBe(true)
        ids.push(scenario.id)
      }
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids).toContain("fitness")
    }).pipe(Effect.provide(NodeFileSystem.layer)),
  )

  it("an explicit id is kept", () => {
    const scenario = scenarioFromDomain({ name: "root", issues: [], profiles: [] }, { id: "mine" })
    expect(scenario.id).toBe("mine")
  })
})
