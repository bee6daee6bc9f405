import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("..", import.meta.url))

/** Node APIs newer than Node 20.0 that `src` may use, with the release that added them. */
const needs = [
  {
    api: "crypto.hash",
    since: [20, 12, 0],
    used: /import\s*\{[^}]*\bhash\b[^}]*\}\s*from\s*"node:crypto"|crypto\.hash\(/,
  },
] as const

const sources = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : []
  })

const compare = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0)
  return 0
}

describe("package.json engines", () => {
  it("the declared minimum Node has every Node API src uses", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      engines: { node: string }
    }
    const floor = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(pkg.engines.node.trim())
    expect(floor, `engines.node ${pkg.engines.node} is not of the form >=X.Y.Z`).not.toBeNull()
    const declared = floor!.slice(1).map((x) => Number(x ?? 0))
    const code = sources(join(root, "src")).map((f) => readFileSync(f, "utf8"))
    for (const need of needs)
      if (code.some((text) => need.used.test(text)))
        expect(
          compare(declared, need.since),
          `${need.api} needs Node ${need.since.join(".")}, engines says ${pkg.engines.node}`,
        ).toBeGreaterThanOrEqual(0)
  })
})
