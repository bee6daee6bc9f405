/**
 * What the report tests check of a tornado chart in the browser: it is
 * visible, has a bar per parameter, and its bars are ordered by |coefficient|.
 */
import type { Page } from "playwright-core"
import { expect } from "vitest"

/**
 * The tornado chart `testid` is visible, has a bar per parameter, and its
 * bars run from the largest |coefficient| at the top down to the smallest
 * (a parameter without a coefficient last).
 */
export const expectTornado = async (page: Page, testid: string, parameters: number) => {
  const tornado = page.getByTestId(testid)
  expect(await tornado.count()).toBe(1)
  await tornado.scrollIntoViewIfNeeded()
  expect(await tornado.isVisible()).toBe(true)
  const bars = tornado.getByTestId("tornado-bar")
  expect(await bars.count()).toBe(parameters)
  const rows: Array<{ value: number; top: number }> = []
  for (let i = 0; i < parameters; i++) {
    const bar = bars.nth(i)
    const value = await bar.getAttribute("data-value")
    const box = (await bar.boundingBox())!
    rows.push({ value: value === "" ? Number.NaN : Number(value), top: box.y })
  }
  const strength = (v: number) => (Number.isNaN(v) ? -1 : Math.abs(v))
  for (let i = 1; i < rows.length; i++) {
    expect(rows[i]!.top).toBeGreaterThan(rows[i - 1]!.top)
    expect(strength(rows[i]!.value)).toBeLessThanOrEqual(strength(rows[i - 1]!.value))
  }
  // The strongest bar is drawn: a rectangle of some width.
  const strongest = bars.first().locator("rect")
  if (!Number.isNaN(rows[0]!.value))
    expect((await strongest.boundingBox())!.width).toBeGreaterThan(1)
}
