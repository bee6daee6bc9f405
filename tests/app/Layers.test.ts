/**
 * The layers the fold relies on: the projection folds the domain's log
 * entries and knows no store (the stores deliver those entries), and the
 * domain imports nothing of the layers built on it.
 */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { describe, expect, it } from "vitest"

const importsOf = (file: string): ReadonlyArray<string> =>
  [...readFileSync(file, "utf8").matchAll(/^(?:import|export)[^"]*?from "([^"]+)"/gm)].map(
    (m) => m[1]!,
  )

const filesUnder = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name))

describe("layers", () => {
  it("the projection imports no store", () => {
    const imports = importsOf("src/app/Projection.ts")
    expect(imports.length).toBeGreaterThan(0)
    expect(imports.filter((i) => i.includes("/store/"))).toEqual([])
  })

  it("the domain imports only the domain, effect and node's crypto", () => {
    const domain = resolve("src/domain")
    for (const file of filesUnder("src/domain"))
      for (const i of importsOf(file)) {
        const allowed = i.startsWith(".")
          ? resolve(dirname(file), i).startsWith(`${domain}/`)
          : i === "effect" || i === "node:crypto"
        expect(allowed, `${file} imports ${i}`).toBe(true)
      }
  })
})
