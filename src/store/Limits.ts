/**
 * Bounds on what one stored text may be before it is parsed: a JSONL line or
 * a NATS commit larger than {@link Limits.maxBytes}, or nested deeper than
 * {@link Limits.maxDepth}, is refused as a `CorruptEvent` naming its position
 * and quoting a bounded excerpt, never the whole text. `JSON.parse` itself
 * does not recurse, but what reads the parsed value may (a Schema decode that
 * explains a problem formats the value, `JSON.stringify` recurses), so a
 * commit nested 100,000 deep once ended every reader with "Maximum call
 * stack size exceeded".
 *
 * @since 0.6.0
 */

/** How large and how deep one stored text may be. */
export interface Limits {
  /** Longest text, in UTF-16 code units for a string, bytes for a JSONL line (both ≈ bytes for an ASCII log). */
  readonly maxBytes: number
  /** Deepest nesting of arrays and objects; an envelope needs about 8. */
  readonly maxDepth: number
}

/**
 * The defaults: 16 MiB (16 times the largest message a default nats-server
 * accepts; a negotiation opening with a thousand issues is far below it),
 * and 64 levels (a current envelope nests at most 7 deep).
 */
export const defaultLimits: Limits = { maxBytes: 16 * 1024 * 1024, maxDepth: 64 }

/** How many characters of a refused text an error quotes. */
export const EXCERPT = 80

/** The first {@link EXCERPT} characters of `text`, marked when cut. */
export const excerpt = (text: string): string =>
  JSON.stringify(text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text)

const QUOTE = 34
const BACKSLASH = 92
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93
const OPEN_BRACE = 123
const CLOSE_BRACE = 125

/**
 * How many `[` and `{` the text holds, counted up to `atMost + 1`: a text
 * with no more openings than the depth limit cannot nest deeper, and
 * `indexOf` finds them far faster than a loop over every character, so the
 * usual event (a dozen openings) is settled without a scan.
 */
const openings = (text: string, atMost: number): number => {
  let count = 0
  for (let i = text.indexOf("["); i !== -1 && count <= atMost; i = text.indexOf("[", i + 1)) count++
  for (let i = text.indexOf("{"); i !== -1 && count <= atMost; i = text.indexOf("{", i + 1)) count++
  return count
}

/**
 * The character offset at which `text` nests deeper than `maxDepth` (arrays
 * and objects, brackets inside strings not counted), or -1. One pass over
 * the characters, nothing allocated; a text of at most `2 * maxDepth`
 * characters, or with no more openings than that, cannot nest deeper, so it
 * is not scanned.
 */
export const tooDeepAt = (text: string, maxDepth: number): number => {
  if (text.length <= 2 * maxDepth || openings(text, maxDepth) <= maxDepth) return -1
  let depth = 0
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      // Skip the string: to the next quote not escaped.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i)
        if (d === BACKSLASH) i++
        else if (d === QUOTE) break
      }
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > maxDepth) return i
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--
  }
  return -1
}

/**
 * Why `text` is refused before it is parsed, or `undefined`: larger than the
 * limit, or nested too deep (with the offset and a bounded excerpt).
 */
export const refusal = (text: string, limits: Limits = defaultLimits): string | undefined => {
  if (text.length > limits.maxBytes)
    return `${text.length} characters, over the limit of ${limits.maxBytes} (starts ${excerpt(text)})`
  const at = tooDeepAt(text, limits.maxDepth)
  return at === -1
    ? undefined
    : `nested deeper than ${limits.maxDepth} levels at character ${at + 1} (starts ${excerpt(text)})`
}
