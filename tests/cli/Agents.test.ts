/**
 * Choosing agents from the command line: `--agent party=strategy` on any
 * scenario, the strategies listing, and what `run --json` reports per party.
 */
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { parseAgent } from "../../src/cli/Options.ts"
import { cli } from "../support/Cli.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"

const laptop = "scenarios/anac-laptop.json"
const buyer = "laptop_buyer_utility"
const seller = "laptop_seller_utility"
/** Laptop's discount factor, from its GENIUS profile files. */
const D = 0.42441038

interface RunJson {
  readonly status: string
  readonly agreementTime: number | null
  readonly end: { readonly time: number; readonly round: number }
  readonly parties: Record<
    string,
    { utility: number | null; discounted: number; reservation: number; advantage: number }
  >
}

describe("--agent party=strategy", () => {
  it("parses kinds, typed parameters and JSON specs, and refuses what is not party=strategy", () => {
    const plain = parseAgent("buyer=hardheaded")
    assert.deepStrictEqual(plain._tag === "Right" ? plain.right : undefined, [
      "buyer",
      { kind: "hardheaded" },
    ] as const)
    const typed = parseAgent("s=time-dependent:e=0.5,convention=negmas,k=0")
    assert.deepStrictEqual(typed._tag === "Right" ? typed.right : undefined, [
      "s",
      { kind: "time-dependent", e: 0.5, convention: "negmas", k: 0 },
    ] as const)
    const json = parseAgent('b={"kind":"boa","offering":{"kind":"conceder"}}')
    assert.deepStrictEqual(json._tag === "Right" ? json.right : undefined, [
      "b",
      { kind: "boa", offering: { kind: "conceder" } },
    ] as const)
    for (const bad of ["buyer", "=micro", "b=", "b=micro:e", "b={nope"])
      assert.strictEqual(parseAgent(bad)._tag, "Left", bad)
  })

  it("run on an imported domain with two champions reports u, u·d^t, reservation and advantage per party", async () => {
    for (const rounds of ["20", "100"]) {
      const r = await cli([
        "run",
        laptop,
        "--set",
        `rounds=${rounds}`,
        "--agent",
        `${buyer}=cuhkagent`,
        "--agent",
        `${seller}=micro`,
        "--json",
      ])
      assert.strictEqual(r.code, 0, r.stderr)
      const out = JSON.parse(r.stdout) as RunJson
      assert.strictEqual(out.status, "agreed")
      const t = out.agreementTime!
      // The accepting party's own time: its move (first or second of the round) on the discrete timeline.
      const moves = 2 * Number(rounds)
      const own = [0, 1].map((k) => (2 * out.end.round + k + 1) / (moves + 1))
      assert.isTrue(
        own.some((x) => Math.abs(x - t) < 1e-12),
        `${t} is one of ${own}`,
      )
      for (const id of [buyer, seller]) {
        const p = out.parties[id]!
        assert.closeTo(p.discounted, p.utility! * D ** t, 1e-12)
        assert.closeTo(p.advantage, (p.utility! - p.reservation) * D ** t, 1e-12)
      }
    }
  }, 120_000)

  it("the timeline names the agents and the acceptance rule that fired", async () => {
    const r = await cli([
      "run",
      laptop,
      "--agent",
      `${buyer}=hardliner`,
      "--agent",
      `${seller}=conceder`,
    ])
    assert.strictEqual(r.code, 0, r.stderr)
    assert.match(r.stdout, /accepted[\s\S]*by AC_next/)
  }, 60_000)

  it("a party the scenario does not have, or an unknown kind, is one line naming it", async () => {
    const nobody = await cli(["run", laptop, "--agent", "nobody=micro"])
    assert.notStrictEqual(nobody.code, 0)
    assert.strictEqual(
      nobody.stderr.trim(),
      `parley: ${laptop}: --agent nobody: unknown party (this scenario has ${buyer}, ${seller})`,
    )
    const unknown = await cli(["simulate", laptop, "--runs", "2", "--agent", `${buyer}=nope`])
    assert.notStrictEqual(unknown.code, 0)
    assert.match(
      unknown.stderr,
      /--agent laptop_buyer_utility: unknown strategy kind "nope" \(known: .*agentk.*\)/,
    )
    const badParam = await cli(["run", laptop, "--agent", `${buyer}=time-dependent:e=-1`])
    assert.match(badParam.stderr, /--agent laptop_buyer_utility: time-dependent: e: /)
  }, 120_000)

  it("simulate plays the agents given, in worker threads too", async () => {
    const r = await cli([
      "simulate",
      laptop,
      "--runs",
      "40",
      "--workers",
      "2",
      "--agent",
      `${buyer}=hardliner`,
      "--agent",
      `${seller}=hardliner`,
      "--json",
    ])
    assert.strictEqual(r.code, 0, r.stderr)
    const summary = JSON.parse(r.stdout) as {
      agreementRate: number
      statuses: Record<string, number>
    }
    // Two GENIUS hardliners never concede: no run agrees.
    assert.strictEqual(summary.agreementRate, 0)
    assert.strictEqual(summary.statuses.expired, 40)
  }, 120_000)
})

describe("parley strategies", () => {
  it("lists every kind with its reference and parameters, and the acceptance conditions", async () => {
    const r = await cli(["strategies", "--json"])
    assert.strictEqual(r.code, 0, r.stderr)
    const listing = JSON.parse(r.stdout) as {
      strategies: Array<{ kind: string; reference: string; parameters: Array<{ name: string }> }>
      acceptance: Array<{ kind: string }>
    }
    const kinds = listing.strategies.map((s) => s.kind)
    for (const k of [
      "time-dependent",
      "boulware",
      "conceder",
      "hardliner",
      "red-line-concession",
      "random",
      "rubinstein",
      "micro",
      "naive-tit-for-tat",
      "imitative",
      "agentk",
      "cuhkagent",
      "atlas3",
      "boa",
    ])
      assert.include(kinds, k)
    for (const s of listing.strategies) assert.isAbove(s.reference.length, 10, s.kind)
    const td = listing.strategies.find((s) => s.kind === "time-dependent")!
    assert.includeMembers(
      td.parameters.map((p) => p.name),
      ["e", "preset", "convention", "k", "anchoring"],
    )
    assert.includeMembers(
      listing.acceptance.map((a) => a.kind),
      ["next", "prev", "const", "time", "combi-max", "combi-avg", "reservation", "deadline"],
    )
    const text = await cli(["strategies"])
    assert.match(text.stdout, /^cuhkagent — /m)
    assert.match(text.stdout, /Acceptance conditions/)
  }, 60_000)
})

describeWithNats("parley agents on a bus without agents", () => {
  let server: NatsServer.NatsServer | undefined
  beforeAll(async () => {
    server = await NatsServer.start()
  }, 30_000)
  afterAll(async () => {
    await server?.stop()
  })

  it("is an empty list and exit code 0, not a failure to discover", async () => {
    const url = server!.url
    const [json, text] = await Promise.all([
      cli(["agents", "--nats", url, "--wait", "300", "--json"]),
      cli(["agents", "--nats", url, "--wait", "300"]),
    ])
    assert.strictEqual(json.code, 0, json.stderr)
    assert.deepStrictEqual(JSON.parse(json.stdout), [])
    assert.strictEqual(text.code, 0, text.stderr)
    assert.strictEqual(text.stdout.trim(), `no agents on ${url}`)
    assert.strictEqual(text.stderr, "")
  }, 60_000)
})
