/**
 * Bad preferences are named: weights that overflow, an out-of-range
 * reservation or discount (its field and range, not another union member's
 * `kind`), and options named like `Object.prototype`'s members score as any other.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { loadScenario } from "../../src/scenario/Load.ts"
import { cli } from "../support/Cli.ts"

const dir = mkdtempSync(join(tmpdir(), "parley-bad-input-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Laptop {
  issues: Array<{ options: Array<string> }>
  parties: Array<{
    preferences: {
      weights: Record<string, number>
      evaluations: Record<string, { scores: Record<string, number> }>
      reservation?: number
      discount?: number
      redLines?: Record<string, Array<string>>
    }
  }>
}

/** The laptop scenario changed by `edit`, written to `name`. */
const laptop = (name: string, edit: (s: Laptop) => void) => {
  const s = JSON.parse(readFileSync("scenarios/anac-laptop.json", "utf8")) as Laptop
  edit(s)
  const path = join(dir, name)
  writeFileSync(path, JSON.stringify(s))
  return path
}

const problem = (path: string) => Effect.flip(loadScenario(path)).pipe(Effect.map((e) => e.message))

describe("bad preferences are named", () => {
  it.effect("weights whose sum overflows", () =>
    Effect.gen(function* () {
      const path = laptop("overflow.json", (s) => {
        const w = s.parties[0]!.preferences.weights
        for (const k of Object.keys(w).slice(0, 2)) w[k] = 1e308
      })
      assert.include(
        yield* problem(path),
        "parties[0].preferences: weights: they add up to more than the largest number",
      )
    }),
  )

  it.effect("an out-of-range reservation or discount names its field and range", () =>
    Effect.gen(function* () {
      const reservation = laptop("reservation.json", (s) => {
        s.parties[0]!.preferences.reservation = 5
      })
      assert.include(
        yield* problem(reservation),
        "parties[0].preferences.reservation: Expected a number between 0 and 1, actual 5",
      )
      const discount = laptop("discount.json", (s) => {
        s.parties[1]!.preferences.discount = 7
      })
      assert.include(
        yield* problem(discount),
        "parties[1].preferences.discount: Expected a number less than or equal to 1, actual 7",
      )
    }),
  )
})

describe("options named like Object.prototype's members", () => {
  it("analyze gives finite utilities when options are called constructor and hasOwnProperty", async () => {
    const names: Record<string, string> = {
      Dell: "Dell",
      Macintosh: "constructor",
      HP: "hasOwnProperty",
    }
    const path = laptop("prototype.json", (s) => {
      s.issues[0]!.options = s.issues[0]!.options.map((o) => names[o]!)
      for (const p of s.parties) {
        const e = p.preferences.evaluations["Laptop"]!
        e.scores = Object.fromEntries(Object.entries(e.scores).map(([k, v]) => [names[k]!, v]))
        const red = p.preferences.redLines?.["Laptop"]
        if (red !== undefined) p.preferences.redLines!["Laptop"] = red.map((o) => names[o]!)
      }
    })
    const r = await cli(["analyze", path])
    assert.strictEqual(r.code, 0, r.stderr)
    assert.notInclude(r.stdout, "NaN")
    assert.include(r.stdout, "constructor")
  }, 60_000)
})

describe("import genius", () => {
  it("refuses the same profile given twice", async () => {
    const base = "tests/fixtures/genius/anac2010/EnglandZimbabwe"
    const r = await cli([
      "import",
      "genius",
      `${base}/EnglandZimbabwe_domain.xml`,
      `${base}/England.xml`,
      `${base}/England.xml`,
    ])
    assert.strictEqual(r.code, 1, r.stdout)
    assert.strictEqual(
      r.stderr.trim(),
      `parley: profile ${base}/England.xml is given twice (as ${base}/England.xml): each party needs its own profile`,
    )
  }, 60_000)
})
