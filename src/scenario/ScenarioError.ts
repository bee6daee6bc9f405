/**
 * A scenario file that cannot be used, and exactly where and why: the file,
 * the field path and the problem, in one line.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** A scenario file that cannot be used, and exactly where and why. */
export class ScenarioError extends Schema.TaggedError<ScenarioError>()("ScenarioError", {
  file: Schema.String,
  path: Schema.String,
  problem: Schema.String,
}) {
  override get message() {
    return `${this.file}: ${this.path === "" ? "" : `${this.path}: `}${this.problem}`
  }
}
