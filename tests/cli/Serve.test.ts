/**
 * `parley serve --human` refuses what it cannot do, in one line and with a
 * non-zero exit, before it listens: an unknown party, several runs, an
 * unreadable timeout.
 */
import { describe, expect, it } from "vitest"
import { cli } from "../support/Cli.ts"

describe("parley serve --human", () => {
  it("names the scenario's parties when the seat's party is not one of them", async () => {
    const r = await cli(["serve", "scenarios/anac-laptop.json", "--human", "nobody", "--port", "0"])
    expect(r.code).not.toBe(0)
    expect(r.stderr.trim()).toBe(
      "parley: --human nobody: unknown party (this scenario has laptop_buyer_utility, laptop_seller_utility)",
    )
    expect(r.stdout).not.toContain("token=")
  }, 90_000)

  it("refuses several runs and an unreadable timeout", async () => {
    const several = await cli([
      "serve",
      "scenarios/anac-laptop.json",
      "--human",
      "laptop_buyer_utility",
      "--runs",
      "2",
    ])
    expect(several.code).not.toBe(0)
    expect(several.stderr.trim()).toBe("parley: --human plays a single negotiation: no --runs")
    const timeout = await cli([
      "serve",
      "scenarios/anac-laptop.json",
      "--human",
      "laptop_buyer_utility",
      "--human-timeout",
      "soon",
    ])
    expect(timeout.stderr.trim()).toBe("parley: --human-timeout: expected 10m, 90s or 0, got soon")
  }, 90_000)
})
