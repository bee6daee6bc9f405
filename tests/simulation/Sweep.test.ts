/**
 * Sweeps and sensitivity: the statistics against published values, PRCC
 * against cases whose answer is known, and a real sweep of Ukraine's
 * reservation value in the ceasefire scenario.
 */
import { Effect, Either } from "effect"
import { assert, describe, it } from "vitest"
import { csvField } from "../../src/analysis/Csv.ts"
import {
  agreedTermsOf,
  binnedRates,
  meanInterval,
  prcc,
  prccThreshold,
  ranks,
  t975,
  wilson,
} from "../../src/analysis/Statistics.ts"
import { mulberry32 } from "../../src/simulation/Random.ts"
import { runsCsv } from "../../src/simulation/RunsTable.ts"
import { checkVaries, parseVary, pointsOf, sweep, valuesOf } from "../../src/simulation/Sweep.ts"

const ceasefire = "scenarios/ceasefire-freeze.ts"

describe("Wilson score interval (Wilson 1927)", () => {
  // Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (score interval without continuity correction).
  it("matches Newcombe's worked examples to four decimals", () => {
    const cases: ReadonlyArray<readonly [number, number, number, number]> = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ]
    for (const [x, n, lo, hi] of cases) {
      const [a, b] = wilson(x, n)
      assert.closeTo(a, lo, 5e-5, `${x}/${n} lower`)
      assert.closeTo(b, hi, 5e-5, `${x}/${n} upper`)
    }
  })

  it("never leaves [0, 1], is symmetric about 1/2, and all-or-nothing still has width", () => {
    const [lo, hi] = wilson(10, 10)
    assert.closeTo(lo, 1 - 3.8414588 / 13.8414588, 1e-6)
    assert.strictEqual(hi, 1)
    const [a, b] = wilson(3, 10)
    const [c, d] = wilson(7, 10)
    assert.closeTo(a, 1 - d, 1e-12)
    assert.closeTo(b, 1 - c, 1e-12)
  })
})

describe("Student t interval", () => {
  it("t quantiles match the tables, from the table and from the expansion", () => {
    assert.closeTo(t975(1), 12.706205, 1e-6)
    assert.closeTo(t975(10), 2.228139, 1e-6)
    assert.closeTo(t975(40), 2.021075, 1e-5)
    assert.closeTo(t975(60), 2.000298, 1e-5)
    assert.closeTo(t975(120), 1.97993, 1e-5)
    assert.closeTo(t975(1e6), 1.959964, 1e-5)
  })

  it("mean of 1..5 is 3 ± 2.776·√(2.5/5)", () => {
    const m = meanInterval([1, 2, 3, 4, 5])
    assert.strictEqual(m.mean, 3)
    const half = 2.776445 * Math.sqrt(2.5 / 5)
    assert.closeTo(m.interval![0], 3 - half, 1e-6)
    assert.closeTo(m.interval![1], 3 + half, 1e-6)
    assert.isNull(meanInterval([4]).interval)
  })
})

describe("partial rank correlation (Marino et al. 2008)", () => {
  it("ties share their mean rank", () => {
    assert.deepStrictEqual(ranks([10, 30, 20, 30]), [1, 3.5, 2, 3.5])
  })

  const sample = (n: number, seed: number) => {
    const r = mulberry32(seed)
    return Array.from({ length: n }, () => r())
  }

  it("an output monotone in one input and independent of another: PRCC ±1 and near 0", () => {
    const n = 500
    const x1 = sample(n, 1)
    const x2 = sample(n, 2)
    // Exactly monotone (and non-linear): the ranks of y are those of x1.
    const up = prcc(
      [x1, x2],
      x1.map((x) => Math.exp(5 * x)),
    )
    assert.closeTo(up[0]!, 1, 1e-9)
    // y explained entirely by x1 leaves nothing for x2 to correlate with.
    assert.isNull(up[1])
    // With noise independent of both: x1 dominates, x2 is near 0 (|r| < 2/√n).
    const noise = sample(n, 3)
    const down = prcc(
      [x1, x2],
      x1.map((x, i) => -(x ** 3) - 0.05 * noise[i]!),
    )
    assert.isBelow(down[0]!, -0.95)
    assert.isBelow(Math.abs(down[1]!), 2 / Math.sqrt(n))
  })

  it("separates two inputs that both matter from one that does not, unlike a plain correlation", () => {
    const n = 800
    const [a, b, c, e] = [sample(n, 11), sample(n, 12), sample(n, 13), sample(n, 14)]
    // y = a - b + small noise: each matters once the other is accounted for.
    const y = a.map((x, i) => x - b[i]! + 0.01 * e[i]!)
    const [pa, pb, pc] = prcc([a, b, c], y)
    assert.isAbove(pa!, 0.95)
    assert.isBelow(pb!, -0.95)
    assert.isBelow(Math.abs(pc!), 2 / Math.sqrt(n))
  })

  it("a constant input or output has no coefficient", () => {
    const x = sample(20, 5)
    assert.deepStrictEqual(
      prcc(
        [x, x.map(() => 1)],
        x.map(() => 0),
      ),
      [null, null],
    )
    assert.isNull(prcc([x, x.map(() => 1)], x)[1])
  })
})

describe("points of a sweep", () => {
  const vary = (text: string) => Either.getOrThrow(parseVary(text))

  it("steps evenly spaced values, min and max included", () => {
    assert.deepStrictEqual(valuesOf(vary("r=0.2:0.5:4")), [0.2, 0.3, 0.4, 0.5])
  })

  it("one at a time is the sum of the steps, the grid their product", () => {
    const varies = [vary("a=0:1:2"), vary("b=10:30:3")]
    const oat = pointsOf(varies, false)
    assert.strictEqual(oat.length, 5)
    assert.deepStrictEqual(oat[0], { a: 0 })
    assert.deepStrictEqual(oat[4], { b: 30 })
    const grid = pointsOf(varies, true)
    assert.strictEqual(grid.length, 6)
    assert.deepStrictEqual(grid, [
      { a: 0, b: 10 },
      { a: 0, b: 20 },
      { a: 0, b: 30 },
      { a: 1, b: 10 },
      { a: 1, b: 20 },
      { a: 1, b: 30 },
    ])
  })

  it("a bad --vary is one message naming it", () => {
    const problem = (text: string) =>
      Either.getLeft(parseVary(text)).pipe((o) => (o._tag === "Some" ? o.value : ""))
    assert.match(problem("r=0.5:0.2:4"), /^--vary r=0.5:0.2:4: min 0.5 is greater than max 0.2$/)
    assert.match(problem("r=0.2:0.5:1"), /steps must be at least 2/)
    assert.match(problem("r=low:0.5:3"), /min "low" is not a number/)
    assert.match(problem("r=0.2:0.5:2.5"), /steps "2.5" is not a whole number/)
    assert.match(problem("r=0.2:0.5"), /expected name=min:max:steps/)
    const definition = {
      parameters: {
        r: { default: 0.3, description: "" },
        protocol: { default: "x", description: "" },
      },
    }
    assert.match(
      checkVaries(definition, [vary("nope=0:1:2")], {})!,
      /^--vary nope: unknown parameter \(this scenario's number parameters: r\)$/,
    )
    assert.match(checkVaries(definition, [vary("protocol=0:1:2")], {})!, /not a number parameter/)
    assert.match(checkVaries(definition, [vary("r=0:1:2")], { r: "0.4" })!, /also fixed by --set/)
    assert.match(checkVaries(definition, [vary("r=0:1:2"), vary("r=0:1:3")], {})!, /varied twice/)
    assert.isUndefined(checkVaries(definition, [vary("r=0:1:2")], {}))
  })
})

describe("what the pictures draw", () => {
  it("the PRCC significance bound is t/√(df + t²) with df = N − 2 − p, none without degrees of freedom", () => {
    // 16 runs, 4 parameters: df = 10, t = 2.228139.
    assert.closeTo(prccThreshold(16, 4)!, 2.228139 / Math.sqrt(10 + 2.228139 ** 2), 1e-9)
    assert.closeTo(prccThreshold(16, 4)!, 0.576, 5e-4)
    assert.isNull(prccThreshold(6, 4))
  })

  it("binned agreement rates: equal bins of the range, empty bins left out, Wilson interval per bin", () => {
    const values = [0.2, 0.21, 0.29, 0.3, 0.5, 0.5]
    const agreed = [true, true, false, true, false, false]
    const bins = binnedRates(values, agreed, 0.2, 0.5, 3)
    assert.deepStrictEqual(
      bins.map((b) => [b.runs, b.agreed]),
      [
        [3, 2],
        [1, 1],
        [2, 0],
      ],
    )
    assert.closeTo(bins[0]!.x, 0.25, 1e-12)
    assert.closeTo(bins[1]!.from, 0.3, 1e-12)
    assert.strictEqual(bins[2]!.to, 0.5)
    assert.deepStrictEqual(bins[0]!.interval, wilson(2, 3))
    assert.strictEqual(bins[2]!.rate, 0)
    // A bin nothing fell into is not drawn.
    assert.strictEqual(binnedRates([0.2, 0.5], [true, false], 0.2, 0.5, 3).length, 2)
  })

  it("agreed terms count each agreement's option per issue, numbers rounded, no-deals left out", () => {
    const counts = agreedTermsOf(["land", "price"], [
      { land: "kept", price: 1.000004 },
      null,
      { land: "kept", price: 2 },
      { land: "returned", price: 2 },
    ] as never)
    assert.deepStrictEqual(counts, {
      land: { kept: 2, returned: 1 },
      price: { "1": 1, "2": 2 },
    })
  })
})

describe("the table of runs (RFC 4180 fields, LF line ends)", () => {
  it("quotes fields with commas, quotes or line breaks, and leaves the others bare", () => {
    assert.strictEqual(csvField("plain"), "plain")
    assert.strictEqual(csvField('say "no", twice'), '"say ""no"", twice"')
    assert.strictEqual(csvField("a\nb"), '"a\nb"')
    assert.strictEqual(csvField(null), "")
    assert.strictEqual(csvField(0.25), "0.25")
  })
  it("writes numbers with at most 12 significant digits, and nothing for a non-finite one", () => {
    assert.strictEqual(csvField(0.1 + 0.2), "0.3")
    assert.strictEqual(csvField(2 / 3), "0.666666666667")
    assert.strictEqual(csvField(123456789), "123456789")
    assert.strictEqual(csvField(Number.NaN), "")
    assert.strictEqual(csvField(Number.POSITIVE_INFINITY), "")
  })
})

describe("a sweep of Ukraine's reservation value in the ceasefire scenario", () => {
  it("runs steps × runs with the varied value fixed, the same seeds at each point, and agreement falls as the reservation rises", async () => {
    const runs = 40
    // Alternating offers: under the single-text default, honest answers agree on the
    // mediator's compromise (worth 0.68 to Ukraine) at every reservation swept here.
    const result = await Effect.runPromise(
      sweep(
        ceasefire,
        { protocol: "alternating" },
        {},
        {
          varies: [{ name: "ukraineReservation", min: 0.2, max: 0.5, steps: 4 }],
          grid: false,
          runs,
          seed: 1,
          workers: 0,
        },
      ),
    )
    assert.strictEqual(result.points.length, 4)
    assert.strictEqual(result.rows.length, 4 * runs)
    const values = [0.2, 0.3, 0.4, 0.5]
    result.points.forEach((p, i) => {
      assert.deepStrictEqual(p.values, { ukraineReservation: values[i]! })
      assert.strictEqual(p.runs, runs)
      assert.isAtMost(p.interval[0], p.agreementRate)
      assert.isAtLeast(p.interval[1], p.agreementRate)
      for (const party of ["russia", "ukraine"]) {
        const m = p.meanUtility[party]!
        assert.isAtMost(m.interval![0], m.mean)
        assert.isAtLeast(m.interval![1], m.mean)
      }
    })
    // Never drawn: every run of a point holds the point's value.
    for (const r of result.rows)
      assert.strictEqual(r.parameters.ukraineReservation, values[r.point!], `run ${r.outcome.run}`)
    // Common random numbers: the same seeds at every point.
    const seedsAt = (point: number) =>
      result.rows.filter((r) => r.point === point).map((r) => r.outcome.seed)
    assert.deepStrictEqual(seedsAt(3), seedsAt(0))
    // A Ukraine that values no deal more agrees less often.
    const rates = result.points.map((p) => p.agreementRate)
    assert.isAbove(rates[0]!, rates[3]!, rates.join(", "))
    for (let i = 1; i < rates.length; i++) assert.isAtMost(rates[i]!, rates[i - 1]! + 0.1)
    // The ranking covers the varied and the drawn parameters; Ukraine's
    // reservation lowers agreement and raises Ukraine's own discounted utility.
    const ranked = result.sensitivity.map((s) => s.parameter)
    assert.include(ranked, "ukraineReservation")
    assert.include(ranked, "russiaReservation")
    const ukraine = result.sensitivity.find((s) => s.parameter === "ukraineReservation")!
    assert.isBelow(ukraine.agreement!, 0)
    assert.isAbove(ukraine.utility.ukraine!, 0)

    const csv = runsCsv(result.rows, {
      parameters: result.parameters,
      parties: result.parties,
      issues: result.issues,
      points: true,
    })
    assert.notInclude(csv, "\r")
    const lines = csv.split("\n").filter((l) => l !== "")
    assert.strictEqual(lines.length, 1 + 4 * runs)
    const header = lines[0]!.split(",")
    const column = header.indexOf("ukraineReservation")
    assert.isAtLeast(column, 0)
    for (const name of ["point", "seed", "status", "agreementTime", "ukraine_discounted"])
      assert.include(header, name)
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(",")
      assert.strictEqual(cells.length, header.length)
      assert.strictEqual(Number(cells[column]), values[Math.floor(i / runs)])
    })
  }, 30_000)

  it("one at a time holds the other varied parameter at its default, never drawn", async () => {
    const result = await Effect.runPromise(
      sweep(
        ceasefire,
        { rounds: "12" },
        {},
        {
          varies: [
            { name: "ukraineReservation", min: 0.2, max: 0.5, steps: 2 },
            { name: "russiaReservation", min: 0.4, max: 0.7, steps: 2 },
          ],
          grid: false,
          runs: 3,
          seed: 2,
          workers: 0,
        },
      ),
    )
    assert.strictEqual(result.rows.length, 12)
    const { parameters } = (await import("../../scenarios/ceasefire-freeze.ts"))
      .default as unknown as {
      parameters: Record<string, { default: number }>
    }
    for (const r of result.rows) {
      assert.notProperty(r.outcome.drawn, "ukraineReservation")
      assert.notProperty(r.outcome.drawn, "russiaReservation")
      assert.strictEqual(r.outcome.rounds <= 12, true)
      const point = result.points[r.point!]!.values
      for (const name of ["ukraineReservation", "russiaReservation"])
        assert.strictEqual(r.parameters[name], point[name] ?? parameters[name]!.default)
    }
  }, 30_000)

  it("a grid runs every combination", async () => {
    const result = await Effect.runPromise(
      sweep(
        ceasefire,
        {},
        {},
        {
          varies: [
            { name: "ukraineReservation", min: 0.2, max: 0.5, steps: 2 },
            { name: "russiaReservation", min: 0.4, max: 0.7, steps: 2 },
          ],
          grid: true,
          runs: 5,
          seed: 7,
          workers: 0,
        },
      ),
    )
    assert.strictEqual(result.points.length, 4)
    assert.strictEqual(result.rows.length, 20)
    assert.deepStrictEqual(result.parameters.slice(0, 2), [
      "ukraineReservation",
      "russiaReservation",
    ])
    for (const r of result.rows) {
      const point = result.points[r.point!]!
      assert.strictEqual(r.parameters.ukraineReservation, point.values.ukraineReservation)
      assert.strictEqual(r.parameters.russiaReservation, point.values.russiaReservation)
      assert.notProperty(r.outcome.drawn, "russiaReservation")
    }
  }, 30_000)
})
