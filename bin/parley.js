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
 * 13% more runs a second on less CPU a run (docs/PERFORMANCE.md, "Benchmarks").
 * V8 takes the flag only at start, so the command runs again in a child
 * Node.js process with it. The child has a process group of its own, so that a
 * terminal's Ctrl-C reaches it once, through this process, which forwards the
 * stop signals and exits as the child does; if this process is killed outright,
 * the child, left without its parent, dies at once as a killed worker does.
 * `--parallel-gc` keeps V8's helper threads (a worker alone on its machine).
 */
const args = process.argv.slice(2)
const restarted = process.execArgv.includes("--single-threaded-gc")
if (
  args[0] === "worker" &&
  process.platform !== "win32" && // no process groups or POSIX signals to pass on there
  !restarted &&
  !args.some((a) => ["--parallel-gc", "--help", "-h", "--version", "--wizard"].includes(a)) &&
  // A debugger attaches to the process that plays: this one, not a child on a taken port.
  !process.execArgv.some((a) => a.startsWith("--inspect"))
) {
  const { spawn } = await import("node:child_process")
  const { constants } = await import("node:os")
  const child = spawn(
    process.execPath,
    [...process.execArgv, "--single-threaded-gc", ...process.argv.slice(1)],
    { stdio: ["inherit", "inherit", "inherit", "ipc"], detached: true },
  )
  child.on("error", (e) => {
    process.stderr.write(`parley: cannot start the worker process: ${e.message}\n`)
    process.exit(1)
  })
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal))
  child.on("exit", (code, signal) => {
    if (signal === null) process.exit(code ?? 1)
    // Dies of the same signal; where that cannot be (pid 1 of a container ignores it), exits
    // with the status a shell gives a process killed by it, never 0.
    process.exitCode = 128 + (constants.signals[signal] ?? 0)
    process.removeAllListeners(signal)
    process.kill(process.pid, signal)
  })
} else {
  // The worker half of the above: without its parent (killed outright), it goes too, at once —
  // also when the parent was gone before this line ran.
  if (args[0] === "worker" && restarted && typeof process.send === "function") {
    const orphaned = () => process.kill(process.pid, "SIGKILL")
    if (!process.connected) orphaned()
    process.on("disconnect", orphaned)
    process.channel?.unref()
    // And should the channel's end go unnoticed: a new parent means the old one is gone.
    const parent = process.ppid
    setInterval(() => process.ppid !== parent && orphaned(), 500).unref()
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
