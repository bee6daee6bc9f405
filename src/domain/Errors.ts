/**
 * The words of whatever was thrown or failed, for one-line errors.
 *
 * @since 0.2.0
 */

/** An error's message, or the value itself as text when it is not an `Error`. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))
