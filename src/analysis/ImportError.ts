/**
 * Typed errors of the GENIUS and GeniusWeb importers. Every error names the
 * file and the element or field that is wrong, so a user can fix the input.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** A file could not be read (missing, unreadable, a directory...). */
export class ImportReadError extends Schema.TaggedError<ImportReadError>()("ImportReadError", {
  file: Schema.String,
  detail: Schema.String,
}) {
  /** Human-readable text naming the file. */
  override get message(): string {
    return `${this.file}: cannot read: ${this.detail}`
  }
}

/**
 * A file was read but its content is wrong: not XML / JSON, a missing or
 * malformed element, attribute or field. `element` is a path such as
 * `utility_space/objective/issue[name="Laptop"]/item[value="Dell"]@evaluation`
 * or `LinearAdditiveUtilitySpace.issueWeights.price`.
 */
export class ImportFormatError extends Schema.TaggedError<ImportFormatError>()(
  "ImportFormatError",
  {
    file: Schema.String,
    element: Schema.String,
    detail: Schema.String,
  },
) {
  /** Human-readable text naming the file and the element. */
  override get message(): string {
    return `${this.file}: ${this.element}: ${this.detail}`
  }
}

/** Any importer error. */
export type ImportError = ImportReadError | ImportFormatError
