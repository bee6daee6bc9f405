/**
 * What the handlers of several commands do with the values of shared options:
 * the `--set` map, the `--nats` URL, the `--agent` specs. The options
 * themselves are defined in `src/cli/commands/Shared.ts`.
 *
 * @since 0.2.0
 */
import { realpathSync } from "node:fs"
import { availableParallelism } from "node:os"
import { basename, dirname, join, resolve } from "node:path"
import { Console, Effect, Either, type HashMap, Option } from "effect"
import { parseOverrides } from "../scenario/Load.ts"
import { UsageError } from "./Errors.ts"

/** The `--set` map as the loader takes it. */
export const overridesOf = (set: Option.Option<HashMap.HashMap<string, string>>) =>
  parseOverrides(
    Option.match(set, { onNone: () => [], onSome: (m) => [...m].map(([k, v]) => `${k}=${v}`) }),
  )

/** The NATS servers of `--nats` (or `PARLEY_NATS_URL`); a {@link UsageError} when neither is given. */
export const natsUrl = (nats: Option.Option<string>) =>
  Option.match(nats, {
    onSome: Effect.succeed,
    onNone: () =>
      new UsageError({
        problem: "the state feed lives on NATS: give --nats URL or set PARLEY_NATS_URL",
      }),
  })

/** A `--agent` parameter value: a number, a boolean, JSON (`[...]`, `{...}`) or else text. */
const paramValue = (raw: string): unknown => {
  if (raw === "true") return true
  if (raw === "false") return false
  if (raw !== "" && Number.isFinite(Number(raw))) return Number(raw)
  if (raw.startsWith("[") || raw.startsWith("{")) {
    try {
      return JSON.parse(raw) as unknown
    } catch {
      return raw
    }
  }
  return raw
}

/**
 * Parses one `--agent` value into a party id and a strategy spec (still to be
 * decoded by the runner, which names the field that is wrong):
 * `buyer=hardheaded`, `seller=time-dependent:e=0.5,k=0.1`,
 * `buyer={"kind":"boa",...}`.
 */
export const parseAgent = (text: string): Either.Either<readonly [string, unknown], UsageError> => {
  const eq = text.indexOf("=")
  const usage = (problem: string) =>
    Either.left(new UsageError({ problem: `--agent ${text}: ${problem}` }))
  if (eq <= 0) return usage("expected party=strategy, e.g. --agent buyer=hardheaded")
  const party = text.slice(0, eq).trim()
  return Either.map(
    parseStrategy(text.slice(eq + 1).trim(), `--agent ${text}`),
    (spec) => [party, spec] as const,
  )
}

/**
 * Parses a strategy as the command line writes it (still to be decoded, which
 * names the field that is wrong): `hardheaded`, `time-dependent:e=0.5,k=0.1`,
 * `{"kind":"boa",...}`; `where` prefixes a problem.
 */
export const parseStrategy = (rest: string, where: string): Either.Either<unknown, UsageError> => {
  const usage = (problem: string) =>
    Either.left(new UsageError({ problem: `${where}: ${problem}` }))
  if (rest.startsWith("{")) {
    try {
      return Either.right(JSON.parse(rest) as unknown)
    } catch (e) {
      return usage(`the JSON spec does not parse (${e instanceof Error ? e.message : String(e)})`)
    }
  }
  const colon = rest.indexOf(":")
  const kind = (colon < 0 ? rest : rest.slice(0, colon)).trim()
  if (kind === "") return usage("no strategy kind")
  const spec: Record<string, unknown> = { kind }
  if (colon >= 0)
    for (const pair of rest.slice(colon + 1).split(",")) {
      if (pair.trim() === "") continue
      const at = pair.indexOf("=")
      if (at <= 0) return usage(`parameter "${pair}" is not name=value`)
      spec[pair.slice(0, at).trim()] = paramValue(pair.slice(at + 1).trim())
    }
  return Either.right(spec)
}

/** The `--agent` values as the runner takes them (a party named twice is a usage error). */
export const agentsOf = (
  values: ReadonlyArray<string>,
): Either.Either<Record<string, unknown>, UsageError> => {
  const out: Record<string, unknown> = {}
  for (const v of values) {
    const parsed = parseAgent(v)
    if (Either.isLeft(parsed)) return Either.left(parsed.left)
    const [party, spec] = parsed.right
    if (Object.hasOwn(out, party))
      return Either.left(new UsageError({ problem: `--agent ${party} is given twice` }))
    out[party] = spec
  }
  return Either.right(out)
}

/** A path as the file system resolves it: symlinks followed, a missing file by its folder. */
const realOf = (path: string): string => {
  try {
    return realpathSync(path)
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path))
    } catch {
      return resolve(path)
    }
  }
}

/**
 * Refuses, before anything runs, an output that is also one of the command's
 * inputs (compared as real paths, so a symlink to an input counts): `outputs`
 * and `inputs` are `[option, path]` pairs, a missing path skipped.
 */
export const refuseOverwrite = (
  outputs: ReadonlyArray<readonly [string, string | undefined]>,
  inputs: ReadonlyArray<readonly [string, string | undefined]>,
): Effect.Effect<void, UsageError> => {
  const real = inputs.flatMap(([name, path]) =>
    path === undefined ? [] : [[name, path, realOf(path)] as const],
  )
  for (const [option, path] of outputs) {
    if (path === undefined) continue
    const target = realOf(path)
    const hit = real.find(([, , r]) => r === target)
    if (hit !== undefined)
      return new UsageError({
        problem: `${option} ${path} is also an input (${hit[0]} ${hit[1]}): refusing to write over it`,
      })
  }
  return Effect.void
}

/**
 * `--workers N` as the batch takes it: above this machine's cores (threads
 * beyond them only contend) it is capped to the cores, with a one-line warning.
 */
export const workersOf = (workers: Option.Option<number>): Effect.Effect<number | undefined> => {
  if (Option.isNone(workers)) return Effect.succeed(undefined)
  const cores = availableParallelism()
  if (workers.value <= cores) return Effect.succeed(workers.value)
  return Effect.as(
    Console.error(
      `parley: warning: --workers ${workers.value} is more than this machine's ${cores} cores; using ${cores}`,
    ),
    cores,
  )
}
