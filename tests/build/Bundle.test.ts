/**
 * The JavaScript bundle `npm ci` builds (scripts/build.mjs) answers exactly as
 * the TypeScript sources do: the same help, the same run of a TypeScript
 * scenario (read through tsx, its import of `src/scenario/Scenario.ts`
 * answered by the bundle), the same Monte Carlo summary from two compiled
 * worker threads, also for a TypeScript scenario loaded inside the workers,
 * and the same tournament ranking from two compiled tournament workers.
 * `--help` loads no command's handler, and the options-file parsers of
 * `@effect/cli`, bundled apart, are where the bundle looks for them.
 * The bundle is built into a scratch directory laid out like the checkout.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { initialize, resolve as resolveHook } from "../../src/scenario/BundleHooks.ts"
import { runNode } from "../support/Cli.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))
let scratch = ""

const fromSources = (args: ReadonlyArray<string>) =>
  runNode(["--import", "tsx", join(root, "src/cli/main.ts"), ...args], {}, 240_000)
const fromBundle = (args: ReadonlyArray<string>) =>
  runNode([join(scratch, "dist/parley.mjs"), ...args], {}, 240_000)

/** Both outputs, checked to have succeeded. */
const both = async (args: ReadonlyArray<string>) => {
  const [source, bundle] = await Promise.all([fromSources(args), fromBundle(args)])
  assert.strictEqual(source.code, 0, source.stderr)
  assert.strictEqual(bundle.code, 0, bundle.stderr)
  return { source: source.stdout, bundle: bundle.stdout }
}

/** A simulate summary without its wall time. */
const summary = (stdout: string) => {
  const { seconds: _, ...rest } = JSON.parse(stdout) as Record<string, unknown>
  return rest
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "parley-bundle-"))
  for (const dir of ["src", "node_modules", "scenarios"])
    symlinkSync(join(root, dir), join(scratch, dir))
  mkdirSync(join(scratch, "bin"))
  copyFileSync(join(root, "bin/parley.js"), join(scratch, "bin/parley.js"))
  const built = await runNode([join(root, "scripts/build.mjs"), join(scratch, "dist")])
  assert.strictEqual(built.code, 0, built.stderr)
}, 240_000)

afterAll(() => {
  if (scratch !== "") rmSync(scratch, { recursive: true, force: true })
})

describe("the compiled bundle answers as the sources do", () => {
  it("prints the same help", async () => {
    const { source, bundle } = await both(["--help"])
    assert.include(bundle, "COMMANDS")
    assert.strictEqual(bundle, source)
  }, 240_000)

  it("runs a TypeScript scenario to the same JSON", async () => {
    const args = ["run", join(root, "scenarios/rubinstein.ts"), "--set", "delta2=0.8", "--json"]
    const { source, bundle } = await both(args)
    assert.include(bundle, '"status": "agreed"')
    assert.strictEqual(bundle, source)
  }, 240_000)

  it("summarises a Monte Carlo batch on two compiled workers as on the sources", async () => {
    const args = ["simulate", join(root, "scenarios/anac-laptop.json"), "--runs", "40"]
    const { source, bundle } = await both([...args, "--workers", "2", "--json"])
    assert.deepStrictEqual(summary(bundle), summary(source))
    assert.strictEqual((summary(bundle) as { runs: number }).runs, 40)
  }, 240_000)

  it("loads a TypeScript scenario inside compiled workers", async () => {
    const args = ["simulate", join(root, "scenarios/rubinstein.ts"), "--runs", "6", "--json"]
    const { source, bundle } = await both([...args, "--workers", "2"])
    assert.deepStrictEqual(summary(bundle), summary(source))
    assert.strictEqual((summary(bundle) as { agreementRate: number }).agreementRate, 1)
  }, 240_000)
})

describe("what the help loads", () => {
  it("no command's handler: the JavaScript it imports holds no module of parley's engines", () => {
    const dist = join(scratch, "dist")
    const loaded = new Set<string>()
    const visit = (file: string) => {
      if (loaded.has(file)) return
      loaded.add(file)
      // Static imports only: the handlers are behind dynamic ones.
      for (const [, chunk] of readFileSync(join(dist, file), "utf8").matchAll(
        /(?:from|^import) "\.\/([^"]+)"/gm,
      ))
        visit(chunk!)
    }
    visit("parley.mjs")
    const text = [...loaded].map((f) => readFileSync(join(dist, f), "utf8")).join("\n")
    assert.include(text, '"simulate"')
    for (const engine of [
      "src/simulation/",
      "src/scenario/",
      "src/store/",
      "@nats-io/",
      "yaml/dist/",
    ])
      assert.notInclude(text, engine, `--help loads ${engine}`)
  })

  it("finds @effect/cli's options-file parsers in dist/option-file-parsers.cjs, working", () => {
    const dist = join(scratch, "dist")
    const referenced = readdirSync(dist).some(
      (f) =>
        f.endsWith(".mjs") &&
        readFileSync(join(dist, f), "utf8").includes('"./option-file-parsers.cjs"'),
    )
    assert.isTrue(referenced)
    const parsers = createRequire(join(dist, "parley.mjs"))("./option-file-parsers.cjs") as Record<
      "yaml" | "toml" | "ini",
      { parse: (text: string) => unknown }
    >
    assert.deepStrictEqual(parsers.yaml.parse("runs: 3"), { runs: 3 })
    assert.deepStrictEqual(parsers.toml.parse("runs = 3"), { runs: 3 })
    assert.deepStrictEqual(parsers.ini.parse("runs=3"), { runs: "3" })
  })
})

describe("the compiled tournament workers", () => {
  it("rank a small tournament as the sources do", async () => {
    const file = join(scratch, "tiny.json")
    writeFileSync(
      file,
      JSON.stringify({
        id: "tiny",
        competitors: ["boulware", "conceder"].map((kind) => ({ name: kind, strategy: { kind } })),
        scenarios: [join(root, "scenarios/anac-laptop.json")],
        repetitions: 2,
        rotateRoles: true,
        selfPlay: false,
        rounds: 50,
        seed: 1,
      }),
    )
    const { source, bundle } = await both(["tournament", file, "--workers", "2", "--json"])
    const ranking = (stdout: string) =>
      (JSON.parse(stdout) as { negotiations: number; ranking: unknown }).ranking
    assert.strictEqual((JSON.parse(bundle) as { negotiations: number }).negotiations, 4)
    assert.deepStrictEqual(ranking(bundle), ranking(source))
  }, 240_000)
})

describe("scenario resolution hooks", () => {
  const source = pathToFileURL(join(root, "src/scenario/Scenario.ts")).href
  const compiled = pathToFileURL(join(root, "dist/scenario.mjs")).href
  const next = async (specifier: string) => ({ url: new URL(specifier, source).href })

  it("answer the scenario API's source module with the compiled entry, and nothing else", async () => {
    initialize({ source, compiled })
    const redirected = await resolveHook("./Scenario.ts", {}, next)
    assert.strictEqual(redirected.url, compiled)
    assert.strictEqual(redirected.format, "module")
    const other = await resolveHook("./Load.ts", {}, next)
    assert.strictEqual(other.url, new URL("./Load.ts", source).href)
  })
})
