/**
 * The one CSV dialect parley writes, for pandas, R and spreadsheets: RFC 4180
 * fields (quoted when they hold a comma, a quote or a line break; quotes
 * doubled), a header line, LF line ends (what `pandas.read_csv`,
 * `readr::read_csv` and `csv.reader` take by default), numbers with at most
 * 12 significant digits (a float's noise past that is not data), empty for
 * a missing or non-finite value.
 *
 * @since 0.5.0
 */

/** A value as a CSV field. */
export const csvField = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return ""
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)))
  }
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Rows (the header first) as CSV text, each line ended by LF. */
export const csvText = (rows: Iterable<ReadonlyArray<unknown>>): string => {
  let out = ""
  for (const row of rows) out += `${row.map(csvField).join(",")}\n`
  return out
}
