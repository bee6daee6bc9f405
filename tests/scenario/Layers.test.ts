import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"

const src = fileURLToPath(new URL("../../src", import.meta.url))

const files = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : []
  })

/** The top-level folders of src that `file` imports from (relative imports only). */
const layersImported = (file: string): Array<string> =>
  [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map(
    (m) => relative(src, resolve(dirname(file), m[1]!)).split(/[\\/]/)[0]!,
  )

/** Lower layers first: a layer may import itself and the layers before it. */
// The scenario loader's dry run is the command handler's own decision (src/app), so
// the event log's port and the application layer sit below analysis and scenarios.
// Simulation plays scenarios; a tournament plays many simulations and nothing below it knows of it.
const layers = [
  "domain",
  "store",
  "app",
  "analysis",
  "scenario",
  "simulation",
  "tournament",
] as const

describe("layers: the lower ones never reach up", () => {
  for (const [k, layer] of layers.entries())
    it(`src/${layer} imports only ${layers.slice(0, k + 1).join(", ")}`, () => {
      const allowed = new Set<string>(layers.slice(0, k + 1))
      const wrong = files(join(src, layer)).flatMap((file) =>
        layersImported(file)
          .filter((l) => !allowed.has(l))
          .map((l) => `${relative(src, file)} imports src/${l}`),
      )
      expect(wrong).toEqual([])
    })
})
