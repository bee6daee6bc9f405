/**
 * Every relative link of README.md and docs/*.md leads somewhere: the file
 * exists, and an anchor names a heading of it. Moving a section from one page
 * to another must carry its links along.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { anchors, relativeLinks, slug } from "./Markdown.ts"

const root = resolve(import.meta.dirname, "../..")
const pages = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
]

describe("docs links", () => {
  for (const page of pages)
    it(`${page}: every relative link and anchor resolves`, () => {
      const text = readFileSync(join(root, page), "utf8")
      const broken: Array<string> = []
      for (const { target, line } of relativeLinks(text)) {
        const [path = "", anchor] = target.split("#")
        const file = path === "" ? join(root, page) : resolve(join(root, dirname(page)), path)
        if (!existsSync(file)) broken.push(`${page}:${line}: ${target}: no such file`)
        else if (anchor !== undefined && !anchors(readFileSync(file, "utf8")).has(anchor))
          broken.push(`${page}:${line}: ${target}: no heading with that anchor`)
      }
      expect(broken).toEqual([])
    })

  it("anchors are GitHub's", () => {
    expect(slug("Beyond one machine: distributed batches")).toBe(
      "beyond-one-machine-distributed-batches",
    )
    expect(slug("Simulation (`BENCH simulate-1thread`)")).toBe("simulation-bench-simulate-1thread")
  })
})
