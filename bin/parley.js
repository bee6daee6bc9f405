#!/usr/bin/env node
// Runs the parley CLI: the JavaScript bundle built into dist/ at install
// (`npm ci` runs `npm run build`) while it is newer than every source file,
// else the TypeScript sources through tsx (a checkout edited since its build).
// A scenario written in TypeScript loads tsx itself when it is read.
import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

// A reader that stops early (`parley replay ... | head`) is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0)
    throw e
  })

const root = fileURLToPath(new URL("..", import.meta.url))

const builtAt = () => {
  try {
    return statSync(join(root, "dist", "parley.mjs")).mtimeMs
  } catch {
    return undefined
  }
}

/** True when no file of src/ changed after the bundle was built (a shipped package has no src/). */
const bundleIsFresh = (built) => {
  let entries
  try {
    entries = readdirSync(join(root, "src"), { recursive: true })
  } catch {
    return true
  }
  for (const entry of entries) if (statSync(join(root, "src", entry)).mtimeMs > built) return false
  return true
}

const built = builtAt()
if (built !== undefined && bundleIsFresh(built)) await import("../dist/parley.mjs")
else {
  const { register } = await import("tsx/esm/api")
  register()
  await import("../src/cli/main.ts")
}
