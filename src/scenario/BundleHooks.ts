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
 * They also load a scenario module as an ES module whatever the
 * `package.json` of its folder says: a user's `deal.ts` or `deal.js` with
 * `export default` in a folder without `"type": "module"` would otherwise be
 * read as CommonJS (on Node 20: "Cannot require() ES Module ... in a cycle").
 * `readDefinition` marks the module's URL with {@link AS_MODULE}; the local
 * `.ts` / `.js` files it imports are marked in turn.
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

/** The query marking a module to load as an ES module. */
export const AS_MODULE = "parley-scenario=module"

const marked = (url: string | undefined): boolean =>
  url?.startsWith("file:") === true && new URL(url).searchParams.has(AS_MODULE.split("=")[0] ?? "")

/** `url` with the mark (once). */
const markedUrl = (url: string): string =>
  marked(url) ? url : `${url}${url.includes("?") ? "&" : "?"}${AS_MODULE}`

/** A user's own TypeScript or JavaScript file (not a package's, not CommonJS by its extension). */
const ownModule = (url: string): boolean =>
  url.startsWith("file:") &&
  !url.includes("/node_modules/") &&
  /\.(ts|js)$/.test(new URL(url).pathname)

/**
 * Node's `resolve` hook: the source module becomes the compiled one; a
 * marked module, and a user's own module it imports, load as ES modules;
 * anything else is left alone.
 */
export const resolve = async (
  specifier: string,
  context: { readonly parentURL?: string | undefined },
  next: (specifier: string, context: unknown) => Promise<Resolved>,
): Promise<Resolved> => {
  const resolved = await next(specifier, context)
  // Resolved as any module (to its real path: a scenario's relative imports follow from there).
  if (marked(specifier))
    return { url: markedUrl(resolved.url), format: "module", shortCircuit: true }
  if (redirect !== undefined && resolved.url === redirect.source)
    return { url: redirect.compiled, format: "module", shortCircuit: true }
  if (marked(context.parentURL) && ownModule(resolved.url))
    return { url: markedUrl(resolved.url), format: "module", shortCircuit: true }
  return resolved
}
