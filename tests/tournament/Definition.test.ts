import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { decodeTournament, loadTournament } from "../../src/tournament/Definition.ts"
import { arenaOf } from "../../src/tournament/Play.ts"
import { four, laptop, tempDir, write } from "./support.ts"

const base = { id: "t", competitors: four, scenarios: [laptop] }

const problem = (input: unknown) => {
  const r = decodeTournament("t.yaml", input)
  if (Either.isRight(r)) throw new Error("expected a decoding error")
  return r.left
}

const loadFails = (file: string) =>
  Effect.runPromise(Effect.flip(loadTournament(file)).pipe(Effect.provide(NodeFileSystem.layer)))

describe("tournament files", () => {
  it("fills the defaults: rotation, no self-play, one repetition, seed 1, ranked by advantage", () => {
    const d = Either.getOrThrow(decodeTournament("t.yaml", base))
    expect(d).toMatchObject({
      rotateRoles: true,
      selfPlay: false,
      repetitions: 1,
      seed: 1,
      score: "advantage",
    })
    expect(d.rounds).toBeUndefined()
    expect(d.assignments).toBeUndefined()
  })

  it("names the file and the field of a problem", () => {
    const e = problem({ ...base, repetitions: 0 })
    expect(e.file).toBe("t.yaml")
    expect(e.path).toBe("repetitions")
    expect(problem({ ...base, score: "wins" }).path).toBe("score")
    expect(problem({ ...base, scenarios: [laptop, 3] }).path).toMatch(/^scenarios\[1\]/)
    expect(problem({ ...base, colour: "red" }).path).toBe("colour")
    const { id: _id, ...noId } = base
    expect(problem(noId).path).toBe("id")
  })

  it("checks each competitor's strategy spec where it is written", () => {
    const unknown = problem({
      ...base,
      competitors: [four[0], { name: "x", strategy: { kind: "hardheded" } }],
    })
    expect(unknown.path).toBe("competitors[1].strategy.kind")
    expect(unknown.problem).toMatch(/unknown strategy kind "hardheded"/)
    const bad = problem({
      ...base,
      competitors: [{ name: "x", strategy: { kind: "time-dependent", preset: "stubborn" } }],
    })
    expect(bad.path).toBe("competitors[0].strategy")
    expect(bad.problem).toMatch(/preset/)
    expect(problem({ ...base, competitors: [four[0], four[0]] }).path).toBe("competitors[1].name")
  })

  it("takes a remote agent as a competitor, checks its spec where it is written, and refuses to play it without a connection", async () => {
    const remote = { name: "r", strategy: { kind: "remote", subject: "a.b" } }
    const d = Either.getOrThrow(
      decodeTournament("t.yaml", { ...base, competitors: [four[0], remote] }),
    )
    expect(d.competitors[1]!.strategy).toEqual(remote.strategy)
    const wildcard = problem({
      ...base,
      competitors: [four[0], { name: "r", strategy: { kind: "remote", subject: "a.*" } }],
    })
    expect(wildcard.path).toBe("competitors[1].strategy")
    expect(wildcard.problem).toMatch(/subject/)
    // Without a connection (no --nats, no PARLEY_NATS_URL given to the play), nothing plays.
    const file = write(tempDir(), "remote.json", { ...base, competitors: [four[0], remote] })
    const tournament = await Effect.runPromise(
      loadTournament(file).pipe(Effect.provide(NodeFileSystem.layer)),
    )
    const refused = arenaOf(tournament)
    if (Either.isRight(refused)) throw new Error("expected a refusal")
    expect(refused.left.path).toBe("competitors[1].strategy")
    expect(refused.left.problem).toMatch(/needs a connection to its agent/)
  })

  it("refuses an id that cannot prefix negotiation ids", () => {
    expect(problem({ ...base, id: "a b" }).path).toBe("id")
  })

  it("reports a YAML file's problems with its name, and a missing scenario where it is listed", async () => {
    const dir = tempDir()
    const yaml = write(
      dir,
      "bad.yaml",
      "id: t\ncompetitors:\n  - { name: a, strategy: { kind: boulware } }\n  - { name: b, strategy: { kind: nope } }\nscenarios: [x.json]\n",
    )
    const e = await loadFails(yaml)
    expect(e.message).toMatch(
      /bad\.yaml: competitors\[1\]\.strategy\.kind: unknown strategy kind "nope"/,
    )
    const missing = write(dir, "missing.json", {
      ...base,
      scenarios: [{ genius: { domain: "nowhere.xml", profiles: ["a.xml", "b.xml"] } }],
    })
    const m = await loadFails(missing)
    expect(m.file).toBe(missing)
    expect(m.path).toBe("scenarios[0].genius")
    const file = write(dir, "nofile.json", { ...base, scenarios: ["absent.json"] })
    expect((await loadFails(file)).file).toMatch(/absent\.json$/)
  })

  it("needs as many distinct competitors as a scenario has parties, without self-play", async () => {
    const dir = tempDir()
    const file = write(dir, "two.json", { ...base, competitors: four.slice(0, 1) })
    const e = await loadFails(file)
    expect(e.path).toBe("scenarios[0]")
    expect(e.problem).toMatch(/2 parties need 2 distinct competitors/)
  })
})
