/**
 * What the GENIUS and GeniusWeb importers produce, and the helpers they share:
 * token-safe issue ids, party names from file names, file reading.
 *
 * @since 0.1.0
 */
import { FileSystem } from "@effect/platform"
import { Effect } from "effect"
import { MAX_ID_LENGTH } from "../domain/Ids.ts"
import type { Issue } from "../domain/Issue.ts"
import { ImportReadError } from "./ImportError.ts"
import type { FilePreferences, Preferences } from "./Preferences.ts"
import type { UncertaintySettings } from "./Uncertainty.ts"

/** One imported preference profile (linear additive unless `P` says otherwise). */
export interface ImportedProfile<P extends FilePreferences = Preferences> {
  /** The party: the profile file name without extension (sanitised to a token) unless given. */
  readonly party: string
  readonly preferences: P
  /** For a GENIUS uncertainty profile: what its agent would be told instead of `preferences` (the true utility). */
  readonly uncertainty?: UncertaintySettings | undefined
  /** The file it came from. */
  readonly file: string
}

/** An imported domain with its preference profiles (linear additive unless `P` says otherwise). */
export interface Imported<P extends FilePreferences = Preferences> {
  /** The domain's name (from the file or its `name` field). */
  readonly name: string
  /** The issues; ids are tokens, the original names are kept as `label`. */
  readonly issues: ReadonlyArray<Issue>
  readonly profiles: ReadonlyArray<ImportedProfile<P>>
}

/** A profile file to import, with an optional party name. */
export type ProfileSource = string | { readonly file: string; readonly party?: string | undefined }

/**
 * A token (letters, digits, `_`, `-`, at most 64 characters) made from any
 * name: other characters become `_`, runs of `_` collapse, an empty result
 * becomes `issue`.
 */
export const sanitizeId = (name: string): string => {
  const s = name
    .trim()
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_(?=.)|(?<=.)_$/g, "")
    .slice(0, MAX_ID_LENGTH)
  return s.length === 0 || s === "_" ? "issue" : s
}

/** Sanitised ids for `names`, made unique with `-2`, `-3`... suffixes. */
export const uniqueIds = (names: ReadonlyArray<string>): Array<string> => {
  const seen = new Set<string>()
  return names.map((name) => {
    const base = sanitizeId(name)
    let id = base
    for (let k = 2; seen.has(id); k++) {
      const suffix = `-${k}`
      id = base.slice(0, MAX_ID_LENGTH - suffix.length) + suffix
    }
    seen.add(id)
    return id
  })
}

/** The base name of a path without directory and extension. */
export const baseName = (file: string): string => {
  const b = file.replace(/\\/g, "/").split("/").pop() ?? file
  const dot = b.lastIndexOf(".")
  return dot > 0 ? b.slice(0, dot) : b
}

/**
 * A domain's name: the one its file gives, unless that is missing, blank or
 * GENIUS's generic `root` (the name most ANAC domains leave on their
 * objective); then the file's base name without a `domain` suffix
 * (`laptop_domain.xml` is `laptop`, `Camera-A-domain.xml` is `Camera-A`).
 */
export const domainName = (given: string | undefined, file: string): string => {
  const name = given?.trim() ?? ""
  if (name !== "" && name.toLowerCase() !== "root") return name
  const base = baseName(file)
  const stripped = base.replace(/[-_ .]?domain$/i, "")
  return stripped === "" ? base : stripped
}

/** The party name for a profile source: the given one, else the file's base name as a token. */
export const partyOf = (source: ProfileSource): { file: string; party: string } =>
  typeof source === "string"
    ? { file: source, party: sanitizeId(baseName(source)) }
    : { file: source.file, party: source.party ?? sanitizeId(baseName(source.file)) }

/** Reads a text file, failing with an {@link ImportReadError} naming it. */
export const readText = (
  file: string,
): Effect.Effect<string, ImportReadError, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(file)).pipe(
    Effect.mapError((e) => new ImportReadError({ file, detail: e.message })),
  )

/** The entries of a directory (names only, sorted), failing with an {@link ImportReadError}. */
export const listDirectory = (
  dir: string,
): Effect.Effect<Array<string>, ImportReadError, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readDirectory(dir)).pipe(
    Effect.map((names) => [...names].sort()),
    Effect.mapError((e) => new ImportReadError({ file: dir, detail: e.message })),
  )

/** `dir` joined with `name` using `/` (works for the paths Node accepts on every OS). */
export const joinPath = (dir: string, name: string): string =>
  dir.endsWith("/") || dir.endsWith("\\") ? `${dir}${name}` : `${dir}/${name}`
