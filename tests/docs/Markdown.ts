/**
 * Reading the docs as a test needs them: fenced code blocks with their info
 * string and line, and the links with the headings they point at.
 */

/** A fenced code block: its info string (`sh`, `text`...), its first line (1-based) and its text. */
export interface Fence {
  readonly info: string
  readonly line: number
  readonly text: string
  /** The index of the next fence when only blank lines lie between this one's end and its start. */
  readonly next?: number
}

/** Every fenced block of a markdown text (indented fences, as in list items, included). */
export const fences = (markdown: string): ReadonlyArray<Fence> => {
  const lines = markdown.split("\n")
  const found: Array<Omit<Fence, "next"> & { end: number; indent: string }> = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i] ?? "")
    if (open === null) continue
    const indent = open[1] ?? ""
    let j = i + 1
    while (j < lines.length && (lines[j] ?? "").trim() !== "```") j++
    if (j >= lines.length) throw new Error(`line ${i + 1}: a fence that is never closed`)
    found.push({
      info: open[2] ?? "",
      line: i + 1,
      end: j,
      indent,
      text: lines
        .slice(i + 1, j)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join("\n"),
    })
    i = j
  }
  return found.map(({ end, indent: _, ...f }, k) => {
    const after = found[k + 1]
    const between = after === undefined ? [] : lines.slice(end + 1, after.line - 1)
    return after !== undefined && between.every((l) => l.trim() === "") ? { ...f, next: k + 1 } : f
  })
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-")

/** The anchors of a markdown text's headings (outside code blocks). */
export const anchors = (markdown: string): ReadonlySet<string> => {
  const out = new Set<string>()
  let inFence = false
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) inFence = !inFence
    const heading = /^#{1,6}\s+(.*)$/.exec(line)
    if (!inFence && heading !== null) out.add(slug(heading[1] ?? ""))
  }
  return out
}

/** The relative links of a markdown text (`[x](path#anchor)`, images too), outside code blocks. */
export const relativeLinks = (
  markdown: string,
): ReadonlyArray<{ readonly target: string; readonly line: number }> => {
  const out: Array<{ target: string; line: number }> = []
  let inFence = false
  markdown.split("\n").forEach((line, i) => {
    if (/^\s*```/.test(line)) inFence = !inFence
    if (inFence) return
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] ?? ""
      if (!/^[a-z]+:/i.test(target)) out.push({ target, line: i + 1 })
    }
  })
  return out
}

/**
 * A regular expression for one line of a command's output shown in the docs
 * (`undefined`: nothing to match): `...` alone marks lines left out, a line
 * ending in `...` is a prefix, and durations and rates (`3.80 s`,
 * `263 runs/s`, `(90.2/s)`) may be any number.
 */
export const expectedLine = (line: string): RegExp | undefined => {
  const trimmed = line.trim()
  if (trimmed === "" || trimmed === "..." || trimmed === "…") return undefined
  const prefix = trimmed.endsWith("...")
  const text = prefix ? trimmed.slice(0, -3).trimEnd() : trimmed
  const escaped = text
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    // A duration or a rate: the number may be any.
    .replace(/\d[\d,]*(?:\\\.\d+)?(?= (?:s|ms|runs\/s)\b|\/s\b)/g, "[\\d,.]+")
  return new RegExp(`^${escaped}${prefix ? "" : "$"}`)
}

/** The expected lines of `expected` that no printed line matches. */
export const missingLines = (expected: string, printed: string): ReadonlyArray<string> => {
  const lines = printed.split("\n").map((l) => l.trim())
  return expected
    .split("\n")
    .filter((l) => {
      const re = expectedLine(l)
      return re !== undefined && !lines.some((p) => re.test(p))
    })
    .map((l) => l.trim())
}
