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

/**
 * `parley worker` is a throughput process meant to share its machine with
 * other workers, a core each: it runs with V8's garbage collector on the
 * thread that allocates (`--single-threaded-gc`) rather than on helper threads
 * that take cores the other workers need; measured, a worker then plays about
 * 13% more runs a second on less CPU a run (README, "Benchmarks").
 * V8 takes the flag only at start, so the command runs again in a child
 * Node.js process with it. The child has a process group of its own, so that a
 * terminal's Ctrl-C reaches it once, through this process, which forwards the
 * stop signals and exits as the child does; if this process is killed outright,
 * the child, left without its parent, dies at once as a killed worker does.
 * `--parallel-gc` keeps V8's helper threads (a worker alone on its machine).
 */
const args = process.argv.slice(2)
if (
  args[0] === "worker" &&
  process.platform !== "win32" && // no process groups or POSIX signals to pass on there
  !args.includes("--parallel-gc") &&
  !args.includes("--help") &&
  !process.execArgv.includes("--single-threaded-gc")
) {
  const { spawn } = await import("node:child_process")
  const child = spawn(
    process.execPath,
    [...process.execArgv, "--single-threaded-gc", ...process.argv.slice(1)],
    { stdio: ["inherit", "inherit", "inherit", "ipc"], detached: true },
  )
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal))
  child.on("exit", (code, signal) => {
    if (signal === null) process.exit(code ?? 1)
    process.removeAllListeners(signal)
    process.kill(process.pid, signal)
  })
} else {
  // The worker half of the above: without its parent (killed outright), it goes too, at once.
  if (process.channel !== undefined && args[0] === "worker") {
    process.on("disconnect", () => process.kill(process.pid, "SIGKILL"))
    process.channel.unref()
  }
  await start()
}

/** Runs the CLI in this process. */
async function start() {
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
    for (const entry of entries)
      if (statSync(join(root, "src", entry)).mtimeMs > built) return false
    return true
  }

  const built = builtAt()
  if (built !== undefined && bundleIsFresh(built)) await import("../dist/parley.mjs")
  else {
    const { register } = await import("tsx/esm/api")
    register()
    await import("../src/cli/main.ts")
  }
}
