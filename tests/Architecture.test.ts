/**
 * The layers of `src/` point one way: no import cycle between its top-level
 * folders (`domain`, `simulation`, `report`...), and none between the files
 * of `src/cli/` (a command's light module and its handler in particular).
 * Every import counts — static, `import type`, `export ... from` and dynamic
 * `import()` — since a type import is a dependency of the code too, even
 * when it costs nothing at run time. A failure names the cycle and, for each
 * step, a file that makes it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve, sep } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const src = fileURLToPath(new URL("../src", import.meta.url))

const sources = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory()
      ? sources(path)
      : /\.(ts|mts|js|mjs)$/.test(name)
        ? [path]
        : []
  })

/** A path under `src/` with `/` separators, as the messages show it. */
const local = (path: string) => relative(src, path).split(sep).join("/")

/** One import of a file of `src/` by another: both paths relative to `src/`. */
interface Import {
  readonly from: string
  readonly to: string
}

/** Every import between files of `src/` (static, type, re-export, dynamic). */
const imports: ReadonlyArray<Import> = sources(src).flatMap((file) =>
  ts
    .preProcessFile(readFileSync(file, "utf8"), true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((target) => target.startsWith("."))
    .map((target) => ({ from: local(file), to: local(resolve(dirname(file), target)) })),
)

const folderOf = (path: string) => path.split("/")[0]!
const isFolder = (path: string) => path.includes("/")

/** A directed graph: each node's successors, each edge with one import that makes it. */
type Graph = Map<string, Map<string, Import>>

const graphOf = (edges: ReadonlyArray<Import>, node: (path: string) => string): Graph => {
  const graph: Graph = new Map()
  for (const i of edges) {
    const a = node(i.from)
    const b = node(i.to)
    if (a === b) continue
    const next = graph.get(a) ?? new Map<string, Import>()
    graph.set(a, next)
    if (!next.has(b)) next.set(b, i)
    if (!graph.has(b)) graph.set(b, new Map())
  }
  return graph
}

/** The first cycle found (its nodes in order, the first repeated at the end), if any. */
const cycleOf = (graph: Graph): ReadonlyArray<string> | undefined => {
  const state = new Map<string, "open" | "done">()
  const path: Array<string> = []
  const visit = (node: string): ReadonlyArray<string> | undefined => {
    state.set(node, "open")
    path.push(node)
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (state.get(next) === "open") return [...path.slice(path.indexOf(next)), next]
      if (state.get(next) === undefined) {
        const found = visit(next)
        if (found !== undefined) return found
      }
    }
    path.pop()
    state.set(node, "done")
    return undefined
  }
  for (const node of [...graph.keys()].sort())
    if (state.get(node) === undefined) {
      const found = visit(node)
      if (found !== undefined) return found
    }
  return undefined
}

/** A cycle in words: each step with the import that makes it. */
const describeCycle = (graph: Graph, cycle: ReadonlyArray<string>) =>
  cycle
    .slice(0, -1)
    .map((node, k) => {
      const next = cycle[k + 1]!
      const by = graph.get(node)!.get(next)!
      return `${node} -> ${next} (${by.from} imports ${by.to})`
    })
    .join("\n")

/**
 * The layers of `src/`, lowest first (docs/ARCHITECTURE.md says why): a
 * folder may import itself and the folders before it, never one after it.
 * A new top-level folder must be placed here.
 */
const layers = [
  "domain",
  "analysis",
  "nats",
  "store",
  "app",
  "scenario",
  "simulation",
  "tournament",
  "distributed",
  "feed",
  "remote",
  "human",
  "report",
  "cli",
] as const

describe("the layers of src/", () => {
  it("finds the imports (the graph is not empty)", () => {
    expect(imports.length).toBeGreaterThan(100)
    expect(imports.some((i) => i.from.startsWith("cli/") && i.to.startsWith("domain/"))).toBe(true)
  })

  it("places every top-level folder in the layers", () => {
    const folders = readdirSync(src).filter((name) => statSync(join(src, name)).isDirectory())
    expect(folders.filter((f) => !(layers as ReadonlyArray<string>).includes(f))).toEqual([])
  })

  it("has each folder import only itself and the layers below it", () => {
    const rank = new Map<string, number>(layers.map((layer, k) => [layer, k]))
    const upward = imports
      .filter((i) => isFolder(i.from) && isFolder(i.to))
      .filter((i) => (rank.get(folderOf(i.to)) ?? -1) > (rank.get(folderOf(i.from)) ?? -1))
      .map((i) => `${i.from} imports ${i.to} (${folderOf(i.to)} is above ${folderOf(i.from)})`)
    expect(upward).toEqual([])
  })

  it("has no import cycle between its top-level folders", () => {
    const graph = graphOf(
      imports.filter((i) => isFolder(i.from)),
      folderOf,
    )
    const cycle = cycleOf(graph)
    expect(cycle === undefined ? "" : describeCycle(graph, cycle)).toBe("")
  })

  it("keeps the remote agents above the simulation: the runner and the tournament are given them, never import them", () => {
    // src/remote/ implements the simulation's port (and its strategy contract)...
    expect(
      imports.some((i) => i.from.startsWith("remote/") && i.to === "simulation/RemoteAgents.ts"),
    ).toBe(true)
    // ...which is all the simulation and the tournament know of remote agents.
    expect(
      imports
        .filter(
          (i) =>
            ["simulation", "tournament"].includes(folderOf(i.from)) && i.to.startsWith("remote/"),
        )
        .map((i) => `${i.from} imports ${i.to}`),
    ).toEqual([])
  })

  it("has no import cycle between the files of src/cli/", () => {
    const graph = graphOf(
      imports.filter((i) => i.from.startsWith("cli/") && i.to.startsWith("cli/")),
      (path) => path,
    )
    const cycle = cycleOf(graph)
    expect(cycle === undefined ? "" : describeCycle(graph, cycle)).toBe("")
  })
})
