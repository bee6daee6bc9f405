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
import { rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
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
if (result.metafile !== undefined)
  writeFileSync(join(outdir, "meta.json"), JSON.stringify(result.metafile))
