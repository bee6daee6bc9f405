/**
 * Module resolution hooks for TypeScript scenarios read by the compiled CLI
 * (see scripts/build.mjs): a scenario imports `src/scenario/Scenario.ts` by
 * its source path; these hooks answer with the bundle's own
 * `dist/scenario.mjs`, so the scenario shares the CLI's compiled modules instead
 * of loading a second, uncompiled copy of parley and effect through tsx (which
 * tripled the start-up of `parley run scenarios/rubinstein.ts`). Registered by
 * `readDefinition` with `module.register`, next to tsx; runs in Node's loader
 * thread.
 *
 * @since 0.3.0
 */

/** The source module to replace, and its compiled entry (file URLs). */
export interface Redirect {
  readonly source: string
  readonly compiled: string
}

let redirect: Redirect | undefined

/** Node's `initialize` hook: receives the redirect. */
export const initialize = (data: Redirect): void => {
  redirect = data
}

interface Resolved {
  readonly url: string
  readonly format?: string | null | undefined
  readonly shortCircuit?: boolean | undefined
}

/** Node's `resolve` hook: the source module becomes the compiled one, anything else is left alone. */
export const resolve = async (
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<Resolved>,
): Promise<Resolved> => {
  const resolved = await next(specifier, context)
  return redirect !== undefined && resolved.url === redirect.source
    ? { url: redirect.compiled, format: "module", shortCircuit: true }
    : resolved
}
