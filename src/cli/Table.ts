/**
 * Text tables for the terminal: every column as wide as its widest cell, so
 * long ids never break the alignment.
 *
 * @since 0.2.0
 */

/** How {@link table} lays out its rows. */
export interface TableOptions {
  /** Put before every line (default two spaces). */
  readonly indent?: string | undefined
  /** Between columns (default two spaces). */
  readonly gap?: string | undefined
  /** Columns aligned to the right (numbers); the others are aligned to the left. */
  readonly right?: ReadonlyArray<number> | undefined
}

/** One line per row; the last column is not padded, so no line ends in spaces. */
export const table = (
  rows: ReadonlyArray<ReadonlyArray<string>>,
  options: TableOptions = {},
): Array<string> => {
  const indent = options.indent ?? "  "
  const gap = options.gap ?? "  "
  const right = new Set(options.right ?? [])
  const widths: Array<number> = []
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length)
    })
  return rows.map((row) =>
    (
      indent +
      row
        .map((cell, i) =>
          i === row.length - 1 && !right.has(i)
            ? cell
            : right.has(i)
              ? cell.padStart(widths[i]!)
              : cell.padEnd(widths[i]!),
        )
        .join(gap)
    ).trimEnd(),
  )
}
