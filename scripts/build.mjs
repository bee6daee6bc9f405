/**
 * `npm run build` (run by `npm ci` / `npm install` through `prepare`): bundles
 * the CLI and its worker threads into `dist/` as plain JavaScript, so a
 * command starts without the TypeScript loader and without resolving hundreds
 * of module files (start-up is dominated by module loading; see
 * docs/PERFORMANCE.md). Code shared by the entries goes into common chunks;
 * modules a command imports lazily become their own chunks. `bin/parley.js`
 * uses `dist/` only while it is newer than every file of `src/`, and falls
 * back to the sources through tsx otherwise. For profiling,
 * `PARLEY_BUILD_SOURCEMAP=1` writes source maps and `PARLEY_BUILD_METAFILE=1`
 * writes `dist/meta.json` (what each chunk holds).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")

/** What `effect`'s index exports from `effect/Function` rather than as a module namespace. */
const fromFunction = new Set(["absurd", "flow", "hole", "identity", "pipe", "unsafeCoerce"])

/**
 * `import { Effect, type Scope, pipe } from "effect"` as
 * `import * as Effect from "effect/Effect"; import { pipe } from "effect/Function"`:
 * the same modules, without the index. With code splitting the index goes
 * into the chunk every command loads, and each of its namespaces that any
 * module uses comes with it — `parley --help` then compiled all the `effect`
 * that any command needs (Schema's JSON Schema, PubSub, STM, Cron, and
 * fast-check through Arbitrary), 1.36 MB where `@effect/cli` needs 0.74 MB.
 */
const effectModules = (names) =>
  names
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "" && !name.startsWith("type "))
    .map((name) => {
      const [imported, local = imported] = name.split(/\s+as\s+/)
      return fromFunction.has(imported)
        ? `import { ${name} } from "effect/Function";`
        : `import * as ${local} from "effect/${imported}";`
    })
    .join(" ")

const effectWithoutIndex = {
  name: "effect-without-index",
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replace(
        /import\s*\{([^}]*)\}\s*from\s*"effect"/g,
        (_, names) => effectModules(names),
      ),
      loader: "ts",
    }))
  },
}
/** The options-file parsers of `@effect/cli`, bundled apart (see {@link optionFileParsersApart}). */
const parsersFile = "option-file-parsers.cjs"

/**
 * `@effect/cli` imports the YAML, TOML and INI parsers (0.42 MB) for options
 * read from a file, which parley's commands do not use; bundled, every
 * command compiled them. Its imports are answered by a `parse` that loads
 * them, bundled apart into `dist/option-file-parsers.cjs`, on first use.
 */
const optionFileParsersApart = {
  name: "option-file-parsers-apart",
  setup(build) {
    build.onResolve({ filter: /^(yaml|toml|ini)$/ }, (args) =>
      /[\\/]@effect[\\/]cli[\\/]/.test(args.importer)
        ? { path: args.path, namespace: "option-file-parser" }
        : undefined,
    )
    build.onLoad({ filter: /.*/, namespace: "option-file-parser" }, (args) => ({
      // A name, not a literal: esbuild would bundle a literal `require` here.
      contents: `const file = "./${parsersFile}"; export const parse = (content) => require(file).${args.path}.parse(content)`,
      loader: "js",
    }))
  },
}

// `node scripts/build.mjs [outdir]` (tests build into a scratch directory).
const outdir = process.argv[2] ?? join(root, "dist")

rmSync(outdir, { recursive: true, force: true })
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    parley: "src/cli/main.ts",
    "simulation-worker": "src/simulation/Worker.ts",
    "tournament-worker": "src/tournament/Worker.ts",
    "distributed-thread": "src/distributed/Thread.ts",
    // What a TypeScript scenario imports, and the hooks that point it here.
    scenario: "src/scenario/Scenario.ts",
    "scenario-hooks": "src/scenario/BundleHooks.ts",
  },
  outdir,
  plugins: [effectWithoutIndex, optionFileParsersApart],
  // .mjs: ES modules whatever the package.json beside them says.
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // tsx is only needed to read a TypeScript scenario, and is loaded then.
  external: ["tsx", "tsx/*", "esbuild"],
  // Bundled CommonJS dependencies call `require` for Node's built-ins.
  banner: {
    js: 'import { createRequire as __parleyRequire } from "node:module"; const require = __parleyRequire(import.meta.url);',
  },
  chunkNames: "[name]-[hash]",
  sourcemap: process.env.PARLEY_BUILD_SOURCEMAP === "1",
  metafile: process.env.PARLEY_BUILD_METAFILE === "1",
  logLevel: "warning",
})
await build({
  stdin: {
    contents:
      'module.exports = { yaml: require("yaml"), toml: require("toml"), ini: require("ini") }',
    // Resolved as @effect/cli resolves them.
    resolveDir: join(root, "node_modules", "@effect", "cli", "dist", "esm", "internal"),
    loader: "js",
  },
  outfile: join(outdir, parsersFile),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
})
if (result.metafile !== undefined)
  writeFileSync(join(outdir, "meta.json"), JSON.stringify(result.metafile))
