/**
 * Tournament files written to a temporary folder for the tests, naming the
 * ANAC domains of tests/fixtures/genius by absolute path.
 */
import { spawn } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { fixture } from "../analysis/helpers.ts"

const bin = fileURLToPath(new URL("../../bin/parley.js", import.meta.url))

/** A GENIUS scenario entry for a fixture folder and its files. */
export const genius = (dir: string, domain: string, profiles: ReadonlyArray<string>) => ({
  genius: {
    domain: fixture(`genius/${dir}/${domain}`),
    profiles: profiles.map((p) => fixture(`genius/${dir}/${p}`)),
  },
})

export const laptop = genius("anac2011/Laptop", "laptop_domain.xml", [
  "laptop_buyer_utility.xml",
  "laptop_seller_utility.xml",
])
export const englandZimbabwe = genius("anac2010/EnglandZimbabwe", "EnglandZimbabwe_domain.xml", [
  "England.xml",
  "Zimbabwe.xml",
])
export const dinner = genius("anac2015/group2-dinner", "Dinner.xml", [
  "Dinner_util1.xml",
  "Dinner_util2.xml",
  "Dinner_util3.xml",
])

/** Four competitors: two champions and two baselines. */
export const four = [
  { name: "hardheaded", strategy: { kind: "hardheaded" } },
  { name: "agentk", strategy: { kind: "agentk" } },
  { name: "boulware", strategy: { kind: "time-dependent", preset: "boulware" } },
  { name: "conceder", strategy: { kind: "time-dependent", preset: "conceder" } },
]

/** A fresh temporary folder. */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), "parley-tournament-"))

/** Writes `content` (an object as JSON, or text) as `name` in `dir`; returns its path. */
export const write = (dir: string, name: string, content: unknown): string => {
  const path = join(dir, name)
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2))
  return path
}

/**
 * Runs `parley <args>` in a child process and kills it with SIGKILL once
 * `progress()` reaches `atLeast` (or `timeoutMs` passed): the crash a resume
 * must survive. Resolves with the signal that ended it.
 */
export const killWhen = async (
  args: ReadonlyArray<string>,
  progress: () => Promise<number> | number,
  atLeast: number,
  timeoutMs = 60_000,
): Promise<NodeJS.Signals | null> => {
  const child = spawn(process.execPath, [bin, ...args], { stdio: "ignore" })
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("exit", (_code, signal) => resolve(signal)),
  )
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const n = await Promise.resolve(progress()).catch(() => 0)
    if (n >= atLeast) break
    await new Promise((r) => setTimeout(r, 10))
  }
  child.kill("SIGKILL")
  return exited
}
