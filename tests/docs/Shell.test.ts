/**
 * Every `sh` / `bash` block of README.md and docs/GUIDE.md runs, as a reader
 * would paste it, and exits 0; where a `text` block follows it (nothing but
 * blank lines between), that is its output, and each of its lines is printed.
 *
 * The blocks of one page run in order in one scratch folder holding the
 * repository's `scenarios/`, `tournaments/`, `examples/` and `tests/` (what
 * the commands name) and this checkout as `node_modules/parley-negotiation`
 * (what a user's scenario imports), so that what they write stays out of
 * the checkout.
 * `parley` is this checkout's `bin/parley.js`, as `npx parley` resolves it in
 * a clone (checked below: not the registry's unrelated `parley`). Blocks that
 * name `nats://127.0.0.1:4222` run against a nats-server of this test's own,
 * its address put in their place (in the expected output too).
 *
 * An output line is matched against a printed line with its surrounding
 * blanks trimmed; `...` alone marks lines left out, a line ending in `...` is
 * a prefix, and durations and rates (`3.80 s`, `263 runs/s`, `(90.2/s)`) may
 * differ: they depend on the machine.
 */
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as NatsServer from "../support/NatsServer.ts"
import { type Fence, fences, missingLines } from "./Markdown.ts"

const root = resolve(import.meta.dirname, "../..")
const pages = ["README.md", "docs/GUIDE.md"] as const
const shells = new Set(["sh", "bash", "shell"])
const LOCAL_NATS = "nats://127.0.0.1:4222"

/**
 * What the README's set-up block says that this test does not run, and why:
 * it runs inside the installed checkout, and is itself part of `npm test`.
 */
const notRunHere: ReadonlyArray<{ readonly text: string; readonly why: string }> = [
  {
    text: "npm ci && ",
    why: "installing again would replace the node_modules this test runs from; tests/package/Pack.test.ts installs from nothing",
  },
  {
    text: "npm test ",
    why: "npm test runs this file; .ci/run runs it (checked below)",
  },
]

interface Ran {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

const bash = (script: string, cwd: string, env: Record<string, string>, timeoutMs: number) =>
  new Promise<Ran>((done, fail) => {
    const child = spawn("bash", ["-c", script], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let out = ""
    let err = ""
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c
    })
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      err += c
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.once("error", fail)
    child.once("close", (code) => {
      clearTimeout(timer)
      done({ code, out, err })
    })
  })

const scratch = mkdtempSync(join(tmpdir(), "parley-docs-"))
const bin = join(scratch, "bin")
mkdirSync(bin)
writeFileSync(
  join(bin, "parley"),
  `#!/bin/sh\nexec "${process.execPath}" "${join(root, "bin", "parley.js")}" "$@"\n`,
  { mode: 0o755 },
)
/** Before each block: stop at the first failing command and say which it was; `npx parley` is `parley`. */
const prelude = [
  "set -euo pipefail",
  `trap 'echo "parley docs test: failed: $BASH_COMMAND" >&2' ERR`,
  'npx() { if [ "$#" -gt 0 ] && [ "$1" = parley ]; then shift; parley "$@"; else command npx "$@"; fi; }',
].join("\n")

let server: NatsServer.NatsServer | undefined
const nats = async () => {
  server ??= await NatsServer.start()
  return server
}
const natsFound = NatsServer.availability()

afterAll(async () => {
  await server?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

describe("the README's set-up commands", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const setUp = fences(readme).find((f) => shells.has(f.info) && f.text.includes("npm ci"))

  it("are one sh block: install and run the main job, then npm test", () => {
    expect(setUp?.text).toMatch(/^npm ci && npx parley run scenarios\/ceasefire-freeze\.ts\b/)
    expect(setUp?.text.split("\n")[1]).toMatch(/^npm test\b/)
    for (const { text } of notRunHere) expect(setUp?.text).toContain(text)
  })

  it("npm test is the command CI runs, and the one package.json defines", () => {
    const ci = readFileSync(join(root, ".ci/run"), "utf8")
    expect(ci).toMatch(/runs the README's test command/)
    expect(ci.split("\n")).toContain("npm test")
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>
    }
    expect(pkg.scripts.test).toContain("vitest run")
  })

  it("npx parley in the clone is this package's command, not the registry's parley", async () => {
    const ran = await bash("npx --no-install parley --version", root, {}, 60_000)
    expect(ran.err).toBe("")
    expect(ran.code).toBe(0)
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }
    expect(ran.out.trim()).toBe(pkg.version)
  }, 60_000)
})

for (const page of pages) {
  const text = readFileSync(join(root, page), "utf8")
  const all = fences(text)
  const dir = join(scratch, page.replace(/[^a-z]/gi, "-"))
  mkdirSync(dir)
  for (const name of ["scenarios", "tournaments", "examples", "tests"])
    symlinkSync(join(root, name), join(dir, name))
  // The package as installed beside a user's scenarios (`import ... from "parley-negotiation/scenario"`).
  mkdirSync(join(dir, "node_modules"))
  symlinkSync(root, join(dir, "node_modules", "parley-negotiation"))

  describe(`${page}: every shell block runs`, () => {
    it("has shell blocks, and no unlabelled block", () => {
      expect(all.some((f) => shells.has(f.info))).toBe(true)
      expect(
        all.filter((f) => f.info === "").map((f) => f.line),
        "label each block: sh to run, text for output or what does not run",
      ).toEqual([])
    })

    for (const fence of all.filter((f) => shells.has(f.info))) {
      const output: Fence | undefined = fence.next === undefined ? undefined : all[fence.next]
      const expected = output?.info === "text" ? output.text : undefined
      const needsNats = fence.text.includes(LOCAL_NATS)
      const title = `${page}:${fence.line}: ${fence.text.split("\n")[0]}`
      if (needsNats && !natsFound.ok && !NatsServer.required) {
        console.warn(`SKIPPING ${title}: ${natsFound.reason}`)
        it.skip(`${title} (nats-server missing)`, () => {})
        continue
      }
      it(title, async () => {
        let script = fence.text
        for (const { text: skip } of notRunHere) script = script.replace(skip, "")
        let want = expected
        if (needsNats) {
          const { url } = await nats()
          script = script.replaceAll(LOCAL_NATS, url)
          want = want?.replaceAll(LOCAL_NATS, url)
        }
        const ran = await bash(
          `${prelude}\n${script}`,
          dir,
          { PATH: `${bin}:${process.env.PATH ?? ""}`, FORCE_COLOR: "0", NO_COLOR: "1" },
          400_000,
        )
        expect(ran.code, `${title}\nexit ${ran.code}\n${ran.err.slice(-3000)}`).toBe(0)
        if (want !== undefined)
          expect(
            missingLines(want, `${ran.out}\n${ran.err}`),
            `${title}: lines of the output shown under it that it did not print`,
          ).toEqual([])
      }, 420_000)
    }
  })
}

describe("how output is compared", () => {
  it("a duration or a rate may differ; anything else may not", () => {
    const printed =
      "1000 runs (seeds 1..1000) in 12.5 s · 80 runs/s · 20135 events\n504 negotiations in 4.51 s (111.7/s) · ok"
    expect(
      missingLines("1000 runs (seeds 1..1000) in 3.80 s · 263 runs/s · 20135 events", printed),
    ).toEqual([])
    expect(missingLines("504 negotiations in 5.59 s (90.2/s) · ok", printed)).toEqual([])
    expect(
      missingLines("1000 runs (seeds 1..1000) in 3.80 s · 263 runs/s · 20136 events", printed),
    ).toHaveLength(1)
    expect(
      missingLines("999 runs (seeds 1..1000) in 3.80 s · 263 runs/s · 20135 events", printed),
    ).toHaveLength(1)
  })

  it("... leaves lines out, a trailing ... makes a prefix, blanks around a line do not count", () => {
    const printed = "  a b c  \nlast line"
    expect(missingLines("...\na b ...\n   last line", printed)).toEqual([])
    expect(missingLines("a b", printed)).toEqual(["a b"])
  })
})
