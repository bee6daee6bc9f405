/**
 * `npm run build` (run by `npm ci` / `npm install` through `prepare`): bundles
 * the CLI and its worker threads into `dist/` as plain JavaScript, so a
 * command starts without the TypeScript loader and without resolving hundreds
 * of module files (start-up is dominated by module loading; see
 * docs/PERFORMANCE.md). Code shared by the entries goes into common chunks;
 * modules a command imports lazily become their own chunks. `bin/parley.js`
 * uses `dist/` only while it is newer than every file of `src/`, and falls
 * back to the sources through tsx otherwise. The package's `exports` are the
 * library, `dist/index.mjs` (see {@link library}), and `dist/scenario.mjs`
 * (`defineScenario`, shared with the CLI), with their type declarations in
 * `dist/types/` (`PARLEY_BUILD_TYPES=0` skips them, and a build into another
 * directory makes them only with `PARLEY_BUILD_TYPES=1`). For profiling,
 * `PARLEY_BUILD_SOURCEMAP=1` writes source maps and `PARLEY_BUILD_METAFILE=1`
 * writes `dist/meta.json` (what each chunk holds).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import ts from "typescript"

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
    // What a TypeScript scenario imports (`parley-negotiation/scenario`), and the hooks that
    // point a scenario of this checkout's own, importing the source, here.
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

/**
 * The library, `import { ... } from "parley-negotiation"`: one file beside
 * the CLI's (its worker threads and scenario hooks are found relative to it),
 * its dependencies left as imports. Bundled in, `effect` would be a second
 * copy beside the user's own: the user's `Effect.runPromise` would run the
 * library's effects on another runtime (warning on every fiber) and the two
 * copies' tags and layers would not meet.
 */
const library = () =>
  build({
    absWorkingDir: root,
    entryPoints: { index: "src/index.ts" },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: process.env.PARLEY_BUILD_SOURCEMAP === "1",
    logLevel: "warning",
  })
await library()

/**
 * The type declarations of the package's entries (`exports` in package.json):
 * `tsc --emitDeclarationOnly` with the checkout's own compiler options (a
 * declaration's `./x.ts` imports resolve to the `./x.d.ts` beside it). A type
 * error fails the build, naming it.
 */
const declarations = () => {
  const configFile = join(root, "tsconfig.json")
  const config = ts.readConfigFile(configFile, ts.sys.readFile)
  if (config.error !== undefined)
    throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"))
  const { options } = ts.parseJsonConfigFileContent(
    config.config,
    ts.sys,
    root,
    undefined,
    configFile,
  )
  const program = ts.createProgram({
    rootNames: [join(root, "src/index.ts"), join(root, "src/scenario/Scenario.ts")],
    options: {
      ...options,
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      rootDir: join(root, "src"),
      outDir: join(outdir, "types"),
    },
  })
  const emitted = program.emit()
  const problems = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]
  if (problems.length > 0)
    throw new Error(
      ts.formatDiagnostics(problems, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => root,
        getNewLine: () => "\n",
      }),
    )
}
// A scratch build (`build.mjs <outdir>`, as the bundle's tests make) needs no declarations.
if ((process.env.PARLEY_BUILD_TYPES ?? (process.argv[2] === undefined ? "1" : "0")) !== "0")
  declarations()
