/**
 * The browser the report tests drive: Debian's chromium, headless, with no
 * background networking (this machine's network is closed). Missing, it is a
 * failure under `CI=true` and a printed skip otherwise.
 */
import { existsSync, mkdirSync } from "node:fs"
import { resolve } from "node:path"
import { chromium } from "playwright-core"

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium"

/** Whether the browser is here (throws at import under `CI=true` when it is not). */
export const available = existsSync(CHROMIUM)
if (!available && process.env.CI === "true")
  throw new Error(`${CHROMIUM} is missing: the browser tests need it (apt-get install chromium)`)
if (!available)
  console.warn(`skipping the browser tests: ${CHROMIUM} is missing (apt-get install chromium)`)

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
]

/** Where screenshots go (git-ignored). */
export const artifacts = resolve("test-artifacts")

/** Launches the browser (and makes the artifacts folder). */
export const launch = () => {
  mkdirSync(artifacts, { recursive: true })
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS })
}
