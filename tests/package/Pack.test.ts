/**
 * The package as a user gets it: `npm pack` (which builds it, through
 * `prepare`), the tarball installed into an empty folder outside the
 * repository (its dependencies from the registry), and there:
 *
 * - `npx parley run` on a scenario in every format a user may write —
 *   `.ts` importing `defineScenario` from the package, `.mts`, `.js`,
 *   `.mjs`, `.cjs`, `.json`, `.yaml` — in a folder without `"type":
 *   "module"` and in one with it, and on the guide's TypeScript examples;
 * - `tsc` (the checkout's) over those scenarios and a program using the
 *   library, with the folder's own tsconfig.json;
 * - that program, joined from the examples of docs/REFERENCE.md ("Library
 *   API"), run with Node.
 *
 * The checkout is copied to a staging folder first, so that building the
 * package does not replace the `dist/` other tests are running from. Slow
 * (a build, a registry install), so the timeouts are generous; never skipped.
 */
import { type SpawnOptions, spawn } from "node:child_process"
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fences } from "../docs/Markdown.ts"

const root = resolve(import.meta.dirname, "../..")
const NAME = "parley-negotiation"

interface Ran {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

const exec = (
  command: string,
  args: ReadonlyArray<string>,
  options: SpawnOptions,
  timeoutMs: number,
) =>
  new Promise<Ran>((done, fail) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      out += c
    })
    child.stderr?.setEncoding("utf8").on("data", (c: string) => {
      err += c
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.once("error", fail)
    child.once("close", (code) => {
      clearTimeout(timer)
      done({ code, out, err })
    })
  })

const ok = (ran: Ran, what: string) =>
  expect(
    ran.code,
    `${what}: exit ${ran.code}\n${ran.err.slice(-4000)}\n${ran.out.slice(0, 4000)}`,
  ).toBe(0)

/** A user's scenario: Acme sells to Globex (the same deal in every format). */
const deal = (id: string) => ({
  id,
  title: "Component supply contract",
  parties: [
    {
      id: "acme",
      name: "Acme",
      role: "principal",
      preferences: {
        weights: { price: 0.7, term: 0.3 },
        evaluations: {
          price: { kind: "monotone", best: "max" },
          term: { kind: "options", scores: { "1y": 0.2, "3y": 1 } },
        },
        reservation: 0.3,
      },
      strategy: { kind: "boulware" },
    },
    {
      id: "globex",
      name: "Globex",
      role: "principal",
      preferences: {
        weights: { price: 1 },
        evaluations: { price: { kind: "monotone", best: "min" } },
        reservation: 0.2,
      },
      strategy: { kind: "conceder" },
    },
  ],
  issues: [
    { kind: "integer", id: "price", min: 80, max: 140 },
    { kind: "discrete", id: "term", options: ["1y", "3y"] },
  ],
  protocol: { kind: "alternating", rounds: 30 },
})

const literal = (id: string) => JSON.stringify(deal(id), null, 2)

/** The scenarios of one folder, by file name, each with its id. */
const scenarios = (tag: string): ReadonlyArray<{ file: string; id: string; text: string }> => [
  {
    file: "deal.ts",
    id: `${tag}-ts`,
    // TypeScript syntax, and the typed helper from the package.
    text: `import { defineScenario } from "${NAME}/scenario"\n\nconst rounds: number = 30\n\nexport default defineScenario(${literal(`${tag}-ts`).replace('"rounds": 30', '"rounds": rounds')})\n`,
  },
  {
    file: "deal.mts",
    id: `${tag}-mts`,
    text: `import { defineScenario } from "${NAME}/scenario"\n\nexport default defineScenario(${literal(`${tag}-mts`)})\n`,
  },
  {
    file: "deal.js",
    id: `${tag}-js`,
    text: `import { defineScenario } from "${NAME}/scenario"\n\nexport default defineScenario(${literal(`${tag}-js`)})\n`,
  },
  {
    file: "deal.mjs",
    id: `${tag}-mjs`,
    text: `import { defineScenario } from "${NAME}/scenario"\n\nexport default defineScenario(${literal(`${tag}-mjs`)})\n`,
  },
  { file: "deal.cjs", id: `${tag}-cjs`, text: `module.exports = ${literal(`${tag}-cjs`)}\n` },
  { file: "deal.json", id: `${tag}-json`, text: `${literal(`${tag}-json`)}\n` },
  {
    file: "deal.yaml",
    id: `${tag}-yaml`,
    // JSON is YAML; written as YAML's block style to be a YAML file a person writes.
    text: yamlOf(deal(`${tag}-yaml`)),
  },
]

/** A plain object as block-style YAML (strings quoted). */
function yamlOf(value: unknown, indent = ""): string {
  if (Array.isArray(value))
    return value
      .map((v) => {
        const inner = yamlOf(v, `${indent}  `)
        return typeof v === "object" && v !== null
          ? `${indent}- ${inner.trimStart()}`
          : `${indent}- ${inner.trim()}\n`
      })
      .join("")
  if (typeof value === "object" && value !== null)
    return Object.entries(value)
      .map(([k, v]) =>
        typeof v === "object" && v !== null
          ? `${indent}${JSON.stringify(k)}:\n${yamlOf(v, `${indent}  `)}`
          : `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)}\n`,
      )
      .join("")
  return `${JSON.stringify(value)}\n`
}

/** The guide's TypeScript scenarios written for a user's folder (those importing the package). */
const guideScenarios = (): ReadonlyArray<string> =>
  fences(readFileSync(join(root, "docs/GUIDE.md"), "utf8"))
    .filter((f) => f.info === "ts" && f.text.includes(`from "${NAME}/scenario"`))
    .map((f) => f.text)

/**
 * The examples of docs/REFERENCE.md's "Library API" as one program: their
 * imports merged at the top, their code in order.
 */
const libraryProgram = (): string => {
  const text = readFileSync(join(root, "docs/REFERENCE.md"), "utf8")
  const start = text.indexOf("## Library API")
  const end = text.indexOf("\n## ", start + 1)
  const blocks = fences(text.slice(start, end)).filter((f) => f.info === "ts")
  const imports = new Map<string, Set<string>>()
  const body: Array<string> = []
  for (const block of blocks)
    for (const line of block.text.split("\n")) {
      const m = /^import \{ (.*) \} from "([^"]+)"$/.exec(line)
      if (m === null) {
        body.push(line)
        continue
      }
      const names = imports.get(m[2] ?? "") ?? new Set<string>()
      for (const name of (m[1] ?? "").split(",")) names.add(name.trim())
      imports.set(m[2] ?? "", names)
    }
  const header = [...imports].map(
    ([from, names]) => `import { ${[...names].join(", ")} } from "${from}"`,
  )
  return `${header.join("\n")}\n\n${body.join("\n")}\n`
}

let stage = ""
let user = ""
let tarball = ""

beforeAll(async () => {
  // A copy of what the package is built from, so that the build leaves this checkout's dist/ alone.
  stage = mkdtempSync(join(tmpdir(), "parley-stage-"))
  for (const entry of [
    "src",
    "scripts",
    "bin",
    "docs",
    "README.md",
    "package.json",
    "tsconfig.json",
  ])
    cpSync(join(root, entry), join(stage, entry), { recursive: true })
  symlinkSync(join(root, "node_modules"), join(stage, "node_modules"))
  const packed = await exec(
    "npm",
    ["pack", "--pack-destination", stage, "--no-audit", "--no-fund"],
    { cwd: stage, env: process.env },
    900_000,
  )
  ok(packed, "npm pack")
  const file = readdirSync(stage).find((f) => f.startsWith(`${NAME}-`) && f.endsWith(".tgz"))
  expect(file, `npm pack wrote no ${NAME}-*.tgz:\n${packed.out}`).toBeDefined()
  tarball = join(stage, file ?? "")

  // An empty folder of the user's own, outside the repository.
  user = mkdtempSync(join(tmpdir(), "parley-user-"))
  writeFileSync(
    join(user, "package.json"),
    `${JSON.stringify({ name: "my-deals", private: true }, null, 2)}\n`,
  )
  const installed = await exec(
    "npm",
    ["install", tarball, "--no-audit", "--no-fund"],
    { cwd: user, env: process.env },
    900_000,
  )
  ok(installed, "npm install <tarball>")

  const esm = join(user, "esm")
  mkdirSync(esm)
  writeFileSync(
    join(esm, "package.json"),
    `${JSON.stringify({ name: "my-esm-deals", private: true, type: "module" }, null, 2)}\n`,
  )
  for (const [dir, tag] of [
    [user, "plain"],
    [esm, "esm"],
  ] as const)
    for (const s of scenarios(tag)) writeFileSync(join(dir, s.file), s.text)
  for (const [k, text] of guideScenarios().entries())
    writeFileSync(join(user, `guide-${k + 1}.ts`), text)
}, 1_800_000)

afterAll(() => {
  for (const dir of [stage, user]) if (dir !== "") rmSync(dir, { recursive: true, force: true })
})

const parley = (cwd: string, args: ReadonlyArray<string>) =>
  exec("npx", ["--no-install", "parley", ...args], { cwd, env: process.env }, 240_000)

describe("the packed package, installed in an empty folder", () => {
  it("holds the command, the library and defineScenario with their types, and not the sources", () => {
    const pkg = JSON.parse(
      readFileSync(join(user, "node_modules", NAME, "package.json"), "utf8"),
    ) as {
      bin: Record<string, string>
      exports: Record<string, { types: string; import: string }>
      engines: { node: string }
    }
    expect(pkg.bin.parley).toBe("bin/parley.js")
    expect(pkg.engines.node).toMatch(/^>=20/)
    for (const entry of [".", "./scenario"]) {
      const target = pkg.exports[entry]
      expect(target, entry).toBeDefined()
      for (const file of [target?.types, target?.import])
        expect(
          () => readFileSync(join(user, "node_modules", NAME, file ?? "")),
          `${entry}: ${file}`,
        ).not.toThrow()
    }
    const files = readdirSync(join(user, "node_modules", NAME))
    expect(files).not.toContain("src")
    expect(files).not.toContain("tests")
  })

  for (const [folder, tag] of [
    ["", "plain"],
    ["esm", "esm"],
  ] as const)
    for (const s of scenarios(tag))
      it(`npx parley run ${s.file} in a folder ${tag === "esm" ? "with" : "without"} "type": "module"`, async () => {
        const ran = await parley(join(user, folder), ["run", s.file, "--json"])
        ok(ran, `parley run ${s.file}`)
        const summary = JSON.parse(ran.out) as { negotiationId: string; status: string }
        expect(summary.negotiationId).toBe(s.id)
        expect(summary.status).toBe("agreed")
      }, 240_000)

  it("npx parley runs the guide's TypeScript scenarios, and simulates one", async () => {
    const guide = guideScenarios()
    expect(guide.length).toBeGreaterThan(0)
    for (let k = 1; k <= guide.length; k++) {
      const ran = await parley(user, ["run", `guide-${k}.ts`, "--json"])
      ok(ran, `parley run guide-${k}.ts`)
      expect(JSON.parse(ran.out)).toHaveProperty("status")
    }
    const simulated = await parley(user, ["simulate", "guide-1.ts", "--runs", "50", "--json"])
    ok(simulated, "parley simulate guide-1.ts")
    expect(JSON.parse(simulated.out)).toHaveProperty("runs", 50)
  }, 600_000)

  it("a program using the library (docs/REFERENCE.md's examples) type-checks with the scenarios, and runs", async () => {
    // A scenario with a parameter, as the guide writes one: build(params).
    const built = literal("supply-params").replace(
      '"reservation": 0.3',
      '"reservation": Number(p.acmeReservation)',
    )
    expect(built).toContain("p.acmeReservation")
    writeFileSync(
      join(user, "deal-params.ts"),
      [
        `import { defineScenario } from "${NAME}/scenario"`,
        "",
        "export default defineScenario({",
        '  parameters: { acmeReservation: { default: 0.3, description: "Acme\'s walk-away utility", uncertain: { min: 0.2, max: 0.5 } } },',
        `  build: (p) => (${built}),`,
        "})",
        "",
      ].join("\n"),
    )
    writeFileSync(join(user, "program.mts"), libraryProgram())
    writeFileSync(
      join(user, "tsconfig.json"),
      `${JSON.stringify(
        {
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: ["node"],
            // @types/node as the user's own devDependency would give it.
            typeRoots: [join(root, "node_modules", "@types")],
          },
          include: ["*.ts", "*.mts", "esm/*.ts", "esm/*.mts"],
        },
        null,
        2,
      )}\n`,
    )
    const checked = await exec(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", user],
      { cwd: user, env: process.env },
      600_000,
    )
    ok(checked, "tsc -p <user folder>")

    const ran = await exec(
      process.execPath,
      ["--import", "tsx", "program.mts"],
      { cwd: user, env: process.env },
      600_000,
    )
    ok(ran, "node --import tsx program.mts")
    // One copy of effect: the library's effects run on the user's runtime without a word.
    expect(ran.err).not.toMatch(/Executing an Effect versioned/)
    const lines = ran.out.split("\n")
    expect(lines[0]).toMatch(/^agreed \d+ /)
    expect(lines).toContain("4")
  }, 900_000)
})
