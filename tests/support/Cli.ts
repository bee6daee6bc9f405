/**
 * Running the real `parley` command (or another script) in a child process, as a user would.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const bin = fileURLToPath(new URL("../../bin/parley.js", import.meta.url))

/** What a finished `parley` process gave. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `node <args>` with `env` added to this process's environment (a
 * variable given as `undefined` is left out); killed after `timeoutMs`.
 */
export const runNode = (
  args: ReadonlyArray<string>,
  env: Record<string, string | undefined> = {},
  timeoutMs = 60_000,
) =>
  new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c
    })
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c
    })
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.once("error", reject)
    child.once("exit", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

/** Runs `parley <args>` with `env` added to this process's environment (as `runNode`); killed after 60 s. */
export const cli = (args: ReadonlyArray<string>, env: Record<string, string | undefined> = {}) =>
  runNode([bin, ...args], env)
